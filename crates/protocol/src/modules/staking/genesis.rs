//! staking genesis: params, the rates history, totals, every account's latest checkpoint, the
//! unbonding entries and the recorded fundings.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, Height, PublicKey};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{
    Checkpoint, RateSegment, StakingParams, Totals, Unbonding, state,
    validators::{Candidate, Liveness, Validator, ValidatorSet, p2p_addr_problem, weight},
};
use crate::genesis::GenesisError;

/// One account's standing at genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StakerGenesis {
    /// The account.
    pub address: Address,
    /// Its latest checkpoint.
    pub checkpoint: Checkpoint,
}

/// The last transfer between two accounts (for the relation rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// The lower address.
    pub low: Address,
    /// The higher address.
    pub high: Address,
    /// When.
    pub height: Height,
}

/// An equivocation already slashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Punishment {
    /// The validator's account.
    pub validator: Address,
    /// The epoch of the equivocation.
    pub epoch: u64,
    /// The consensus view.
    pub view: u64,
    /// When it was slashed.
    pub height: Height,
}

/// The staking part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: StakingParams,
    /// The rates history; empty means the params' rates from epoch 0.
    #[serde(default)]
    pub rate_history: Vec<RateSegment>,
    /// Totals; absent means summed from the accounts.
    #[serde(default)]
    pub totals: Option<Totals>,
    /// Accounts by address.
    #[serde(default)]
    pub accounts: Vec<StakerGenesis>,
    /// Unbonding entries by id.
    #[serde(default)]
    pub unbonding: Vec<Unbonding>,
    /// Recorded fundings.
    #[serde(default)]
    pub fundings: Vec<Funding>,
    /// Equivocations already slashed.
    #[serde(default)]
    pub punished: Vec<Punishment>,
    /// Stake locked after upheld violations.
    #[serde(default)]
    pub locks: Vec<Lock>,
    /// Validator candidates, by operator.
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    /// Every consensus key ever registered, with its operator (the candidates' keys are added).
    #[serde(default)]
    pub consensus_keys: Vec<KeyOwner>,
    /// Validators jailed, with the first epoch each may sit in again.
    #[serde(default)]
    pub jailed: Vec<Jail>,
    /// Validator sets by epoch; empty means the candidates are the first epoch's set.
    #[serde(default)]
    pub validator_sets: Vec<ValidatorSet>,
    /// Who missed the views counted in the epoch under way and the last, by epoch; each must
    /// match its epoch's set.
    #[serde(default)]
    pub liveness: Vec<Liveness>,
    /// The id the next unbonding entry gets.
    #[serde(default = "first_id")]
    pub next_unbonding: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for StakingGenesis {
    fn default() -> Self {
        StakingGenesis {
            params: StakingParams::default(),
            rate_history: Vec::new(),
            totals: None,
            accounts: Vec::new(),
            unbonding: Vec::new(),
            fundings: Vec::new(),
            punished: Vec::new(),
            locks: Vec::new(),
            candidates: Vec::new(),
            consensus_keys: Vec::new(),
            jailed: Vec::new(),
            validator_sets: Vec::new(),
            liveness: Vec::new(),
            next_unbonding: 1,
        }
    }
}

