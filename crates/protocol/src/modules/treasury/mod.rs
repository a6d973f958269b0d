//! treasury: income accounted by source; at each epoch's end the pool's TWAP, a capped moving
//! average and its floor bands, token velocity and the oracle's GDC/USD drive a paced conversion
//! of GDC income into the stable reserve, buy-backs that defend the floor and burn what they buy,
//! pool top-ups and the grants budget, all through the batch AMM; the oracle agents' engagement
//! and demand reports steer prudence and a style incentive. No messages: governance spends
//! and grants; everything else is the block's end. Spec: `README.md` beside this file.

pub mod controller;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
mod state;
pub mod steering;

pub use controller::Targets;
pub use error::TreasuryParamsError;
pub use events::TreasuryEvent;
pub use genesis::TreasuryGenesis;
pub use params::TreasuryParams;
pub use state::{
    Book, ClassJobs, EpochReport, Income, IncomeSource, MAX_INCENTIVE_MODELS, MAX_REPORTED_STYLES, Pending,
    PendingKind, Steering, StyleIncentive, account, operations,
};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Genesis, GenesisError,
    invariants::Violation,
    modules::{Failure, Governed, Module},
};

/// The treasury, its reserve and its floor defence.
#[derive(Debug)]
pub struct Treasury;

impl Module for Treasury {
    const NAME: &'static str = "treasury";
    type Genesis = TreasuryGenesis;
    type Event = TreasuryEvent;

    fn normalize(section: TreasuryGenesis, _: &Genesis) -> Result<TreasuryGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &TreasuryGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<TreasuryGenesis, StateError> {
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

impl Governed for Treasury {
    type Params = TreasuryParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &TreasuryParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        state::params(state)?.validate().map_err(|e| Failure::Rule(e.to_string()))
    }
}
