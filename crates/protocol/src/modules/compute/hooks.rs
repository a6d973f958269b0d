//! End of block: deadlines first, then each class's scheduler, then each class's base fee.
//!
//! Every step is bounded by a parameter: at most `max_timers_per_block` deadlines (the rest wait
//! for the next block), and per class at most `max_providers_per_class` providers read and
//! `max_admissions_per_class` queued jobs looked at.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, Hash, Height};
use atelier_state::{StateError, StateWrite};

use super::{
    ClassParams, ComputeCaps, ComputeError, ComputeEvent, Job, JobStatus,
    math::{self, CapacityTree},
    settle::{self, ComputeResult, Context},
    state,
};
use crate::{
    event::Event,
    modules::{Ctx, Failure, fees, registry, staking},
};

/// Runs the compute market's end of block. The parent's hash seeds the assignment of jobs.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    block: &Ctx<ComputeCaps>,
) -> ComputeResult<()> {
    let params = state::params(state)?;
    let ctx = &Context::new(block, &params);
    let parent_hash = &block.parent_hash;
    run_timers(state, events, ctx)?;
    for class in &ctx.params.classes {
        let units = admit(state, events, ctx, class, parent_hash)?;
        update_base_fee(state, events, ctx, class, units)?;
    }
    Ok(())
}

fn corrupt(what: String) -> Failure<ComputeError> {
    Failure::Fatal(StateError::corrupt(b"compute", what))
}

/// Handles the deadlines due by this height, earliest first.
fn run_timers(state: &mut impl StateWrite, events: &mut Vec<Event>, ctx: &Context<'_>) -> ComputeResult<()> {
    let limit = ctx.params.max_timers_per_block as usize;
    for id in state::due_timers(state, ctx.height, limit)? {
        let job = state::job(state, id)?.ok_or_else(|| corrupt(format!("a timer names missing job {id}")))?;
        match job.status {
            JobStatus::Queued => settle::unqueue(state, events, ctx.params, &job, JobStatus::Expired)?,
            JobStatus::Admitted => settle::miss(state, events, ctx.params, &job)?,
            JobStatus::Submitted => settle::settle(state, events, ctx, &job)?,
            JobStatus::Disputed => settle::resolve(state, events, ctx, &job, None)?,
            status => return Err(corrupt(format!("job {id} is {status:?} but has a timer"))),
        }
    }
    Ok(())
}

/// Admits queued jobs of `class` by tip (then age, then id) while its providers have room, and
/// assigns each to a provider drawn by free capacity. Returns the units admitted.
fn admit(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    class_params: &ClassParams,
    parent_hash: &Hash,
) -> ComputeResult<u64> {
    let name = &class_params.name;
    let Some(mut class) = state::class(state, ctx.params, name)? else { return Ok(0) };
    if class.queued == 0 || class.capacity == 0 {
        return Ok(0);
    }
    let members = state::members(state, name, ctx.params.max_providers_per_class as usize)?;
    let free: Vec<u64> = members.iter().map(|(_, units)| *units).collect();
    let mut tree = CapacityTree::new(&free);
    let mut opened: BTreeMap<usize, u32> = BTreeMap::new();
    let mut admitted_units = 0u64;
    let deadline = Height(ctx.height.0.saturating_add(ctx.params.result_deadline_blocks));
    let epoch = staking::epoch_of(&staking::params(state)?, ctx.height);
    for id in state::queue_head(state, name, ctx.params.max_admissions_per_class as usize)? {
        if tree.largest() == 0 {
            break;
        }
        let before =
            state::job(state, id)?.ok_or_else(|| corrupt(format!("the queue names missing job {id}")))?;
        if before.max_fee_per_unit < class.base_fee || tree.largest() < before.units {
            continue;
        }
        let at = math::draw(parent_hash, id.0, tree.total());
        let Some(index) = tree.pick(at, before.units) else { continue };
        tree.take(index, before.units);
        let provider = members[index].0;
        let math::Price { base, tip, tip_per_unit } =
            math::price(before.units, class.base_fee, before.max_fee_per_unit, before.tip_per_unit)
                .map_err(|_| Failure::Rule(ComputeError::Overflow))?;
        let price = base.checked_add(tip).map_err(|_| Failure::Rule(ComputeError::Overflow))?;
        let refund = before.held.checked_sub(price).map_err(|_| Failure::Rule(ComputeError::Overflow))?;
        settle::pay_out(state, events, &before.requester, refund)?;
        registry::count_demand(state, epoch, before.model, before.units, price)?;
        let job = Job {
            status: JobStatus::Admitted,
            held: price,
            provider: Some(provider),
            base_fee_per_unit: class.base_fee,
            tip_paid_per_unit: tip_per_unit,
            due: Some(deadline),
            ..before.clone()
        };
        state::update_job(state, &before, &job);
        *opened.entry(index).or_default() += 1;
        admitted_units = admitted_units.saturating_add(before.units);
        class.queued = class.queued.saturating_sub(1);
        events.push(Event::Compute(ComputeEvent::JobAdmitted { job: id, provider, base, tip, refund }));
    }
    for (index, count) in opened {
        let address: Address = members[index].0;
        let mut provider = settle::open_provider(state, &address)?;
        provider.open = provider.open.saturating_add(count);
        state::put_provider(state, &provider);
    }
    state::put_class(state, &class);
    Ok(admitted_units)
}

/// Moves `class`'s base fee toward its target by the block-space rule, from the units admitted.
fn update_base_fee(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    class_params: &ClassParams,
    units: u64,
) -> ComputeResult<()> {
    let Some(mut class) = state::class(state, ctx.params, &class_params.name)? else { return Ok(()) };
    let target = Amount::new(u128::from(class.capacity))
        .mul_div_floor(u128::from(class_params.target_utilisation.get()), 10_000)
        .map(|t| t.get() as u64)
        .unwrap_or(0);
    let previous = class.base_fee;
    let next = fees::math::next_base_fee_for_target(
        previous,
        units,
        target,
        class_params.base_fee_change_denominator,
    )
    .max(class_params.min_base_fee);
    if next == previous && units == class.last_admitted_units {
        return Ok(());
    }
    class.base_fee = next;
    class.last_admitted_units = units;
    state::put_class(state, &class);
    events.push(Event::Compute(ComputeEvent::ClassFeeUpdated {
        class: class.name.clone(),
        previous,
        next,
        units,
        target,
    }));
    Ok(())
}
