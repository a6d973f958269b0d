//! The AMM's books: its account holds the reserves plus the inputs of waiting swaps, and the LP
//! units held plus the locked minimum are the supply. Between blocks no swap waits, so the
//! account holds exactly the reserves: an O(1) check for every block.

use atelier_primitives::Denom;
use atelier_state::{ChangeSet, StateError, StateRead};

use super::{Side, math::MINIMUM_LIQUIDITY, state};
use crate::{
    invariants::{Moved, Violation, changed},
    modules::bank,
};

/// Checks the books. O(LP holders + orders): for tests and debug builds.
pub fn books(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let pool = state::pool(state)?;
    let orders = state::orders(state)?;
    let waiting =
        |side: Side| orders.iter().filter(|o| o.side == side).map(|o| o.amount_in.get()).sum::<u128>();
    for (denom, reserve, side) in
        [(Denom::GDC, pool.reserve_gdc, Side::SellGdc), (Denom::USD, pool.reserve_usd, Side::SellUsd)]
    {
        let held = bank::balance(state, &state::account(), &denom)?.get();
        if Some(held) != reserve.get().checked_add(waiting(side)) {
            violations.push(Violation::new(
                "amm",
                format!("the AMM account holds {held} {denom}, reserve {reserve} + orders"),
            ));
        }
    }
    let held: u128 = state::lp_holdings(state)?.iter().map(|(_, units)| units).sum();
    let locked = if pool.lp_supply == 0 { 0 } else { MINIMUM_LIQUIDITY };
    if held + locked != pool.lp_supply {
        violations.push(Violation::new(
            "amm",
            format!("LP units held {held} + locked {locked} != supply {}", pool.lp_supply),
        ));
    }
    Ok(violations)
}

/// Checks, between blocks, that no swap waits and the AMM account holds exactly the reserves. O(1).
pub fn reserves(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = Vec::new();
    let waiting = state::order_count(state)?;
    if waiting != 0 {
        violations.push(Violation::new("amm", format!("{waiting} swaps outlived their block")));
    }
    let pool = state::pool(state)?;
    for (denom, reserve) in [(Denom::GDC, pool.reserve_gdc), (Denom::USD, pool.reserve_usd)] {
        let held = bank::balance(state, &state::account(), &denom)?;
        if held != reserve {
            violations.push(Violation::new(
                "amm",
                format!("the AMM account holds {held} {denom} between blocks, its reserve is {reserve}"),
            ));
        }
    }
    Ok(violations)
}

/// Checks, from a block's `changes`, that the LP units held moved as the supply less the locked
/// minimum did. O(changes).
pub fn lp_units_of_changes(
    before: &impl StateRead,
    after: &impl StateRead,
    changes: &ChangeSet,
) -> Result<Vec<Violation>, StateError> {
    let held = |s: &dyn StateRead| -> Result<u128, StateError> {
        let supply = state::pool(s)?.lp_supply;
        Ok(if supply == 0 { 0 } else { supply.saturating_sub(MINIMUM_LIQUIDITY) })
    };
    let units = Moved::of(&changed::<u128>(before, changes, state::LP)?, |units| *units);
    if !units.matches(held(before)?, held(after)?) {
        return Ok(vec![Violation::new("amm", "LP units held moved unlike the supply".into())]);
    }
    Ok(Vec::new())
}
