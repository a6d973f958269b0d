//! market genesis: params, open listings and the next id.

use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Listing, MarketParams, state};
use crate::genesis::GenesisError;

/// The market part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarketGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: MarketParams,
    /// Open listings, by id.
    #[serde(default)]
    pub listings: Vec<Listing>,
    /// The id the next listing gets.
    #[serde(default = "first_id")]
    pub next_listing: u64,
}

fn first_id() -> u64 {
    1
}

impl Default for MarketGenesis {
    fn default() -> Self {
        MarketGenesis { params: MarketParams::default(), listings: Vec::new(), next_listing: 1 }
    }
}

impl MarketGenesis {
    /// Checks the section and sorts it. `royalty_caps` is the most an asset sale can owe besides the
    /// protocol fee and the dataset royalty (the stack cap plus the lineage fee cap).
    pub fn normalize(mut self, royalty_caps: u32) -> Result<MarketGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "market", reason };
        self.params.validate(royalty_caps).map_err(|e| invalid(e.to_string()))?;
        self.listings.sort_by_key(|l| l.id);
        if self.listings.windows(2).any(|w| w[0].id == w[1].id) {
            return Err(invalid("a listing id appears twice".into()));
        }
        if let Some(l) = self.listings.iter().find(|l| l.id.0 == 0 || l.id.0 >= self.next_listing) {
            return Err(invalid(format!("listing {} is not between 1 and next_listing", l.id)));
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &MarketGenesis) {
    state::set_params(state, &genesis.params);
    state::set_next_listing(state, genesis.next_listing);
    for listing in &genesis.listings {
        state::put_listing(state, listing);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<MarketGenesis, StateError> {
    Ok(MarketGenesis {
        params: state::params(state)?,
        listings: state::listings(state)?,
        next_listing: state::next_listing(state)?,
    })
}
