//! Training-cluster parameters, changed only through governance's `SetParams`.

use atelier_primitives::{Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::ClustersParamsError;

/// Clusters parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClusterParams {
    /// Most clusters (the epoch's end visits them all).
    pub max_clusters: u32,
    /// Most reservations one cluster takes for one epoch.
    pub max_requests_per_epoch: u32,
    /// How many epochs ahead a reservation may be made.
    pub horizon_epochs: u64,
    /// Share of the payment refunded when allocated slots are given up (the rest to the operator).
    pub late_cancel_refund: Bps,
}

impl Default for ClusterParams {
    /// 64 clusters, 256 requests per cluster and epoch, 4 epochs ahead, half refunded on a late
    /// cancellation.
    fn default() -> Self {
        ClusterParams {
            max_clusters: 64,
            max_requests_per_epoch: 256,
            horizon_epochs: 4,
            late_cancel_refund: Bps::new(5_000).unwrap_or(Bps::ZERO),
        }
    }
}

impl ClusterParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), ClustersParamsError> {
        if self.max_clusters == 0 || self.max_requests_per_epoch == 0 || self.horizon_epochs == 0 {
            return Err(ClustersParamsError::Zero);
        }
        if self.max_clusters > 1_024 || self.max_requests_per_epoch > 4_096 {
            return Err(ClustersParamsError::TooLarge);
        }
        Ok(())
    }
}
