//! Blocks and their headers.

use atelier_primitives::{Address, Amount, Decode, Encode, Hash, Height, PublicKey, merkle::merkle_root};
use serde::{Deserialize, Serialize};

use crate::tx::{ChainId, SignedTx};

/// Most transactions one block may carry (the gas limit usually binds first).
pub const MAX_TXS_PER_BLOCK: usize = 100_000;
/// Most pieces of misbehavior evidence one block may carry.
pub const MAX_EVIDENCE_PER_BLOCK: usize = 16;
/// Largest proof of one piece of evidence, in bytes.
pub const MAX_PROOF_BYTES: usize = 4_096;
/// Most validators a participation record names: the largest set.
pub const MAX_PARTICIPANTS: usize = crate::modules::staking::validators::MAX_VALIDATORS as usize;
/// Largest proof of participation, in bytes: a certificate of every validator's vote in a view.
pub const MAX_PARTICIPATION_PROOF_BYTES: usize = 16_384;

/// What a block commits to. Its hash identifies the block and is the next block's parent hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Header {
    /// The chain.
    pub chain_id: ChainId,
    /// Position in the chain; the genesis header is at the initial height minus one.
    pub height: Height,
    /// Milliseconds since the Unix epoch, as chosen by the proposer; never before the parent's.
    pub time_ms: u64,
    /// Hash of the previous header ([`Hash::ZERO`] for genesis).
    pub parent_hash: Hash,
    /// Who built the block and receives its tips.
    pub proposer: Address,
    /// Merkle root of the transaction hashes.
    pub txs_root: Hash,
    /// State root after the block.
    pub state_root: Hash,
    /// Merkle root of the receipts and end-of-block events.
    pub receipts_root: Hash,
    /// Root of the block's consensus evidence ([`BlockEvidence::root`]).
    pub evidence_root: Hash,
    /// Hash of the validator set of the next block's epoch when the next block starts an epoch
    /// (and in the genesis header); zero otherwise, and on a chain without validators. A node
    /// syncing finalized blocks learns each epoch's signers from the block before it.
    pub next_validators: Hash,
    /// Base fee per gas charged in this block.
    pub base_fee: Amount,
    /// Gas used by the block's transactions.
    pub gas_used: u64,
}

impl Header {
    /// The block hash.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/header", &[&self.to_bytes()])
    }
}

/// What kind of double-signing a validator was caught at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EquivocationKind {
    /// Two notarize votes for different proposals in one view.
    ConflictingNotarize,
    /// Two finalize votes for different proposals in one view.
    ConflictingFinalize,
    /// A nullify and a finalize vote in one view.
    NullifyFinalize,
}

/// Proof that a validator equivocated, carried by a block for the staking module to slash.
///
/// The protocol does not read `proof`: the consensus engine that orders blocks checks every
/// piece against the validator's key before it accepts a block (spec: staking §Evidence), the
/// way a BFT engine hands an application the misbehavior it verified. The dev chain has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Misbehavior {
    /// The validator's consensus key; its account is the key's address.
    pub validator: PublicKey,
    /// The epoch of the double-signing (views count from the start of each epoch).
    pub epoch: u64,
    /// The consensus view of the double-signing.
    pub view: u64,
    /// What it signed twice.
    pub kind: EquivocationKind,
    /// The consensus engine's encoding of the two conflicting signed votes.
    #[codec(max = MAX_PROOF_BYTES)]
    pub proof: Vec<u8>,
}

impl Misbehavior {
    /// Its hash, for the evidence root.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/evidence", &[&self.to_bytes()])
    }
}

/// Who voted in one consensus view: the validators of the epoch's set whose signed finalize vote
/// for the view the block's leader holds. Blocks carry one each, for a view at least two behind
/// theirs, and the staking module counts who was missing (spec: staking README "Liveness").
///
/// Like [`Misbehavior`], the protocol does not read `proof`: the consensus engine checks that it
/// holds a valid vote of every signer named, and only those, before it accepts the block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participation {
    /// The epoch of the view.
    pub epoch: u64,
    /// The consensus view.
    pub view: u64,
    /// The consensus keys of the validators who voted, sorted.
    #[codec(max = MAX_PARTICIPANTS)]
    pub signers: Vec<PublicKey>,
    /// The consensus engine's encoding of their signed votes.
    #[codec(max = MAX_PARTICIPATION_PROOF_BYTES)]
    pub proof: Vec<u8>,
}

impl Participation {
    /// Its hash, for the evidence root.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/participation", &[&self.to_bytes()])
    }
}

/// What the consensus engine tells the chain through a block: the equivocations it proves and
/// who took part in a recent view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
pub struct BlockEvidence {
    /// Validators' equivocations, slashed at the block's end.
    #[codec(max = MAX_EVIDENCE_PER_BLOCK)]
    pub misbehavior: Vec<Misbehavior>,
    /// Who voted in a recent view, counted at the block's end.
    pub participation: Option<Participation>,
}

impl From<Vec<Misbehavior>> for BlockEvidence {
    fn from(misbehavior: Vec<Misbehavior>) -> Self {
        BlockEvidence { misbehavior, participation: None }
    }
}

impl BlockEvidence {
    /// Merkle root of the misbehavior by hash, then the participation record's hash if any.
    pub fn root(&self) -> Hash {
        let hashes: Vec<Hash> = self
            .misbehavior
            .iter()
            .map(Misbehavior::hash)
            .chain(self.participation.as_ref().map(Participation::hash))
            .collect();
        merkle_root("atelier/evidence", &hashes)
    }
}

/// A header, the transactions it orders and the consensus evidence it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Encode, Decode)]
pub struct Block {
    /// The header.
    pub header: Header,
    /// Transactions, in execution order.
    #[codec(max = MAX_TXS_PER_BLOCK)]
    pub txs: Vec<SignedTx>,
    /// Validators' equivocation and participation, applied at the block's end.
    pub evidence: BlockEvidence,
}

impl Block {
    /// The block hash (its header's).
    pub fn hash(&self) -> Hash {
        self.header.hash()
    }
}

/// Merkle root of `txs` by hash.
pub fn txs_root(txs: &[SignedTx]) -> Hash {
    let hashes: Vec<Hash> = txs.iter().map(SignedTx::hash).collect();
    merkle_root("atelier/txs", &hashes)
}
