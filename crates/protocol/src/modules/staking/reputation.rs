//! Reputation arithmetic: pure functions of an account's standing and the epoch's rates
//! (spec: README "Reputation"). Every product is a floor, so that splitting stake or creation value
//! across accounts never adds up to more than keeping it in one.

use atelier_primitives::{Amount, Decode, Encode, math::mul_div_floor};
use serde::{Deserialize, Serialize};

use super::params::{Ratio, ReputationRates};

const SCALE: u128 = 10_000;

/// `ratio` of `value`, rounded down; saturates (reputation is a score, not money).
pub fn ratio_of(value: u128, ratio: Ratio) -> u128 {
    mul_div_floor(value, u128::from(ratio), SCALE).unwrap_or(u128::MAX)
}

/// One account's reputation and what it earns in the epoch under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Standing {
    /// The epoch under way.
    pub epoch: u64,
    /// Reputation earned in every epoch before `epoch`, after decay.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reputation: u128,
    /// Stake bonded now.
    pub bonded: Amount,
    /// Least stake bonded at any time in `epoch`: only stake held through the epoch earns.
    pub floor: Amount,
    /// Creation value in `ugdc` received in `epoch`, from unrelated payers.
    pub created_ugdc: Amount,
    /// Creation value in `uusd` received in `epoch`, from unrelated payers.
    pub created_uusd: Amount,
}

impl Standing {
    /// A standing with nothing, in `epoch`.
    pub fn empty(epoch: u64) -> Standing {
        Standing { epoch, ..Standing::default() }
    }

    /// What stake held through the epoch earns.
    pub fn stake_gain(&self, rates: &ReputationRates) -> u128 {
        ratio_of(self.floor.get(), rates.stake)
    }

    /// What the epoch's creation value earns, capped by the stake held through it.
    pub fn creation_gain(&self, rates: &ReputationRates) -> u128 {
        let earned = ratio_of(self.created_ugdc.get(), rates.creation_ugdc)
            .saturating_add(ratio_of(self.created_uusd.get(), rates.creation_uusd));
        earned.min(ratio_of(self.floor.get(), rates.creation_cap))
    }

    /// Nothing happens in the epoch but the stake staying bonded.
    fn is_quiet(&self) -> bool {
        self.floor == self.bonded && self.created_ugdc.is_zero() && self.created_uusd.is_zero()
    }

    /// The standing once `epoch` ends under `rates`: decay, then the epoch's gains.
    pub fn close_epoch(&self, rates: &ReputationRates) -> Standing {
        let kept = ratio_of(self.reputation, 10_000u32.saturating_sub(rates.decay));
        Standing {
            epoch: self.epoch.saturating_add(1),
            reputation: kept.saturating_add(self.stake_gain(rates)).saturating_add(self.creation_gain(rates)),
            bonded: self.bonded,
            floor: self.bonded,
            created_ugdc: Amount::ZERO,
            created_uusd: Amount::ZERO,
        }
    }
}

/// The rates of the epochs from `from_epoch` until the next segment's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RateSegment {
    /// First epoch under these rates.
    pub from_epoch: u64,
    /// The rates.
    pub rates: ReputationRates,
}

/// `standing` carried to `target` epoch. `segment(epoch)` gives the rates in force at `epoch` and
/// the first epoch of the next segment, if any. Once an epoch would leave a quiet standing as it is,
/// the rest of the segment would too, so the walk jumps to its end: the work is bounded by the
/// epochs a standing needs to settle (a few thousand at the least decay), not by the gap.
pub fn advance<E>(
    standing: Standing,
    target: u64,
    mut segment: impl FnMut(u64) -> Result<(ReputationRates, Option<u64>), E>,
) -> Result<Standing, E> {
    let mut current = standing;
    while current.epoch < target {
        let (rates, next_segment) = segment(current.epoch)?;
        let segment_end = next_segment.unwrap_or(u64::MAX).min(target);
        while current.epoch < segment_end {
            let next = current.close_epoch(&rates);
            if current.is_quiet() && next.reputation == current.reputation {
                current.epoch = segment_end;
            } else {
                current = next;
            }
        }
    }
    Ok(current)
}

