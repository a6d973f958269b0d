//! Why a training-cluster message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, ErrorCode};

use super::ClusterId;

/// A broken clusters rule. Codes are stable (the clusters range is 900–999).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(909))]
pub enum ClustersError {
    /// No active cluster has this id.
    #[code(901)]
    #[error("no active cluster {cluster}")]
    UnknownCluster {
        /// The id named.
        cluster: ClusterId,
    },
    /// The epoch is not a coming one within the horizon.
    #[code(902)]
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
    #[code(903)]
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
    #[code(904)]
    #[error("bid {bid} per slot is under the price {price}")]
    BidBelowPrice {
        /// The bid.
        bid: Amount,
        /// The price.
        price: Amount,
    },
    /// The epoch has as many requests for the cluster as allowed.
    #[code(905)]
    #[error("cluster {cluster} has {max} requests for the epoch already")]
    TooManyRequests {
        /// The cluster.
        cluster: ClusterId,
        /// The maximum.
        max: u32,
    },
    /// No reservation has this id.
    #[code(906)]
    #[error("no reservation {reservation}")]
    UnknownReservation {
        /// The id named.
        reservation: u64,
    },
    /// Only the requester cancels.
    #[code(907)]
    #[error("{sender} did not make reservation {reservation}")]
    NotRequester {
        /// The reservation.
        reservation: u64,
        /// Who tried.
        sender: Address,
    },
    /// Zero slots, or more than the cluster has.
    #[code(908)]
    #[error("asked {asked} slots; the cluster has {slots} per epoch")]
    InvalidSlots {
        /// Asked for.
        asked: u32,
        /// The cluster's slots.
        slots: u32,
    },
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// An amount or id overflowed.
    #[code(910)]
    #[error("arithmetic overflow")]
    Overflow,
}

/// Why cluster params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClustersParamsError {
    /// A bound is zero.
    #[error("max_clusters, max_requests_per_epoch and horizon_epochs must be positive")]
    Zero,
    /// A bound is past what an epoch's allocation may read.
    #[error("at most 1024 clusters and 4096 requests per epoch")]
    TooLarge,
}