impl StakingGenesis {
    /// Checks the section, fills what is implied and sorts it; `first_height` is the chain's first
    /// block.
    pub fn normalize(mut self, first_height: Height) -> Result<StakingGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "staking", reason };
        if let Err(problem) = self.params.validate() {
            return Err(invalid(problem.to_string()));
        }
        if self.rate_history.is_empty() {
            self.rate_history.push(RateSegment { from_epoch: 0, rates: self.params.rates });
        }
        if self.rate_history[0].from_epoch != 0
            || self.rate_history.windows(2).any(|w| w[0].from_epoch >= w[1].from_epoch)
        {
            return Err(invalid("rate_history must start at epoch 0 and ascend".into()));
        }
        self.accounts.sort_by_key(|a| a.address);
        if self.accounts.windows(2).any(|w| w[0].address == w[1].address) {
            return Err(invalid("an account appears twice".into()));
        }
        self.unbonding.sort_by_key(|u| u.id);
        if self.unbonding.windows(2).any(|w| w[0].id == w[1].id)
            || self.unbonding.iter().any(|u| u.id == 0 || u.id >= self.next_unbonding || u.amount.is_zero())
        {
            return Err(invalid(
                "unbonding ids must be unique, between 1 and next_unbonding, amounts positive".into(),
            ));
        }
        let mut waiting: BTreeMap<Address, u32> = BTreeMap::new();
        for entry in &self.unbonding {
            *waiting.entry(entry.owner).or_default() += 1;
        }
        if let Some((owner, count)) =
            waiting.iter().find(|(_, count)| **count > self.params.max_unbonding_entries)
        {
            return Err(invalid(format!(
                "{owner} has {count} unbonding entries; max_unbonding_entries is {}",
                self.params.max_unbonding_entries
            )));
        }
        self.punished.sort_by_key(|p| (p.validator, p.epoch, p.view));
        if self
            .punished
            .windows(2)
            .any(|w| (w[0].validator, w[0].epoch, w[0].view) == (w[1].validator, w[1].epoch, w[1].view))
        {
            return Err(invalid("an equivocation is recorded twice".into()));
        }
        self.locks.sort_by_key(|l| l.address);
        if self.locks.windows(2).any(|w| w[0].address == w[1].address) {
            return Err(invalid("an account is locked twice".into()));
        }
        self.fundings.sort_by_key(|f| (f.low, f.high));
        if self.fundings.iter().any(|f| f.low >= f.high) {
            return Err(invalid("a funding's low address must be below its high one".into()));
        }
        let bonded = sum(self.accounts.iter().map(|a| a.checkpoint.standing.bonded))?;
        let unbonding = sum(self.unbonding.iter().map(|u| u.amount))?;
        let totals = match self.totals {
            Some(totals) => totals,
            None => Totals {
                epoch: state::epoch_of(&self.params, first_height),
                reputation: self.accounts.iter().map(|a| a.checkpoint.standing.reputation).sum(),
                bonded,
                unbonding,
                floor: bonded,
                creation_gain: 0,
            },
        };
        if totals.bonded != bonded || totals.unbonding != unbonding {
            return Err(invalid("totals do not match the accounts' stake".into()));
        }
        self.totals = Some(totals);
        self.normalize_validators(first_height)?;
        Ok(self)
    }

    /// Checks the candidates, keys, jails and sets; makes the candidates the first epoch's set
    /// when no set is named.
    fn normalize_validators(&mut self, first_height: Height) -> Result<(), GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "staking", reason };
        let params = self.params.validators;
        self.candidates.sort_by_key(|c| c.operator);
        if self.candidates.windows(2).any(|w| w[0].operator == w[1].operator) {
            return Err(invalid("a validator candidate appears twice".into()));
        }
        if self.candidates.len() > params.max_candidates as usize {
            return Err(invalid(format!("more than {} validator candidates", params.max_candidates)));
        }
        for candidate in &self.candidates {
            if candidate.consensus_key.check().is_err() {
                return Err(invalid(format!("{}'s consensus key is not an ed25519 key", candidate.operator)));
            }
            if let Some(problem) = p2p_addr_problem(&candidate.p2p_addr) {
                return Err(invalid(format!("{}'s p2p address {problem}", candidate.operator)));
            }
            if !self.consensus_keys.iter().any(|k| k.key == candidate.consensus_key) {
                self.consensus_keys
                    .push(KeyOwner { key: candidate.consensus_key, operator: candidate.operator });
            }
        }
        self.consensus_keys.sort_by_key(|k| k.key);
        if self.consensus_keys.windows(2).any(|w| w[0].key == w[1].key) {
            return Err(invalid("a consensus key appears twice".into()));
        }
        if self
            .candidates
            .iter()
            .any(|c| self.consensus_keys.iter().any(|k| k.key == c.consensus_key && k.operator != c.operator))
        {
            return Err(invalid("a candidate's consensus key is another operator's".into()));
        }
        self.jailed.sort_by_key(|j| j.operator);
        if self.jailed.windows(2).any(|w| w[0].operator == w[1].operator) {
            return Err(invalid("a validator is jailed twice".into()));
        }
        if self.validator_sets.is_empty() && !self.candidates.is_empty() {
            let standing = |operator: &Address| {
                self.accounts.iter().find(|a| a.address == *operator).map_or((Amount::ZERO, 0), |a| {
                    (a.checkpoint.standing.bonded, a.checkpoint.standing.reputation)
                })
            };
            let mut validators: Vec<Validator> = self
                .candidates
                .iter()
                .map(|c| {
                    let (bonded, reputation) = standing(&c.operator);
                    Validator {
                        operator: c.operator,
                        consensus_key: c.consensus_key,
                        p2p_addr: c.p2p_addr.clone(),
                        weight: weight(bonded, reputation, params.reputation_backing),
                    }
                })
                .collect();
            validators.sort_by_key(|v| v.consensus_key);
            let epoch = state::epoch_of(&self.params, first_height);
            self.validator_sets.push(ValidatorSet { epoch, validators });
        }
        self.validator_sets.sort_by_key(|s| s.epoch);
        if self.validator_sets.windows(2).any(|w| w[0].epoch == w[1].epoch) {
            return Err(invalid("two validator sets for one epoch".into()));
        }
        for set in &self.validator_sets {
            if set.validators.is_empty() || set.validators.len() > params.max_validators as usize {
                return Err(invalid(format!(
                    "epoch {}'s validator set must have 1 to {} validators",
                    set.epoch, params.max_validators
                )));
            }
            if set.validators.windows(2).any(|w| w[0].consensus_key >= w[1].consensus_key) {
                return Err(invalid(format!(
                    "epoch {}'s validators must be sorted by consensus key, each once",
                    set.epoch
                )));
            }
        }
        self.liveness.sort_by_key(|l| l.epoch);
        for liveness in &self.liveness {
            let set = self.validator_sets.iter().find(|s| s.epoch == liveness.epoch);
            if set.is_none_or(|set| set.validators.len() != liveness.missed.len()) {
                return Err(invalid(format!(
                    "epoch {}'s liveness record must count one entry per validator of its set",
                    liveness.epoch
                )));
            }
            if liveness.missed.iter().any(|missed| *missed > liveness.views) {
                return Err(invalid(format!(
                    "epoch {}'s liveness record has a validator missing more views than were counted",
                    liveness.epoch
                )));
            }
        }
        Ok(())
    }
}

