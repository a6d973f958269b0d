//! The treasury's work: income recorded as it arrives, and at each epoch's last block the
//! measures, the controller and the treasury's one order in the block's batch (spec: `README.md`).
//!
//! [`close_epoch`] runs before the AMM clears the block, so the treasury's order clears at the
//! same uniform price as everyone's; [`after_clearing`] burns what a buy-back bought and returns
//! the rest to the treasury. Both are O(1) but for one read per compute class.

use atelier_primitives::{Address, Amount, Bps, Denom, math::mul_div_ceil, math::mul_div_floor};
use atelier_state::{StateError, StateWrite};

use super::{
    TreasuryEvent, TreasuryParams,
    controller::{self, Inputs, Targets},
    state::{
        self, Book, ClassJobs, EpochReport, IncomeSource, MAX_INCENTIVE_MODELS, Pending, PendingKind,
        Steering, StyleIncentive, account, operations,
    },
    steering::{self, Candidate},
};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{
        Failure,
        amm::{self, Side},
        bank, compliance, compute,
        oracle::{self, FeedId},
        registry, revenue,
        revenue::VaultId,
        staking,
    },
};

/// Most models of one style the style incentive weighs (the first registered).
const MAX_MODELS_PER_STYLE: usize = 64;

type HookResult<T = ()> = Result<T, Failure<String>>;

fn broken<E: std::fmt::Display>(failure: Failure<E>) -> Failure<String> {
    failure.map_rule(|e| e.to_string())
}

fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    denom: Denom,
    amount: u128,
) -> HookResult {
    if amount == 0 {
        return Ok(());
    }
    bank::send(state, events, from, to, &denom, Amount::new(amount)).map_err(broken)
}

fn balance(state: &impl StateWrite, who: &Address, denom: Denom) -> Result<u128, StateError> {
    Ok(bank::balance(state, who, &denom)?.get())
}

/// Records `amount` of `denom` that `source` has just paid into the treasury's account.
pub(crate) fn record_income(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    source: IncomeSource,
    denom: &Denom,
    amount: Amount,
) -> Result<(), StateError> {
    if amount.is_zero() {
        return Ok(());
    }
    let income = state::income(state, source)?.plus(denom, amount);
    state::set_income(state, source, &income);
    let mut book = state::book(state)?;
    book.epoch_income = book.epoch_income.plus(denom, amount);
    state::set_book(state, &book);
    events.push(Event::Treasury(TreasuryEvent::IncomeReceived { source, denom: *denom, amount }));
    Ok(())
}

/// A transfer message moved `amount` of `denom` to `to`: GDC counts for velocity, and a transfer
/// to the treasury is income.
pub(crate) fn record_transfer(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    to: &Address,
    denom: &Denom,
    amount: Amount,
) -> Result<(), StateError> {
    if *denom == Denom::GDC {
        let mut book = state::book(state)?;
        book.epoch_volume = book.epoch_volume.saturating_add(amount);
        state::set_book(state, &book);
    }
    if *to == account() {
        record_income(state, events, IncomeSource::Transfers, denom, amount)?;
    }
    Ok(())
}

/// What grants may still draw of `denom` in the epoch under way.
pub(crate) fn grants_left(state: &impl StateWrite, denom: &Denom) -> Result<Amount, StateError> {
    let left = state::book(state)?.grants_left;
    Ok(if *denom == Denom::USD { left.uusd } else { left.ugdc })
}

/// A grant paid `amount` of `denom`: the epoch's grants budget shrinks by it.
pub(crate) fn draw_grant(
    state: &mut impl StateWrite,
    denom: &Denom,
    amount: Amount,
) -> Result<(), StateError> {
    let mut book = state::book(state)?;
    let left = if *denom == Denom::USD { &mut book.grants_left.uusd } else { &mut book.grants_left.ugdc };
    *left = left.saturating_sub(amount);
    state::set_book(state, &book);
    Ok(())
}

