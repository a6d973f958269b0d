//! Provenance parameters: how far lineage reaches and how much of a sale it may take.

use atelier_primitives::{Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

/// Provenance parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProvenanceParams {
    /// Most parents one asset names.
    pub max_parents: u32,
    /// Most ancestors one asset's lineage reaches (its parents, theirs, …, each once).
    pub max_ancestors: u32,
    /// Highest share an asset may take of each of its descendants' revenue.
    pub max_royalty_share: Bps,
    /// Highest total of an asset's royalty stack: what its ancestors take of its revenue.
    pub max_royalty_stack: Bps,
}

impl Default for ProvenanceParams {
    /// Eight parents, 64 ancestors, 20% per ancestor and 50% in all.
    fn default() -> Self {
        ProvenanceParams {
            max_parents: 8,
            max_ancestors: 64,
            max_royalty_share: Bps::new(2_000).unwrap_or(Bps::ZERO),
            max_royalty_stack: Bps::new(5_000).unwrap_or(Bps::ZERO),
        }
    }
}

/// Why provenance parameters are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvenanceParamsError {
    /// A limit is out of its range.
    #[error("{0}")]
    Limit(&'static str),
}

impl ProvenanceParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), ProvenanceParamsError> {
        if self.max_parents == 0 || self.max_parents as usize > super::state::MAX_PARENTS {
            return Err(ProvenanceParamsError::Limit("max_parents must be between 1 and 16"));
        }
        if self.max_ancestors < self.max_parents || self.max_ancestors as usize > super::state::MAX_ANCESTORS
        {
            return Err(ProvenanceParamsError::Limit("max_ancestors must be between max_parents and 256"));
        }
        if self.max_royalty_share > self.max_royalty_stack {
            return Err(ProvenanceParamsError::Limit("max_royalty_share exceeds max_royalty_stack"));
        }
        Ok(())
    }
}
