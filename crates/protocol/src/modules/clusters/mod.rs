//! clusters: high-compute training clusters registered by governance, offering slots per epoch.
//! `ReserveSlots` is open to accounts whose reputation tier allows it; contention for an epoch is
//! settled at its start by reputation, then bid; the operator is paid when the epoch ends.
//! Spec: `README.md` beside this file.

pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod query;
pub(crate) mod state;

pub use genesis::ClustersGenesis;
pub use state::{Cluster, ClusterId, ClusterParams, Reservation, ReservationStatus, account};

use atelier_primitives::{Address, Amount, Decode, Encode};
use serde::{Deserialize, Serialize};

/// A clusters message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClustersMsg {
    /// Ask for `slots` of `cluster` in `epoch`, paying `bid_per_slot` each if allocated (escrowed
    /// now, refunded if not).
    ReserveSlots {
        /// The cluster.
        cluster: ClusterId,
        /// A coming epoch, within the horizon.
        epoch: u64,
        /// Slots asked for, all or nothing.
        slots: u32,
        /// Price offered per slot, at least the cluster's price.
        bid_per_slot: Amount,
    },
    /// Withdraw a request (full refund), or give up allocated slots (partial refund).
    CancelReservation {
        /// The request.
        reservation: u64,
    },
}

/// A clusters event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClustersEvent {
    /// Governance registered a cluster.
    ClusterRegistered {
        /// The cluster.
        cluster: ClusterId,
        /// Its operator.
        operator: Address,
    },
    /// Slots were asked for.
    SlotsRequested {
        /// The request.
        reservation: u64,
        /// Who asked.
        account: Address,
        /// The cluster.
        cluster: ClusterId,
        /// The epoch.
        epoch: u64,
        /// Escrowed.
        escrow: Amount,
    },
    /// A request was allocated at its epoch's start.
    SlotsWon {
        /// The request.
        reservation: u64,
    },
    /// A request was not allocated and was refunded.
    SlotsLost {
        /// The request.
        reservation: u64,
        /// Refunded.
        refund: Amount,
    },
    /// A request was withdrawn or allocated slots given up.
    ReservationCancelled {
        /// The request.
        reservation: u64,
        /// Back to the account.
        refund: Amount,
        /// To the operator.
        to_operator: Amount,
    },
    /// The epoch of allocated slots ended: the operator was paid.
    ReservationSettled {
        /// The request.
        reservation: u64,
        /// The operator.
        operator: Address,
        /// Paid.
        amount: Amount,
    },
}

/// A broken clusters rule. Codes are stable (the clusters range is 900–999).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClustersError {
    /// No active cluster has this id.
    #[error("no active cluster {cluster}")]
    UnknownCluster {
        /// The id named.
        cluster: ClusterId,
    },
    /// The epoch is not a coming one within the horizon.
    #[error("epoch {epoch} is not between {first} and {last}")]
    InvalidEpoch {
        /// Asked for.
        epoch: u64,
        /// First allowed.
        first: u64,
        /// Last allowed.
        last: u64,
    },
    /// The account's tier does not allow that many slots in the epoch.
    #[error("the account's tier allows {allowed} slots in an epoch; it holds {held} and asks {asked}")]
    TierTooLow {
        /// Slots the tier allows per epoch.
        allowed: u32,
        /// Slots already requested in the epoch.
        held: u32,
        /// Slots asked for.
        asked: u32,
    },
    /// A bid under the cluster's price.
    #[error("bid {bid} per slot is under the price {price}")]
    BidBelowPrice {
        /// The bid.
        bid: Amount,
        /// The price.
        price: Amount,
    },
    /// The epoch has as many requests for the cluster as allowed.
    #[error("cluster {cluster} has {max} requests for the epoch already")]
    TooManyRequests {
        /// The cluster.
        cluster: ClusterId,
        /// The maximum.
        max: u32,
    },
    /// No reservation has this id.
    #[error("no reservation {reservation}")]
    UnknownReservation {
        /// The id named.
        reservation: u64,
    },
    /// Only the requester cancels.
    #[error("{sender} did not make reservation {reservation}")]
    NotRequester {
        /// The reservation.
        reservation: u64,
        /// Who tried.
        sender: Address,
    },
    /// Zero slots, or more than the cluster has.
    #[error("asked {asked} slots; the cluster has {slots} per epoch")]
    InvalidSlots {
        /// Asked for.
        asked: u32,
        /// The cluster's slots.
        slots: u32,
    },
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount or id overflowed.
    #[error("arithmetic overflow")]
    Overflow,
}

impl ClustersError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            ClustersError::UnknownCluster { .. } => 901,
            ClustersError::InvalidEpoch { .. } => 902,
            ClustersError::TierTooLow { .. } => 903,
            ClustersError::BidBelowPrice { .. } => 904,
            ClustersError::TooManyRequests { .. } => 905,
            ClustersError::UnknownReservation { .. } => 906,
            ClustersError::NotRequester { .. } => 907,
            ClustersError::InvalidSlots { .. } => 908,
            ClustersError::Bank(_) => 909,
            ClustersError::Overflow => 910,
        }
    }
}
