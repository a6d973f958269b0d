//! market: fixed-price listings of assets and of royalty-vault shares, in `ugdc` or `uusd`. The
//! only way an asset changes hands; every asset sale pays the treasury, the asset's royalty stack,
//! its model's datasets and fine-tuners, then the seller. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
mod state;

pub use error::{MarketError, MarketParamsError};
pub use events::MarketEvent;
pub use genesis::MarketGenesis;
pub use msg::MarketMsg;
pub use params::MarketParams;
pub use state::{Item, Listing, ListingId};

use atelier_primitives::Height;
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Governed, Handler, Module, fees::GasSchedule},
};

/// What every sale's royalties may take at most, in bps: the longest royalty stack provenance
/// allows plus the largest lineage fee the registry allows (the market's params must leave room
/// for both).
fn royalty_caps(
    provenance: &super::provenance::ProvenanceParams,
    registry: &super::registry::RegistryParams,
) -> u32 {
    u32::from(provenance.max_royalty_stack.get()) + u32::from(registry.max_lineage_fee.get())
}

/// Fixed-price sales of assets and revenue shares.
#[derive(Debug)]
pub struct Market;

impl Module for Market {
    const NAME: &'static str = "market";
    type Genesis = MarketGenesis;
    type Event = MarketEvent;

    fn normalize(section: MarketGenesis, genesis: &Genesis) -> Result<MarketGenesis, GenesisError> {
        section.normalize(royalty_caps(&genesis.provenance.params, &genesis.registry.params))
    }

    fn init(state: &mut impl StateWrite, section: &MarketGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<MarketGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::listings(state)
    }

    /// The listings the block could have displaced. O(changes).
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::listings_of_changes(before, after, changes)
    }
}

impl Handler for Market {
    type Msg = MarketMsg;
    type Error = MarketError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &MarketMsg,
    ) -> Result<(), Failure<MarketError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &MarketMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}

impl Governed for Market {
    type Params = MarketParams;

    fn set_params(
        state: &mut impl StateWrite,
        _: Height,
        params: &MarketParams,
    ) -> Result<(), Failure<String>> {
        state::set_params(state, params);
        Ok(())
    }

    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>> {
        let caps =
            royalty_caps(&super::provenance::query::params(state)?, &super::registry::query::params(state)?);
        state::params(state)?.validate(caps).map_err(|e| Failure::Rule(e.to_string()))
    }
}
