//! What a proposal's actions do, and the one `SetParams` path: a module's new params are written,
//! then every module's params are validated together (caps that span modules included).

use atelier_primitives::{Address, Amount, Height};
use atelier_state::{Overlay, StateRead, StateWrite};

use super::{Action, GovernanceEvent, ParamsChange, state};
use crate::{
    event::Event,
    modules::{self, Failure, Governed, Module, bank, clusters, compliance, rule, staking, treasury},
};

type ActionResult<T = ()> = Result<T, Failure<String>>;

/// Whether `action` could apply on `state` at `height` (checked when it is proposed; it is checked
/// again when it executes, on the state of then). Writes nothing.
pub(crate) fn check(state: &impl StateWrite, height: Height, action: &Action) -> ActionResult {
    let mut scratch = Overlay::new(state);
    match action {
        Action::SetParams(change) => set_params(&mut scratch, height, change),
        Action::TreasurySpend { denom, amount, .. } => positive_known(denom, *amount),
        Action::StartGrant { denom, per_block, blocks, .. } if *blocks > 0 => {
            positive_known(denom, *per_block)
        }
        Action::StartGrant { .. } => rule("a grant lasts at least one block".into()),
        Action::StopGrant { grant } => match state::grant(state, *grant)? {
            Some(_) => Ok(()),
            None => rule(format!("no grant {grant}")),
        },
        Action::RegisterCluster { slots_per_epoch: 0, .. } => {
            rule("a cluster offers at least one slot per epoch".into())
        }
        Action::RegisterCluster { .. } => Ok(()),
        Action::RecoverReputation { lost, to } if lost == to => {
            rule("recovery moves reputation to another account".into())
        }
        Action::RecoverReputation { .. } => Ok(()),
        Action::RegisterSchema { name, fields, .. } => compliance::admin::check_schema(name, fields),
        Action::SetAttester { .. } => Ok(()),
        Action::ClearTag { subject } => compliance::admin::check_tagged(&scratch, subject),
        Action::ReleaseEscrow { model, to } => {
            compliance::admin::release_escrow(&mut scratch, &mut Vec::new(), *model, to)
        }
    }
}

fn positive_known(denom: &atelier_primitives::Denom, amount: Amount) -> ActionResult {
    if !bank::DENOMS.contains(denom) {
        return rule(format!("unknown denom {denom}"));
    }
    if amount.is_zero() {
        return rule("the amount must be positive".into());
    }
    Ok(())
}

/// Runs `action` at the end of block `height`.
pub(crate) fn execute(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    action: &Action,
) -> ActionResult {
    check(state, height, action)?;
    match action {
        Action::SetParams(change) => set_params(state, height, change),
        Action::TreasurySpend { to, denom, amount } => {
            bank::send(state, events, &treasury::account(), to, denom, *amount)
                .map_err(|f| f.map_rule(|e| e.to_string()))
        }
        Action::StartGrant { recipient, denom, per_block, blocks } => {
            start_grant(state, events, height, recipient, *denom, *per_block, *blocks)
        }
        Action::StopGrant { grant } => stop_grant(state, events, height, *grant),
        Action::RegisterCluster { operator, slots_per_epoch, price_per_slot } => {
            clusters::handler::register(state, events, operator, *slots_per_epoch, *price_per_slot)
                .map(|_| ())
        }
        Action::RecoverReputation { lost, to } => recover(state, events, height, lost, to),
        Action::RegisterSchema { name, fields, revocable } => {
            compliance::admin::register_schema(state, events, name, fields, *revocable)
        }
        Action::SetAttester { attester, approved } => {
            compliance::admin::set_attester(state, events, attester, *approved)
        }
        Action::ClearTag { subject } => compliance::admin::clear_tag(state, events, subject),
        Action::ReleaseEscrow { model, to } => compliance::admin::release_escrow(state, events, *model, to),
    }
}

/// Declares [`set_params`] and [`validate_all`] over the modules whose params governance sets.
macro_rules! params_paths {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// Writes the new params of one module, then validates every module's together.
        fn set_params(state: &mut impl StateWrite, height: Height, change: &ParamsChange) -> ActionResult {
            match change {
                $($(
                    ParamsChange::$Type(params) => {
                        let _tag: u8 = $params;
                        <modules::$module::$Type as Governed>::set_params(state, height, params)?
                    }
                )?)*
            }
            validate_all(state)
        }

        /// Every module's params, validated together. spec: DESIGN §4 "one SetParams path that
        /// validates".
        fn validate_all(state: &impl StateRead) -> ActionResult {
            $($(
                let _tag: u8 = $params;
                <modules::$module::$Type as Governed>::validate_params(state).map_err(|failure| {
                    let module = <modules::$module::$Type as Module>::NAME;
                    failure.map_rule(|reason| format!("{module} params: {reason}"))
                })?;
            )?)*
            Ok(())
        }
    };
}
modules::for_each_module!(params_paths);

fn start_grant(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    recipient: &Address,
    denom: atelier_primitives::Denom,
    per_block: Amount,
    blocks: u64,
) -> ActionResult {
    let id = state::next_grant(state)?;
    let grant = state::Grant {
        id,
        recipient: *recipient,
        denom,
        per_block,
        paid_through: height,
        ends: Height(height.0.saturating_add(blocks)),
    };
    state::put_grant(state, &grant);
    state::set_next_grant(state, id.saturating_add(1));
    events.push(Event::Governance(GovernanceEvent::GrantStarted { grant: id, recipient: *recipient }));
    Ok(())
}

fn stop_grant(state: &mut impl StateWrite, events: &mut Vec<Event>, height: Height, id: u64) -> ActionResult {
    let Some(mut grant) = state::grant(state, id)? else { return rule(format!("no grant {id}")) };
    grant.ends = grant.ends.min(height);
    state::put_grant(state, &grant);
    events.push(Event::Governance(GovernanceEvent::GrantStopped { grant: id }));
    Ok(())
}

/// Moves all of `lost`'s reputation to `to`, from this block on. Past heights keep their answers:
/// both accounts get a new checkpoint. The total is unchanged.
fn recover(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    lost: &Address,
    to: &Address,
) -> ActionResult {
    let params = staking::params(state)?;
    let amount = staking::standing(state, lost, staking::epoch_of(&params, height))?.reputation;
    if amount == 0 {
        return rule(format!("{lost} has no reputation to recover"));
    }
    staking::update_standing(state, &params, lost, height, |s| s.reputation = 0)?;
    staking::update_standing(state, &params, to, height, |s| {
        s.reputation = s.reputation.saturating_add(amount)
    })?;
    events.push(Event::Governance(GovernanceEvent::ReputationRecovered { lost: *lost, to: *to, amount }));
    Ok(())
}
