//! staking genesis: params, the rates history, totals, every account's latest checkpoint, the
//! unbonding entries and the recorded fundings.

use atelier_primitives::{Address, Amount, Height};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Checkpoint, RateSegment, StakingParams, Totals, Unbonding, state};
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
        self.punished.sort_by_key(|p| (p.validator, p.view));
        if self.punished.windows(2).any(|w| (w[0].validator, w[0].view) == (w[1].validator, w[1].view)) {
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
        Ok(self)
    }
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
    for entry in &genesis.unbonding {
        state::put_unbonding(state, entry);
    }
    for punishment in &genesis.punished {
        state::set_punished(state, &punishment.validator, punishment.view, punishment.height);
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
            .map(|(validator, view, height)| Punishment { validator, view, height })
            .collect(),
        locks: state::locks(state)?.into_iter().map(|(address, until)| Lock { address, until }).collect(),
        next_unbonding: state::next_unbonding(state)?,
    })
}

/// Writes the default staking section into a unit test's state.
#[cfg(test)]
pub(crate) fn init_default(state: &mut impl StateWrite) {
    let genesis = StakingGenesis::default().normalize(Height(1)).expect("the default section is valid");
    init(state, &genesis).expect("memory state");
}
