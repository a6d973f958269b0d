//! What moves money and providers' standing, shared by the messages and the block's end: paying a
//! job out through the waterfall, refunds, slashes, dispute outcomes, and providers joining or
//! leaving their classes.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, Bps, Denom, Height};
use atelier_state::{StateError, StateWrite};

use super::{
    ClassState, ComputeCaps, ComputeError, ComputeEvent, ComputeParams, Job, JobStatus, Provider,
    ProviderStatus,
    state::{self, account},
};
use crate::{
    app::caps::{Burner, Slasher},
    event::Event,
    modules::{
        Ctx, Failure, bank, compliance,
        provenance::{self, DigitalSourceType, Mint},
        registry,
        revenue::{self, VaultId},
        rule,
        staking::{self, SlashReason},
        treasury::{self, IncomeSource},
    },
};

pub(crate) type ComputeResult<T> = Result<T, Failure<ComputeError>>;

/// What the compute market's money paths need of a message's or hook's [`Ctx`], with the
/// market's params read once.
pub(crate) struct Context<'a> {
    pub(crate) params: &'a ComputeParams,
    pub(crate) height: Height,
    /// The block's time: attestations expire by it.
    pub(crate) time_ms: u64,
    pub(crate) burner: &'a Burner,
    pub(crate) slasher: &'a Slasher,
}

impl<'a> Context<'a> {
    pub(crate) fn new(ctx: &'a Ctx<ComputeCaps>, params: &'a ComputeParams) -> Self {
        Context {
            params,
            height: ctx.height,
            time_ms: ctx.time_ms,
            burner: &ctx.caps.burner,
            slasher: &ctx.caps.slasher,
        }
    }
}

fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    amount: Amount,
) -> ComputeResult<()> {
    if amount.is_zero() {
        return Ok(());
    }
    bank::send(state, events, from, to, &Denom::GDC, amount).map_err(|f| f.map_rule(ComputeError::Bank))
}

/// Pays from the compute module's account.
pub(crate) fn pay_out(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    to: &Address,
    amount: Amount,
) -> ComputeResult<()> {
    send(state, events, &account(), to, amount)
}

/// Takes into the compute module's account.
pub(crate) fn take_in(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    amount: Amount,
) -> ComputeResult<()> {
    send(state, events, from, &account(), amount)
}

fn missing(what: &str, id: impl std::fmt::Display) -> StateError {
    StateError::corrupt(b"compute", format!("{what} {id} is missing"))
}

/// The provider `address`, which state guarantees exists (it has open work).
pub(crate) fn open_provider(state: &impl StateWrite, address: &Address) -> ComputeResult<Provider> {
    Ok(state::provider(state, address)?.ok_or_else(|| missing("provider", address))?)
}

/// Class states being changed together, written at once: providers joining and leaving.
pub(crate) struct Memberships<'p> {
    params: &'p ComputeParams,
    classes: BTreeMap<String, ClassState>,
    members: Vec<(String, Address, Option<u64>)>,
}

impl<'p> Memberships<'p> {
    pub(crate) fn new(params: &'p ComputeParams) -> Self {
        Memberships { params, classes: BTreeMap::new(), members: Vec::new() }
    }

    fn class(&mut self, state: &impl StateWrite, name: &str) -> ComputeResult<&mut ClassState> {
        if !self.classes.contains_key(name) {
            let Some(class) = state::class(state, self.params, name)? else {
                return rule(ComputeError::UnknownClass { class: name.to_string() });
            };
            self.classes.insert(name.to_string(), class);
        }
        self.classes.get_mut(name).ok_or_else(|| Failure::Fatal(missing("class", name)))
    }

    /// `provider` stops taking jobs in its classes. Classes removed from the params since it
    /// joined are skipped.
    pub(crate) fn leave(&mut self, state: &impl StateWrite, provider: &Provider) -> ComputeResult<()> {
        for offer in &provider.capacities {
            if self.params.class(&offer.class).is_none() {
                continue;
            }
            let class = self.class(state, &offer.class)?;
            class.capacity = class.capacity.saturating_sub(offer.units);
            class.providers = class.providers.saturating_sub(1);
            self.members.push((offer.class.clone(), provider.address, None));
        }
        Ok(())
    }

    /// `provider` takes jobs in its classes; fails if a class is full or its capacity overflows.
    pub(crate) fn join(&mut self, state: &impl StateWrite, provider: &Provider) -> ComputeResult<()> {
        let max = self.params.max_providers_per_class;
        for offer in &provider.capacities {
            let class = self.class(state, &offer.class)?;
            if class.providers >= max {
                return rule(ComputeError::TooManyProviders { class: offer.class.clone(), max });
            }
            class.capacity =
                class.capacity.checked_add(offer.units).ok_or(Failure::Rule(ComputeError::Overflow))?;
            class.providers += 1;
            self.members.push((offer.class.clone(), provider.address, Some(offer.units)));
        }
        Ok(())
    }