/// Runs at the end of every block, before the AMM clears it; acts at an epoch's last block.
pub(crate) fn close_epoch(state: &mut impl StateWrite, events: &mut Vec<Event>, ctx: &Ctx<()>) -> HookResult {
    let height = ctx.height;
    let staking_params = staking::params(state)?;
    if !(height.0 + 1).is_multiple_of(staking_params.epoch_blocks.max(1)) {
        return Ok(());
    }
    let epoch = staking::epoch_of(&staking_params, height);
    let params = state::params(state)?;
    let mut book = state::book(state)?;
    let pool = amm::pool(state)?;

    // spec: treasury §Measures — TWAP, moving average, bands, velocity, the oracle's price.
    let blocks = pool.price_blocks.saturating_sub(book.mark_blocks);
    let twap =
        (blocks > 0).then(|| pool.price_cumulative.saturating_sub(book.mark_cumulative) / u128::from(blocks));
    let average = controller::next_average(book.average, twap, params.ma_weight, params.ma_cap);
    let cushion = controller::band_under(average, params.cushion);
    let wall = controller::band_under(average, params.wall);
    let treasury_gdc = balance(state, &account(), Denom::GDC)?;
    let supply = bank::minted(state, &Denom::GDC)?.saturating_sub(bank::burned(state, &Denom::GDC)?);
    let circulating = supply.get().saturating_sub(treasury_gdc);
    let velocity_ppm = (circulating > 0).then(|| {
        let ppm = mul_div_floor(book.epoch_volume.get(), 1_000_000, circulating).unwrap_or(u128::MAX);
        u64::try_from(ppm).unwrap_or(u64::MAX)
    });
    let oracle_price = fresh_value(state, &FeedId::gdc_usd(), height)?;
    let weak = twap.is_some_and(|t| t < cushion)
        || oracle_price.is_some_and(|p| p < cushion)
        || (params.velocity_floor_ppm > 0 && velocity_ppm.is_some_and(|v| v < params.velocity_floor_ppm));
    book.weak_history = (book.weak_history << 1) | u64::from(weak);
    let window = if params.window_epochs >= 64 { u64::MAX } else { (1u64 << params.window_epochs) - 1 };
    let defending = (book.weak_history & window).count_ones() >= params.trigger_epochs;

    // spec: treasury §Steering — engagement's trend sets the prudence.
    let engagement = fresh_value(state, &FeedId("engagement".into()), height)?;
    let trend = steering::trend(book.engagement, engagement);
    let prudence =
        steering::next_prudence(book.prudence, trend, params.engagement_step, params.engagement_max);
    book.prudence = prudence;
    book.engagement = engagement.or(book.engagement);

    // spec: treasury §Controller.
    let (pol_gdc, pol_usd) = pool_share(state, &pool)?;
    let reserve = balance(state, &account(), Denom::USD)?;
    let inputs = Inputs { average, gdc: treasury_gdc, reserve, pol_gdc, pol_usd, prudence };
    let targets = controller::targets(&params, &inputs);

    book.average = average;
    let mut steering = Steering { engagement, trend, prudence, ..Steering::default() };
    if defending {
        buyback(state, events, &params, &mut book, twap.is_some_and(|t| t < wall))?;
    } else {
        book.defence_left = 0;
        style_incentive(state, events, &params, &targets, ctx, epoch, &mut steering)?;
        top_up_pool(state, events, &params, &targets, &inputs)?;
        convert(state, events, &params, &targets, &book)?;
    }
    let incentives_paid =
        steering.incentives.iter().fold(Amount::ZERO, |sum, i| sum.saturating_add(i.amount));
    book.style_incentives = book.style_incentives.saturating_add(incentives_paid);

    let report = EpochReport {
        epoch,
        height,
        twap,
        average,
        cushion,
        wall,
        velocity_ppm,
        oracle_price,
        weak,
        defending,
        income: book.epoch_income,
        targets,
        jobs: jobs(state, epoch)?,
        styles: {
            let mut styles = registry::style_demand(state, epoch)?;
            styles.truncate(state::MAX_REPORTED_STYLES);
            styles
        },
        steering,
    };
    book.mark_cumulative = pool.price_cumulative;
    book.mark_blocks = pool.price_blocks;
    book.epoch_volume = Amount::ZERO;
    book.epoch_income = state::Income::default();
    book.grants_left =
        state::Income { ugdc: targets.grants_gdc.saturating_sub(incentives_paid), uusd: targets.grants_usd };
    book.targets = targets;
    state::set_book(state, &book);
    state::push_report(state, &report, params.history_epochs);
    events.push(Event::Treasury(TreasuryEvent::EpochClosed { epoch, twap, average, weak, defending }));
    Ok(())
}

