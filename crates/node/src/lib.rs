//! The node: mempool, block production, and the HTTP API over durable storage.
//!
//! It re-implements no protocol rule: admission runs `atelier_protocol::precheck`, blocks are
//! built and applied by `atelier_protocol`, and storage commits each block durably before anything
//! reports it. Block production sits behind [`ledger::Application`], which the solo sequencer
//! drives today and a BFT engine drives with validators.

mod admission;
pub mod blobs;
pub mod c2pa;
mod dashboard;
mod dev;
pub mod finality;
mod history;
pub mod http;
pub mod ledger;
pub mod listener;
pub mod mempool;
pub mod metrics;
mod routes;
pub mod series;
mod server;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, PoisonError, RwLock},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

pub use admission::Origin;
use atelier_primitives::{Address, Hash};
use atelier_protocol::{
    Block, BlockEvidence, EquivocationKind, ExecutedBlock, Header, Misbehavior, Participation, Rejection,
    SignedTx,
    modules::{auth, fees, staking},
};
pub use atelier_storage::{Equivocation, StorageError};
use atelier_storage::{IndexedEvent, Storage};
pub use dev::SetBalanceError;
use tokio::sync::{Notify, broadcast};

use crate::{
    ledger::{Application, Finalized, Ledger, LedgerError},
    mempool::{Mempool, MempoolConfig, MempoolError},
    metrics::Metrics,
};

/// Limits of the HTTP API.
#[derive(Debug, Clone)]
pub struct ApiLimits {
    /// Largest request body, in bytes (larger gets 413).
    pub max_body_bytes: usize,
    /// Largest page a list query may ask for (larger gets 400).
    pub max_page: usize,
    /// Requests served at once; more wait.
    pub max_concurrent_requests: usize,
    /// Connections open at once; more wait in the kernel's backlog until one closes.
    pub max_connections: usize,
    /// Connections open at once from one IP address; more are closed at once.
    pub max_connections_per_ip: usize,
    /// A connection that sends no complete request head for this long (half its headers, nothing,
    /// or nothing more between keep-alive requests) is closed.
    pub header_read_timeout: Duration,
    /// Event streams open at once (`/events/stream`); more get 503.
    pub max_event_streams: usize,
    /// Longest a request may take (longer gets 408), `?wait=true` included.
    pub request_timeout: Duration,
}

