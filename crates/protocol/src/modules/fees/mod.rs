//! fees: the block-space fee market (EIP-1559). A fixed gas cost per message kind, a base fee per
//! gas that follows demand block by block and is burned, and a capped priority tip paid to the
//! block's proposer. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
mod state;

pub use error::FeesParamsError;
pub use events::FeeEvent;
pub use genesis::FeesGenesis;
pub use params::{FeeParams, GasSchedule};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{base_fee, params};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Genesis, GenesisError,
    invariants::Violation,
    modules::{Failure, Governed, Module},
};

/// The block-space fee market.
#[derive(Debug)]
pub struct Fees;

impl Module for Fees {
    const NAME: &'static str = "fees";
    type Genesis = FeesGenesis;
    type Event = FeeEvent;

    fn normalize(section: FeesGenesis, _: &Genesis) -> Result<FeesGenesis, GenesisError> {
        section.validate()?;
        Ok(section)
    }

    fn init(state: &mut impl StateWrite, section: &FeesGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<FeesGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// Its books are O(1): every block checks them.
    fn block_invariants(
        _before: &impl StateRead,
        after: &impl StateRead,
        _changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books(after)
    }
}

impl Governed for Fees {
    type Params = FeeParams;

    fn set_params(state: &mut impl StateWrite, _: Height, params: &FeeParams) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