/// `feed`'s value when fresh at `height`; nothing when it is stale, missing or unknown.
fn fresh_value(
    state: &impl StateWrite,
    feed: &FeedId,
    height: atelier_primitives::Height,
) -> HookResult<Option<u128>> {
    match oracle::fresh(state, feed, height) {
        Ok(published) => Ok(Some(published.value)),
        Err(oracle::FreshError::Refused(_)) => Ok(None),
        Err(oracle::FreshError::Storage(error)) => Err(error.into()),
    }
}

/// spec: treasury §Steering — `style_incentive_share` of the coming epoch's GDC grants budget
/// (at most `max_style_incentive`) split across the models of the styles whose `demand/<style>`
/// feed is fresh, by that demand times the model's `quality/<model>` (100% when stale or
/// missing), the heaviest [`MAX_INCENTIVE_MODELS`] first; a model whose compliance gate is not
/// clear (or that has no royalty vault) is passed over; a style's models are paid in all at most
/// `style_incentive_fee_cap` of the fees its jobs paid in the closing epoch. Each share goes
/// `style_incentive_to_datasets` into its lineage's datasets' vaults by their weights, the rest
/// into its own royalty vault. With no fresh demand feed nothing is paid and the grants budget
/// keeps it. O(demand feeds × models per style).
fn style_incentive(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &TreasuryParams,
    targets: &Targets,
    ctx: &Ctx<()>,
    epoch: u64,
    steering: &mut Steering,
) -> HookResult {
    let budget = params
        .style_incentive_share
        .of_floor(targets.grants_gdc)
        .min(params.max_style_incentive)
        .min(Amount::new(balance(state, &account(), Denom::GDC)?));
    steering.incentive_budget = budget;
    if budget.is_zero() {
        return Ok(());
    }
    let mut candidates = Vec::new();
    let mut models = std::collections::BTreeMap::new();
    // Each style's cap: a share of the fees its jobs paid in the closing epoch.
    let epoch_fees = registry::style_demand(state, epoch)?;
    let mut caps = Vec::new();
    for feed in oracle::query::params(state)?.feeds {
        let Some(style) = feed.id.0.strip_prefix("demand/") else { continue };
        let Some(demand) = fresh_value(state, &feed.id, ctx.height)? else { continue };
        let fees = epoch_fees.iter().find(|d| d.style == style).map_or(Amount::ZERO, |d| d.fees);
        caps.push(params.style_incentive_fee_cap.of_floor(fees).get());
        let place = caps.len() - 1;
        for id in registry::models_of_style(state, style, MAX_MODELS_PER_STYLE)? {
            let Some(model) = registry::model(state, id)? else { continue };
            if compliance::gate::gate(state, &model, ctx.time_ms)? != compliance::Gate::Compliant
                || revenue::vault(state, &VaultId::Model(id))?.is_none()
            {
                continue;
            }
            let quality = fresh_value(state, &FeedId(format!("quality/{id}")), ctx.height)?
                .map_or(Bps::ONE, |q| {
                    Bps::new(u32::try_from(q.min(Bps::SCALE)).unwrap_or(0)).unwrap_or(Bps::ONE)
                });
            candidates.push(Candidate { model: id, style: place, demand, quality });
            models.insert(id, model);
        }
    }
    let origin = staking::Origin { payer: account(), height: ctx.height };
    let paid = steering::split(candidates, budget.get(), MAX_INCENTIVE_MODELS);
    for (candidate, amount) in steering::cap_styles(paid, &caps) {
        let Some(model) = models.get(&candidate.model) else { continue };
        let amount = Amount::new(amount);
        if amount.is_zero() {
            continue;
        }
        let to_datasets = params.style_incentive_to_datasets.of_floor(amount);
        let to_datasets =
            registry::pay_royalties(state, events, &account(), &origin, model, &Denom::GDC, to_datasets)
                .map_err(broken)?;
        revenue::pay_into(
            state,
            events,
            &account(),
            &origin,
            VaultId::Model(model.id),
            &Denom::GDC,
            amount.saturating_sub(to_datasets),
        )
        .map_err(broken)?;
        events.push(Event::Treasury(TreasuryEvent::StyleIncentivePaid {
            model: model.id,
            amount,
            to_datasets,
        }));
        steering.incentives.push(StyleIncentive {
            model: model.id,
            style: model.style.clone(),
            demand: candidate.demand,
            quality: candidate.quality,
            amount,
            to_datasets,
        });
    }
    Ok(())
}

