//! oracle: staked operators submit observations per round for the feeds listed in the params; a
//! round's value is the median of its observations once a quorum has them, published on deviation
//! or heartbeat; consumers refuse stale values; operators far from the median lose reputation.
//! Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::OracleError;
pub use events::OracleEvent;
pub use genesis::OracleGenesis;
pub use msg::OracleMsg;
pub use params::{FeedSpec, MAX_FEEDS, MAX_OPERATORS, OracleParams};
pub use state::{FeedId, FreshError, MAX_FEED_BYTES, Operator, Published, Round, RoundResult, fresh};
