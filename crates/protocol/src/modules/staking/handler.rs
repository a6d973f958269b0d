//! Executes staking messages, and the capabilities other modules use: crediting creation value
//! and slashing. Check everything, then write.

use atelier_primitives::{Address, Amount, Bps, Denom, Height};
use atelier_state::{StateError, StateRead, StateWrite};

use super::{
    SlashReason, StakingError, StakingEvent, StakingMsg, Unbonding,
    params::SlashDestination,
    state::{self, account},
    validators::Candidate,
};
use crate::app::caps::Slasher;
use crate::{
    event::Event,
    modules::{
        Ctx, Failure, bank, rule,
        treasury::{self, IncomeSource},
    },
};

type StakingResult<T = ()> = Result<T, Failure<StakingError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &StakingMsg,
) -> StakingResult {
    let (height, sender) = (ctx.height, &ctx.sender);
    match msg {
        StakingMsg::Stake { amount } => stake(state, events, height, sender, *amount),
        StakingMsg::Unstake { amount } => unstake(state, events, height, sender, *amount),
        StakingMsg::Withdraw {} => withdraw(state, events, height, sender),
        StakingMsg::RegisterValidator { consensus_key, p2p_addr, min_self_stake } => {
            let candidate = Candidate {
                operator: *sender,
                consensus_key: *consensus_key,
                p2p_addr: p2p_addr.clone(),
                min_self_stake: *min_self_stake,
            };
            register_validator(state, events, height, candidate)
        }
        StakingMsg::UpdateValidator { consensus_key, p2p_addr, min_self_stake } => {
            let Some(mut candidate) = state::candidate(state, sender)? else {
                return rule(StakingError::NotACandidate);
            };
            candidate.consensus_key = consensus_key.unwrap_or(candidate.consensus_key);
            if !p2p_addr.is_empty() {
                candidate.p2p_addr = p2p_addr.clone();
            }
            candidate.min_self_stake = min_self_stake.unwrap_or(candidate.min_self_stake);
            update_validator(state, events, height, candidate)
        }
        StakingMsg::LeaveValidators {} => {
            if state::candidate(state, sender)?.is_none() {
                return rule(StakingError::NotACandidate);
            }
            state::remove_candidate(state, sender)?;
            events.push(Event::Staking(StakingEvent::ValidatorLeft { operator: *sender }));
            Ok(())
        }
    }
}

fn register_validator(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    candidate: Candidate,
) -> StakingResult {
    if state::candidate(state, &candidate.operator)?.is_some() {
        return rule(StakingError::AlreadyCandidate);
    }
    let max = state::params(state)?.validators.max_candidates;
    if state::candidate_count(state)? >= max {
        return rule(StakingError::TooManyCandidates { max });
    }
    check_candidate(state, height, &candidate)?;
    state::put_candidate(state, &candidate)?;
    events.push(Event::Staking(StakingEvent::ValidatorRegistered { candidate }));
    Ok(())
}

fn update_validator(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    candidate: Candidate,
) -> StakingResult {
    check_candidate(state, height, &candidate)?;
    state::put_candidate(state, &candidate)?;
    events.push(Event::Staking(StakingEvent::ValidatorUpdated { candidate }));
    Ok(())
}

/// What registering and updating both check: a valid key that is not another operator's, a
/// usable address, and the self-stake the candidate promises bonded already.
fn check_candidate(state: &impl StateRead, height: Height, candidate: &Candidate) -> StakingResult {
    if candidate.consensus_key.check().is_err() {
        return rule(StakingError::BadConsensusKey);
    }
    if let Some(operator) = state::key_owner(state, &candidate.consensus_key)?
        && operator != candidate.operator
    {
        return rule(StakingError::ConsensusKeyTaken { operator });
    }
    if let Some(reason) = super::validators::p2p_addr_problem(&candidate.p2p_addr) {
        return rule(StakingError::BadP2pAddress { reason });
    }
    let params = state::params(state)?;
    let min = candidate.min_self_stake.max(params.validators.min_self_stake);
    let bonded = state::standing(state, &candidate.operator, state::epoch_of(&params, height))?.bonded;
    if bonded < min {
        return rule(StakingError::InsufficientSelfStake { bonded, min });
    }
    Ok(())
}

