//! End of block: burn the base fees, pay the tips, set the next base fee.

use atelier_primitives::{Amount, Denom};
use atelier_state::StateWrite;

use super::{FeeEvent, FeeParams, math, state};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{Failure, bank},
};

/// What a block's transactions paid, accumulated as they were charged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Collected {
    pub(crate) gas_used: u64,
    pub(crate) burned: Amount,
    pub(crate) tips: Amount,
}

/// Settles the block's fees held by the collector and moves the base fee for the next block.
/// The block's proposer (`ctx.sender`) receives the tips.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<crate::app::caps::Burner>,
    params: &FeeParams,
    base_fee: Amount,
    collected: &Collected,
) -> Result<(), Failure<bank::BankError>> {
    let (proposer, burner) = (&ctx.sender, &ctx.caps);
    let collector = state::collector();
    if !collected.burned.is_zero() {
        burner.burn(state, events, &collector, &Denom::GDC, collected.burned)?;
    }
    if !collected.tips.is_zero() {
        bank::send(state, events, &collector, proposer, &Denom::GDC, collected.tips)?;
    }
    let next = math::next_base_fee(
        base_fee,
        collected.gas_used,
        params.block_gas_limit,
        params.elasticity_multiplier,
        params.base_fee_change_denominator,
    )
    .max(params.min_base_fee);
    state::set_base_fee(state, next);
    events.push(Event::Fees(FeeEvent::BaseFeeUpdated {
        previous: base_fee,
        next,
        gas_used: collected.gas_used,
        gas_target: params.gas_target(),
    }));
    Ok(())
}
