//! Why a training-cluster message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount};

use super::ClusterId;

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
