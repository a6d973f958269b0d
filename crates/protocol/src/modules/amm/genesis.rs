//! amm genesis: params, the pool and its LP holdings. Swaps never outlive their block, so genesis
//! has none.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{AmmParams, Pool, math::MINIMUM_LIQUIDITY, state};
use crate::genesis::GenesisError;

/// One account's LP units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LpHolding {
    /// The account.
    pub holder: Address,
    /// Its units.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub units: u128,
}

/// The AMM part of genesis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AmmGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: AmmParams,
    /// The pool.
    #[serde(default)]
    pub pool: Pool,
    /// LP holdings, by account.
    #[serde(default)]
    pub holdings: Vec<LpHolding>,
    /// The id the next swap gets.
    #[serde(default)]
    pub next_order: u64,
}

impl AmmGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<AmmGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "amm", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.next_order = self.next_order.max(1);
        self.holdings.sort_by_key(|h| h.holder);
        if self.holdings.windows(2).any(|w| w[0].holder == w[1].holder)
            || self.holdings.iter().any(|h| h.units == 0)
        {
            return Err(invalid("LP holders must be distinct and hold units".into()));
        }
        let held = self.holdings.iter().try_fold(0u128, |sum, h| sum.checked_add(h.units));
        let locked = if self.pool.lp_supply == 0 { 0 } else { MINIMUM_LIQUIDITY };
        if held.and_then(|h| h.checked_add(locked)) != Some(self.pool.lp_supply) {
            return Err(invalid("LP holdings and the locked minimum must sum to the LP supply".into()));
        }
        if (self.pool.lp_supply == 0) != (self.pool.reserve_gdc.is_zero() || self.pool.reserve_usd.is_zero())
        {
            return Err(invalid("a pool with liquidity has both reserves, an empty one neither".into()));
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &AmmGenesis) {
    state::set_params(state, &genesis.params);
    state::set_pool(state, &genesis.pool);
    state::set_next_order(state, genesis.next_order);
    for holding in &genesis.holdings {
        state::set_lp_units(state, &holding.holder, holding.units);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<AmmGenesis, StateError> {
    Ok(AmmGenesis {
        params: state::params(state)?,
        pool: state::pool(state)?,
        holdings: state::lp_holdings(state)?
            .into_iter()
            .map(|(holder, units)| LpHolding { holder, units })
            .collect(),
        next_order: state::next_order(state)?,
    })
}