    /// Writes every change, in the order made.
    pub(crate) fn write(self, state: &mut impl StateWrite) {
        for (class, address, units) in &self.members {
            match units {
                Some(units) => state::put_member(state, class, address, *units),
                None => state::delete_member(state, class, address),
            }
        }
        for class in self.classes.values() {
            state::put_class(state, class);
        }
    }
}

/// Takes `share` of `provider`'s bond (rounded up) and pays it to `to`; suspends the provider if
/// its bond falls below the minimum. Returns what was taken.
pub(crate) fn slash(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    provider: &mut Provider,
    share: Bps,
    to: &Address,
) -> ComputeResult<Amount> {
    let amount = state::slash_amount(share, provider.bond);
    provider.bond = provider.bond.saturating_sub(amount);
    let suspended = provider.status == ProviderStatus::Active && provider.bond < params.min_provider_bond;
    if suspended {
        let mut memberships = Memberships::new(params);
        memberships.leave(state, provider)?;
        memberships.write(state);
        provider.status = ProviderStatus::Suspended;
    }
    pay_out(state, events, to, amount)?;
    events.push(Event::Compute(ComputeEvent::ProviderSlashed {
        provider: provider.address,
        amount,
        to: *to,
        suspended,
    }));
    Ok(amount)
}

/// Ends `job` without running it: everything held goes back to the requester.
pub(crate) fn refund(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    before: &Job,
    status: JobStatus,
) -> ComputeResult<Job> {
    let refund = before.held;
    pay_out(state, events, &before.requester, refund)?;
    let job = Job { status, held: Amount::ZERO, due: None, ..before.clone() };
    state::update_job(state, before, &job);
    events.push(Event::Compute(ComputeEvent::JobRefunded { job: job.id, status, refund }));
    Ok(job)
}

/// The assigned provider's job is over: one less open.
fn close_for_provider(state: &mut impl StateWrite, provider: &mut Provider) {
    provider.open = provider.open.saturating_sub(1);
    state::put_provider(state, provider);
}

/// A queued job that timed out, or that its requester cancelled.
pub(crate) fn unqueue(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    job: &Job,
    status: JobStatus,
) -> ComputeResult<()> {
    let mut class = state::class(state, params, &job.class)?.ok_or_else(|| missing("class", &job.class))?;
    class.queued = class.queued.saturating_sub(1);
    state::put_class(state, &class);
    refund(state, events, job, status)?;
    Ok(())
}

/// The provider missed the deadline: the requester gets everything back, the provider loses the
/// penalty share of its bond to the treasury.
pub(crate) fn miss(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    job: &Job,
) -> ComputeResult<()> {
    let address = job.provider.ok_or_else(|| missing("provider of job", job.id))?;
    let mut provider = open_provider(state, &address)?;
    refund(state, events, job, JobStatus::Missed)?;
    let penalty =
        slash(state, events, params, &mut provider, params.missed_deadline_penalty, &treasury::account())?;
    treasury::hooks::record_income(state, events, IncomeSource::ComputePenalties, &Denom::GDC, penalty)?;
    close_for_provider(state, &mut provider);
    Ok(())
}

