//! The end of a block: every swap placed in it clears at one price (spec: README "Batch
//! clearing"), then the TWAP accumulator takes the block's closing price. O(orders × rounds), at
//! most `max_orders_per_block` orders; each round refunds at least one order whose minimum the
//! price misses, so the rounds are bounded too.

use atelier_primitives::{Amount, math::mul_div_floor};
use atelier_state::StateWrite;

use super::{
    AmmError, AmmEvent, Order, Side,
    math::{self, Clearing},
    state::{self, account},
};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{Failure, bank},
};

type HookResult<T = ()> = Result<T, Failure<AmmError>>;

/// Runs at the end of every block.
pub(crate) fn end_block(state: &mut impl StateWrite, events: &mut Vec<Event>, ctx: &Ctx<()>) -> HookResult {
    let height = ctx.height;
    let orders = state::orders(state)?;
    let mut pool = state::pool(state)?;
    if !orders.is_empty() {
        state::clear_orders(state, &orders);
        let mut active = orders;
        loop {
            let (gdc_in, usd_in) = totals(&active)?;
            let Some(clearing) = math::clear(pool.reserve_gdc.get(), pool.reserve_usd.get(), gdc_in, usd_in)
                .map_err(|_| Failure::Rule(AmmError::Overflow))?
            else {
                for order in &active {
                    refund(state, events, order)?;
                }
                break;
            };
            let fills = fills(&active, &clearing, gdc_in, usd_in)?;
            // spec: amm §Minimums — a fill of nothing is refused like a missed minimum (as
            // Uniswap v2 refuses an output of 0), so the pool never keeps an input for nothing.
            let (missed, kept): (Vec<_>, Vec<_>) =
                active.iter().zip(fills.iter()).partition(|(o, fill)| **fill < o.min_out.get().max(1));
            if missed.is_empty() {
                settle(state, events, &mut pool, &active, &fills, &clearing, (gdc_in, usd_in))?;
                break;
            }
            for (order, _) in &missed {
                refund(state, events, order)?;
            }
            active = kept.into_iter().map(|(o, _)| *o).collect();
        }
    }
    if !pool.reserve_gdc.is_zero() {
        pool.last_price = math::price(pool.reserve_gdc.get(), pool.reserve_usd.get());
        pool.price_cumulative = pool.price_cumulative.saturating_add(pool.last_price);
        pool.last_height = height;
        pool.price_blocks = pool.price_blocks.saturating_add(1);
        state::set_pool(state, &pool);
    }
    Ok(())
}

/// `ugdc` and `uusd` sold by the active orders.
fn totals(orders: &[Order]) -> HookResult<(u128, u128)> {
    let mut sums = (0u128, 0u128);
    for order in orders {
        let side = match order.side {
            Side::SellGdc => &mut sums.0,
            Side::SellUsd => &mut sums.1,
        };
        *side = side.checked_add(order.amount_in.get()).ok_or(Failure::Rule(AmmError::Overflow))?;
    }
    Ok(sums)
}

/// Each order's output: its pro-rata part of what its side receives, rounded down.
fn fills(orders: &[Order], clearing: &Clearing, gdc_in: u128, usd_in: u128) -> HookResult<Vec<u128>> {
    orders
        .iter()
        .map(|order| {
            let (received, sold) = match order.side {
                Side::SellGdc => (clearing.to_gdc_sellers, gdc_in),
                Side::SellUsd => (clearing.to_usd_sellers, usd_in),
            };
            mul_div_floor(order.amount_in.get(), received, sold)
                .map_err(|_| Failure::Rule(AmmError::Overflow))
        })
        .collect()
}

fn pay(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    order: &Order,
    denom: atelier_primitives::Denom,
    amount: u128,
) -> HookResult {
    if amount == 0 {
        return Ok(());
    }
    bank::send(state, events, &account(), &order.trader, &denom, Amount::new(amount))
        .map_err(|f| f.map_rule(AmmError::Bank))
}

fn refund(state: &mut impl StateWrite, events: &mut Vec<Event>, order: &Order) -> HookResult {
    pay(state, events, order, order.side.denom_in(), order.amount_in.get())?;
    events.push(Event::Amm(AmmEvent::SwapRefunded { order: order.id }));
    Ok(())
}

/// Pays every fill and moves the pool: its net trade, plus the rounding dust of both sides.
fn settle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    pool: &mut state::Pool,
    orders: &[Order],
    fills: &[u128],
    clearing: &Clearing,
    (gdc_in, usd_in): (u128, u128),
) -> HookResult {
    let (mut paid_usd, mut paid_gdc) = (0u128, 0u128);
    for (order, fill) in orders.iter().zip(fills) {
        pay(state, events, order, order.side.denom_out(), *fill)?;
        match order.side {
            Side::SellGdc => paid_usd += fill,
            Side::SellUsd => paid_gdc += fill,
        }
        events.push(Event::Amm(AmmEvent::SwapFilled { order: order.id, amount_out: Amount::new(*fill) }));
    }
    // spec: amm §Batch clearing — what rounding leaves unpaid stays in the pool.
    let dust_usd = clearing.to_gdc_sellers - paid_usd;
    let dust_gdc = clearing.to_usd_sellers - paid_gdc;
    // Reserves plus inputs fit: all of it is the supply held by the AMM account.
    let moved = |reserve: Amount, pool_in: u128, dust: u128, pool_out: u128| {
        reserve
            .get()
            .checked_add(pool_in)
            .and_then(|r| r.checked_add(dust))
            .and_then(|r| r.checked_sub(pool_out))
    };
    let gdc = moved(pool.reserve_gdc, clearing.pool_gdc_in, dust_gdc, clearing.pool_gdc_out)
        .ok_or(Failure::Rule(AmmError::Overflow))?;
    let usd = moved(pool.reserve_usd, clearing.pool_usd_in, dust_usd, clearing.pool_usd_out)
        .ok_or(Failure::Rule(AmmError::Overflow))?;
    pool.reserve_gdc = Amount::new(gdc);
    pool.reserve_usd = Amount::new(usd);
    events.push(Event::Amm(AmmEvent::BatchCleared {
        gdc_in: Amount::new(gdc_in),
        usd_in: Amount::new(usd_in),
        pool_gdc_in: Amount::new(clearing.pool_gdc_in),
        pool_usd_in: Amount::new(clearing.pool_usd_in),
        pool_gdc_out: Amount::new(clearing.pool_gdc_out),
        pool_usd_out: Amount::new(clearing.pool_usd_out),
        price: math::price(gdc, usd),
    }));
    Ok(())
}
