//! governance: proposals with typed actions, voted by reputation at a snapshot taken before the
//! proposal opens, executed at the end of a block after a timelock; grants streamed from the
//! treasury. Spec: `README.md` beside this file.

pub(crate) mod actions;
pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::GovernanceError;
pub use events::GovernanceEvent;
pub use genesis::GovernanceGenesis;
pub use msg::{Action, Choice, GovernanceMsg, MAX_ACTIONS, MAX_SUMMARY_BYTES, ParamsChange};
pub use params::GovParams;
pub use state::{ActionResult, Grant, MAX_REASON_BYTES, Proposal, ProposalId, Status, Tally, Vote, account};
