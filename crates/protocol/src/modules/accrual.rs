//! Reward-per-share bookkeeping (Batog et al. 2018), shared by every vault that pays many holders
//! in O(1) per payment: the registry's dataset vaults and the revenue module's royalty vaults.
//!
//! A vault keeps one [`Accrual`] per denomination the chain carries (`ugdc`, `uusd`); a payment of
//! `amount` to `total` units raises its accumulator by `floor(amount * SCALE / total)`; a holder
//! of `units` settled at `s` has earned `floor(units * (acc - s) / SCALE)`. Both floors favour the
//! vault: what holders are owed never exceeds what was paid in, and the rest is dust.

use atelier_primitives::{Amount, ArithmeticError, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use crate::modules::registry::math;

/// One denomination's payments into a vault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Accrual {
    /// Payments per unit ever made, scaled by `registry::math::SCALE`.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub acc_per_unit: u128,
    /// Paid in, ever.
    pub paid_in: Amount,
    /// Claimed, ever.
    pub claimed: Amount,
}

impl Accrual {
    /// Paid in and not claimed: what the vault holds in this denomination.
    pub fn unclaimed(&self) -> Amount {
        self.paid_in.saturating_sub(self.claimed)
    }

    /// Records a payment of `amount` shared by `total_units`.
    pub(crate) fn pay(&mut self, amount: Amount, total_units: u128) -> Result<(), ArithmeticError> {
        self.acc_per_unit = math::accrue(self.acc_per_unit, amount, total_units)?;
        self.paid_in = self.paid_in.checked_add(amount)?;
        Ok(())
    }

    /// Records a claim of `amount`.
    pub(crate) fn record_claim(&mut self, amount: Amount) -> Result<(), ArithmeticError> {
        self.claimed = self.claimed.checked_add(amount)?;
        Ok(())
    }

    /// What `units` settled at `settled` have earned since.
    pub fn earned(&self, units: u128, settled: u128) -> Result<Amount, ArithmeticError> {
        math::earned(units, self.acc_per_unit, settled)
    }
}

/// The accrual of `denom` among a vault's two, if the chain carries it.
pub(crate) fn of<'a>(gdc: &'a mut Accrual, usd: &'a mut Accrual, denom: &Denom) -> Option<&'a mut Accrual> {
    match *denom {
        Denom::GDC => Some(gdc),
        Denom::USD => Some(usd),
        _ => None,
    }
}