fn stake(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    amount: Amount,
) -> StakingResult {
    let params = state::params(state)?;
    if amount < params.min_stake {
        return rule(StakingError::BelowMinimumStake { amount, min: params.min_stake });
    }
    let current = state::standing(state, sender, state::epoch_of(&params, height))?;
    let bonded = current.bonded.checked_add(amount).map_err(|_| Failure::Rule(StakingError::Overflow))?;
    bank::send(state, events, sender, &account(), &Denom::GDC, amount)
        .map_err(|f| f.map_rule(StakingError::Bank))?;
    // Point of no return. Stake bonded mid-epoch raises the bonded amount, not the epoch's floor:
    // it earns from the next epoch on.
    state::update_standing(state, &params, sender, height, |s| s.bonded = bonded)?;
    events.push(Event::Staking(StakingEvent::Staked { account: *sender, amount, bonded }));
    Ok(())
}

fn unstake(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
    amount: Amount,
) -> StakingResult {
    let params = state::params(state)?;
    if let Some(until) = state::locked_until(state, sender)?.filter(|until| height < *until) {
        return rule(StakingError::Locked { until });
    }
    let current = state::standing(state, sender, state::epoch_of(&params, height))?;
    let Ok(bonded) = current.bonded.checked_sub(amount) else {
        return rule(StakingError::ExceedsBonded { bonded: current.bonded, amount });
    };
    if amount.is_zero() {
        return rule(StakingError::ExceedsBonded { bonded: current.bonded, amount });
    }
    let max = params.max_unbonding_entries;
    let mut entries = state::unbondings_of(state, sender)?;
    if entries.len() >= max as usize {
        return rule(StakingError::TooManyUnbonding { max });
    }
    let id = state::next_unbonding(state)?;
    let following = id.checked_add(1).ok_or(Failure::Rule(StakingError::Overflow))?;
    let release_at = Height(height.0.saturating_add(params.unbonding_blocks));
    // Point of no return.
    state::update_standing(state, &params, sender, height, |s| s.bonded = bonded)?;
    let mut totals = state::totals(state)?;
    totals.unbonding = totals.unbonding.saturating_add(amount);
    state::set_totals(state, &totals);
    entries.push(Unbonding { id, owner: *sender, amount, release_at });
    state::set_unbondings_of(state, sender, entries);
    state::set_next_unbonding(state, following);
    events.push(Event::Staking(StakingEvent::UnbondingStarted {
        account: *sender,
        entry: id,
        amount,
        release_at,
    }));
    Ok(())
}

fn withdraw(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    sender: &Address,
) -> StakingResult {
    let entries = state::unbondings_of(state, sender)?;
    let (released, waiting): (Vec<Unbonding>, Vec<Unbonding>) =
        entries.into_iter().partition(|e| e.release_at <= height);
    if released.is_empty() {
        let next = waiting.iter().map(|e| e.release_at).min();
        return rule(StakingError::NothingToWithdraw { next });
    }
    let amount = released
        .iter()
        .try_fold(Amount::ZERO, |sum, e| sum.checked_add(e.amount))
        .map_err(|_| Failure::Rule(StakingError::Overflow))?;
    bank::send(state, events, &account(), sender, &Denom::GDC, amount)
        .map_err(|f| f.map_rule(StakingError::Bank))?;
    // Point of no return.
    state::set_unbondings_of(state, sender, waiting);
    let mut totals = state::totals(state)?;
    totals.unbonding = totals.unbonding.saturating_sub(amount);
    state::set_totals(state, &totals);
    events.push(Event::Staking(StakingEvent::Withdrawn { account: *sender, amount }));
    Ok(())
}

