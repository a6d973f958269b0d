//! provenance genesis: params, the assets and the next id.

use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Asset, ProvenanceParams, state};
use crate::genesis::GenesisError;

/// The provenance part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProvenanceGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: ProvenanceParams,
    /// Assets, by id.
    #[serde(default)]
    pub assets: Vec<Asset>,
    /// The id the next asset gets (after every id above).
    #[serde(default = "first_id")]
    pub next_asset: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for ProvenanceGenesis {
    fn default() -> Self {
        ProvenanceGenesis { params: ProvenanceParams::default(), assets: Vec::new(), next_asset: 1 }
    }
}

impl ProvenanceGenesis {
    /// Checks the section and sorts it canonically. Parents and ancestors must be earlier assets,
    /// so the lineage stays a DAG.
    pub fn normalize(mut self) -> Result<ProvenanceGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "provenance", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.assets.sort_by_key(|a| a.id);
        if self.assets.windows(2).any(|w| w[0].id == w[1].id) {
            return Err(invalid("an asset id appears twice".into()));
        }
        for asset in &self.assets {
            if asset.id.0 == 0 || asset.id.0 >= self.next_asset {
                return Err(invalid(format!("asset {} is not between 1 and next_asset", asset.id)));
            }
            let earlier = |id: &super::AssetId| {
                *id < asset.id && self.assets.binary_search_by_key(id, |a| a.id).is_ok()
            };
            if !asset.parents.iter().all(|e| earlier(&e.parent)) || !asset.ancestors.iter().all(earlier) {
                return Err(invalid(format!(
                    "asset {} names a lineage that is not earlier assets",
                    asset.id
                )));
            }
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &ProvenanceGenesis) {
    state::set_params(state, &genesis.params);
    state::set_next_asset(state, genesis.next_asset);
    for asset in &genesis.assets {
        state::put_asset(state, asset);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<ProvenanceGenesis, StateError> {
    Ok(ProvenanceGenesis {
        params: state::params(state)?,
        assets: state::assets(state)?,
        next_asset: state::next_asset(state)?,
    })
}