/// The treasury's share of the pool's reserves, by its LP units.
fn pool_share(state: &impl StateWrite, pool: &amm::Pool) -> Result<(u128, u128), StateError> {
    if pool.lp_supply == 0 {
        return Ok((0, 0));
    }
    let units = amm::lp_units(state, &account())?;
    let part = |reserve: Amount| mul_div_floor(units, reserve.get(), pool.lp_supply).unwrap_or(0);
    Ok((part(pool.reserve_gdc), part(pool.reserve_usd)))
}

/// Each class's settled jobs, since genesis and in the epoch (against the last report).
fn jobs(state: &impl StateWrite, epoch: u64) -> Result<Vec<ClassJobs>, StateError> {
    let previous = match epoch.checked_sub(1) {
        Some(e) => state::report(state, e)?,
        None => None,
    };
    let mut all = Vec::new();
    for class in compute::params(state)?.classes {
        let total = compute::jobs_settled(state, &class.name)?;
        let before = previous
            .as_ref()
            .and_then(|r| r.jobs.iter().find(|j| j.class == class.name))
            .map_or(0, |j| j.total);
        all.push(ClassJobs { class: class.name, total, in_epoch: total.saturating_sub(before) });
    }
    Ok(all)
}

/// The least output an order of `amount_in` may give at the pool's price and `max_slippage`,
/// rounded up: `amount_in × R_out / R_in / (1 + slippage)`.
fn least_out(amount_in: u128, reserve_in: u128, reserve_out: u128, slippage: Bps) -> Option<u128> {
    let at_price = mul_div_ceil(amount_in, reserve_out, reserve_in).ok()?;
    mul_div_ceil(at_price, Bps::SCALE, Bps::SCALE + u128::from(slippage.get())).ok()
}

/// The largest input that moves the pool's price at most `max_move` (ignoring the fee, which only
/// makes the move smaller): the price goes as the square of the input side's reserve, so
/// `R_in × (√(1 + max_move) − 1)`, rounded down; `None` without a bound.
fn largest_within_move(reserve_in: u128, max_move: Bps) -> Option<u128> {
    if max_move == Bps::ZERO {
        return None;
    }
    let grown = mul_div_floor(reserve_in, Bps::SCALE + u128::from(max_move.get()), Bps::SCALE).ok()?;
    Some(amm::math::sqrt_product(reserve_in, grown).saturating_sub(reserve_in))
}

