//! Executes compute messages: check everything, then write.

use atelier_primitives::{Address, Amount, Hash};
use atelier_state::StateWrite;

use super::{
    ClassCapacity, ComputeCaps, ComputeError, ComputeEvent, ComputeMsg, ComputeParams, Dispute, Job, JobId,
    JobStatus, OutputClaim, Provider, ProviderStatus,
    settle::{self, ComputeResult, Context, Memberships},
    state,
};
use crate::{
    event::Event,
    modules::{Ctx, Failure, provenance, registry, rule, staking},
};

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    block: &Ctx<ComputeCaps>,
    msg: &ComputeMsg,
) -> ComputeResult<()> {
    let params = state::params(state)?;
    let ctx = &Context::new(block, &params);
    let sender = &block.sender;
    match msg {
        ComputeMsg::RegisterProvider { bond, endpoint, capacities } => {
            register_provider(state, events, ctx.params, sender, *bond, endpoint, capacities)
        }
        ComputeMsg::UpdateProvider { endpoint, capacities, add_bond } => {
            let endpoint = Some(endpoint.as_str()).filter(|e| !e.is_empty());
            let capacities = Some(capacities.as_slice()).filter(|c| !c.is_empty());
            update_provider(state, events, ctx.params, sender, endpoint, capacities, *add_bond)
        }
        ComputeMsg::DeregisterProvider => deregister_provider(state, events, ctx, sender),
        ComputeMsg::WithdrawBond => withdraw_bond(state, events, ctx, sender),
        ComputeMsg::SubmitJob {
            model,
            units,
            max_fee_per_unit,
            tip_per_unit,
            prompt_hash,
            params_hash,
            deterministic,
            parents,
            policy,
        } => {
            let job = Job {
                id: JobId(0),
                requester: *sender,
                model: *model,
                class: String::new(),
                units: *units,
                max_fee_per_unit: *max_fee_per_unit,
                tip_per_unit: *tip_per_unit,
                prompt_hash: *prompt_hash,
                params_hash: *params_hash,
                deterministic: *deterministic,
                submitted_at: ctx.height,
                status: JobStatus::Queued,
                held: Amount::ZERO,
                provider: None,
                base_fee_per_unit: Amount::ZERO,
                tip_paid_per_unit: Amount::ZERO,
                output_hash: None,
                due: None,
                dispute: None,
                asset: None,
                parents: parents.clone(),
                policy: *policy,
            };
            submit_job(state, events, ctx, job)
        }
        ComputeMsg::CancelJob { job } => cancel_job(state, events, ctx.params, sender, *job),
        ComputeMsg::SubmitResult { job, output_hash } => {
            submit_result(state, events, ctx, sender, *job, *output_hash)
        }
        ComputeMsg::ChallengeResult { job, output_hash } => {
            challenge_result(state, events, ctx, sender, *job, *output_hash)
        }
        ComputeMsg::ClaimOutput { job, output_hash } => {
            claim_output(state, events, ctx, sender, *job, *output_hash)
        }
    }
}

fn check_endpoint(endpoint: &str) -> ComputeResult<()> {
    let reason = if endpoint.is_empty() {
        "empty"
    } else if endpoint.len() > state::MAX_ENDPOINT_BYTES {
        "longer than 256 bytes"
    } else {
        return Ok(());
    };
    rule(ComputeError::InvalidEndpoint { reason })
}

/// A capacity list: not empty, known classes, each once, each with units.
fn check_capacities(params: &ComputeParams, capacities: &[ClassCapacity]) -> ComputeResult<()> {
    let invalid = |reason: String| rule(ComputeError::InvalidCapacities { reason });
    if capacities.is_empty() {
        return invalid("no class offered".into());
    }
    for (i, offer) in capacities.iter().enumerate() {
        if params.class(&offer.class).is_none() {
            return rule(ComputeError::UnknownClass { class: offer.class.clone() });
        }
        if capacities[..i].iter().any(|earlier| earlier.class == offer.class) {
            return invalid(format!("class {} offered twice", offer.class));
        }
        if offer.units == 0 {
            return invalid(format!("no units offered in class {}", offer.class));
        }
    }
    Ok(())
}

