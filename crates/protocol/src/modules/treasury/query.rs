//! Treasury queries: balances, runway and targets, the book, income by source, epoch reports.

use atelier_primitives::{Amount, Denom};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Book, EpochReport, Income, IncomeSource, TreasuryParams, state};
use crate::modules::{amm, bank};

/// Treasury params.
pub fn params(state: &impl StateRead) -> Result<TreasuryParams, StateError> {
    state::params(state)
}

/// The treasury now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = TreasuryStatus))]
pub struct Status {
    /// `ugdc` held.
    pub gdc: Amount,
    /// The stable reserve, in `uusd`.
    pub reserve: Amount,
    /// The treasury's LP units in the pool.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub pool_units: u128,
    /// The reserve's floor: buy-backs never go under it.
    pub reserve_floor: Amount,
    /// The running state: moving average, defence, budgets, the controller's targets, totals.
    pub book: Book,
    /// The last epoch's report.
    pub last_report: Option<EpochReport>,
}

/// The treasury's balances, book and last report.
pub fn status(state: &impl StateRead) -> Result<Status, StateError> {
    let params = state::params(state)?;
    let last_report = state::reports(state)?.pop();
    Ok(Status {
        gdc: bank::balance(state, &state::account(), &Denom::GDC)?,
        reserve: bank::balance(state, &state::account(), &Denom::USD)?,
        pool_units: amm::lp_units(state, &state::account())?,
        reserve_floor: Amount::new(
            params.infra_cost_per_epoch.get().saturating_mul(u128::from(params.reserve_floor_epochs)),
        ),
        book: state::book(state)?,
        last_report,
    })
}

/// The running state alone: moving average, defence, budgets, targets, totals. O(1).
pub fn book(state: &impl StateRead) -> Result<Book, StateError> {
    state::book(state)
}

/// The report of `epoch`, if it is still kept. O(1).
pub fn report(state: &impl StateRead, epoch: u64) -> Result<Option<EpochReport>, StateError> {
    state::report(state, epoch)
}

/// Income since genesis, by source.
pub fn income(state: &impl StateRead) -> Result<Vec<(IncomeSource, Income)>, StateError> {
    IncomeSource::ALL.into_iter().map(|source| Ok((source, state::income(state, source)?))).collect()
}

/// The epoch reports kept, oldest first.
pub fn reports(state: &impl StateRead) -> Result<Vec<EpochReport>, StateError> {
    state::reports(state)
}
