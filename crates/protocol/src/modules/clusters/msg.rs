//! Training-cluster messages: what a transaction asks of the module.

use atelier_primitives::{Amount, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::ClusterId;

/// A clusters message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl ClustersMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        schedule.clusters
    }
}