/// The chain's reputation totals, kept in step with every standing at O(1) a change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// The epoch under way.
    pub epoch: u64,
    /// At least the sum of every account's reputation (each account rounds down on its own, the
    /// total once), which makes it the conservative denominator of a quorum.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reputation: u128,
    /// Stake bonded now.
    pub bonded: Amount,
    /// Stake unbonding now.
    pub unbonding: Amount,
    /// The sum of the accounts' floors in the epoch.
    pub floor: Amount,
    /// The sum of the accounts' creation gains in the epoch.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub creation_gain: u128,
}

impl Totals {
    /// The totals once the epoch ends under `rates`.
    pub fn close_epoch(&self, rates: &ReputationRates) -> Totals {
        let kept = ratio_of(self.reputation, 10_000u32.saturating_sub(rates.decay));
        Totals {
            epoch: self.epoch.saturating_add(1),
            reputation: kept
                .saturating_add(ratio_of(self.floor.get(), rates.stake))
                .saturating_add(self.creation_gain),
            floor: self.bonded,
            creation_gain: 0,
            ..*self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATES: ReputationRates = ReputationRates {
        stake: 100,
        creation_ugdc: 1_000,
        creation_uusd: 500,
        creation_cap: 10_000,
        decay: 500,
    };

    fn staked(amount: u128) -> Standing {
        Standing { bonded: Amount::new(amount), floor: Amount::new(amount), ..Standing::default() }
    }

    fn same_rates(_: u64) -> Result<(ReputationRates, Option<u64>), ()> {
        Ok((RATES, None))
    }

    #[test]
    fn an_epoch_decays_then_adds_the_gains() {
        let mut standing = staked(1_000_000);
        standing.reputation = 10_000;
        standing.created_ugdc = Amount::new(50_000);
        let closed = standing.close_epoch(&RATES);
        // 10 000 × 95% + 1% of 1 000 000 + 10% of 50 000.
        assert_eq!(closed.reputation, 9_500 + 10_000 + 5_000);
        assert_eq!(closed.epoch, 1);
        assert_eq!(closed.created_ugdc, Amount::ZERO);
    }

    #[test]
    fn creation_gain_is_capped_by_the_stake_held_through_the_epoch() {
        let mut standing = staked(1_000);
        standing.created_ugdc = Amount::new(1_000_000);
        assert_eq!(standing.creation_gain(&RATES), 1_000);
        standing.floor = Amount::ZERO;
        assert_eq!(standing.creation_gain(&RATES), 0);
    }

    #[test]
    fn advancing_far_equals_closing_every_epoch() {
        let mut start = staked(777_777);
        start.reputation = 123_456_789;
        start.created_uusd = Amount::new(9_999);
        let mut stepped = start;
        for _ in 0..5_000 {
            stepped = stepped.close_epoch(&RATES);
        }
        assert_eq!(advance(start, 5_000, same_rates).unwrap(), stepped);
    }

    #[test]
    fn advancing_follows_rate_changes_at_their_epoch() {
        let later = ReputationRates { decay: 10_000, ..RATES };
        let segment =
            |epoch: u64| -> Result<_, ()> { Ok(if epoch < 10 { (RATES, Some(10)) } else { (later, None) }) };
        let start = staked(1_000_000);
        let mut stepped = start;
        for epoch in 0..12 {
            stepped = stepped.close_epoch(if epoch < 10 { &RATES } else { &later });
        }
        assert_eq!(advance(start, 12, segment).unwrap(), stepped);
        // Full decay leaves only the last epoch's stake gain.
        assert_eq!(stepped.reputation, 10_000);
    }
}
