//! clusters: high-compute training clusters registered by governance, offering slots per epoch.
//! `ReserveSlots` is open to accounts whose reputation tier allows it; contention for an epoch is
//! settled at its start by reputation, then bid; the operator is paid when the epoch ends.
//! Spec: `README.md` beside this file.

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

pub use error::ClustersError;
pub use events::ClustersEvent;
pub use genesis::ClustersGenesis;
pub use msg::ClustersMsg;
pub use params::ClusterParams;
pub use state::{Cluster, ClusterId, Reservation, ReservationStatus, account};
