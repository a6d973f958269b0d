//! oracle: staked operators submit observations per round for the feeds listed in the params; a
//! round's value is the median of its observations once a quorum has them, published on deviation
//! or heartbeat; consumers refuse stale values; operators far from the median lose reputation.
//! Spec: `README.md` beside this file.

pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod query;
pub(crate) mod state;

pub use genesis::OracleGenesis;
pub use state::{
    FeedId, FeedSpec, FreshError, MAX_FEED_BYTES, MAX_FEEDS, MAX_OPERATORS, Operator, OracleParams,
    Published, Round, RoundResult, fresh,
};

use atelier_primitives::{Address, Decode, Encode, Height};
use serde::{Deserialize, Serialize};

/// An oracle message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OracleMsg {
    /// Become an operator; needs at least `min_stake` bonded in staking.
    RegisterOperator,
    /// Stop being an operator (observations already in open rounds stay).
    LeaveOracle,
    /// Observe `value` for `feed` in its open `round`.
    SubmitObservation {
        /// The feed.
        feed: FeedId,
        /// The round open now ([`query::feed`] tells which).
        round: u64,
        /// The value, in the feed's unit.
        #[serde(with = "crate::serde_u128")]
        value: u128,
    },
}

/// An oracle event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OracleEvent {
    /// An operator registered.
    OperatorRegistered {
        /// Who.
        operator: Address,
    },
    /// An operator left.
    OperatorLeft {
        /// Who.
        operator: Address,
    },
    /// An observation entered a round.
    Observed {
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// Who.
        operator: Address,
        /// The value.
        #[serde(with = "crate::serde_u128")]
        value: u128,
    },
    /// A round reached its quorum and closed with its median.
    RoundClosed {
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// The median of its observations.
        #[serde(with = "crate::serde_u128")]
        median: u128,
        /// How many.
        observations: u32,
        /// Whether it became the feed's value (deviation or heartbeat).
        published: bool,
    },
    /// A round ran out of time under its quorum; its observations are dropped.
    RoundExpired {
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// How many it had.
        observations: u32,
    },
    /// An operator's observation was far from the round's median.
    OperatorPenalized {
        /// Who.
        operator: Address,
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// What it observed.
        #[serde(with = "crate::serde_u128")]
        value: u128,
        /// The median.
        #[serde(with = "crate::serde_u128")]
        median: u128,
        /// Reputation it lost.
        #[serde(with = "crate::serde_u128")]
        reputation_lost: u128,
    },
}

/// A broken oracle rule, or a value a consumer must not use. Codes are stable (the oracle range is
/// 1100–1199).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OracleError {
    /// The feed is not in the params.
    #[error("no feed {feed}")]
    UnknownFeed {
        /// The feed.
        feed: FeedId,
    },
    /// The sender is an operator already.
    #[error("{operator} is an operator already")]
    AlreadyOperator {
        /// Who.
        operator: Address,
    },
    /// The sender is not an operator.
    #[error("{sender} is not an oracle operator")]
    NotOperator {
        /// Who.
        sender: Address,
    },
    /// Too little stake bonded.
    #[error("operators need {min} ugdc bonded, {sender} has {bonded}")]
    StakeBelowMinimum {
        /// Who.
        sender: Address,
        /// Bonded now.
        bonded: atelier_primitives::Amount,
        /// The minimum.
        min: atelier_primitives::Amount,
    },
    /// The operator set is full.
    #[error("the oracle has its {max} operators")]
    TooManyOperators {
        /// The maximum.
        max: u32,
    },
    /// Not the open round.
    #[error("feed {feed} has round {open} open, not {round}")]
    WrongRound {
        /// The feed.
        feed: FeedId,
        /// The round open.
        open: u64,
        /// The round given.
        round: u64,
    },
    /// One observation per operator per round.
    #[error("{operator} observed round {round} of {feed} already")]
    AlreadyObserved {
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// Who.
        operator: Address,
    },
    /// The feed's value is older than its staleness limit.
    #[error(
        "feed {feed} was last published at block {published_at}, more than {limit} blocks before {height}"
    )]
    Stale {
        /// The feed.
        feed: FeedId,
        /// When its value was published.
        published_at: Height,
        /// The staleness limit in blocks.
        limit: u64,
        /// The height asked about.
        height: Height,
    },
    /// Nothing published yet.
    #[error("feed {feed} has no value yet")]
    NoValue {
        /// The feed.
        feed: FeedId,
    },
}

impl OracleError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            OracleError::UnknownFeed { .. } => 1101,
            OracleError::AlreadyOperator { .. } => 1102,
            OracleError::NotOperator { .. } => 1103,
            OracleError::StakeBelowMinimum { .. } => 1104,
            OracleError::TooManyOperators { .. } => 1105,
            OracleError::WrongRound { .. } => 1106,
            OracleError::AlreadyObserved { .. } => 1107,
            OracleError::Stale { .. } => 1108,
            OracleError::NoValue { .. } => 1109,
        }
    }
}
