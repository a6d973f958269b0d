//! AMM parameters, changed only through governance's `SetParams`.

use atelier_primitives::{Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::AmmParamsError;

/// AMM parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AmmParams {
    /// Most swaps one block clears (the clearing reads them all).
    pub max_orders_per_block: u32,
}

impl Default for AmmParams {
    /// 2 000 swaps a block.
    fn default() -> Self {
        AmmParams { max_orders_per_block: 2_000 }
    }
}

impl AmmParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), AmmParamsError> {
        if self.max_orders_per_block == 0 || self.max_orders_per_block > 20_000 {
            return Err(AmmParamsError::MaxOrdersOutOfRange);
        }
        Ok(())
    }
}