/// Whose work a payment rewards is its recipient's; `Origin` says who paid in the end and when,
/// so that the recipient's reputation counts it unless the two are related.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    /// The party whose money it is (the requester of a job, the buyer of a sale).
    pub payer: Address,
    /// The height of the payment.
    pub height: Height,
}

/// Counts `amount` of `denom` paid by `origin.payer` to `earner` as `earner`'s creation value,
/// unless the two are related (spec: README "Related accounts"). Reputation only: no funds move.
pub(crate) fn credit(
    state: &mut impl StateWrite,
    origin: &Origin,
    earner: &Address,
    denom: &Denom,
    amount: Amount,
) -> Result<(), StateError> {
    credit_all(state, origin, denom, [(earner, amount)])
}

/// [`credit`] of several earners paid by one payer at one height, reading the params, the
/// epoch's rates and the totals once.
pub(crate) fn credit_all<'a>(
    state: &mut impl StateWrite,
    origin: &Origin,
    denom: &Denom,
    earners: impl IntoIterator<Item = (&'a Address, Amount)>,
) -> Result<(), StateError> {
    let mut earners = earners.into_iter().filter(|(_, amount)| !amount.is_zero()).peekable();
    // What the treasury pays (grants, the style incentive) is the protocol's money, not a
    // community's payment for work: it builds no reputation.
    if earners.peek().is_none() || origin.payer == crate::modules::treasury::account() {
        return Ok(());
    }
    let params = state::params(state)?;
    let mut standings = state::Standings::open(state, &params, origin.height)?;
    let usd = *denom == Denom::USD;
    for (earner, amount) in earners {
        if state::related(state, &params, &origin.payer, earner, origin.height)? {
            continue;
        }
        standings.update(state, earner, |s| {
            if usd {
                s.created_uusd = s.created_uusd.saturating_add(amount);
            } else {
                s.created_ugdc = s.created_ugdc.saturating_add(amount);
            }
        })?;
    }
    standings.close(state);
    Ok(())
}

/// Stake `account` has bonded now.
pub(crate) fn bonded(state: &impl StateRead, account: &Address) -> Result<Amount, StateError> {
    Ok(state::latest(state, account)?.map(|c| c.standing.bonded).unwrap_or(Amount::ZERO))
}

/// Takes `share` of `account`'s reputation at `height`, rounded up (a penalty, not a transfer: the
/// reputation is gone). Returns what was taken.
pub(crate) fn penalize(
    state: &mut impl StateWrite,
    account: &Address,
    share: Bps,
    height: Height,
) -> Result<u128, StateError> {
    let params = state::params(state)?;
    let mut taken = 0;
    state::update_standing(state, &params, account, height, |s| {
        taken = atelier_primitives::math::mul_div_ceil(s.reputation, u128::from(share.get()), Bps::SCALE)
            .unwrap_or(s.reputation)
            .min(s.reputation);
        s.reputation -= taken;
    })?;
    Ok(taken)
}

/// Writes new staking params at `height`: the epoch length is fixed at genesis, and new rates
/// apply from the next epoch (epochs under way close with the rates they started with).
pub(crate) fn set_params(
    state: &mut impl StateWrite,
    height: Height,
    params: &super::StakingParams,
) -> Result<(), Failure<String>> {
    let old = state::params(state)?;
    if params.epoch_blocks != old.epoch_blocks {
        return Err(Failure::Rule("staking epoch_blocks is fixed at genesis".into()));
    }
    if params.rates != old.rates {
        let from_epoch = state::epoch_of(&old, height).saturating_add(1);
        state::push_rates(state, &super::RateSegment { from_epoch, rates: params.rates })?;
    }
    state::set_params(state, params);
    Ok(())
}

