//! clusters genesis: params, clusters, open reservations and the next ids.

use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Cluster, ClusterParams, Reservation, state};
use crate::genesis::GenesisError;

/// The clusters part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClustersGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: ClusterParams,
    /// Clusters, by id.
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    /// Open reservations, by id.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
    /// The id the next cluster gets.
    #[serde(default = "first_id")]
    pub next_cluster: u64,
    /// The id the next reservation gets.
    #[serde(default = "first_id")]
    pub next_reservation: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for ClustersGenesis {
    fn default() -> Self {
        ClustersGenesis {
            params: ClusterParams::default(),
            clusters: Vec::new(),
            reservations: Vec::new(),
            next_cluster: 1,
            next_reservation: 1,
        }
    }
}

impl ClustersGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<ClustersGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "clusters", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.clusters.sort_by_key(|c| c.id);
        self.reservations.sort_by_key(|r| r.id);
        if self.clusters.windows(2).any(|w| w[0].id == w[1].id)
            || self.clusters.iter().any(|c| c.id.0 == 0 || c.id.0 >= self.next_cluster)
        {
            return Err(invalid("cluster ids must be unique and between 1 and next_cluster".into()));
        }
        if self.reservations.windows(2).any(|w| w[0].id == w[1].id)
            || self.reservations.iter().any(|r| r.id == 0 || r.id >= self.next_reservation)
        {
            return Err(invalid("reservation ids must be unique and between 1 and next_reservation".into()));
        }
        if let Some(r) = self
            .reservations
            .iter()
            .find(|r| self.clusters.binary_search_by_key(&r.cluster, |c| c.id).is_err())
        {
            return Err(invalid(format!("reservation {} names an unknown cluster", r.id)));
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &ClustersGenesis) -> Result<(), StateError> {
    state::set_params(state, &genesis.params);
    state::set_next_cluster(state, genesis.next_cluster);
    state::set_next_reservation(state, genesis.next_reservation);
    for cluster in &genesis.clusters {
        state::put_cluster(state, cluster);
    }
    for reservation in &genesis.reservations {
        state::insert_reservation(state, reservation)?;
    }
    Ok(())
}

pub(crate) fn export(state: &impl StateRead) -> Result<ClustersGenesis, StateError> {
    Ok(ClustersGenesis {
        params: state::params(state)?,
        clusters: state::clusters(state)?,
        reservations: state::all_reservations(state)?,
        next_cluster: state::next_cluster(state)?,
        next_reservation: state::next_reservation(state)?,
    })
}
