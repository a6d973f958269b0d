//! The node's side of block production: one interface shaped for a solo sequencer and for a BFT
//! engine alike, and its implementation over durable storage.
//!
//! A BFT engine proposes and verifies blocks on parents that are not final yet (notarized, or
//! just proposed). The ledger keeps every block it executed until it is final or can no longer
//! be, and runs each new block on its parent's post-state: the committed state with the pending
//! ancestors' changes on top. State is written only when a block is final.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
};

use atelier_primitives::{
    Address, Hash, Height,
    crypto::{InvalidSignatureAt, ParallelBatchVerifier, SignatureVerifier, SignedMessage},
};
use atelier_protocol::{
    Block, BlockError, BlockEvidence, ExecutedBlock, Header, SignatureCheck, SignedTx, app::refuse,
    apply_block, build_block, invariants,
};
use atelier_state::Pending;
use atelier_storage::{Snapshot, Storage, StorageError};

use crate::series::{self, Figures};

/// Most executed blocks kept while they wait for finality. Honest operation needs a few; the cap
/// bounds memory when a byzantine leader floods forks (the lowest are dropped first).
pub const MAX_PENDING_BLOCKS: usize = 64;

/// Why the ledger refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The block is invalid.
    #[error(transparent)]
    Block(#[from] BlockError),
    /// Storage refused or failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The blob store could not be opened.
    #[error(transparent)]
    Blobs(#[from] crate::blobs::BlobError),
    /// The genesis given is invalid, or not this chain's.
    #[error("genesis: {0}")]
    Genesis(String),
    /// The parent is neither the committed head nor a pending block descending from it.
    #[error("parent {parent} is neither the committed head {head} nor a pending block on it")]
    UnknownParent {
        /// The parent asked for.
        parent: Hash,
        /// The head.
        head: Hash,
    },
    /// A block was final at a height where another block is committed: the validators broke the
    /// fault assumption, and the node must stop.
    #[error("block {finalized} was finalized at height {height}, where {committed} is committed")]
    ConflictingFinality {
        /// The height.
        height: Height,
        /// The committed block.
        committed: Hash,
        /// The block reported final.
        finalized: Hash,
    },
}

/// What finalizing a block did.
#[derive(Debug, Clone)]
pub enum Finalized {
    /// The block was committed now.
    Committed(Arc<ExecutedBlock>),
    /// The block was committed before (a restart delivers final blocks again).
    AlreadyCommitted,
}

/// What block production needs from the node: propose a block on a parent's post-state, verify a
/// block someone else proposed against its parent's post-state, and durably commit a block once
/// it is final. The solo sequencer proposes and finalizes at once; a BFT engine proposes,
/// verifies others' proposals, and finalizes what the validators agreed on.
pub trait Application: Send + Sync {
    /// Builds a block on `parent` (the head, or a pending block) from `candidates` (in priority
    /// order), whose signatures were verified when they were admitted, carrying `evidence` the
    /// consensus engine verified (the participation record is left out if the chain cannot count
    /// it).
    fn propose(
        &self,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        candidates: Vec<SignedTx>,
        evidence: BlockEvidence,
    ) -> Result<Arc<ExecutedBlock>, LedgerError>;

    /// Executes a proposed block on `parent`: every transaction admissible, signatures included,
    /// and the header as executed. The block is kept until it is final or can no longer be.
    fn verify(&self, parent: &Header, block: Block) -> Result<Arc<ExecutedBlock>, LedgerError>;

    /// Commits a final block durably, executing it first if it never was (a block learned from
    /// peers). It is acknowledged only once this returns. Idempotent by height.
    fn finalize(&self, block: &Block) -> Result<Finalized, LedgerError>;
}

/// The chain over redb storage.
#[derive(Debug)]
pub struct Ledger {
    storage: Storage,
    verifier: ParallelBatchVerifier,
    /// Every this many blocks the whole state's invariants are checked before a commit (0: never).
    invariant_scan_blocks: u64,
    /// Executed blocks that are not final, by hash. The lock also serializes execution against
    /// commits, so that every block runs on one consistent committed state.
    pending: Mutex<BTreeMap<Hash, Arc<ExecutedBlock>>>,
    /// The economy's series against the chain.
    figures: Mutex<Figures>,
}

impl Ledger {
    /// A ledger over `storage`, which must hold a chain, checking the whole state's invariants
    /// before every `invariant_scan_blocks`-th commit (0: never; the cheap ones run on every block
    /// in the protocol).
    pub fn new(storage: Storage, invariant_scan_blocks: u64) -> Self {
        Ledger {
            storage,
            verifier: ParallelBatchVerifier::all_cores(),
            invariant_scan_blocks,
            pending: Mutex::default(),
            figures: Mutex::default(),
        }
    }

    /// Checks every invariant of the committed state: O(state). A node runs it on start.
    pub fn check_invariants(&self) -> Result<(), LedgerError> {
        let snapshot = self.storage.snapshot()?;
        refuse(invariants::check_all(&snapshot).map_err(StorageError::from)?)?;
        Ok(())
    }

    /// Checks every invariant of the state `executed` leads to, when its height is due for a
    /// scan: a broken one refuses the commit.
    fn scan_before_commit(&self, executed: &ExecutedBlock) -> Result<(), LedgerError> {
        let every = self.invariant_scan_blocks;
        if every == 0 || !executed.block.header.height.get().is_multiple_of(every) {
            return Ok(());
        }
        let snapshot = self.storage.snapshot()?;
        let after = Pending::after(&snapshot, [&executed.commit]);
        refuse(invariants::check_all(&after).map_err(StorageError::from)?)?;
        Ok(())
    }

    /// Puts `image` back as the state and head (see [`Storage::restore`]) and forgets the blocks
    /// executed here that were not final: they were built on the state replaced. An image whose
    /// state breaks an invariant is refused, with nothing changed.
    pub fn restore(&self, image: &atelier_storage::StateImage) -> Result<(), LedgerError> {
        let mut state = atelier_state::MemoryStore::new();
        let mut entries = atelier_state::ChangeSet::new();
        for (key, value) in &image.entries {
            entries.put(key.clone(), value.clone());
        }
        let root = state.apply(entries).map_err(StorageError::from)?;
        if root != image.head.state_root {
            let expected = image.head.state_root;
            return Err(
                StorageError::RootMismatch { height: image.head.height, stored: root, expected }.into()
            );
        }
        let violations = invariants::check_all(&state)
            .map_err(|error| BlockError::InvariantBroken(format!("the state does not read: {error}")))?;
        refuse(violations)?;
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        self.storage.restore(image)?;
        pending.clear();
        *self.figures.lock().unwrap_or_else(PoisonError::into_inner) = Figures::Unread;
        Ok(())
    }

    /// The storage underneath, for queries.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The committed head.
    pub fn head(&self) -> Result<Header, LedgerError> {
        self.storage.head()?.ok_or(LedgerError::Storage(StorageError::Uninitialized))
    }

    /// Executes `candidates` in a block on `snapshot`'s head, as this node would build it, and
    /// keeps nothing: what including them next would do. Signatures are not checked.
    pub fn simulate(
        &self,
        snapshot: &Snapshot,
        time_ms: u64,
        proposer: Address,
        candidates: Vec<SignedTx>,
    ) -> Result<ExecutedBlock, LedgerError> {
        let head = snapshot.head().ok_or(StorageError::Uninitialized)?;
        let state = Pending::after(snapshot, []);
        Ok(build_block(
            &state,
            head,
            time_ms,
            proposer,
            candidates,
            BlockEvidence::default(),
            SignatureCheck::Skip,
        )?)
    }

    /// The header of block `hash` if blocks can be built on it: the committed head, or a pending
    /// block.
    pub fn buildable_header(&self, hash: &Hash) -> Result<Option<Header>, LedgerError> {
        if let Some(executed) = self.lock().get(hash) {
            return Ok(Some(executed.block.header.clone()));
        }
        let head = self.head()?;
        Ok((head.hash() == *hash).then_some(head))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<Hash, Arc<ExecutedBlock>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`Application::verify`], trusting the signatures of the transactions marked in `admitted`
    /// (one flag per transaction, in the block's order): those this node admitted itself (the same
    /// transaction with the same signature), whose signatures it checked then. A validator checks
    /// each signature once.
    pub fn verify_admitted(
        &self,
        parent: &Header,
        block: Block,
        admitted: Vec<bool>,
    ) -> Result<Arc<ExecutedBlock>, LedgerError> {
        if let Some(known) = self.lock().get(&block.header.hash()) {
            return Ok(known.clone());
        }
        let verifier = SkipAdmitted { inner: &self.verifier, admitted };
        self.execute_on(parent, |state| apply_block(state, parent, block, SignatureCheck::Verify(&verifier)))
    }

    /// Runs `execute` on the post-state of `parent`, and keeps what it produced as pending.
    fn execute_on(
        &self,
        parent: &Header,
        execute: impl FnOnce(&Pending<'_, Snapshot>) -> Result<ExecutedBlock, BlockError>,
    ) -> Result<Arc<ExecutedBlock>, LedgerError> {
        let mut pending = self.lock();
        let snapshot = self.storage.snapshot()?;
        let head = self.head()?;
        let chain = pending_chain(&pending, parent, &head)?;
        let state = Pending::after(&snapshot, chain.iter().rev().map(|executed| &executed.commit));
        let executed = Arc::new(execute(&state)?);
        keep_pending(&mut pending, &head, executed.clone());
        Ok(executed)
    }
}

/// Verifies the signatures of a block's transactions but those marked admitted, given in the
/// block's order (the order in which the protocol hands over its claims).
struct SkipAdmitted<'a> {
    inner: &'a ParallelBatchVerifier,
    admitted: Vec<bool>,
}

impl SignatureVerifier for SkipAdmitted<'_> {
    fn verify_all(&self, claims: &[SignedMessage]) -> Result<(), InvalidSignatureAt> {
        self.verify_alongside(claims, &mut || {})
    }

    fn verify_alongside(
        &self,
        claims: &[SignedMessage],
        work: &mut dyn FnMut(),
    ) -> Result<(), InvalidSignatureAt> {
        let (positions, fresh): (Vec<usize>, Vec<SignedMessage>) = claims
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.admitted.get(*i).copied().unwrap_or(false))
            .map(|(i, claim)| (i, *claim))
            .unzip();
        self.inner.verify_alongside(&fresh, work).map_err(|bad| InvalidSignatureAt {
            index: positions.get(bad.index).copied().unwrap_or(bad.index),
            reason: bad.reason,
        })
    }
}

