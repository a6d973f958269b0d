//! Executes AMM messages: check everything, then write.

use atelier_primitives::{Address, Amount, Denom, math::mul_div_ceil, math::mul_div_floor};
use atelier_state::StateWrite;

use super::{
    AmmError, AmmEvent, AmmMsg, Order, OrderId, Side, math,
    state::{self, account},
};
use crate::{
    event::Event,
    modules::{Ctx, Failure, bank, rule},
};

type AmmResult<T = ()> = Result<T, Failure<AmmError>>;

fn overflow<E>(_: E) -> Failure<AmmError> {
    Failure::Rule(AmmError::Overflow)
}

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &AmmMsg,
) -> AmmResult {
    let sender = &ctx.sender;
    match msg {
        AmmMsg::AddLiquidity { max_gdc, max_usd, min_lp } => {
            add_liquidity(state, events, sender, *max_gdc, *max_usd, *min_lp)
        }
        AmmMsg::RemoveLiquidity { lp, min_gdc, min_usd } => {
            remove_liquidity(state, events, sender, *lp, *min_gdc, *min_usd)
        }
        AmmMsg::Swap { side, amount_in, min_out } => {
            let max = state::params(state)?.max_orders_per_block;
            if state::order_count(state)? >= max {
                return rule(AmmError::TooManyOrders { max });
            }
            place_order(state, events, sender, *side, *amount_in, *min_out).map(|_| ())
        }
    }
}

fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    denom: Denom,
    amount: Amount,
) -> AmmResult {
    bank::send(state, events, from, to, &denom, amount).map_err(|f| f.map_rule(AmmError::Bank))
}

/// Deposits at most `max_gdc` and `max_usd` from `provider` for at least `min_lp` units: a
/// message's work, and the treasury's when it tops up its liquidity.
pub(crate) fn add_liquidity(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    provider: &Address,
    max_gdc: Amount,
    max_usd: Amount,
    min_lp: u128,
) -> AmmResult {
    if max_gdc.is_zero() || max_usd.is_zero() {
        return rule(AmmError::ZeroAmount);
    }
    let mut pool = state::pool(state)?;
    let (x, y, supply) = (pool.reserve_gdc.get(), pool.reserve_usd.get(), pool.lp_supply);
    // spec: amm §Liquidity — the first deposit sets the price and locks MINIMUM_LIQUIDITY units;
    // later ones mint in proportion to the smaller side and take both sides rounded up.
    let (lp, gdc, usd, minted) = if supply == 0 {
        let units = math::sqrt_product(max_gdc.get(), max_usd.get());
        if units <= math::MINIMUM_LIQUIDITY {
            return rule(AmmError::FirstDepositTooSmall { units });
        }
        (units - math::MINIMUM_LIQUIDITY, max_gdc, max_usd, units)
    } else {
        let by_gdc = mul_div_floor(max_gdc.get(), supply, x).map_err(overflow)?;
        let by_usd = mul_div_floor(max_usd.get(), supply, y).map_err(overflow)?;
        let lp = by_gdc.min(by_usd);
        let gdc = Amount::new(mul_div_ceil(lp, x, supply).map_err(overflow)?);
        let usd = Amount::new(mul_div_ceil(lp, y, supply).map_err(overflow)?);
        (lp, gdc, usd, lp)
    };
    if lp == 0 || lp < min_lp {
        return rule(AmmError::LpBelowMinimum { lp, min_lp });
    }
    let held = state::lp_units(state, provider)?.checked_add(lp).ok_or(Failure::Rule(AmmError::Overflow))?;
    pool.lp_supply = supply.checked_add(minted).ok_or(Failure::Rule(AmmError::Overflow))?;
    pool.reserve_gdc = pool.reserve_gdc.checked_add(gdc).map_err(overflow)?;
    pool.reserve_usd = pool.reserve_usd.checked_add(usd).map_err(overflow)?;
    send(state, events, provider, &account(), Denom::GDC, gdc)?;
    send(state, events, provider, &account(), Denom::USD, usd)?;
    // Point of no return.
    state::set_lp_units(state, provider, held);
    state::set_pool(state, &pool);
    events.push(Event::Amm(AmmEvent::LiquidityAdded { provider: *provider, gdc, usd, lp }));
    Ok(())
}

fn remove_liquidity(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    provider: &Address,
    lp: u128,
    min_gdc: Amount,
    min_usd: Amount,
) -> AmmResult {
    let held = state::lp_units(state, provider)?;
    if lp == 0 || lp > held {
        return rule(AmmError::InsufficientLp { held, lp });
    }
    let mut pool = state::pool(state)?;
    let supply = pool.lp_supply;
    let gdc = Amount::new(mul_div_floor(lp, pool.reserve_gdc.get(), supply).map_err(overflow)?);
    let usd = Amount::new(mul_div_floor(lp, pool.reserve_usd.get(), supply).map_err(overflow)?);
    if gdc < min_gdc || usd < min_usd {
        return rule(AmmError::WithdrawalBelowMinimum { gdc, usd });
    }
    pool.lp_supply = supply - lp;
    pool.reserve_gdc = pool.reserve_gdc.saturating_sub(gdc);
    pool.reserve_usd = pool.reserve_usd.saturating_sub(usd);
    send(state, events, &account(), provider, Denom::GDC, gdc)?;
    send(state, events, &account(), provider, Denom::USD, usd)?;
    // Point of no return.
    state::set_lp_units(state, provider, held - lp);
    state::set_pool(state, &pool);
    events.push(Event::Amm(AmmEvent::LiquidityRemoved { provider: *provider, gdc, usd, lp }));
    Ok(())
}

/// Holds `amount_in` from `trader` for the block's clearing. A message's swap counts against
/// `max_orders_per_block` (checked by the caller); the treasury's one order a block does not.
pub(crate) fn place_order(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    trader: &Address,
    side: Side,
    amount_in: Amount,
    min_out: Amount,
) -> AmmResult<OrderId> {
    if amount_in.is_zero() {
        return rule(AmmError::ZeroAmount);
    }
    let id = state::next_order(state)?;
    let following = id.checked_add(1).ok_or(Failure::Rule(AmmError::Overflow))?;
    send(state, events, trader, &account(), side.denom_in(), amount_in)?;
    // Point of no return.
    let order = Order { id: OrderId(id), trader: *trader, side, amount_in, min_out };
    state::insert_order(state, &order)?;
    state::set_next_order(state, following);
    events.push(Event::Amm(AmmEvent::SwapPlaced { order: order.id, trader: *trader, side, amount_in }));
    Ok(order.id)
}
