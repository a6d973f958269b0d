//! Staking messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Encode, Layout, PublicKey};

use super::validators::MAX_P2P_ADDR_BYTES;
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
    /// Become a validator candidate: chosen into an epoch's set by Proof-of-Creation weight while
    /// at least `min_self_stake` (and the chain's minimum) stays bonded.
    RegisterValidator {
        /// The ed25519 key that signs its consensus votes; it stays the sender's for good.
        consensus_key: PublicKey,
        /// Where its peers reach it, `host:port`.
        #[codec(max = MAX_P2P_ADDR_BYTES)]
        p2p_addr: String,
        /// Least stake it keeps bonded.
        min_self_stake: Amount,
    },
    /// Change the sender's candidacy; from the next selection on.
    UpdateValidator {
        /// A new consensus key (the old one stays the sender's, for evidence against it).
        consensus_key: Option<PublicKey>,
        /// A new p2p address; empty keeps the current one.
        #[codec(max = MAX_P2P_ADDR_BYTES)]
        p2p_addr: String,
        /// A new least self-stake.
        min_self_stake: Option<Amount>,
    },
    /// Stop being a candidate: not chosen again; a set it is in already runs its epoch out.
    LeaveValidators {},
}

impl StakingMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        schedule.staking
    }
}