/// The pending blocks from `parent` back to the committed `head`, newest first (empty when
/// `parent` is the head).
fn pending_chain(
    pending: &BTreeMap<Hash, Arc<ExecutedBlock>>,
    parent: &Header,
    head: &Header,
) -> Result<Vec<Arc<ExecutedBlock>>, LedgerError> {
    let unknown = || LedgerError::UnknownParent { parent: parent.hash(), head: head.hash() };
    let mut chain = Vec::new();
    let mut at = parent.hash();
    while at != head.hash() {
        let executed = pending.get(&at).ok_or_else(unknown)?;
        if executed.block.header.height <= head.height {
            return Err(unknown());
        }
        at = executed.block.header.parent_hash;
        chain.push(executed.clone());
    }
    Ok(chain)
}

/// Keeps `executed` pending, dropping what can no longer become final and, past the cap, the
/// lowest blocks.
fn keep_pending(
    pending: &mut BTreeMap<Hash, Arc<ExecutedBlock>>,
    head: &Header,
    executed: Arc<ExecutedBlock>,
) {
    pending.insert(executed.block.header.hash(), executed);
    pending.retain(|_, kept| kept.block.header.height > head.height);
    while pending.len() > MAX_PENDING_BLOCKS {
        let lowest = pending
            .iter()
            .min_by_key(|(hash, kept)| (kept.block.header.height, **hash))
            .map(|(hash, _)| *hash);
        match lowest {
            Some(hash) => pending.remove(&hash),
            None => break,
        };
    }
}

