//! [`ChainApp`]: the marshal application. It proposes and verifies blocks through the node, on
//! their parent's post-state, and never touches committed state (that is the finalizer's job).

use std::{sync::Arc, time::UNIX_EPOCH};

use atelier_node::{Node, ledger::LedgerError};
use atelier_primitives::Address;
use atelier_protocol::{Block, Header};
use commonware_consensus::{
    Application, Heightable,
    marshal::ancestry::Ancestry,
    simplex::{scheme::ed25519::Scheme, types::Context},
};
use commonware_cryptography::{Digested, Digestible, ed25519, sha256::Digest};
use commonware_runtime::{Clock, Spawner, Supervisor};
use futures::StreamExt;

use crate::{
    block::{ChainBlock, hash_of},
    epochs::{EpochProvider, chain_key},
    evidence::EvidenceCheck,
    participation::{self, REPORT_LAG, VoteLog},
};

/// How far ahead of this validator's clock a block's time may be before it is refused.
pub const MAX_CLOCK_DRIFT_MS: u64 = 10_000;

/// Most ancestors executed to reach a parent this validator has not executed yet. Farther behind,
/// it abstains and catches up through finalized blocks instead.
const MAX_CATCH_UP: usize = atelier_node::ledger::MAX_PENDING_BLOCKS / 2;

/// The consensus context of a block: its round, leader and parent.
pub type ConsensusContext = Context<Digest, ed25519::PublicKey>;

/// The chain's side of marshal: builds blocks from the mempool and verifies others' blocks.
#[derive(Clone)]
pub struct ChainApp {
    node: Arc<Node>,
    min_block_interval_ms: u64,
    sets: EpochProvider,
    evidence: EvidenceCheck,
    votes: VoteLog,
}

impl ChainApp {
    /// The application over `node`, with each epoch's validators from `sets` and the finalize
    /// votes seen in `votes`. A leader proposes no sooner than `min_block_interval` after its
    /// parent's time, so that an idle chain does not commit empty blocks as fast as the network
    /// allows.
    pub fn new(
        node: Arc<Node>,
        min_block_interval: std::time::Duration,
        sets: EpochProvider,
        votes: VoteLog,
    ) -> Self {
        let evidence = EvidenceCheck::new(sets.clone());
        ChainApp { node, min_block_interval_ms: min_block_interval.as_millis() as u64, sets, evidence, votes }
    }

    /// Who voted [`REPORT_LAG`] views before the block led in `consensus`'s round, if this
    /// validator holds a quorum's votes for that view.
    fn participation(
        &self,
        rng: &mut impl commonware_rand::CryptoRng,
        consensus: &ConsensusContext,
    ) -> Option<atelier_protocol::Participation> {
        let (epoch, view) = (consensus.round.epoch().get(), consensus.round.view().get());
        let reported = view.checked_sub(REPORT_LAG).filter(|v| *v > 0)?;
        self.votes.participation(rng, &self.sets.epoch(epoch)?, epoch, reported)
    }

    /// The account a block led by `consensus`'s leader names as its proposer: the leader's
    /// operator in the epoch's set (the key's own account if the chain does not say).
    fn proposer(&self, consensus: &ConsensusContext) -> Address {
        self.sets
            .epoch(consensus.round.epoch().get())
            .and_then(|set| set.operator(&consensus.leader))
            .unwrap_or_else(|| address_of(&consensus.leader))
    }
}

/// The chain address of a validator's consensus key.
pub fn address_of(key: &ed25519::PublicKey) -> Address {
    chain_key(key).address()
}

fn now_ms(clock: &impl Clock) -> u64 {
    clock.current().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Runs blocking work (execution, storage) off the runtime's asynchronous executor.
async fn blocking<E: Spawner, T: Send + 'static>(
    runtime: E,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    runtime.shared(true).spawn(move |_| async move { work() }).await.ok()
}

/// Why a proposal or a verification cannot go on now.
enum Unready {
    /// The parent is beyond what can be executed here now; abstain.
    Behind,
    /// The ancestry does not lead to this validator's chain: permanently invalid.
    Invalid,
}