impl Default for ApiLimits {
    fn default() -> Self {
        ApiLimits {
            max_body_bytes: 256 * 1024,
            max_page: 1_000,
            max_concurrent_requests: 1_024,
            max_connections: 4_096,
            max_connections_per_ip: 512,
            header_read_timeout: Duration::from_secs(10),
            max_event_streams: 1_024,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// How many past blocks' state a node keeps readable unless configured otherwise.
pub const DEFAULT_STATE_HISTORY_BLOCKS: u64 = 10_000;

/// How the node runs.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Where the HTTP API listens (port 0 picks a free one).
    pub api_addr: SocketAddr,
    /// Time between blocks; `None` produces blocks only on demand.
    pub block_interval: Option<Duration>,
    /// Who receives the tips of the blocks this node produces.
    pub proposer: Address,
    /// Mempool bounds.
    pub mempool: MempoolConfig,
    /// Most transactions taken from the mempool per block.
    pub max_block_txs: usize,
    /// API limits.
    pub limits: ApiLimits,
    /// Every this many blocks, and on start, the whole state's invariants are checked (O(state))
    /// before a commit; a broken one stops the node. 0 checks only on start.
    pub invariant_scan_blocks: u64,
    /// How many past blocks' state stays readable, with proofs (`GET /state/{keys}?height=`); 0
    /// keeps the head's alone.
    pub state_history_blocks: u64,
    /// Development controls under `/dev` (mine blocks now): dev chains only.
    pub dev_controls: bool,
    /// The dev chain's named accounts (`dev0`, `dev1`, …), for `GET /dev/accounts`.
    pub dev_accounts: Vec<(String, Address)>,
    /// Web origins whose pages may call the API (CORS), such as `https://gallery.example`; `*`
    /// allows any (dev chains). Empty: browsers keep other origins' pages out.
    pub cors_origins: Vec<String>,
    /// The blob store (prompts, parameters, outputs); `None` keeps no blobs (`/blobs` answers 404).
    pub blobs: Option<blobs::BlobConfig>,
}

impl NodeConfig {
    /// Defaults with the API at `api_addr` and tips to `proposer`: one block per second.
    pub fn new(api_addr: SocketAddr, proposer: Address) -> Self {
        NodeConfig {
            api_addr,
            block_interval: Some(Duration::from_secs(1)),
            proposer,
            mempool: MempoolConfig::default(),
            max_block_txs: 20_000,
            limits: ApiLimits::default(),
            invariant_scan_blocks: 1_000,
            state_history_blocks: DEFAULT_STATE_HISTORY_BLOCKS,
            dev_controls: false,
            dev_accounts: Vec::new(),
            cors_origins: Vec::new(),
            blobs: None,
        }
    }
}

/// A committed block as the API reports it.
#[derive(Debug, Clone)]
pub struct CommittedBlock {
    /// Its header.
    pub header: Header,
    /// Its transactions' hashes, in order.
    pub tx_hashes: Vec<Hash>,
    /// Its events, in order.
    pub events: Vec<IndexedEvent>,
}

/// What including a transaction next would do.
#[derive(Debug, Clone)]
pub enum Simulation {
    /// It would be included, with this receipt (its outcome applied or failed).
    Included(atelier_protocol::Receipt),
    /// It would be left out of the block, charging nothing.
    Rejected(atelier_protocol::Rejection),
}

/// Why a submitted transaction was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The mempool or the protocol refused it.
    #[error(transparent)]
    Refused(#[from] MempoolError),
    /// The node failed.
    #[error("node failure: {0}")]
    Internal(String),
}

/// A running chain: ledger, mempool, head and subscribers.
#[derive(Debug)]
pub struct Node {
    ledger: Ledger,
    mempool: Mutex<Mempool>,
    head: RwLock<Header>,
    blocks: broadcast::Sender<Arc<CommittedBlock>>,
    produce_now: Notify,
    /// Held while a block is produced here, so the sequencer and `/dev/mine` take turns.
    producing: Mutex<()>,
    metrics: Metrics,
    config: NodeConfig,
    admission: admission::Admission,
    /// Client submissions as they are admitted, for relaying to peers.
    admitted: broadcast::Sender<Arc<Vec<SignedTx>>>,
    /// Why the node must stop, once something it cannot build on happened.
    halted: Mutex<Option<String>>,
    halt: Notify,
    /// The first consensus view whose recorded equivocations may not all be slashed yet.
    evidence_cursor: std::sync::Mutex<(u64, u64)>,
    /// A dev chain's state snapshots.
    snapshots: Mutex<Snapshots>,
    /// The blob store, if the node keeps one.
    blobs: Option<Arc<blobs::BlobStore>>,
    /// Under validators, where final blocks' certificates are found.
    certificates: std::sync::OnceLock<Arc<dyn finality::Certificates>>,
    /// Held while a sync snapshot is served: one at a time (each holds the whole state).
    sync_served: tokio::sync::Mutex<()>,
}

/// A dev chain's state snapshots, by id.
#[derive(Debug)]
struct Snapshots {
    next_id: u64,
    images: std::collections::BTreeMap<u64, atelier_storage::StateImage>,
}

impl Node {
    /// A node over `storage`, which must hold a chain whose state keeps every invariant.
    pub fn new(storage: Storage, config: NodeConfig) -> Result<Arc<Node>, LedgerError> {
        storage.keep_state_history(config.state_history_blocks);
        let ledger = Ledger::new(storage, config.invariant_scan_blocks);
        let head = ledger.head()?;
        if let Err(error) = ledger.check_invariants() {
            tracing::error!(%error, height = head.height.get(), "the stored state breaks an invariant; not starting");
            return Err(error);
        }
        // Small: each message holds a whole block's events, and a slow subscriber only needs to
        // learn that it lagged.
        let (blocks, _) = broadcast::channel(8);
        let metrics = Metrics::new();
        metrics.height.set(head.height.get());
        let blobs = match &config.blobs {
            Some(blob_config) => {
                let store = blobs::BlobStore::open(blob_config.clone())?;
                let usage = store.usage();
                metrics.observe_blobs(usage.blobs, usage.bytes);
                Some(Arc::new(store))
            }
            None => None,
        };
        Ok(Arc::new_cyclic(|node| Node {
            ledger,
            mempool: Mutex::new(Mempool::new(config.mempool.clone())),
            head: RwLock::new(head),
            blocks,
            produce_now: Notify::new(),
            producing: Mutex::new(()),
            metrics,
            config,
            admission: admission::Admission::start(node.clone()),
            // A relay that lags loses batches; they stay in this mempool for its own proposals.
            admitted: broadcast::channel(64).0,
            halted: Mutex::new(None),
            halt: Notify::new(),
            evidence_cursor: std::sync::Mutex::new((0, 0)),
            snapshots: Mutex::new(Snapshots { next_id: 1, images: std::collections::BTreeMap::new() }),
            blobs,
            certificates: std::sync::OnceLock::new(),
            sync_served: tokio::sync::Mutex::new(()),
        }))
    }

    /// Serves final blocks' certificates from `source` (the consensus engine's), beside proven
    /// answers. The first source stays.
    pub fn serve_certificates(&self, source: Arc<dyn finality::Certificates>) {
        let _ = self.certificates.set(source);
    }

    /// Where final blocks' certificates are found, under validators.
    pub fn certificates(&self) -> Option<&Arc<dyn finality::Certificates>> {
        self.certificates.get()
    }

    /// The blob store, if this node keeps one.
    pub fn blobs(&self) -> Option<&Arc<blobs::BlobStore>> {
        self.blobs.as_ref()
    }

    /// The committed head.
    pub fn head(&self) -> Header {
        self.head.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The storage, for queries.
    pub fn storage(&self) -> &Storage {
        self.ledger.storage()
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The configuration.
    pub fn config(&self) -> &NodeConfig {
        &self.config
    }

    fn mempool(&self) -> std::sync::MutexGuard<'_, Mempool> {
        self.mempool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// New committed blocks, as they are committed.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CommittedBlock>> {
        self.blocks.subscribe()
    }

    /// The pending transaction `hash`, if it is in the mempool.
    pub fn pending(&self, hash: &Hash) -> Option<SignedTx> {
        self.mempool().get(hash).cloned()
    }

    /// Number and bytes of pending transactions.
    pub fn mempool_size(&self) -> (usize, usize) {
        let pool = self.mempool();
        (pool.len(), pool.bytes())
    }

    /// The nonce a wallet should use next for `address`, whose next nonce on chain is
    /// `chain_nonce`: after its pending transactions.
    pub fn mempool_next_nonce(&self, address: &Address, chain_nonce: u64) -> u64 {
        self.mempool().next_nonce(address, chain_nonce)
    }

    /// Admits a batch at once on the calling thread, with the same checks as [`Node::submit`]:
    /// for a caller that batches itself (transactions relayed by peers, a test harness).
    /// Blocking.
    pub fn submit_batch(&self, txs: Vec<SignedTx>, origin: Origin) -> Vec<Result<Hash, SubmitError>> {
        admission::admit(self, txs, origin)
    }

    /// Transactions clients submitted here, as they are admitted, in batches: what a validator
    /// relays to its peers (transactions relayed by peers are not announced again).
    pub fn subscribe_admitted(&self) -> broadcast::Receiver<Arc<Vec<SignedTx>>> {
        self.admitted.subscribe()
    }

    /// Checks `tx` against the chain, its signature included, and admits it to the mempool.
    /// Submissions are checked in batches on the admission thread (see `admission`).
    pub async fn submit(&self, tx: SignedTx) -> Result<Hash, SubmitError> {
        self.admission.submit(tx).await
    }

    fn update_mempool_metrics(&self, pool: &Mempool) {
        self.metrics.mempool_txs.set(pool.len() as u64);
        self.metrics.mempool_bytes.set(pool.bytes() as u64);
    }

    /// Dev chains: puts `image` back as the chain's state and head (see [`Storage::restore`]),
    /// taking the block-production turn so that no block is built meanwhile. The mempool is
    /// emptied: its transactions were checked against the state replaced.
    pub fn restore(&self, image: &atelier_storage::StateImage) -> Result<(), LedgerError> {
        let _turn = self.producing.lock().unwrap_or_else(PoisonError::into_inner);
        self.restore_in_turn(image)
    }

    /// [`Node::restore`], with the block-production turn held by the caller.
    fn restore_in_turn(&self, image: &atelier_storage::StateImage) -> Result<(), LedgerError> {
        self.ledger.restore(image)?;
        *self.head.write().unwrap_or_else(PoisonError::into_inner) = image.head.clone();
        let mut pool = self.mempool();
        pool.clear();
        self.update_mempool_metrics(&pool);
        self.metrics.height.set(image.head.height.get());
        tracing::info!(height = image.head.height.get(), root = %image.head.state_root, "state restored");
        Ok(())
    }

    /// Dev chains: keeps the state and head as they are now, under a new id, unless `max` are
    /// kept already. Returns the id and the head.
    pub fn snapshot(&self, max: usize) -> Result<Option<(u64, Header)>, LedgerError> {
        let _turn = self.producing.lock().unwrap_or_else(PoisonError::into_inner);
        let mut snapshots = self.snapshots.lock().unwrap_or_else(PoisonError::into_inner);
        if snapshots.images.len() >= max {
            return Ok(None);
        }
        let image = self.storage().image()?;
        let (id, head) = (snapshots.next_id, image.head.clone());
        snapshots.next_id += 1;
        snapshots.images.insert(id, image);
        Ok(Some((id, head)))
    }

    /// Dev chains: puts snapshot `id` back, and forgets it and every later one. `None` if there is
    /// no such snapshot.
    pub fn revert(&self, id: u64) -> Result<Option<Header>, LedgerError> {
        // The turn first, then the snapshots: the order `snapshot` takes them in.
        let _turn = self.producing.lock().unwrap_or_else(PoisonError::into_inner);
        let mut snapshots = self.snapshots.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(image) = snapshots.images.get(&id) else { return Ok(None) };
        self.restore_in_turn(image)?;
        let head = image.head.clone();
        snapshots.images.retain(|kept, _| *kept < id);
        Ok(Some(head))
    }

    /// Asks the sequencer for a block now instead of at the next interval.
    pub fn request_block(&self) {
        self.produce_now.notify_one();
    }

    /// Asks for a block now if blocks are produced only on demand.
    pub fn request_block_if_on_demand(&self) {
        if self.config.block_interval.is_none() {
            self.request_block();
        }
    }

    /// Stops the node for `reason`: a fault that must not be built upon (a failed commit, broken
    /// finality). The first reason is kept; whoever waits in [`Node::halted`] learns it.
    pub fn halt(&self, reason: String) {
        let mut halted = self.halted.lock().unwrap_or_else(PoisonError::into_inner);
        if halted.is_none() {
            tracing::error!(%reason, "node halted");
            *halted = Some(reason);
        }
        self.halt.notify_waiters();
        self.halt.notify_one();
    }

    /// Waits until the node is halted, and tells why.
    pub async fn halted(&self) -> String {
        loop {
            let notified = self.halt.notified();
            if let Some(reason) = self.halted.lock().unwrap_or_else(PoisonError::into_inner).clone() {
                return reason;
            }
            notified.await;
        }
    }

    /// Durably records a validator's equivocation, reported by the consensus engine.
    pub fn record_equivocation(
        &self,
        equivocation: &Equivocation,
    ) -> Result<(), atelier_storage::StorageError> {
        self.storage().record_equivocation(equivocation)?;
        self.metrics.equivocations.inc();
        Ok(())
    }

    /// The gas `tx`'s messages need under the committed gas schedule: what its gas limit must
    /// cover, whatever else simulation finds.
    pub fn gas_needed(&self, tx: &SignedTx) -> Result<u64, LedgerError> {
        let snapshot = self.storage().snapshot()?;
        let params = fees::query::params(&snapshot).map_err(atelier_storage::StorageError::from)?;
        Ok(params.gas.tx_gas(&tx.tx().msgs))
    }

    /// What including `tx` in the next block would do, after the sender's pending transactions
    /// with lower nonces, on the committed state; nothing is kept. Its signature is not checked.
    pub fn simulate(&self, tx: &SignedTx) -> Result<Simulation, LedgerError> {
        // What admission would refuse, it refuses here too, charging nothing.
        // The sender's pending transactions first, then one snapshot for admission's checks and
        // for the block: a block committed meanwhile only makes some of them stale (they are left
        // out), and the checks and the block cannot disagree.
        let (sender, nonce) = (tx.sender(), tx.tx().nonce);
        let (pending, mut candidates) = {
            let pool = self.mempool();
            (pool.pending_spend(&sender, nonce), pool.pending_before(&sender, nonce))
        };
        let snapshot = self.storage().snapshot()?;
        let head = snapshot.head().cloned().ok_or(atelier_storage::StorageError::Uninitialized)?;
        let next_height = head.height.next().unwrap_or(head.height);
        match atelier_protocol::precheck(&snapshot, tx, next_height, &pending) {
            Ok(_) => {}
            Err(atelier_protocol::modules::Failure::Rule(rejection)) => {
                return Ok(Simulation::Rejected(rejection));
            }
            Err(atelier_protocol::modules::Failure::Bug(what)) => {
                return Err(LedgerError::Block(atelier_protocol::BlockError::InvariantBroken(what)));
            }
            Err(atelier_protocol::modules::Failure::Fatal(error)) => {
                return Err(LedgerError::Storage(atelier_storage::StorageError::from(error)));
            }
        }
        candidates.push(tx.clone());
        let executed =
            self.ledger.simulate(&snapshot, now_ms().max(head.time_ms), self.config.proposer, candidates)?;
        let hash = tx.hash();
        if let Some(receipt) = executed.receipts.iter().find(|receipt| receipt.tx_hash == hash) {
            return Ok(Simulation::Included(receipt.clone()));
        }
        match executed.skipped.into_iter().find(|skipped| skipped.hash == hash) {
            Some(skipped) => Ok(Simulation::Rejected(skipped.rejection)),
            None => Err(LedgerError::Block(atelier_protocol::BlockError::InvariantBroken(
                "a simulated transaction was neither included nor left out".into(),
            ))),
        }
    }

    /// Builds, commits and announces the next block from the mempool: the solo sequencer's
    /// step. Blocking: storage is synchronous. A returned error is a storage fault or a bug: the
    /// node must stop.
    pub fn produce_block(&self) -> Result<Arc<CommittedBlock>, LedgerError> {
        let _turn = self.producing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let parent = self.head();
        let time_ms = now_ms().max(parent.time_ms);
        let executed = self.propose(&parent, time_ms, self.config.proposer, None)?;
        match self.finalize(&executed.block)? {
            Some(committed) => Ok(committed),
            None => Err(LedgerError::Block(atelier_protocol::BlockError::InvariantBroken(
                "a block just built was committed already".into(),
            ))),
        }
    }

    /// Builds a block on `parent` (the head, or a block executed here and not final yet) from
    /// the transactions ready in the mempool, carrying the equivocations this node recorded and
    /// `participation`, a record of who voted in a recent view that the consensus engine checked.
    /// Nothing is committed.
    pub fn propose(
        &self,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        participation: Option<Participation>,
    ) -> Result<Arc<ExecutedBlock>, LedgerError> {
        let candidates = {
            let snapshot = self.storage().snapshot()?;
            let base_fee = fees::query::base_fee(&snapshot).map_err(atelier_storage::StorageError::from)?;
            let nonce_of = |address: &Address| auth::query::nonce(&snapshot, address).unwrap_or(u64::MAX);
            self.mempool().ready(base_fee, self.config.max_block_txs, nonce_of)
        };
        let evidence = BlockEvidence { misbehavior: self.pending_evidence()?, participation };
        self.ledger.propose(parent, time_ms, proposer, candidates, evidence)
    }

    /// Equivocations this node recorded that the chain has not slashed yet and still would, at
    /// most a block's worth, oldest first. Records are scanned from the first (epoch, view) that
    /// may still hold an unslashed one, at most [`EVIDENCE_SCAN`] per block.
    fn pending_evidence(&self) -> Result<Vec<Misbehavior>, LedgerError> {
        let from = *self.evidence_cursor.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let recorded = self.storage().equivocations(from, EVIDENCE_SCAN)?;
        if recorded.is_empty() {
            return Ok(Vec::new());
        }
        let snapshot = self.storage().snapshot()?;
        let epoch = staking::query::totals(&snapshot).map_err(atelier_storage::StorageError::from)?.epoch;
        let window = staking::query::params(&snapshot)
            .map_err(atelier_storage::StorageError::from)?
            .validators
            .evidence_epochs;
        let mut evidence: Vec<Misbehavior> = Vec::new();
        let mut cleared_through = None;
        for record in recorded {
            let Some(misbehavior) = misbehavior(&record) else { continue };
            let operator = staking::query::key_owner(&snapshot, &misbehavior.validator)
                .map_err(atelier_storage::StorageError::from)?
                .unwrap_or_else(|| misbehavior.validator.address());
            // Evidence past the window is never slashed: as good as slashed for this scan.
            let slashed = misbehavior.epoch.saturating_add(window) < epoch
                || staking::query::punished(&snapshot, &operator, misbehavior.epoch, misbehavior.view)
                    .map_err(atelier_storage::StorageError::from)?
                    .is_some();
            let at = (misbehavior.epoch, misbehavior.view);
            let known = evidence
                .iter()
                .any(|e| (e.validator, e.epoch, e.view) == (misbehavior.validator, at.0, at.1));
            if slashed && evidence.is_empty() {
                cleared_through = Some(at);
            } else if !slashed && !known && evidence.len() < atelier_protocol::block::MAX_EVIDENCE_PER_BLOCK {
                evidence.push(misbehavior);
            }
        }
        // Views wholly slashed before the first pending record are not scanned again.
        if let Some(at) = cleared_through.filter(|at| evidence.iter().all(|e| (e.epoch, e.view) > *at)) {
            *self.evidence_cursor.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        }
        Ok(evidence)
    }

    /// Executes a block someone else proposed on `parent`; nothing is committed. Signatures this
    /// node checked when it admitted the same transactions are not checked again.
    pub fn verify(&self, parent: &Header, block: Block) -> Result<Arc<ExecutedBlock>, LedgerError> {
        let admitted: Vec<bool> = {
            let pool = self.mempool();
            block
                .txs
                .iter()
                .map(|tx| pool.get(&tx.hash()).is_some_and(|known| known.signature() == tx.signature()))
                .collect()
        };
        self.ledger.verify_admitted(parent, block, admitted)
    }

    /// The header of block `hash` if blocks can be built on it: the head, or a pending block.
    pub fn buildable_header(&self, hash: &Hash) -> Result<Option<Header>, LedgerError> {
        self.ledger.buildable_header(hash)
    }

    /// Commits a final block and announces it: `Some` with what was committed, `None` if it was
    /// committed before. Blocking. An error is a storage fault, a bug or broken finality: the
    /// node must stop.
    pub fn finalize(&self, block: &Block) -> Result<Option<Arc<CommittedBlock>>, LedgerError> {
        let started = Instant::now();
        let parent = self.head();
        let Finalized::Committed(executed) = self.ledger.finalize(block)? else {
            return Ok(None);
        };

        // Committed: from here on the block is acknowledged.
        let header = executed.block.header.clone();
        *self.head.write().unwrap_or_else(PoisonError::into_inner) = header.clone();
        {
            let snapshot = self.storage().snapshot()?;
            let nonce_of = |address: &Address| auth::query::nonce(&snapshot, address).unwrap_or(0);
            let mut pool = self.mempool();
            pool.prune(header.height.next().unwrap_or(header.height), nonce_of);
            for skipped in &executed.skipped {
                if !matches!(skipped.rejection, Rejection::BlockGasExhausted { .. }) {
                    pool.evict(&skipped.hash);
                }
            }
            self.update_mempool_metrics(&pool);
        }
        let receipts = atelier_storage::BlockReceipts {
            receipts: executed.receipts.clone(),
            end_block_events: executed.end_block_events.clone(),
        };
        let committed = Arc::new(CommittedBlock {
            tx_hashes: executed.block.txs.iter().map(SignedTx::hash).collect(),
            events: receipts.indexed(header.height).collect(),
            header,
        });
        self.metrics.height.set(committed.header.height.get());
        self.metrics.block_interval.set(committed.header.time_ms.saturating_sub(parent.time_ms) as f64 / 1e3);
        self.metrics.block_txs.set(committed.tx_hashes.len() as u64);
        self.metrics.txs_included.inc_by(committed.tx_hashes.len() as u64);
        self.metrics.txs_rejected.inc_by(executed.skipped.len() as u64);
        self.metrics.blocks_committed.inc();
        self.metrics.block_commit.set(started.elapsed().as_secs_f64());
        self.metrics.observe_finalization(now_ms().saturating_sub(committed.header.time_ms));
        for receipt in &executed.receipts {
            let (outcome, code) = match &receipt.outcome {
                atelier_protocol::TxOutcome::Applied => ("applied", 0),
                atelier_protocol::TxOutcome::Failed { code, .. } => ("failed", *code),
            };
            tracing::debug!(
                height = committed.header.height.get(),
                tx = %receipt.tx_hash,
                sender = %receipt.sender,
                outcome,
                code,
                gas_used = receipt.gas_used,
                fee = %receipt.fee,
                "transaction"
            );
        }
        tracing::info!(
            height = committed.header.height.get(),
            txs = committed.tx_hashes.len(),
            left_out = executed.skipped.len(),
            gas_used = committed.header.gas_used,
            micros = started.elapsed().as_micros() as u64,
            "committed block"
        );
        // On demand, a block that was full leaves transactions someone may be waiting for: the
        // next block is asked for at once rather than at the next submission.
        let full = committed.tx_hashes.len() >= self.config.max_block_txs
            || executed.skipped.iter().any(|s| matches!(s.rejection, Rejection::BlockGasExhausted { .. }));
        if full {
            self.request_block_if_on_demand();
        }
        // No subscriber is not an error.
        let _ = self.blocks.send(committed.clone());
        Ok(Some(committed))
    }

    /// Runs the solo sequencer and the API until `shutdown` resolves or a block fails to commit.
    pub async fn run(
        self: Arc<Self>,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), NodeError> {
        let (stop_api, api_stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(self.clone().serve(listener, async move {
            let _ = api_stopped.await;
        }));
        // Shutdown interrupts the wait between blocks, never a block being committed.
        let outcome = self.clone().sequence(Box::pin(shutdown)).await;
        let _ = stop_api.send(());
        server.await.map_err(|e| NodeError::Api(e.to_string()))??;
        outcome
    }

    /// Serves the API alone until `shutdown` resolves: for a node whose blocks come from
    /// elsewhere (a validator under BFT consensus).
    pub async fn serve(
        self: Arc<Self>,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), NodeError> {
        let app = http::router(self.clone());
        let limits = &self.config.limits;
        // The blob keeper and the history indexer live as long as the API: the keeper is dropped
        // (and so stopped) when serving ends, the indexer stopped after its pass under way.
        let _keeper =
            self.blobs.clone().map(|store| AbortOnDrop(tokio::spawn(blobs::keep(self.clone(), store))));
        let (stop_indexer, indexer_stops) = tokio::sync::oneshot::channel();
        let indexer = AbortOnDrop(tokio::spawn(history::keep(self.clone(), indexer_stops)));
        let listener = listener::BoundedListener::new(
            listener,
            limits.max_connections,
            limits.max_connections_per_ip,
            self.metrics.api_connections.clone(),
        );
        server::serve(listener, app, limits.header_read_timeout, shutdown).await;
        // The indexer finishes its pass and lets go of the node (and so of the database).
        let _ = stop_indexer.send(());
        indexer.finished().await;
        Ok(())
    }

    /// The solo sequencer: a block every interval, or when asked, until `shutdown`.
    async fn sequence(
        self: Arc<Self>,
        mut shutdown: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    ) -> Result<(), NodeError> {
        // Blocks start on a fixed schedule: production time does not stretch the interval.
        let mut ticks = self.config.block_interval.map(|period| {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks
        });
        loop {
            tokio::select! {
                () = &mut shutdown => return Ok(()),
                reason = self.halted() => return Err(NodeError::Sequencer(reason)),
                () = self.produce_now.notified() => {}
                _ = async {
                    match ticks.as_mut() {
                        Some(ticks) => ticks.tick().await,
                        None => std::future::pending().await,
                    }
                } => {}
            }
            let node = self.clone();
            let produced = tokio::task::spawn_blocking(move || node.produce_block())
                .await
                .map_err(|e| NodeError::Sequencer(e.to_string()))?;
            if let Err(error) = produced {
                tracing::error!(%error, "block production failed; stopping");
                return Err(NodeError::Ledger(error));
            }
        }
    }
}

/// A task aborted when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl AbortOnDrop {
    /// Waits for the task to end on its own.
    async fn finished(mut self) {
        let _ = (&mut self.0).await;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why the node stopped.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// A block could not be produced or committed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The sequencer task died.
    #[error("sequencer: {0}")]
    Sequencer(String),
    /// The API server failed.
    #[error("api: {0}")]
    Api(String),
}

fn internal(error: impl std::fmt::Display) -> SubmitError {
    SubmitError::Internal(error.to_string())
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Most recorded equivocations looked at per proposed block.
const EVIDENCE_SCAN: usize = 1_024;

/// The protocol's form of a recorded equivocation; `None` for a kind it does not know.
fn misbehavior(record: &Equivocation) -> Option<Misbehavior> {
    let kind = match record.kind.as_str() {
        "conflicting_notarize" => EquivocationKind::ConflictingNotarize,
        "conflicting_finalize" => EquivocationKind::ConflictingFinalize,
        "nullify_finalize" => EquivocationKind::NullifyFinalize,
        _ => return None,
    };
    (record.proof.len() <= atelier_protocol::block::MAX_PROOF_BYTES).then(|| Misbehavior {
        validator: atelier_primitives::PublicKey::from_array(record.validator),
        epoch: record.epoch,
        view: record.view,
        kind,
        proof: record.proof.clone(),
    })
}
