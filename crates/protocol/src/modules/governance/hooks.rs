//! The end of a block: each proposal whose step is due is tallied (voting ended), executed (the
//! timelock passed) or expired (the grace period passed first). At most `max_steps_per_block`
//! steps a block; the rest wait, and an execution that waits past the grace period expires.

use atelier_primitives::{Denom, Height};
use atelier_state::{Overlay, StateWrite};

use super::{
    GovernanceEvent, actions,
    state::{self, ActionResult, MAX_REASON_BYTES, Proposal, Status, account},
};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{Failure, bank, treasury},
};

/// Runs at the end of every block, after every other module, so that whatever it changes applies
/// from the next block on in all of them.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
) -> Result<(), Failure<String>> {
    let height = ctx.height;
    let limit = state::params(state)?.max_steps_per_block as usize;
    for (due, id) in state::due_timers(state, height, limit)? {
        state::clear_timer(state, due, id);
        let Some(proposal) = state::proposal(state, id)? else { continue };
        match proposal.status {
            Status::Pending | Status::Active => tally(state, events, proposal)?,
            Status::Queued => execute(state, events, height, proposal)?,
            Status::Defeated | Status::Executed | Status::Expired => {}
        }
    }
    Ok(())
}

/// Voting ended: the deposit goes back if quorum was reached (to the treasury otherwise); a
/// passing proposal is queued for the end of `voting_ends + timelock_blocks`.
fn tally(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    mut proposal: Proposal,
) -> Result<(), Failure<String>> {
    let quorum_reached = proposal.quorum_reached();
    let to = if quorum_reached { proposal.proposer } else { treasury::account() };
    if !proposal.deposit.is_zero() {
        bank::send(state, events, &account(), &to, &Denom::GDC, proposal.deposit)
            .map_err(|f| f.map_rule(|e| e.to_string()))?;
        if !quorum_reached {
            treasury::hooks::record_income(
                state,
                events,
                treasury::IncomeSource::ForfeitedDeposits,
                &Denom::GDC,
                proposal.deposit,
            )?;
        }
    }
    if proposal.passed() {
        let eta = Height(proposal.voting_ends.0.saturating_add(proposal.timelock_blocks));
        proposal.status = Status::Queued;
        proposal.eta = Some(eta);
        state::set_timer(state, eta, proposal.id);
        events.push(Event::Governance(GovernanceEvent::Queued { proposal: proposal.id, eta }));
    } else {
        proposal.status = Status::Defeated;
        events.push(Event::Governance(GovernanceEvent::Defeated { proposal: proposal.id, quorum_reached }));
    }
    state::put_proposal(state, &proposal);
    Ok(())
}

/// Runs the actions, each on its own: a failing one is recorded and changes nothing, the others
/// stand.
fn execute(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    mut proposal: Proposal,
) -> Result<(), Failure<String>> {
    let eta = proposal.eta.unwrap_or(height);
    if height.0 > eta.0.saturating_add(proposal.grace_period_blocks) {
        proposal.status = Status::Expired;
        state::put_proposal(state, &proposal);
        events.push(Event::Governance(GovernanceEvent::Expired { proposal: proposal.id }));
        return Ok(());
    }
    let mut results = Vec::with_capacity(proposal.actions.len());
    for action in &proposal.actions {
        let mut overlay = Overlay::new(&*state);
        let mut action_events = Vec::new();
        match actions::execute(&mut overlay, &mut action_events, height, action) {
            Ok(()) => {
                for (key, value) in overlay.into_changes().into_writes_unordered() {
                    match value {
                        Some(value) => state.put(key, value),
                        None => state.delete(key),
                    }
                }
                events.extend(action_events);
                results.push(ActionResult::Applied);
            }
            Err(Failure::Rule(reason)) => {
                let reason = reason.chars().take(MAX_REASON_BYTES / 4).collect();
                results.push(ActionResult::Failed { reason });
            }
            Err(failure) => return Err(failure),
        }
    }
    let failed = results.iter().filter(|r| matches!(r, ActionResult::Failed { .. })).count() as u32;
    proposal.status = Status::Executed;
    proposal.results = results;
    state::put_proposal(state, &proposal);
    events.push(Event::Governance(GovernanceEvent::Executed { proposal: proposal.id, failed }));
    Ok(())
}
