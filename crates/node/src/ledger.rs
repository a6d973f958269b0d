//! The node's side of block production: one interface shaped for a solo sequencer and for a BFT
//! engine alike, and its implementation over durable storage.

use atelier_primitives::{Address, crypto::ParallelBatchVerifier};
use atelier_protocol::{
    Block, BlockError, ExecutedBlock, Header, SignatureCheck, SignedTx, apply_block, build_block,
};
use atelier_storage::{Snapshot, Storage, StorageError};

/// Why the ledger refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The block is invalid.
    #[error(transparent)]
    Block(#[from] BlockError),
    /// Storage refused or failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The parent is not the committed head (speculative parents arrive with BFT consensus).
    #[error("parent {parent} is not the committed head {head}")]
    UnknownParent {
        /// The parent asked for.
        parent: atelier_primitives::Hash,
        /// The head.
        head: atelier_primitives::Hash,
    },
}

/// What block production needs from the node: propose a block on a parent's post-state, verify a
/// block someone else proposed against its parent's post-state, and durably apply a block once it
/// is final. The solo sequencer proposes and finalizes at once; a BFT engine proposes, verifies
/// others' proposals, and finalizes what the validators agreed on.
pub trait Application: Send + Sync {
    /// Builds a block on `parent` from `candidates` (in priority order), whose signatures were
    /// verified when they were admitted.
    fn propose(
        &self,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        candidates: Vec<SignedTx>,
    ) -> Result<ExecutedBlock, LedgerError>;

    /// Executes a proposed block on `parent`: every transaction admissible, header as executed.
    fn verify(&self, parent: &Header, block: Block) -> Result<ExecutedBlock, LedgerError>;

    /// Commits a final block durably; it is acknowledged only once this returns.
    fn finalize(&self, executed: &ExecutedBlock) -> Result<(), LedgerError>;
}

/// The chain over redb storage.
#[derive(Debug)]
pub struct Ledger {
    storage: Storage,
    verifier: ParallelBatchVerifier,
}

impl Ledger {
    /// A ledger over `storage`, which must hold a chain.
    pub fn new(storage: Storage) -> Self {
        Ledger { storage, verifier: ParallelBatchVerifier::all_cores() }
    }

    /// The storage underneath, for queries.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The committed head.
    pub fn head(&self) -> Result<Header, LedgerError> {
        self.storage.head()?.ok_or(LedgerError::Storage(StorageError::Uninitialized))
    }

    fn snapshot_at(&self, parent: &Header) -> Result<Snapshot, LedgerError> {
        let head = self.head()?;
        if head.hash() != parent.hash() {
            return Err(LedgerError::UnknownParent { parent: parent.hash(), head: head.hash() });
        }
        Ok(self.storage.snapshot()?)
    }
}

impl Application for Ledger {
    fn propose(
        &self,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        candidates: Vec<SignedTx>,
    ) -> Result<ExecutedBlock, LedgerError> {
        let snapshot = self.snapshot_at(parent)?;
        // Candidates come from this node's mempool, whose admission verified every signature.
        Ok(build_block(&snapshot, parent, time_ms, proposer, candidates, SignatureCheck::Skip)?)
    }

    fn verify(&self, parent: &Header, block: Block) -> Result<ExecutedBlock, LedgerError> {
        let snapshot = self.snapshot_at(parent)?;
        Ok(apply_block(&snapshot, parent, block, SignatureCheck::Verify(&self.verifier))?)
    }

    fn finalize(&self, executed: &ExecutedBlock) -> Result<(), LedgerError> {
        Ok(self.storage.commit_block(executed)?)
    }
}
