//! Why a provenance operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Bps, ErrorCode};

use super::AssetId;

/// A broken provenance rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(405, 406))]
pub enum ProvenanceError {
    /// No asset has this id.
    #[code(401)]
    #[error("no asset {asset}")]
    UnknownAsset {
        /// The id named.
        asset: AssetId,
    },
    /// More parents than allowed, or one named twice.
    #[code(402)]
    #[error("invalid parents: {reason}")]
    InvalidParents {
        /// What is wrong.
        reason: String,
    },
    /// The lineage would reach more ancestors than allowed.
    #[code(403)]
    #[error("lineage reaches {count} ancestors, more than the maximum {max}")]
    TooManyAncestors {
        /// How many it would reach.
        count: usize,
        /// The maximum.
        max: u32,
    },
    /// The asset's own share, or its ancestors' total, exceeds its cap.
    #[code(404)]
    #[error("royalty {} bps exceeds the cap {} bps", share.get(), cap.get())]
    RoyaltyTooHigh {
        /// The share (or the stack's total).
        share: Bps,
        /// The cap.
        cap: Bps,
    },
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// Paying a vault failed.
    #[code(inner)]
    #[error("paying a vault: {0}")]
    Revenue(crate::modules::revenue::RevenueError),
    /// More than `u64::MAX` assets.
    #[code(407)]
    #[error("asset ids exhausted")]
    IdsExhausted,
    /// Arithmetic overflowed.
    #[code(408)]
    #[error("amount overflow")]
    Overflow,
    /// A parent is tagged for a violation: it cannot be remixed.
    #[code(409)]
    #[error("asset {asset} is tagged for a violation and cannot be a parent")]
    TaggedParent {
        /// The parent.
        asset: crate::modules::provenance::AssetId,
    },
}