/// Places the treasury's order, shrunk to the price-move bound, or defers it if the pool would
/// fill it outside the slippage bound.
fn place(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &TreasuryParams,
    kind: PendingKind,
    amount_in: u128,
) -> HookResult {
    let pool = amm::pool(state)?;
    let (side, reserve_in, reserve_out) = match kind {
        PendingKind::Buyback => (Side::SellUsd, pool.reserve_usd.get(), pool.reserve_gdc.get()),
        PendingKind::Conversion => (Side::SellGdc, pool.reserve_gdc.get(), pool.reserve_usd.get()),
    };
    let amount_in =
        largest_within_move(reserve_in, params.max_price_move).map_or(amount_in, |m| amount_in.min(m));
    let bound = if reserve_in == 0 || reserve_out == 0 {
        None
    } else {
        least_out(amount_in, reserve_in, reserve_out, params.max_slippage)
    };
    let expected = amm::math::amount_out(amount_in, reserve_in, reserve_out).unwrap_or(0);
    let Some(min_out) = bound.filter(|min| expected >= *min && *min > 0) else {
        events.push(Event::Treasury(TreasuryEvent::Deferred {
            kind,
            amount_in: Amount::new(amount_in),
            expected_out: Amount::new(expected),
            at_clearing: false,
        }));
        return Ok(());
    };
    send(state, events, &account(), &operations(), side.denom_in(), amount_in)?;
    let order = amm::handler::place_order(
        state,
        events,
        &operations(),
        side,
        Amount::new(amount_in),
        Amount::new(min_out),
    )
    .map_err(broken)?;
    state::set_pending(state, Some(&Pending { kind, order, amount_in: Amount::new(amount_in) }));
    events.push(Event::Treasury(TreasuryEvent::OrderPlaced {
        kind,
        order,
        amount_in: Amount::new(amount_in),
        min_out: Amount::new(min_out),
    }));
    Ok(())
}

/// spec: treasury §Floor defence — at most (reserve − floor) / epochs left, twice that under the
/// wall, never taking the reserve under its floor.
fn buyback(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &TreasuryParams,
    book: &mut Book,
    under_wall: bool,
) -> HookResult {
    if book.defence_left == 0 {
        book.defence_left = params.defence_epochs;
        events.push(Event::Treasury(TreasuryEvent::DefenceStarted { epochs: params.defence_epochs }));
    }
    let floor = params.infra_cost_per_epoch.get().saturating_mul(u128::from(params.reserve_floor_epochs));
    let reserve = balance(state, &account(), Denom::USD)?;
    let available = reserve.saturating_sub(floor);
    let paced = available / u128::from(book.defence_left);
    let budget = if under_wall { paced.saturating_mul(2).min(available) } else { paced };
    if budget == 0 {
        events.push(Event::Treasury(TreasuryEvent::BuybackStopped {
            reserve: Amount::new(reserve),
            floor: Amount::new(floor),
        }));
        return Ok(());
    }
    place(state, events, params, PendingKind::Buyback, budget)
}

/// spec: treasury §Conversion — the controller's share of the epoch's GDC income, capped.
fn convert(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &TreasuryParams,
    targets: &Targets,
    book: &Book,
) -> HookResult {
    let share =
        mul_div_floor(book.epoch_income.ugdc.get(), u128::from(targets.conversion_share.get()), Bps::SCALE)
            .unwrap_or(u128::MAX);
    let amount =
        share.min(params.max_conversion_per_epoch.get()).min(balance(state, &account(), Denom::GDC)?);
    if amount == 0 {
        return Ok(());
    }
    place(state, events, params, PendingKind::Conversion, amount)
}