fn provider_of(state: &impl StateWrite, sender: &Address) -> ComputeResult<Provider> {
    match state::provider(state, sender)? {
        Some(provider) => Ok(provider),
        None => rule(ComputeError::NotAProvider { sender: *sender }),
    }
}

fn register_provider(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    sender: &Address,
    bond: Amount,
    endpoint: &str,
    capacities: &[ClassCapacity],
) -> ComputeResult<()> {
    if state::provider(state, sender)?.is_some() {
        return rule(ComputeError::AlreadyRegistered { provider: *sender });
    }
    check_endpoint(endpoint)?;
    check_capacities(params, capacities)?;
    if bond < params.min_provider_bond {
        return rule(ComputeError::BondBelowMinimum { bond, min: params.min_provider_bond });
    }
    let provider = Provider {
        address: *sender,
        bond,
        endpoint: endpoint.to_string(),
        capacities: capacities.to_vec(),
        status: ProviderStatus::Active,
        open: 0,
    };
    let mut memberships = Memberships::new(params);
    memberships.join(state, &provider)?;
    settle::take_in(state, events, sender, bond)?;
    // Point of no return.
    memberships.write(state);
    state::put_provider(state, &provider);
    events.push(Event::Compute(ComputeEvent::ProviderRegistered { provider: *sender, bond }));
    Ok(())
}

fn update_provider(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    sender: &Address,
    endpoint: Option<&str>,
    capacities: Option<&[ClassCapacity]>,
    add_bond: Amount,
) -> ComputeResult<()> {
    let before = provider_of(state, sender)?;
    if matches!(before.status, ProviderStatus::Unbonding { .. }) {
        return rule(ComputeError::Unbonding { provider: *sender });
    }
    if let Some(endpoint) = endpoint {
        check_endpoint(endpoint)?;
    }
    if let Some(capacities) = capacities {
        check_capacities(params, capacities)?;
    }
    let bond = before.bond.checked_add(add_bond).map_err(|_| Failure::Rule(ComputeError::Overflow))?;
    let status =
        if bond >= params.min_provider_bond { ProviderStatus::Active } else { ProviderStatus::Suspended };
    let provider = Provider {
        bond,
        endpoint: endpoint.map_or_else(|| before.endpoint.clone(), str::to_string),
        capacities: capacities.map_or_else(|| before.capacities.clone(), <[ClassCapacity]>::to_vec),
        status,
        ..before.clone()
    };
    let mut memberships = Memberships::new(params);
    if before.status == ProviderStatus::Active {
        memberships.leave(state, &before)?;
    }
    if provider.status == ProviderStatus::Active {
        memberships.join(state, &provider)?;
    }
    settle::take_in(state, events, sender, add_bond)?;
    // Point of no return.
    memberships.write(state);
    state::put_provider(state, &provider);
    events.push(Event::Compute(ComputeEvent::ProviderUpdated {
        provider: *sender,
        bond,
        active: provider.status == ProviderStatus::Active,
    }));
    Ok(())
}

fn deregister_provider(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    sender: &Address,
) -> ComputeResult<()> {
    let mut provider = provider_of(state, sender)?;
    if matches!(provider.status, ProviderStatus::Unbonding { .. }) {
        return rule(ComputeError::Unbonding { provider: *sender });
    }
    let until = atelier_primitives::Height(ctx.height.0.saturating_add(ctx.params.unbonding_blocks));
    let mut memberships = Memberships::new(ctx.params);
    if provider.status == ProviderStatus::Active {
        memberships.leave(state, &provider)?;
    }
    // Point of no return.
    memberships.write(state);
    provider.status = ProviderStatus::Unbonding { until };
    state::put_provider(state, &provider);
    events.push(Event::Compute(ComputeEvent::ProviderDeregistered { provider: *sender, until: until.0 }));
    Ok(())
}

fn withdraw_bond(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    sender: &Address,
) -> ComputeResult<()> {
    let provider = provider_of(state, sender)?;
    let ProviderStatus::Unbonding { until } = provider.status else {
        return rule(ComputeError::NotUnbonding { provider: *sender });
    };
    if ctx.height < until {
        return rule(ComputeError::StillUnbonding { until: until.0 });
    }
    if provider.open > 0 {
        return rule(ComputeError::StillOpen { open: provider.open });
    }
    settle::pay_out(state, events, sender, provider.bond)?;
    // Point of no return.
    state::delete_provider(state, sender);
    events.push(Event::Compute(ComputeEvent::BondWithdrawn { provider: *sender, amount: provider.bond }));
    Ok(())
}

