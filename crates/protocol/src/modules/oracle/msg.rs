//! Oracle messages: what a transaction asks of the module.

use atelier_primitives::{Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::FeedId;

/// An oracle message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        /// The round open now ([`super::query::feed`] tells which).
        round: u64,
        /// The value, in the feed's unit.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        value: u128,
    },
}

impl OracleMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        schedule.oracle
    }
}