/// spec: treasury §Controller — pool liquidity topped up towards its target share, from GDC and
/// from the reserve above its target, at most `max_pol_add_per_epoch` GDC an epoch.
fn top_up_pool(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &TreasuryParams,
    targets: &Targets,
    inputs: &Inputs,
) -> HookResult {
    let pool = amm::pool(state)?;
    let (x, y) = (pool.reserve_gdc.get(), pool.reserve_usd.get());
    if targets.pol_share == Bps::ZERO || x == 0 || y == 0 || inputs.average == 0 {
        return Ok(());
    }
    let held = controller::value_of(inputs.pol_gdc, inputs.average).saturating_add(inputs.pol_usd);
    let wanted =
        mul_div_floor(targets.value.get(), u128::from(targets.pol_share.get()), Bps::SCALE).unwrap_or(0);
    // Half the gap's value on each side, the GDC side counted at the moving average.
    let gap_gdc =
        mul_div_floor(wanted.saturating_sub(held) / 2, amm::math::PRICE_SCALE, inputs.average).unwrap_or(0);
    let spare_usd = inputs.reserve.saturating_sub(targets.reserve_target.get());
    let by_usd = mul_div_floor(spare_usd, x, y).unwrap_or(0);
    let gdc = gap_gdc.min(params.max_pol_add_per_epoch.get()).min(inputs.gdc).min(by_usd);
    let usd = mul_div_ceil(gdc, y, x).unwrap_or(u128::MAX);
    if gdc == 0 || usd > spare_usd {
        return Ok(());
    }
    let mut added = Vec::new();
    match amm::handler::add_liquidity(state, &mut added, &account(), Amount::new(gdc), Amount::new(usd), 0) {
        Ok(()) => {
            events.extend(added);
            events.push(Event::Treasury(TreasuryEvent::PoolToppedUp {
                gdc: Amount::new(gdc),
                usd: Amount::new(usd),
            }));
            Ok(())
        }
        // Too small to mint a unit: nothing moved.
        Err(Failure::Rule(_)) => Ok(()),
        Err(Failure::Bug(what)) => Err(Failure::Bug(what)),
        Err(Failure::Fatal(error)) => Err(Failure::Fatal(error)),
    }
}

/// Runs at the end of every block, after the AMM clears it: a buy-back's GDC is burned, the rest
/// of the treasury's order goes back to the treasury.
pub(crate) fn after_clearing(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<crate::app::caps::Burner>,
) -> HookResult {
    let burner = &ctx.caps;
    let Some(pending) = state::pending(state)? else {
        return Ok(());
    };
    let ops = operations();
    let gdc = balance(state, &ops, Denom::GDC)?;
    let usd = balance(state, &ops, Denom::USD)?;
    let mut book = state::book(state)?;
    let (filled, received) = match pending.kind {
        PendingKind::Buyback => (usd < pending.amount_in.get(), gdc),
        PendingKind::Conversion => (gdc < pending.amount_in.get(), usd),
    };
    if pending.kind == PendingKind::Buyback && filled {
        burner.burn(state, events, &ops, &Denom::GDC, Amount::new(gdc)).map_err(broken)?;
        book.defence_left = book.defence_left.saturating_sub(1);
        book.bought_with = book.bought_with.saturating_add(pending.amount_in);
        book.burned = book.burned.saturating_add(Amount::new(gdc));
    } else {
        send(state, events, &ops, &account(), Denom::GDC, gdc)?;
    }
    send(state, events, &ops, &account(), Denom::USD, usd)?;
    if pending.kind == PendingKind::Conversion && filled {
        book.converted = book.converted.saturating_add(pending.amount_in);
        book.converted_to = book.converted_to.saturating_add(Amount::new(usd));
    }
    state::set_book(state, &book);
    state::set_pending(state, None);
    events.push(Event::Treasury(if filled {
        TreasuryEvent::OrderFilled {
            kind: pending.kind,
            order: pending.order,
            amount_in: pending.amount_in,
            amount_out: Amount::new(received),
        }
    } else {
        TreasuryEvent::Deferred {
            kind: pending.kind,
            amount_in: pending.amount_in,
            expected_out: Amount::ZERO,
            at_clearing: true,
        }
    }));
    Ok(())
}