fn submit_job(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    mut job: Job,
) -> ComputeResult<()> {
    let params = ctx.params;
    let Some(model) = registry::model(state, job.model)? else {
        return rule(ComputeError::UnknownModel { model: job.model });
    };
    // spec: compliance §The gate — a model earns only while its lineage is attested and untagged.
    let gate = crate::modules::compliance::gate::gate(state, &model, ctx.time_ms)?;
    if gate != crate::modules::compliance::Gate::Compliant {
        return rule(ComputeError::NotCompliant { model: model.id, gate });
    }
    let Some(mut class) = state::class(state, params, &model.class)? else {
        return rule(ComputeError::UnknownClass { class: model.class });
    };
    if job.units == 0 || job.units > params.max_units_per_job {
        return rule(ComputeError::InvalidUnits { units: job.units, max: params.max_units_per_job });
    }
    if job.tip_per_unit > job.max_fee_per_unit {
        return rule(ComputeError::TipAboveFeeCap { tip: job.tip_per_unit, max_fee: job.max_fee_per_unit });
    }
    if job.max_fee_per_unit < class.base_fee {
        return rule(ComputeError::FeeCapBelowBaseFee {
            max_fee: job.max_fee_per_unit,
            base_fee: class.base_fee,
        });
    }
    if class.queued >= params.max_queued_per_class {
        return rule(ComputeError::QueueFull { class: class.name, max: params.max_queued_per_class });
    }
    let escrow = job
        .max_fee_per_unit
        .checked_mul(u128::from(job.units))
        .map_err(|_| Failure::Rule(ComputeError::Overflow))?;
    let lineage = provenance::lineage(state, &job.parents, &job.policy)
        .map_err(|f| f.map_rule(ComputeError::Lineage))?;
    let id = state::next_job(state)?;
    let following = id.checked_add(1).ok_or(Failure::Rule(ComputeError::IdsExhausted))?;
    settle::take_in(state, events, &job.requester, escrow)?;
    let origin = staking::Origin { payer: job.requester, height: ctx.height };
    provenance::pay_license_fees(state, events, &origin, &lineage)
        .map_err(|f| f.map_rule(ComputeError::Lineage))?;
    // Point of no return.
    job.id = JobId(id);
    job.class = model.class;
    job.held = escrow;
    job.due = Some(atelier_primitives::Height(ctx.height.0.saturating_add(params.queue_timeout_blocks)));
    class.queued += 1;
    state::put_class(state, &class);
    state::set_next_job(state, following);
    state::insert_job(state, &job);
    events.push(Event::Compute(ComputeEvent::JobSubmitted {
        job: job.id,
        requester: job.requester,
        model: job.model,
        units: job.units,
        escrow,
    }));
    Ok(())
}

fn job_of(state: &impl StateWrite, id: JobId) -> ComputeResult<Job> {
    match state::job(state, id)? {
        Some(job) => Ok(job),
        None => rule(ComputeError::UnknownJob { job: id }),
    }
}

fn expect_status(job: &Job, expected: JobStatus) -> ComputeResult<()> {
    if job.status == expected {
        return Ok(());
    }
    rule(ComputeError::WrongStatus { job: job.id, status: job.status, expected })
}

fn cancel_job(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    params: &ComputeParams,
    sender: &Address,
    id: JobId,
) -> ComputeResult<()> {
    let job = job_of(state, id)?;
    if job.requester != *sender {
        return rule(ComputeError::NotRequester { job: id, sender: *sender });
    }
    expect_status(&job, JobStatus::Queued)?;
    settle::unqueue(state, events, params, &job, JobStatus::Cancelled)
}

