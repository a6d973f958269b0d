//! Staking and reputation parameters.

use atelier_primitives::{Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::{StakingParamsError, validators::ValidatorParams};

/// Parts per ten thousand, allowed above 100% (a cap of twice the stake is 20 000).
pub type Ratio = u32;

/// The largest [`Ratio`] a param may take (100×).
pub const MAX_RATIO: Ratio = 1_000_000;
/// Least decay per epoch: at 1% or more, an idle account's reputation reaches its resting value
/// within a few thousand epochs, which bounds the catch-up of an account not seen for long.
pub const MIN_DECAY: Ratio = 100;
/// The most unbonding entries an account may have waiting, whatever the params say: a slash
/// reads them all.
pub const MAX_UNBONDING_ENTRIES: usize = 1_024;
/// Most reputation tiers.
pub const MAX_TIERS: usize = 16;
/// Longest tier name, in bytes.
pub const MAX_TIER_NAME_BYTES: usize = 32;

/// How an epoch's reputation is earned and lost (spec: README "Reputation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReputationRates {
    /// Reputation per unit of stake held through a whole epoch, per ten thousand.
    pub stake: Ratio,
    /// Reputation per `ugdc` of creation value, per ten thousand.
    pub creation_ugdc: Ratio,
    /// Reputation per `uusd` of creation value, per ten thousand.
    pub creation_uusd: Ratio,
    /// An epoch's creation gain is at most this much of the stake held through it.
    pub creation_cap: Ratio,
    /// Share of reputation lost at the end of every epoch, per ten thousand (at least
    /// [`MIN_DECAY`]).
    pub decay: Ratio,
}

/// What slashed stake becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlashDestination {
    /// Destroyed.
    Burn,
    /// Paid to the treasury.
    Treasury,
}

/// A reputation tier: what an account with at least `min_reputation` may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Its name.
    #[codec(max = MAX_TIER_NAME_BYTES)]
    pub name: String,
    /// Least reputation of the tier.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub min_reputation: u128,
    /// Whether the tier may open governance proposals.
    pub propose: bool,
    /// Most training-cluster slots the tier may hold per epoch (0: no access).
    pub cluster_slots: u32,
}

/// Staking parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StakingParams {
    /// Blocks per epoch; fixed at genesis (epochs number the chain's history).
    pub epoch_blocks: u64,
    /// Least amount of one `Stake`.
    pub min_stake: Amount,
    /// Blocks between `Unstake` and the earliest `Withdraw`; the stake stays slashable.
    pub unbonding_blocks: u64,
    /// Most unbonding entries one account may have.
    pub max_unbonding_entries: u32,
    /// What slashed stake becomes.
    pub slash_destination: SlashDestination,
    /// Share of a validator's stake slashed for each proven equivocation (once per view).
    pub equivocation_slash: Bps,
    /// Two accounts are related while less than this many blocks have passed since one sent the
    /// other funds; payments between related accounts earn no reputation.
    pub relation_window_blocks: u64,
    /// How reputation is earned and lost; a change applies from the next epoch.
    pub rates: ReputationRates,
    /// Tiers by ascending `min_reputation`; the first should start at 0.
    #[codec(max = MAX_TIERS)]
    pub tiers: Vec<Tier>,
    /// How validators are chosen from candidates and punished.
    pub validators: ValidatorParams,
}

impl Default for StakingParams {
    /// Epochs of 600 blocks; stakes of at least 1 GDC, unbonding over 1 300 blocks, at most 16
    /// entries; slashes burned, 5% for an equivocation; relations remembered for 10 000 blocks; 1% of stake and 10% of
    /// creation value per epoch (creation capped at the stake), 5% decay; three tiers.
    fn default() -> Self {
        StakingParams {
            epoch_blocks: 600,
            min_stake: Amount::new(1_000_000),
            unbonding_blocks: 1_300,
            max_unbonding_entries: 16,
            slash_destination: SlashDestination::Burn,
            equivocation_slash: Bps::new(500).unwrap_or(Bps::ZERO),
            relation_window_blocks: 10_000,
            rates: ReputationRates {
                stake: 100,
                creation_ugdc: 1_000,
                creation_uusd: 1_000,
                creation_cap: 10_000,
                decay: 500,
            },
            tiers: vec![
                Tier { name: "newcomer".into(), min_reputation: 0, propose: false, cluster_slots: 0 },
                Tier { name: "member".into(), min_reputation: 1_000_000, propose: true, cluster_slots: 1 },
                Tier { name: "creator".into(), min_reputation: 100_000_000, propose: true, cluster_slots: 8 },
            ],
            validators: ValidatorParams::default(),
        }
    }
}

impl StakingParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), StakingParamsError> {
        let rates = &self.rates;
        if self.epoch_blocks == 0 || self.unbonding_blocks == 0 || self.min_stake.is_zero() {
            return Err(StakingParamsError::Zero);
        }
        if self.max_unbonding_entries == 0 || self.max_unbonding_entries as usize > MAX_UNBONDING_ENTRIES {
            return Err(StakingParamsError::UnbondingEntriesOutOfRange);
        }
        if !(MIN_DECAY..=10_000).contains(&rates.decay) {
            return Err(StakingParamsError::DecayOutOfRange { min: MIN_DECAY });
        }
        let ratios = [rates.stake, rates.creation_ugdc, rates.creation_uusd, rates.creation_cap];
        if ratios.iter().any(|r| *r > MAX_RATIO) {
            return Err(StakingParamsError::RateTooHigh { max: MAX_RATIO });
        }
        if self.tiers.is_empty() || self.tiers.len() > MAX_TIERS {
            return Err(StakingParamsError::TierCount { max: MAX_TIERS });
        }
        if self.tiers.windows(2).any(|w| w[0].min_reputation >= w[1].min_reputation) {
            return Err(StakingParamsError::TiersOutOfOrder);
        }
        if self.tiers.iter().any(|t| t.name.is_empty() || t.name.len() > MAX_TIER_NAME_BYTES) {
            return Err(StakingParamsError::TierName { max: MAX_TIER_NAME_BYTES });
        }
        if let Some(problem) = self.validators.problem(self.epoch_blocks, self.unbonding_blocks) {
            return Err(StakingParamsError::Validators(problem));
        }
        Ok(())
    }

    /// The tier of an account with `reputation`: the last whose minimum it reaches.
    pub fn tier(&self, reputation: u128) -> Option<&Tier> {
        self.tiers.iter().rev().find(|t| reputation >= t.min_reputation)
    }
}