impl ChainApp {
    /// The post-state header of the parent at the front of `ancestry`: executes the ancestors
    /// this validator has not executed yet, oldest first.
    async fn parent_header<E: Spawner + Supervisor>(
        &self,
        runtime: &E,
        mut ancestry: impl Ancestry<ChainBlock>,
    ) -> Result<Header, Unready> {
        let mut missing: Vec<Block> = Vec::new();
        let known = loop {
            let Some(ancestor) = ancestry.next().await else { return Err(Unready::Behind) };
            let hash = hash_of(&ancestor.digest());
            match self.node.buildable_header(&hash) {
                Ok(Some(header)) => break header,
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(%error, "reading the chain failed");
                    return Err(Unready::Behind);
                }
            }
            if ancestor.height().get() <= self.node.head().height.get() {
                return Err(Unready::Invalid);
            }
            if missing.len() == MAX_CATCH_UP {
                return Err(Unready::Behind);
            }
            missing.push(ancestor.inner().block().clone());
        };
        let node = self.node.clone();
        let caught_up = blocking(runtime.child("catch_up"), move || {
            let mut parent = known;
            for block in missing.into_iter().rev() {
                parent = node.verify(&parent, block)?.block.header.clone();
            }
            Ok::<_, LedgerError>(parent)
        })
        .await;
        match caught_up {
            Some(Ok(parent)) => Ok(parent),
            Some(Err(LedgerError::Block(error))) => {
                tracing::warn!(%error, "an ancestor does not execute");
                Err(Unready::Invalid)
            }
            Some(Err(error)) => {
                tracing::error!(%error, "executing ancestors failed");
                Err(Unready::Behind)
            }
            None => Err(Unready::Behind),
        }
    }
}

impl<E: Clock + Spawner + Supervisor + commonware_rand::CryptoRng> Application<E> for ChainApp {
    type SigningScheme = Scheme;
    type Context = ConsensusContext;
    type Block = ChainBlock;
    type Input = ();

    async fn propose(
        &mut self,
        (mut runtime, consensus): (E, ConsensusContext),
        ancestry: impl Ancestry<ChainBlock>,
        _input: (),
    ) -> Option<Digested<ChainBlock>> {
        let parent = self.parent_header(&runtime, ancestry).await.ok()?;
        let earliest = parent.time_ms.saturating_add(self.min_block_interval_ms);
        let now = now_ms(&runtime);
        if now < earliest {
            runtime.sleep(std::time::Duration::from_millis(earliest - now)).await;
        }
        let time_ms = now_ms(&runtime).max(parent.time_ms);
        let proposer = self.proposer(&consensus);
        let participation = self.participation(&mut runtime, &consensus);
        let node = self.node.clone();
        let executed =
            blocking(runtime, move || node.propose(&parent, time_ms, proposer, participation)).await?;
        match executed {
            Ok(executed) => {
                let block = ChainBlock::new(executed.block.clone());
                let digest = block.digest();
                Some(Digested::precomputed(block, digest))
            }
            Err(error) => {
                tracing::error!(%error, "building a block failed");
                None
            }
        }
    }

    async fn verify(
        &mut self,
        (mut runtime, consensus): (E, ConsensusContext),
        mut ancestry: impl Ancestry<ChainBlock>,
    ) -> bool {
        let Some(proposed) = ancestry.next().await else {
            return abstain().await;
        };
        let block = proposed.inner().block().clone();
        if block.header.proposer != self.proposer(&consensus) {
            tracing::warn!(height = %block.header.height, "block names another proposer than the leader");
            return false;
        }
        if block.header.time_ms > now_ms(&runtime).saturating_add(MAX_CLOCK_DRIFT_MS) {
            tracing::warn!(height = %block.header.height, "block time is too far ahead");
            return false;
        }
        for evidence in &block.evidence.misbehavior {
            if let Err(reason) = self.evidence.check(&mut runtime, evidence) {
                tracing::warn!(height = %block.header.height, %reason, "block carries bad evidence");
                return false;
            }
        }
        if let Some(record) = &block.evidence.participation {
            let (epoch, view) = (consensus.round.epoch().get(), consensus.round.view().get());
            if let Err(reason) = participation::check(&self.sets, &mut runtime, record, epoch, view) {
                tracing::warn!(height = %block.header.height, %reason, "block carries a bad participation record");
                return false;
            }
        }
        let parent = match self.parent_header(&runtime, ancestry).await {
            Ok(parent) => parent,
            Err(Unready::Invalid) => return false,
            Err(Unready::Behind) => return abstain().await,
        };
        let node = self.node.clone();
        match blocking(runtime, move || node.verify(&parent, block)).await {
            Some(Ok(_)) => true,
            Some(Err(LedgerError::Block(error))) => {
                tracing::warn!(%error, "proposed block is invalid");
                false
            }
            Some(Err(error)) => {
                tracing::error!(%error, "verifying a block failed");
                abstain().await
            }
            None => abstain().await,
        }
    }
}

/// Holds a verdict back: consensus cancels the request when the view moves on.
async fn abstain() -> bool {
    futures::future::pending().await
}