impl Application for Ledger {
    fn propose(
        &self,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        candidates: Vec<SignedTx>,
        evidence: BlockEvidence,
    ) -> Result<Arc<ExecutedBlock>, LedgerError> {
        // Candidates come from this node's mempool, whose admission verified every signature.
        self.execute_on(parent, |state| {
            build_block(state, parent, time_ms, proposer, candidates, evidence, SignatureCheck::Skip)
        })
    }

    fn verify(&self, parent: &Header, block: Block) -> Result<Arc<ExecutedBlock>, LedgerError> {
        if let Some(known) = self.lock().get(&block.header.hash()) {
            return Ok(known.clone());
        }
        self.execute_on(parent, |state| {
            apply_block(state, parent, block, SignatureCheck::Verify(&self.verifier))
        })
    }

    fn finalize(&self, block: &Block) -> Result<Finalized, LedgerError> {
        let head = self.head()?;
        let height = block.header.height;
        if height <= head.height {
            let genesis = self.storage.genesis_header()?;
            let committed = match genesis {
                Some(genesis) if genesis.height == height => Some(genesis.hash()),
                _ => self.storage.block(height)?.map(|b| b.header.hash()),
            };
            return match committed {
                Some(committed) if committed == block.header.hash() => Ok(Finalized::AlreadyCommitted),
                Some(committed) => Err(LedgerError::ConflictingFinality {
                    height,
                    committed,
                    finalized: block.header.hash(),
                }),
                None => Err(LedgerError::Storage(StorageError::Corrupt {
                    what: "block",
                    reason: format!("no block stored at height {height} below the head"),
                })),
            };
        }
        let known = self.lock().get(&block.header.hash()).cloned();
        let executed = match known {
            Some(executed) => executed,
            // Final blocks arrive in height order, so an unknown one extends the head.
            None => self.verify(&head, block.clone())?,
        };
        let mut pending = self.lock();
        self.scan_before_commit(&executed)?;
        let mut figures = self.figures.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*figures, Figures::Unread) {
            *figures = series::read(&self.storage)?;
        }
        let economy = match &*figures {
            Figures::Following(before) => {
                let snapshot = self.storage.snapshot()?;
                let after = Pending::after(&snapshot, [&executed.commit]);
                Some(series::after(&after, &executed, before)?)
            }
            Figures::Unread | Figures::Behind => None,
        };
        self.storage.commit_block_with_series(&executed, economy.as_ref().map(series::sample).as_ref())?;
        if let Some(economy) = economy {
            *figures = Figures::Following(Box::new(economy));
        }
        let new_head = &executed.block.header;
        pending.retain(|_, kept| kept.block.header.height > new_head.height);
        Ok(Finalized::Committed(executed))
    }
}

