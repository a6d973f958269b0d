//! Staking messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

/// A staking message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StakingMsg {
    /// Bond `amount` of `ugdc`.
    Stake {
        /// How much.
        amount: Amount,
    },
    /// Start unbonding `amount`: it stays slashable and earns nothing until withdrawn.
    Unstake {
        /// How much.
        amount: Amount,
    },
    /// Take back every unbonding entry whose period is over.
    Withdraw {},
}

impl StakingMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        schedule.staking
    }
}