/// A consensus key and the operator that registered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyOwner {
    /// The key.
    pub key: PublicKey,
    /// Its operator.
    pub operator: Address,
}

/// A jailed validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Jail {
    /// Its operator.
    pub operator: Address,
    /// The first epoch it may sit in a set again.
    pub until_epoch: u64,
}

fn sum(amounts: impl Iterator<Item = Amount>) -> Result<Amount, GenesisError> {
    let mut total = Amount::ZERO;
    for amount in amounts {
        total = total.checked_add(amount).map_err(|_| GenesisError::section("staking", "stake overflows"))?;
    }
    Ok(total)
}

/// An account's stake locked until a height.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// The account.
    pub address: Address,
    /// The first height it may unstake at.
    pub until: Height,
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &StakingGenesis) -> Result<(), StateError> {
    state::set_params(state, &genesis.params);
    for segment in &genesis.rate_history {
        state::push_rates(state, segment)?;
    }
    state::set_totals(state, &genesis.totals.unwrap_or_default());
    for account in &genesis.accounts {
        state::init_checkpoint(state, &account.address, &account.checkpoint);
    }
    // By account, oldest first (normalize sorted them by id).
    let mut by_owner: BTreeMap<Address, Vec<Unbonding>> = BTreeMap::new();
    for entry in &genesis.unbonding {
        by_owner.entry(entry.owner).or_default().push(*entry);
    }
    for (owner, entries) in by_owner {
        state::set_unbondings_of(state, &owner, entries);
    }
    for punishment in &genesis.punished {
        state::set_punished(
            state,
            &punishment.validator,
            punishment.epoch,
            punishment.view,
            punishment.height,
        );
    }
    for candidate in &genesis.candidates {
        state::put_candidate(state, candidate)?;
    }
    for owner in &genesis.consensus_keys {
        state::set_key_owner(state, &owner.key, &owner.operator);
    }
    for jail in &genesis.jailed {
        state::jail(state, &jail.operator, jail.until_epoch)?;
    }
    for set in &genesis.validator_sets {
        state::put_validator_set(state, set);
    }
    for liveness in &genesis.liveness {
        state::put_liveness(state, liveness);
    }
    for funding in &genesis.fundings {
        state::record_funding(state, &funding.low, &funding.high, funding.height);
    }
    for lock in &genesis.locks {
        state::lock(state, &lock.address, lock.until)?;
    }
    state::set_next_unbonding(state, genesis.next_unbonding);
    Ok(())
}

pub(crate) fn export(state: &impl StateRead) -> Result<StakingGenesis, StateError> {
    Ok(StakingGenesis {
        params: state::params(state)?,
        rate_history: state::rate_history(state)?,
        totals: Some(state::totals(state)?),
        accounts: state::latest_checkpoints(state)?
            .into_iter()
            .map(|(address, checkpoint)| StakerGenesis { address, checkpoint })
            .collect(),
        unbonding: state::all_unbondings(state)?,
        fundings: state::fundings(state)?
            .into_iter()
            .map(|(low, high, height)| Funding { low, high, height })
            .collect(),
        punished: state::punishments(state)?
            .into_iter()
            .map(|(validator, epoch, view, height)| Punishment { validator, epoch, view, height })
            .collect(),
        locks: state::locks(state)?.into_iter().map(|(address, until)| Lock { address, until }).collect(),
        candidates: state::candidates(state)?,
        consensus_keys: state::key_owners(state)?
            .into_iter()
            .map(|(key, operator)| KeyOwner { key, operator })
            .collect(),
        jailed: state::jails(state)?
            .into_iter()
            .map(|(operator, until_epoch)| Jail { operator, until_epoch })
            .collect(),
        validator_sets: state::validator_sets(state)?,
        liveness: state::liveness_records(state)?,
        next_unbonding: state::next_unbonding(state)?,
    })
}

/// Writes the default staking section into a unit test's state.
#[cfg(test)]
pub(crate) fn init_default(state: &mut impl StateWrite) {
    let genesis = StakingGenesis::default().normalize(Height(1)).expect("the default section is valid");
    init(state, &genesis).expect("memory state");
}
