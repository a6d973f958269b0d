//! Oracle events: what happened, in the past tense.

use atelier_primitives::{Address, Decode, Encode};
use serde::{Deserialize, Serialize};

use super::FeedId;

/// An oracle event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
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
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        value: u128,
        /// The median.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        median: u128,
        /// Reputation it lost.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        reputation_lost: u128,
    },
}
