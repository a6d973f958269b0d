//! Admission: the checks a submitted transaction passes before it enters the mempool, run in
//! batches on a thread of their own.
//!
//! Submissions queue up while a batch is being checked, and the next batch takes everything that
//! queued (up to [`MAX_BATCH`]): at low load a batch is one transaction and adds no wait; under
//! load the signatures of a batch are verified together, at about half the cost of verifying them
//! one by one, and one snapshot of the state serves the whole batch. Checking every signature here
//! is what lets the node build its own blocks without checking them again.

use std::{
    collections::BTreeMap,
    sync::{Arc, Weak},
};

use atelier_primitives::{
    Address, Hash,
    crypto::{BatchVerifier, SignatureVerifier, SignedMessage},
};
use atelier_protocol::{
    Rejection, SignedTx, Spend,
    modules::{Failure, fees},
    precheck,
};
use tokio::sync::{mpsc, oneshot};

use crate::{
    Node, SubmitError, internal,
    mempool::{ChainView, MempoolError},
};

/// Most submissions checked together: bounds the wait of the first of them.
pub(crate) const MAX_BATCH: usize = 512;
/// Submissions waiting for admission before submitters wait for room.
const QUEUE: usize = 8 * MAX_BATCH;

/// A submission and where its answer goes.
struct Submission {
    tx: SignedTx,
    answer: oneshot::Sender<Result<Hash, SubmitError>>,
}

/// The submitting side of the admission thread. The thread stops once this is dropped.
#[derive(Debug)]
pub(crate) struct Admission {
    queue: mpsc::Sender<Submission>,
}

impl Admission {
    /// Starts the admission thread for `node`, which it holds weakly: the node owns this handle,
    /// and dropping the node ends the thread.
    pub(crate) fn start(node: Weak<Node>) -> Admission {
        let (queue, submissions) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("admission".into())
            .spawn(move || run(node, submissions))
            .map(drop)
            // Without the thread every submission answers that admission stopped.
            .unwrap_or_else(|error| tracing::error!(%error, "admission thread did not start"));
        Admission { queue }
    }

    /// Queues `tx` and waits for its admission.
    pub(crate) async fn submit(&self, tx: SignedTx) -> Result<Hash, SubmitError> {
        let (answer, answered) = oneshot::channel();
        self.queue.send(Submission { tx, answer }).await.map_err(|_| internal("admission stopped"))?;
        answered.await.map_err(|_| internal("admission stopped"))?
    }
}

fn run(node: Weak<Node>, mut submissions: mpsc::Receiver<Submission>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = submissions.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match submissions.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let Some(node) = node.upgrade() else { return };
        let (txs, answers): (Vec<SignedTx>, Vec<_>) = batch.drain(..).map(|s| (s.tx, s.answer)).unzip();
        for (answer, result) in answers.into_iter().zip(admit(&node, txs, Origin::Client)) {
            // A submitter that went away does not need its answer.
            let _ = answer.send(result);
        }
    }
}

/// Where a batch of transactions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Submitted to this node: what is admitted is announced to peers.
    Client,
    /// Relayed by a peer, which announced it already.
    Peer,
}

/// Admits a batch in the order it arrived: the stateful checks on one snapshot, the signatures of
/// those that passed in one batch equation (one by one only if it fails), then the mempool.
pub(crate) fn admit(node: &Node, txs: Vec<SignedTx>, origin: Origin) -> Vec<Result<Hash, SubmitError>> {
    // What each sender's pending transactions may spend, from the pool and then from this batch.
    let mut pending: BTreeMap<Address, BTreeMap<u64, Spend>> = BTreeMap::new();
    {
        let pool = node.mempool();
        for tx in &txs {
            let nonces = pending.entry(tx.sender()).or_default();
            nonces.entry(tx.tx().nonce).or_insert_with(|| pool.pending_spend(&tx.sender(), tx.tx().nonce));
        }
    }
    let checked = (|| {
        let snapshot = node.storage().snapshot().map_err(|e| e.to_string())?;
        let next_height = node.head().height.next().ok_or("height exhausted")?;
        let base_fee = fees::query::base_fee(&snapshot).map_err(|e| e.to_string())?;
        let mut batch: BTreeMap<Address, BTreeMap<u64, Spend>> = BTreeMap::new();
        let outcomes: Vec<_> = txs
            .iter()
            .map(|tx| {
                let (sender, nonce) = (tx.sender(), tx.tx().nonce);
                let mut spent = pending.get(&sender).and_then(|n| n.get(&nonce)).cloned().unwrap_or_default();
                for (_, earlier) in batch.get(&sender).into_iter().flatten().filter(|(n, _)| **n != nonce) {
                    spent.add_all(earlier);
                }
                let checked = precheck(&snapshot, tx, next_height, &spent).map_err(refused)?;
                batch.entry(sender).or_default().insert(nonce, checked.spend.clone());
                Ok::<_, SubmitError>(checked)
            })
            .collect();
        Ok::<_, String>((outcomes, ChainView { next_height, base_fee }))
    })();
    let (mut outcomes, view) = match checked {
        Ok(checked) => checked,
        Err(error) => return txs.iter().map(|_| Err(internal(&error))).collect(),
    };
    let claims: Vec<SignedMessage> =
        txs.iter().zip(&outcomes).filter(|(_, outcome)| outcome.is_ok()).map(|(tx, _)| tx.claim()).collect();
    if BatchVerifier.verify_all(&claims).is_err() {
        for (tx, outcome) in txs.iter().zip(outcomes.iter_mut()) {
            if let (Ok(_), Err(reason)) = (&outcome, tx.claim().verify()) {
                *outcome = Err(MempoolError::Rejected(Rejection::InvalidSignature(reason)).into());
            }
        }
    }
    let mut announced = Vec::new();
    let mut pool = node.mempool();
    let admitted = txs
        .into_iter()
        .zip(outcomes)
        .map(|(tx, outcome)| {
            let checked = outcome?;
            let copy = (origin == Origin::Client).then(|| tx.clone());
            let hash = pool.insert(tx, checked, view)?;
            announced.extend(copy);
            Ok(hash)
        })
        .collect::<Vec<_>>();
    node.update_mempool_metrics(&pool);
    drop(pool);
    if !announced.is_empty() {
        // Nobody listening (a solo node) is not an error.
        let _ = node.admitted.send(Arc::new(announced));
    }
    admitted
}

fn refused(failure: Failure<Rejection>) -> SubmitError {
    match failure {
        Failure::Rule(rejection) => MempoolError::Rejected(rejection).into(),
        Failure::Bug(what) => internal(what),
        Failure::Fatal(error) => internal(error),
    }
}