/// Pays `job` out through the waterfall and mints its output for the requester.
///
/// Of the base-fee part: the treasury's share, the datasets' share (split by the model's lineage
/// weights; kept by the provider if it has none), each lineage owner's performance fee, the burn;
/// the provider takes what is left and the whole tip. Every share is a floor, so the rounding
/// goes to the provider and the parts sum exactly to the price.
pub(crate) fn settle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    before: &Job,
) -> ComputeResult<()> {
    let address = before.provider.ok_or_else(|| missing("provider of job", before.id))?;
    let output_hash = before.output_hash.ok_or_else(|| missing("output of job", before.id))?;
    let model = registry::model(state, before.model)?.ok_or_else(|| missing("model", before.model))?;
    let base = before.base_part();
    let waterfall = &ctx.params.waterfall;
    let to_treasury = waterfall.treasury.of_floor(base);
    let to_datasets =
        if model.lineage_datasets.is_empty() { Amount::ZERO } else { waterfall.datasets.of_floor(base) };
    let fees: Vec<(VaultId, Amount)> =
        model.lineage_fees.iter().map(|f| (VaultId::Model(f.model), f.fee.of_floor(base))).collect();
    let to_fine_tuners = fees.iter().fold(Amount::ZERO, |sum, (_, fee)| sum.saturating_add(*fee));
    let burned = waterfall.burn.of_floor(base);
    let shares = [to_treasury, to_datasets, to_fine_tuners, burned]
        .iter()
        .try_fold(Amount::ZERO, |sum, part| sum.checked_add(*part))
        .map_err(|_| Failure::Rule(ComputeError::Overflow))?;
    let provider_paid = before.held.checked_sub(shares).map_err(|_| Failure::Rule(ComputeError::Overflow))?;

    // The requester pays for everyone's work: the provider's, the datasets' and the fine-tuners'.
    let origin = staking::Origin { payer: before.requester, height: ctx.height };
    pay_out(state, events, &treasury::account(), to_treasury)?;
    treasury::hooks::record_income(state, events, IncomeSource::JobFees, &Denom::GDC, to_treasury)?;
    // spec: compliance §The gate — a job in flight when its model lapses settles the lineage's
    // parts into escrow (to remediation once tagged), not to the model's parties.
    match compliance::gate::gate(state, &model, ctx.time_ms)? {
        compliance::Gate::Compliant => {
            registry::pay_royalties(state, events, &account(), &origin, &model, &Denom::GDC, to_datasets)
                .map_err(|f| f.into_bug("dataset royalties"))?;
            for (vault, fee) in &fees {
                revenue::pay_into(state, events, &account(), &origin, *vault, &Denom::GDC, *fee)
                    .map_err(|f| f.into_bug("a fine-tuner's vault"))?;
            }
        }
        gate => {
            let withheld = to_datasets.saturating_add(to_fine_tuners);
            compliance::gate::withhold(state, events, &account(), &model, gate, &Denom::GDC, withheld)
                .map_err(|f| f.map_rule(ComputeError::Bank))?;
        }
    }
    if !burned.is_zero() {
        ctx.burner
            .burn(state, events, &account(), &Denom::GDC, burned)
            .map_err(|f| f.map_rule(ComputeError::Bank))?;
    }
    pay_out(state, events, &address, provider_paid)?;
    staking::credit(state, &origin, &address, &Denom::GDC, provider_paid)?;
    state::count_settled(state, &before.class)?;
    // The parents were checked at submission and assets never change, so this cannot fail.
    let lineage = provenance::lineage(state, &before.parents, &before.policy)
        .map_err(|f| f.into_bug("a settled job's lineage"))?;
    let source_type = if before.parents.is_empty() {
        DigitalSourceType::TrainedAlgorithmicMedia
    } else {
        DigitalSourceType::CompositeWithTrainedAlgorithmicMedia
    };
    let mint = Mint {
        owner: before.requester,
        model: Some(before.model),
        datasets: model.lineage_datasets.clone(),
        job: Some(before.id),
        output_hash,
        prompt_hash: before.prompt_hash,
        policy: before.policy,
        source_type,
        height: ctx.height,
    };
    let asset =
        provenance::mint(state, events, mint, lineage)?.ok_or(Failure::Rule(ComputeError::IdsExhausted))?;
    let job = Job {
        status: JobStatus::Settled,
        held: Amount::ZERO,
        due: None,
        asset: Some(asset),
        ..before.clone()
    };
    state::update_job(state, before, &job);
    let mut provider = open_provider(state, &address)?;
    close_for_provider(state, &mut provider);
    events.push(Event::Compute(ComputeEvent::JobSettled {
        job: job.id,
        provider: address,
        treasury: to_treasury,
        datasets: to_datasets,
        fine_tuners: to_fine_tuners,
        burned,
        provider_paid,
        asset,
    }));
    Ok(())
}

/// Ends `job`'s dispute: `Some(true)` the provider's result stood a quorum, `Some(false)` the
/// challenger's did, `None` the window closed without a quorum (the result stands and nobody is
/// slashed). The loser pays the dispute share of its bond to the winner; an overturned job is
/// refunded, a standing one settles.
pub(crate) fn resolve(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    job: &Job,
    upheld: Option<bool>,
) -> ComputeResult<()> {
    let dispute = job.dispute.as_ref().ok_or_else(|| missing("dispute of job", job.id))?;
    let assigned = job.provider.ok_or_else(|| missing("provider of job", job.id))?;
    let mut challenger = open_provider(state, &dispute.challenger)?;
    challenger.open = challenger.open.saturating_sub(1);
    let loser = match upheld {
        Some(true) => {
            slash(state, events, ctx.params, &mut challenger, ctx.params.dispute_slash, &assigned)?;
            Some(challenger.address)
        }
        Some(false) => {
            let mut provider = open_provider(state, &assigned)?;
            refund(state, events, job, JobStatus::Overturned)?;
            slash(state, events, ctx.params, &mut provider, ctx.params.dispute_slash, &challenger.address)?;
            ctx.slasher
                .slash(
                    state,
                    events,
                    ctx.height,
                    &assigned,
                    ctx.params.wrong_result_stake_slash,
                    SlashReason::WrongResult,
                )
                .map_err(|f| f.into_bug("slashing a wrong result's stake"))?;
            close_for_provider(state, &mut provider);
            Some(assigned)
        }
        None => None,
    };
    state::put_provider(state, &challenger);
    events.push(Event::Compute(ComputeEvent::DisputeResolved {
        job: job.id,
        upheld: upheld.unwrap_or(true),
        loser,
    }));
    if upheld != Some(false) {
        settle(state, events, ctx, job)?;
    }
    Ok(())
}
