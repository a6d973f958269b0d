//! Oracle parameters, changed only through governance's `SetParams`.

use std::cmp::Ordering;

use super::{FeedId, OracleParamsError, Published};
use atelier_primitives::{Amount, Bps, Decode, Encode, Height, Layout};

use super::Round;
use serde::{Deserialize, Serialize};

/// Most feeds the params list (each costs one read at every block's end).
pub const MAX_FEEDS: usize = 32;

/// Most operators (a closing round sorts one observation per operator).
pub const MAX_OPERATORS: u32 = 64;

/// One feed's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedSpec {
    /// Its id.
    pub id: FeedId,
    /// Observations a round needs before it closes.
    pub quorum: u32,
    /// A round's median is published when the last value is this many blocks old...
    pub heartbeat_blocks: u64,
    /// ...or when it moved at least this much from the last value.
    pub deviation: Bps,
    /// Consumers refuse a value older than this many blocks.
    pub staleness_blocks: u64,
    /// A round under its quorum this many blocks after its first observation is dropped.
    pub round_blocks: u64,
}

impl FeedSpec {
    /// Whether a round closing with `median` at `height` publishes it over the feed's `latest`
    /// value: always the first value; then when the latest is `heartbeat_blocks` old, or when the
    /// median moved from it by at least `deviation`.
    pub fn publishes(&self, median: u128, latest: Option<&Published>, height: Height) -> bool {
        match latest {
            None => true,
            Some(last) => {
                height.0.saturating_sub(last.height.0) >= self.heartbeat_blocks
                    || (median != last.value
                        && relative_gap(median, last.value, self.deviation) != Ordering::Less)
            }
        }
    }

    /// Whether an operator measuring `value` at `height` should observe the feed's open `round`:
    /// when another operator has opened it, or when the value would be published were the round
    /// to close half a heartbeat from now. Otherwise the observation would change nothing and
    /// cost a fee (and every operator measuring the same way waits too).
    pub fn worth_observing(
        &self,
        round: &Round,
        latest: Option<&Published>,
        value: u128,
        height: Height,
    ) -> bool {
        round.observations > 0
            || self.publishes(value, latest, Height(height.0.saturating_add(self.heartbeat_blocks / 2)))
    }
}

/// How the distance of `value` from `reference`, relative to `reference`, compares with `share`.
pub(crate) fn relative_gap(value: u128, reference: u128, share: Bps) -> Ordering {
    let limit = reference.saturating_mul(u128::from(share.get()));
    match value.abs_diff(reference).checked_mul(Bps::SCALE) {
        Some(gap) => gap.cmp(&limit),
        None => Ordering::Greater,
    }
}

/// Oracle parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OracleParams {
    /// Stake an operator keeps bonded in staking to register and to observe.
    pub min_stake: Amount,
    /// Most operators (at most [`MAX_OPERATORS`]).
    pub max_operators: u32,
    /// An observation further than this from the median is an outlier.
    pub outlier_distance: Bps,
    /// Share of its reputation an outlier loses, rounded up.
    pub outlier_penalty: Bps,
    /// Closed rounds kept per feed.
    pub history_rounds: u32,
    /// The feeds.
    #[codec(max = MAX_FEEDS)]
    pub feeds: Vec<FeedSpec>,
}

impl Default for OracleParams {
    /// 1 000 GDC of stake, 32 operators, outliers beyond 5% lose 1% of their reputation, 256 rounds
    /// of history; one feed, GDC/USD: quorum 3, heartbeat 600 blocks, deviation 0.5%, stale after
    /// 1 200 blocks, rounds of 30 blocks.
    fn default() -> Self {
        let bps = |v| Bps::new(v).unwrap_or(Bps::ZERO);
        OracleParams {
            min_stake: Amount::new(1_000_000_000),
            max_operators: 32,
            outlier_distance: bps(500),
            outlier_penalty: bps(100),
            history_rounds: 256,
            feeds: vec![FeedSpec {
                id: FeedId::gdc_usd(),
                quorum: 3,
                heartbeat_blocks: 600,
                deviation: bps(50),
                staleness_blocks: 1_200,
                round_blocks: 30,
            }],
        }
    }
}

impl OracleParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), OracleParamsError> {
        if self.max_operators == 0 || self.max_operators > MAX_OPERATORS {
            return Err(OracleParamsError::MaxOperators { max: MAX_OPERATORS });
        }
        if self.history_rounds == 0 || self.history_rounds > 10_000 {
            return Err(OracleParamsError::HistoryOutOfRange);
        }
        if self.feeds.len() > MAX_FEEDS {
            return Err(OracleParamsError::TooManyFeeds { max: MAX_FEEDS });
        }
        for (i, feed) in self.feeds.iter().enumerate() {
            let id = || feed.id.clone();
            if !feed.id.is_valid() {
                return Err(OracleParamsError::InvalidFeedId(feed.id.0.clone()));
            }
            if self.feeds[..i].iter().any(|f| f.id == feed.id) {
                return Err(OracleParamsError::DuplicateFeed(id()));
            }
            if feed.quorum == 0 || feed.quorum > self.max_operators {
                return Err(OracleParamsError::Quorum(id()));
            }
            if feed.heartbeat_blocks == 0 || feed.round_blocks == 0 {
                return Err(OracleParamsError::ZeroTiming(id()));
            }
            if feed.staleness_blocks < feed.heartbeat_blocks {
                return Err(OracleParamsError::StaleBeforeHeartbeat(id()));
            }
        }
        Ok(())
    }

    /// The spec of `feed`.
    pub fn feed(&self, feed: &FeedId) -> Option<&FeedSpec> {
        self.feeds.iter().find(|f| f.id == *feed)
    }
}
