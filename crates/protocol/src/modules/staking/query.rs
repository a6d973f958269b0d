//! Staking queries: stake, unbonding, reputation now and at a past height, tiers.

use atelier_primitives::{Address, Amount, Height, PublicKey};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{
    StakingParams, Tier, Totals, Unbonding, state,
    validators::{Candidate, Liveness, Standing, ValidatorSet, weight},
};

/// Staking params.
pub fn params(state: &impl StateRead) -> Result<StakingParams, StateError> {
    state::params(state)
}

/// The chain's totals: bonded, unbonding, total reputation.
pub fn totals(state: &impl StateRead) -> Result<Totals, StateError> {
    state::totals(state)
}

/// One account's stake and reputation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = StakingPosition))]
pub struct Position {
    /// The account.
    pub account: Address,
    /// Bonded stake.
    pub bonded: Amount,
    /// Stake unbonding, oldest entry first.
    pub unbonding: Vec<Unbonding>,
    /// Reputation now.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reputation: u128,
    /// Its tier.
    pub tier: Option<Tier>,
    /// The epoch under way.
    pub epoch: u64,
}

/// `account`'s position at the state's height.
pub fn position(state: &impl StateRead, account: &Address) -> Result<Position, StateError> {
    let params = state::params(state)?;
    let epoch = state::totals(state)?.epoch;
    let standing = state::standing(state, account, epoch)?;
    Ok(Position {
        account: *account,
        bonded: standing.bonded,
        unbonding: state::unbondings_of(state, account)?,
        reputation: standing.reputation,
        tier: params.tier(standing.reputation).cloned(),
        epoch,
    })
}

/// Every account holding reputation, with it, most first (ties by address). O(accounts): for
/// readers off the chain (the distribution of reputation, its Gini at an epoch's close).
pub fn reputations(state: &impl StateRead) -> Result<Vec<(Address, u128)>, StateError> {
    let epoch = state::totals(state)?.epoch;
    let mut all = Vec::new();
    for (address, _) in state::latest_checkpoints(state)? {
        let reputation = state::standing(state, &address, epoch)?.reputation;
        if reputation > 0 {
            all.push((address, reputation));
        }
    }
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(all)
}

/// `account`'s reputation at `height`, which must not be after the state's height (later heights
/// are not known yet; callers clamp). O(log checkpoints).
pub fn reputation_at(state: &impl StateRead, account: &Address, height: Height) -> Result<u128, StateError> {
    state::reputation_at(state, &state::params(state)?, account, height)
}

/// When `validator`'s equivocation in consensus `view` of `epoch` was slashed, if it was (each is
/// slashed once, however many blocks carry its evidence).
pub fn punished(
    state: &impl StateRead,
    validator: &Address,
    epoch: u64,
    view: u64,
) -> Result<Option<Height>, StateError> {
    state::punished(state, validator, epoch, view)
}

/// The validator set of `epoch`, if the chain keeps it: the current epoch's, the next one's once
/// chosen, and the `evidence_epochs` before the current.
pub fn validator_set(state: &impl StateRead, epoch: u64) -> Result<Option<ValidatorSet>, StateError> {
    state::validator_set(state, epoch)
}

/// The views counted in `epoch` so far and how many each of its validators missed, if any were
/// counted (the chain keeps the epoch under way and the last).
pub fn liveness(state: &impl StateRead, epoch: u64) -> Result<Option<Liveness>, StateError> {
    state::liveness(state, epoch)
}

/// A candidate as the next selection would see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateStanding {
    /// The candidacy.
    pub candidate: Candidate,
    /// Its operator's bonded stake.
    pub bonded: Amount,
    /// Its operator's reputation.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reputation: u128,
    /// Its Proof-of-Creation weight now.
    pub weight: Amount,
    /// The first epoch it may sit in again, if it is jailed now.
    pub jailed_until: Option<u64>,
    /// Whether it would be eligible now: not jailed for the next epoch, its self-stake bonded,
    /// positive weight.
    pub eligible: bool,
}

/// Every candidate with its weight now, heaviest first (ties by consensus key). O(candidates).
pub fn candidates(state: &impl StateRead) -> Result<Vec<CandidateStanding>, StateError> {
    let params = state::params(state)?;
    let epoch = state::totals(state)?.epoch;
    let mut all = Vec::new();
    for candidate in state::candidates(state)? {
        let standing = state::standing(state, &candidate.operator, epoch)?;
        let jailed_until = state::jailed_until(state, &candidate.operator)?.filter(|until| *until > epoch);
        let weight = weight(standing.bonded, standing.reputation, params.validators.reputation_backing);
        let seen =
            Standing { candidate, bonded: standing.bonded, reputation: standing.reputation, jailed_until };
        let eligible = seen.eligible_weight(&params.validators, epoch + 1).is_some();
        all.push(CandidateStanding {
            candidate: seen.candidate,
            bonded: seen.bonded,
            reputation: seen.reputation,
            weight,
            jailed_until,
            eligible,
        });
    }
    all.sort_by(|a, b| {
        b.weight.cmp(&a.weight).then(a.candidate.consensus_key.cmp(&b.candidate.consensus_key))
    });
    Ok(all)
}

/// The operator of a consensus key, if it was ever registered.
pub fn key_owner(state: &impl StateRead, key: &PublicKey) -> Result<Option<Address>, StateError> {
    state::key_owner(state, key)
}