fn submit_result(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    sender: &Address,
    id: JobId,
    output_hash: Hash,
) -> ComputeResult<()> {
    let before = job_of(state, id)?;
    if before.provider != Some(*sender) {
        return rule(ComputeError::NotAssigned { job: id, sender: *sender });
    }
    expect_status(&before, JobStatus::Admitted)?;
    // Point of no return.
    let due = atelier_primitives::Height(ctx.height.0.saturating_add(ctx.params.challenge_window_blocks));
    let job = Job {
        status: JobStatus::Submitted,
        output_hash: Some(output_hash),
        due: Some(due),
        ..before.clone()
    };
    state::update_job(state, &before, &job);
    events.push(Event::Compute(ComputeEvent::ResultSubmitted { job: id, output_hash }));
    Ok(())
}

/// A verifier of `job`: a provider serving its class with at least the minimum bond, neither its
/// assigned provider nor (when `challenger` is given) the challenger.
fn verifier(
    state: &impl StateWrite,
    params: &ComputeParams,
    job: &Job,
    sender: &Address,
    challenger: Option<&Address>,
) -> ComputeResult<Provider> {
    let not_verifier = || Failure::Rule(ComputeError::NotAVerifier { job: job.id, sender: *sender });
    let provider = state::provider(state, sender)?.ok_or_else(not_verifier)?;
    let party = job.provider.as_ref() == Some(sender) || challenger == Some(sender);
    if party || provider.capacity(&job.class) == 0 || provider.bond < params.min_provider_bond {
        return Err(not_verifier());
    }
    Ok(provider)
}

fn challenge_result(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    sender: &Address,
    id: JobId,
    output_hash: Hash,
) -> ComputeResult<()> {
    let before = job_of(state, id)?;
    expect_status(&before, JobStatus::Submitted)?;
    if !before.deterministic {
        return rule(ComputeError::NotDeterministic { job: id });
    }
    if before.output_hash == Some(output_hash) {
        return rule(ComputeError::SameOutput);
    }
    let mut challenger = verifier(state, ctx.params, &before, sender, None)?;
    // Point of no return: the challenger's bond now answers for the dispute.
    challenger.open = challenger.open.saturating_add(1);
    state::put_provider(state, &challenger);
    let due = atelier_primitives::Height(ctx.height.0.saturating_add(ctx.params.dispute_window_blocks));
    let dispute =
        Dispute { challenger: *sender, claims: vec![OutputClaim { verifier: *sender, output_hash }] };
    let job = Job { status: JobStatus::Disputed, due: Some(due), dispute: Some(dispute), ..before.clone() };
    state::update_job(state, &before, &job);
    events.push(Event::Compute(ComputeEvent::ResultChallenged { job: id, challenger: *sender, output_hash }));
    Ok(())
}

fn claim_output(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Context<'_>,
    sender: &Address,
    id: JobId,
    output_hash: Hash,
) -> ComputeResult<()> {
    let before = job_of(state, id)?;
    expect_status(&before, JobStatus::Disputed)?;
    let Some(dispute) = &before.dispute else {
        return Err(Failure::Fatal(atelier_state::StateError::corrupt(
            b"compute/job",
            "a disputed job has no dispute",
        )));
    };
    verifier(state, ctx.params, &before, sender, Some(&dispute.challenger))?;
    if dispute.claims.iter().any(|c| c.verifier == *sender) {
        return rule(ComputeError::AlreadyClaimed { job: id, verifier: *sender });
    }
    if dispute.claims.len() >= state::MAX_DISPUTE_CLAIMS {
        return rule(ComputeError::DisputeFull { job: id });
    }
    let mut dispute = dispute.clone();
    dispute.claims.push(OutputClaim { verifier: *sender, output_hash });
    let submitted = before.output_hash.unwrap_or(Hash::ZERO);
    let challenged = dispute.claims[0].output_hash;
    let quorum = ctx.params.dispute_quorum;
    let outcome = if dispute.votes_for(&submitted) >= quorum {
        Some(true)
    } else if dispute.votes_for(&challenged) >= quorum {
        Some(false)
    } else {
        None
    };
    let job = Job { dispute: Some(dispute), ..before.clone() };
    state::update_job(state, &before, &job);
    events.push(Event::Compute(ComputeEvent::OutputClaimed { job: id, verifier: *sender, output_hash }));
    if outcome.is_some() {
        settle::resolve(state, events, ctx, &job, outcome)?;
    }
    Ok(())
}
