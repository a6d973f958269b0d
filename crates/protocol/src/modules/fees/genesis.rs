//! fees genesis: params and the base fee of the first block.

use atelier_primitives::Amount;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{FeeParams, state};
use crate::genesis::GenesisError;

/// The fees part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeesGenesis {
    /// Parameters.
    pub params: FeeParams,
    /// Base fee per gas of the first block.
    pub base_fee: Amount,
}

impl FeesGenesis {
    /// Checks the section.
    pub fn validate(&self) -> Result<(), GenesisError> {
        self.params.validate().map_err(GenesisError::FeeParams)?;
        if self.base_fee < self.params.min_base_fee {
            return Err(GenesisError::BaseFeeBelowMinimum {
                base_fee: self.base_fee,
                min_base_fee: self.params.min_base_fee,
            });
        }
        Ok(())
    }
}

impl Default for FeesGenesis {
    fn default() -> Self {
        let params = FeeParams::default();
        FeesGenesis { base_fee: params.min_base_fee, params }
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &FeesGenesis) {
    state::set_params(state, &genesis.params);
    state::set_base_fee(state, genesis.base_fee);
}

pub(crate) fn export(state: &impl StateRead) -> Result<FeesGenesis, StateError> {
    Ok(FeesGenesis { params: state::params(state)?, base_fee: state::base_fee(state)? })
}
