//! Registry parameters.

use atelier_primitives::{Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

/// Registry parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistryParams {
    /// Longest chain of fine-tunes above a base model (a base model has depth 0).
    pub max_lineage_depth: u32,
    /// Most datasets a model's lineage may reach (its own and those it inherits).
    pub max_lineage_datasets: u32,
    /// Most contributors one message may register (more arrive with `AddContributors`).
    pub max_contributors_per_msg: u32,
    /// Highest performance fee one model may take.
    pub max_performance_fee: Bps,
    /// Highest sum of the performance fees along a lineage: what a job pays its fine-tuners.
    pub max_lineage_fee: Bps,
}

impl Default for RegistryParams {
    /// Fine-tunes eight deep, 64 datasets a lineage, 1 000 contributors a message, a fee of at
    /// most 10% a model and 20% a lineage.
    fn default() -> Self {
        RegistryParams {
            max_lineage_depth: 8,
            max_lineage_datasets: 64,
            max_contributors_per_msg: 1_000,
            max_performance_fee: Bps::new(1_000).unwrap_or(Bps::ZERO),
            max_lineage_fee: Bps::new(2_000).unwrap_or(Bps::ZERO),
        }
    }
}

/// Why registry parameters are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryParamsError {
    /// A limit is zero.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// One model's fee cap exceeds the lineage's.
    #[error("max_performance_fee exceeds max_lineage_fee")]
    FeeCaps,
}

impl RegistryParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), RegistryParamsError> {
        for (name, value) in [
            ("max_lineage_depth", self.max_lineage_depth),
            ("max_lineage_datasets", self.max_lineage_datasets),
            ("max_contributors_per_msg", self.max_contributors_per_msg),
        ] {
            if value == 0 {
                return Err(RegistryParamsError::Zero(name));
            }
        }
        if self.max_performance_fee > self.max_lineage_fee {
            return Err(RegistryParamsError::FeeCaps);
        }
        Ok(())
    }
}
