//! Training-cluster events: what happened, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode};
use serde::{Deserialize, Serialize};

use super::ClusterId;

/// A clusters event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
