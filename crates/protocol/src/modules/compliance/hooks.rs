//! The end of a block: disputes whose window ends here are decided. O(disputes due), at most
//! `max_open_disputes`.

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::StateWrite;

use super::{
    ComplianceEvent, Dispute, DisputeStatus, Subject, Tag,
    state::{self, account, remediation},
};
use crate::modules::Ctx;
use crate::{
    event::Event,
    modules::{
        Failure, bank,
        staking::{self, SlashReason},
        treasury::{self, IncomeSource},
    },
};

type HookResult = Result<(), Failure<String>>;

fn broken<E: std::fmt::Display>(failure: Failure<E>) -> Failure<String> {
    failure.map_rule(|e| e.to_string())
}

/// Runs at the end of every block.
pub(crate) fn end_block(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<crate::app::caps::Slasher>,
) -> HookResult {
    let (height, slasher) = (ctx.height, &ctx.caps);
    for id in state::due(state, height)? {
        let Some(dispute) = state::dispute(state, id)? else {
            return Err(Failure::Rule(format!("dispute {id} has a timer but no record")));
        };
        let quorum = state::params(state)?.arbiter_quorum;
        if dispute.uphold >= quorum && dispute.uphold > dispute.reject {
            uphold(state, events, height, dispute, slasher)?;
        } else {
            reject(state, events, dispute)?;
        }
    }
    Ok(())
}

fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    denom: &Denom,
    amount: Amount,
) -> HookResult {
    if amount.is_zero() {
        return Ok(());
    }
    bank::send(state, events, from, to, denom, amount).map_err(broken)
}

/// spec: compliance §Disputes — tag, slash (burned) and lock, escrow to remediation, the reporter
/// repaid and rewarded.
fn uphold(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    mut dispute: Dispute,
    slasher: &crate::app::caps::Slasher,
) -> HookResult {
    let params = state::params(state)?;
    state::set_tag(state, &dispute.subject, Some(&Tag { dispute: dispute.id, height }));
    let owner = super::handler::responsible(state, &dispute.subject)?
        .ok_or_else(|| Failure::Rule(format!("{} of dispute {} is gone", dispute.subject, dispute.id)))?;
    let slashed = slasher
        .slash(state, events, height, &owner, params.violation_slash, SlashReason::Violation)
        .map_err(broken)?;
    staking::lock(state, &owner, Height(height.0.saturating_add(params.lock_blocks)))?;
    let mut remediated = Amount::ZERO;
    if let Subject::Model(model) = dispute.subject {
        for denom in [Denom::GDC, Denom::USD] {
            let held = state::escrow(state, model, &denom)?;
            send(state, events, &account(), &remediation(), &denom, held)?;
            state::set_escrow(state, model, &denom, Amount::ZERO);
            if denom == Denom::GDC {
                remediated = held;
            }
        }
    }
    send(state, events, &account(), &dispute.reporter, &Denom::GDC, dispute.bond)?;
    let in_treasury = bank::balance(state, &treasury::account(), &Denom::GDC)?;
    let reward = params.reporter_reward.min(in_treasury);
    send(state, events, &treasury::account(), &dispute.reporter, &Denom::GDC, reward)?;
    dispute.status = DisputeStatus::Upheld;
    state::put_dispute(state, &dispute)?;
    events.push(Event::Compliance(ComplianceEvent::Upheld {
        dispute: dispute.id,
        subject: dispute.subject,
        owner,
        slashed,
        reward,
        remediated,
    }));
    Ok(())
}

/// spec: compliance §Disputes — the bond goes to the treasury.
fn reject(state: &mut impl StateWrite, events: &mut Vec<Event>, mut dispute: Dispute) -> HookResult {
    send(state, events, &account(), &treasury::account(), &Denom::GDC, dispute.bond)?;
    treasury::hooks::record_income(state, events, IncomeSource::DisputeBonds, &Denom::GDC, dispute.bond)?;
    dispute.status = DisputeStatus::Rejected;
    state::put_dispute(state, &dispute)?;
    events.push(Event::Compliance(ComplianceEvent::Rejected { dispute: dispute.id, bond: dispute.bond }));
    Ok(())
}
