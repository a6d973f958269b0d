//! Executes governance messages: check everything, then write.

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::StateWrite;

use super::{
    Action, Choice, GovernanceError, GovernanceEvent, GovernanceMsg, actions,
    state::{self, Proposal, ProposalId, Status, Tally, Vote, account},
};
use crate::{
    event::Event,
    modules::{Ctx, Failure, bank, rule, staking, treasury},
};

type GovResult<T = ()> = Result<T, Failure<GovernanceError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &GovernanceMsg,
) -> GovResult {
    let (height, sender) = (ctx.height, &ctx.sender);
    match msg {
        GovernanceMsg::Propose { summary, actions } => {
            propose(state, events, height, sender, summary, actions)
        }
        GovernanceMsg::Vote { proposal, choice } => vote(state, events, height, sender, *proposal, *choice),
        GovernanceMsg::ClaimGrant { grant } => claim_grant(state, events, height, sender, *grant),
    }
}

fn propose(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    proposer: &Address,
    summary: &str,
    actions: &[Action],
) -> GovResult {
    let params = state::params(state)?;
    if actions.is_empty() || actions.len() > params.max_actions as usize {
        return rule(GovernanceError::InvalidActions { count: actions.len(), max: params.max_actions });
    }
    for (index, action) in actions.iter().enumerate() {
        match actions::check(state, height, action) {
            Ok(()) => {}
            Err(Failure::Rule(reason)) => {
                return rule(GovernanceError::InvalidAction { index: index as u32, reason });
            }
            Err(Failure::Bug(what)) => return Err(Failure::Bug(what)),
            Err(Failure::Fatal(error)) => return Err(Failure::Fatal(error)),
        }
    }
    // spec: governance — the snapshot is the state before the proposal's block, so nothing done
    // in or after it counts.
    let snapshot = Height(height.0.saturating_sub(1));
    let staking_params = staking::params(state)?;
    let reputation = staking::reputation_at(state, &staking_params, proposer, snapshot)?;
    if !staking_params.tier(reputation).is_some_and(|t| t.propose) {
        return rule(GovernanceError::CannotPropose { reputation });
    }
    let id = state::next_proposal(state)?;
    let following = id.checked_add(1).ok_or(Failure::Rule(GovernanceError::Overflow))?;
    let voting_starts = Height(height.0.saturating_add(params.voting_delay_blocks));
    let voting_ends = Height(voting_starts.0.saturating_add(params.voting_period_blocks - 1));
    if !params.deposit.is_zero() {
        bank::send(state, events, proposer, &account(), &Denom::GDC, params.deposit)
            .map_err(|f| f.map_rule(GovernanceError::Bank))?;
    }
    // Point of no return.
    let proposal = Proposal {
        id: ProposalId(id),
        proposer: *proposer,
        summary: summary.to_owned(),
        actions: actions.to_vec(),
        deposit: params.deposit,
        snapshot,
        voting_starts,
        voting_ends,
        timelock_blocks: params.timelock_blocks,
        grace_period_blocks: params.grace_period_blocks,
        quorum: params.quorum,
        total_reputation: staking::totals(state)?.reputation,
        tally: Tally::default(),
        status: Status::Pending,
        eta: None,
        results: Vec::new(),
    };
    state::put_proposal(state, &proposal);
    state::set_timer(state, voting_ends, proposal.id);
    state::set_next_proposal(state, following);
    events.push(Event::Governance(GovernanceEvent::Proposed {
        proposal: proposal.id,
        proposer: *proposer,
        snapshot,
    }));
    Ok(())
}

fn vote(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    voter: &Address,
    id: ProposalId,
    choice: Choice,
) -> GovResult {
    let Some(mut proposal) = state::proposal(state, id)? else {
        return rule(GovernanceError::UnknownProposal { proposal: id });
    };
    match proposal.status_at(height) {
        Status::Pending => {
            return rule(GovernanceError::VotingNotStarted { proposal: id, starts: proposal.voting_starts });
        }
        Status::Active if height <= proposal.voting_ends => {}
        _ => return rule(GovernanceError::VotingEnded { proposal: id, ended: proposal.voting_ends }),
    }
    if state::vote(state, id, voter)?.is_some() {
        return rule(GovernanceError::AlreadyVoted { proposal: id, voter: *voter });
    }
    let staking_params = staking::params(state)?;
    let power = staking::reputation_at(state, &staking_params, voter, proposal.snapshot)?;
    if power == 0 {
        return rule(GovernanceError::NoVotingPower { proposal: id, voter: *voter });
    }
    // Point of no return.
    let tally = &mut proposal.tally;
    match choice {
        Choice::For => tally.yes = tally.yes.saturating_add(power),
        Choice::Against => tally.against = tally.against.saturating_add(power),
        Choice::Abstain => tally.abstain = tally.abstain.saturating_add(power),
    }
    state::put_vote(state, id, voter, &Vote { choice, power });
    state::put_proposal(state, &proposal);
    events.push(Event::Governance(GovernanceEvent::Voted { proposal: id, voter: *voter, choice, power }));
    Ok(())
}

fn claim_grant(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    id: u64,
) -> GovResult {
    let grant = match state::grant(state, id)? {
        Some(grant) if grant.recipient == *sender => grant,
        _ => return rule(GovernanceError::UnknownGrant { grant: id }),
    };
    let owed = grant.owed(height);
    if owed.is_zero() {
        return rule(GovernanceError::NothingToClaim { grant: id });
    }
    // spec: governance §Grants — the epoch's grants budget (set by the treasury's controller)
    // pays whole blocks and leaves the rest owed; when the treasury itself holds less than is
    // owed and no more than the budget, it pays what it has and the grant stops.
    let owed_blocks = height.min(grant.ends).0.saturating_sub(grant.paid_through.0);
    let budget = treasury::hooks::grants_left(state, &grant.denom)?;
    let budget_blocks = u64::try_from(budget.get() / grant.per_block.get().max(1)).unwrap_or(u64::MAX);
    if budget_blocks == 0 {
        return rule(GovernanceError::GrantBudgetSpent { grant: id, left: budget });
    }
    let available = bank::balance(state, &treasury::account(), &grant.denom)?;
    let stopped = available < owed && available <= budget;
    let (amount, paid_through) = if stopped {
        (available, height.min(grant.ends))
    } else {
        let blocks = owed_blocks.min(budget_blocks);
        let amount = grant.per_block.checked_mul(u128::from(blocks)).unwrap_or(Amount::MAX).min(owed);
        (amount, Height(grant.paid_through.0.saturating_add(blocks)))
    };
    if !amount.is_zero() {
        bank::send(state, events, &treasury::account(), sender, &grant.denom, amount)
            .map_err(|f| f.map_rule(GovernanceError::Bank))?;
    }
    // Point of no return.
    treasury::hooks::draw_grant(state, &grant.denom, amount)?;
    let ends = if stopped { paid_through } else { grant.ends };
    state::put_grant(state, &state::Grant { paid_through, ends, ..grant });
    events.push(Event::Governance(GovernanceEvent::GrantPaid {
        grant: id,
        recipient: *sender,
        amount,
        stopped,
    }));
    Ok(())
}
