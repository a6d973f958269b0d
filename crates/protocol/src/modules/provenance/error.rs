//! Why a provenance operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::Bps;

use super::AssetId;

/// A broken provenance rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvenanceError {
    /// No asset has this id.
    #[error("no asset {asset}")]
    UnknownAsset {
        /// The id named.
        asset: AssetId,
    },
    /// More parents than allowed, or one named twice.
    #[error("invalid parents: {reason}")]
    InvalidParents {
        /// What is wrong.
        reason: String,
    },
    /// The lineage would reach more ancestors than allowed.
    #[error("lineage reaches {count} ancestors, more than the maximum {max}")]
    TooManyAncestors {
        /// How many it would reach.
        count: usize,
        /// The maximum.
        max: u32,
    },
    /// The asset's own share, or its ancestors' total, exceeds its cap.
    #[error("royalty {} bps exceeds the cap {} bps", share.get(), cap.get())]
    RoyaltyTooHigh {
        /// The share (or the stack's total).
        share: Bps,
        /// The cap.
        cap: Bps,
    },
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// Paying a vault failed.
    #[error("paying a vault: {0}")]
    Revenue(crate::modules::revenue::RevenueError),
    /// More than `u64::MAX` assets.
    #[error("asset ids exhausted")]
    IdsExhausted,
    /// Arithmetic overflowed.
    #[error("amount overflow")]
    Overflow,
    /// A parent is tagged for a violation: it cannot be remixed.
    #[error("asset {asset} is tagged for a violation and cannot be a parent")]
    TaggedParent {
        /// The parent.
        asset: crate::modules::provenance::AssetId,
    },
}

impl ProvenanceError {
    /// The stable numeric code (the provenance range is 400–499).
    pub fn code(&self) -> u32 {
        match self {
            ProvenanceError::UnknownAsset { .. } => 401,
            ProvenanceError::InvalidParents { .. } => 402,
            ProvenanceError::TooManyAncestors { .. } => 403,
            ProvenanceError::RoyaltyTooHigh { .. } => 404,
            ProvenanceError::Bank(_) => 405,
            ProvenanceError::Revenue(_) => 406,
            ProvenanceError::IdsExhausted => 407,
            ProvenanceError::Overflow => 408,
            ProvenanceError::TaggedParent { .. } => 409,
        }
    }
}
