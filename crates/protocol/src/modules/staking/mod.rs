//! staking: bonded GDC, the unbonding queue, slashing, and Proof-of-Creation reputation — a
//! soulbound, checkpointed score earned by stake held and by value other parties paid for an
//! account's work, decaying every epoch. Reputation has no transfer path. Spec: `README.md` beside
//! this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
pub mod reputation;
pub(crate) mod state;

pub use error::StakingError;
pub use events::{SlashReason, StakingEvent};
pub use genesis::StakingGenesis;
pub(crate) use handler::{Origin, Slasher, bonded, credit, credit_all, penalize};
pub use msg::StakingMsg;
pub use params::{ReputationRates, SlashDestination, StakingParams, Tier};
pub use reputation::{RateSegment, Standing, Totals};
pub use state::{Checkpoint, Unbonding, account, epoch_of};