/// Slashing: the app grants a [`Slasher`] only to the paths that prove a fault (compute
/// disputes, compliance, consensus evidence).
impl Slasher {
    /// Takes `share` of `account`'s bonded stake and of each of its unbonding entries, each part
    /// rounded up, and burns it or pays it to the treasury as the params say. Returns the amount.
    pub(crate) fn slash(
        &self,
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        height: Height,
        offender: &Address,
        share: Bps,
        reason: SlashReason,
    ) -> StakingResult<Amount> {
        let params = state::params(state)?;
        let current = state::standing(state, offender, state::epoch_of(&params, height))?;
        let part = |amount: Amount| {
            share.of_ceil(amount).map(|p| p.min(amount)).map_err(|_| Failure::Rule(StakingError::Overflow))
        };
        let from_bonded = part(current.bonded)?;
        let mut entries = state::unbondings_of(state, offender)?;
        let mut from_unbonding = Amount::ZERO;
        for entry in &mut entries {
            let taken = part(entry.amount)?;
            entry.amount = entry.amount.saturating_sub(taken);
            from_unbonding = from_unbonding.saturating_add(taken);
        }
        let amount = from_bonded.saturating_add(from_unbonding);
        if amount.is_zero() {
            return Ok(amount);
        }
        // spec: compliance §Disputes — a violation's slash is burned whatever the destination.
        let destination =
            if reason == SlashReason::Violation { SlashDestination::Burn } else { params.slash_destination };
        match destination {
            SlashDestination::Burn => self.burner().burn(state, events, &account(), &Denom::GDC, amount),
            SlashDestination::Treasury => {
                bank::send(state, events, &account(), &treasury::account(), &Denom::GDC, amount)
            }
        }
        .map_err(|f| f.map_rule(StakingError::Bank))?;
        if destination == SlashDestination::Treasury {
            treasury::hooks::record_income(state, events, IncomeSource::Slashes, &Denom::GDC, amount)?;
        }
        // Point of no return.
        let bonded = current.bonded.saturating_sub(from_bonded);
        state::update_standing(state, &params, offender, height, |s| s.bonded = bonded)?;
        state::set_unbondings_of(state, offender, entries);
        let mut totals = state::totals(state)?;
        totals.unbonding = totals.unbonding.saturating_sub(from_unbonding);
        state::set_totals(state, &totals);
        events.push(Event::Staking(StakingEvent::Slashed {
            account: *offender,
            amount,
            reason,
            destination: params.slash_destination,
        }));
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use atelier_state::{MemoryStore, Overlay};

    use super::*;
    use crate::modules::{
        Ctx,
        staking::{genesis, query},
    };

    const STAKER: Address = Address([3; 20]);

    fn staked(destination: SlashDestination) -> MemoryStore {
        let mut store = MemoryStore::new();
        let mut state = Overlay::new(&store);
        genesis::init_default(&mut state);
        let mut params = state::params(&state).unwrap();
        params.slash_destination = destination;
        state::set_params(&mut state, &params);
        bank::init_balance(&mut state, &STAKER, &Denom::GDC, Amount::new(10_000_000));
        bank::init_supply(&mut state, &Denom::GDC, Amount::new(10_000_000), Amount::ZERO);
        let mut events = Vec::new();
        let stake = StakingMsg::Stake { amount: Amount::new(3_000_001) };
        handle(&mut state, &mut events, &Ctx::for_tests(Height(1), STAKER), &stake).unwrap();
        let unstake = StakingMsg::Unstake { amount: Amount::new(1_000_001) };
        handle(&mut state, &mut events, &Ctx::for_tests(Height(2), STAKER), &unstake).unwrap();
        store.apply(state.into_changes()).unwrap();
        store
    }

    #[test]
    fn a_slash_takes_its_share_of_bonded_and_unbonding_stake_each_rounded_up() {
        for destination in [SlashDestination::Burn, SlashDestination::Treasury] {
            let store = staked(destination);
            let mut state = Overlay::new(&store);
            let share = Bps::new(1_000).unwrap();
            let slashed = crate::app::caps::for_tests::<Slasher>()
                .slash(&mut state, &mut Vec::new(), Height(3), &STAKER, share, SlashReason::WrongResult)
                .unwrap();
            // 10% of 2 000 000 bonded, and of 1 000 001 unbonding rounded up to 100 001.
            assert_eq!(slashed, Amount::new(200_000 + 100_001));
            let position = query::position(&state, &STAKER).unwrap();
            assert_eq!(position.bonded, Amount::new(1_800_000));
            assert_eq!(position.unbonding[0].amount, Amount::new(900_000));
            let (burned, to_treasury) = (
                bank::burned(&state, &Denom::GDC).unwrap(),
                bank::balance(&state, &treasury::account(), &Denom::GDC).unwrap(),
            );
            match destination {
                SlashDestination::Burn => assert_eq!((burned, to_treasury), (slashed, Amount::ZERO)),
                SlashDestination::Treasury => assert_eq!((burned, to_treasury), (Amount::ZERO, slashed)),
            }
            assert!(crate::modules::staking::invariants::books(&state).unwrap().is_empty());
        }
    }

    #[test]
    fn payments_between_related_accounts_earn_nothing() {
        let store = staked(SlashDestination::Burn);
        let mut state = Overlay::new(&store);
        let params = state::params(&state).unwrap();
        let other = Address([4; 20]);
        assert!(state::related(&state, &params, &STAKER, &STAKER, Height(5)).unwrap());
        assert!(!state::related(&state, &params, &STAKER, &other, Height(5)).unwrap());
        state::record_funding(&mut state, &other, &STAKER, Height(5));
        assert!(state::related(&state, &params, &STAKER, &other, Height(5)).unwrap());
        let window = params.relation_window_blocks;
        assert!(state::related(&state, &params, &other, &STAKER, Height(5 + window - 1)).unwrap());
        assert!(!state::related(&state, &params, &other, &STAKER, Height(5 + window)).unwrap());
        let origin = Origin { payer: other, height: Height(6) };
        credit(&mut state, &origin, &STAKER, &Denom::GDC, Amount::new(1_000)).unwrap();
        let standing = state::standing(&state, &STAKER, 0).unwrap();
        assert_eq!(standing.created_ugdc, Amount::ZERO);
    }

    proptest::proptest! {
        /// One payer's credits at once leave exactly the state, totals included, that crediting
        /// each earner in turn leaves — repeated earners, zero amounts and related ones among them.
        #[test]
        fn crediting_earners_together_equals_crediting_them_one_by_one(
            earners in proptest::collection::vec((0u8..6, 0u128..5_000_000), 0..12),
            usd in proptest::bool::ANY,
            height in 2u64..2_000,
        ) {
            let mut store = staked(SlashDestination::Burn);
            let payer = Address([9; 20]);
            let denom = if usd { Denom::USD } else { Denom::GDC };
            // The staker is related to the payer; the others are not.
            let mut related = Overlay::new(&store);
            state::record_funding(&mut related, &payer, &STAKER, Height(1));
            let related = related.into_changes();
            store.apply(related).unwrap();
            let accounts: Vec<(Address, Amount)> = earners
                .iter()
                .map(|(who, amount)| {
                    (if *who == 0 { STAKER } else { Address([10 + who; 20]) }, Amount::new(*amount))
                })
                .collect();
            let origin = Origin { payer, height: Height(height) };
            let mut together = Overlay::new(&store);
            credit_all(&mut together, &origin, &denom, accounts.iter().map(|(a, m)| (a, *m))).unwrap();
            let mut one_by_one = Overlay::new(&store);
            for (account, amount) in &accounts {
                credit(&mut one_by_one, &origin, account, &denom, *amount).unwrap();
            }
            let (together, one_by_one) = (together.into_changes(), one_by_one.into_changes());
            proptest::prop_assert_eq!(together.sorted(), one_by_one.sorted());
        }
    }
}