#[cfg(test)]
mod tests {
    use atelier_primitives::Amount;
    use atelier_testkit::{GenesisBuilder, dev_address, tamper};

    use super::*;

    /// spec: DESIGN §3 — a broken invariant stops the node before it commits. (In a debug build the
    /// protocol's own full check refuses such a block first; a release node relies on this scan.)
    #[test]
    fn a_block_due_for_a_scan_whose_state_breaks_an_invariant_is_refused_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&dir.path().join("chain.redb")).unwrap();
        let genesis = GenesisBuilder::new().fund_dev_accounts(2, Amount::new(1_000)).build();
        storage.init(&atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis).unwrap()).unwrap();
        let head = storage.head().unwrap().unwrap();
        let broken = tamper::block_creating_funds(
            &storage.snapshot().unwrap(),
            &head,
            &dev_address(5),
            Amount::new(7),
        )
        .unwrap();
        let never = Ledger::new(storage, 0);
        assert!(never.scan_before_commit(&broken).is_ok(), "no scan is due");
        let every_block = Ledger { invariant_scan_blocks: 1, ..never };
        match every_block.scan_before_commit(&broken) {
            Err(LedgerError::Block(BlockError::InvariantBroken(detail))) => {
                assert!(detail.contains("ugdc"), "{detail}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(every_block.head().unwrap(), head, "nothing was committed");
    }
}
