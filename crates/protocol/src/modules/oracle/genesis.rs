//! oracle genesis: params, operators and each feed's published value. Open rounds are not
//! carried: a chain starts with every feed's first round unopened, and an export drops the
//! observations of rounds still open (they are at most `round_blocks` old).

use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{FeedId, Operator, OracleParams, Published, state};
use crate::genesis::GenesisError;

/// A feed's value at genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedValue {
    /// The feed.
    pub feed: FeedId,
    /// Its value.
    pub published: Published,
}

/// The oracle part of genesis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OracleGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: OracleParams,
    /// Registered operators (their stake is checked when they observe).
    #[serde(default)]
    pub operators: Vec<Operator>,
    /// Published values.
    #[serde(default)]
    pub values: Vec<FeedValue>,
}

impl OracleGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<OracleGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "oracle", reason };
        self.params.validate().map_err(|e| invalid(e.to_string()))?;
        self.operators.sort_by_key(|o| o.address);
        if self.operators.windows(2).any(|w| w[0].address == w[1].address) {
            return Err(invalid("operators must be distinct".into()));
        }
        if self.operators.len() > self.params.max_operators as usize {
            return Err(invalid("more operators than max_operators".into()));
        }
        self.values.sort_by(|a, b| a.feed.cmp(&b.feed));
        if self.values.windows(2).any(|w| w[0].feed == w[1].feed) {
            return Err(invalid("one value per feed".into()));
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &OracleGenesis) -> Result<(), StateError> {
    state::set_params(state, &genesis.params);
    for operator in &genesis.operators {
        state::put_operator(state, operator)?;
    }
    for value in &genesis.values {
        state::set_latest(state, &value.feed, &value.published);
    }
    Ok(())
}

pub(crate) fn export(state: &impl StateRead) -> Result<OracleGenesis, StateError> {
    let params = state::params(state)?;
    let mut values = Vec::new();
    for spec in &params.feeds {
        if let Some(published) = state::latest(state, &spec.id)? {
            values.push(FeedValue { feed: spec.id.clone(), published });
        }
    }
    values.sort_by(|a, b| a.feed.cmp(&b.feed));
    Ok(OracleGenesis { operators: state::operators(state)?, values, params })
}
