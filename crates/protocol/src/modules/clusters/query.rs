//! Clusters queries: params, clusters, reservations.

use atelier_state::{StateError, StateRead};

use super::{Cluster, ClusterId, ClusterParams, Reservation, state};

/// Clusters params.
pub fn params(state: &impl StateRead) -> Result<ClusterParams, StateError> {
    state::params(state)
}

/// Every cluster (at most `max_clusters`).
pub fn clusters(state: &impl StateRead) -> Result<Vec<Cluster>, StateError> {
    state::clusters(state)
}

/// A cluster.
pub fn cluster(state: &impl StateRead, id: ClusterId) -> Result<Option<Cluster>, StateError> {
    state::cluster(state, id)
}

/// A reservation.
pub fn reservation(state: &impl StateRead, id: u64) -> Result<Option<Reservation>, StateError> {
    state::reservation(state, id)
}

/// The reservations of `cluster` for `epoch` (at most `max_requests_per_epoch`).
pub fn reservations(
    state: &impl StateRead,
    cluster: ClusterId,
    epoch: u64,
) -> Result<Vec<Reservation>, StateError> {
    state::reservations_for(state, cluster, epoch, state::params(state)?.max_requests_per_epoch as usize)
}
