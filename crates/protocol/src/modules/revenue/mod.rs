//! revenue: every model and asset has a royalty vault whose revenue belongs to the holders of its
//! 100 000 000 transferable share units, paid pro rata through an accumulator. Spec: `README.md`
//! beside this file.

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

pub use crate::modules::accrual::Accrual;
pub use error::RevenueError;
pub use events::RevenueEvent;
pub use genesis::{HoldingGenesis, RevenueGenesis, VaultGenesis};
pub use msg::RevenueMsg;
pub use state::{Holding, SHARE_UNITS, Vault, VaultId, account};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{holding, open, pay_into, transfer_shares, vault};
/// Other modules' unit tests compare vaults with these.
#[cfg(test)]
pub(crate) use state::{holdings, vault_to_change};

use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Handler, Module, fees::GasSchedule},
};

/// Royalty vaults and their revenue shares.
#[derive(Debug)]
pub struct Revenue;

impl Module for Revenue {
    const NAME: &'static str = "revenue";
    type Genesis = RevenueGenesis;
    type Event = RevenueEvent;

    fn normalize(section: RevenueGenesis, _: &Genesis) -> Result<RevenueGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &RevenueGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<RevenueGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::books(state)
    }

    /// The books, from what the block changed.
    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::books_of_changes(before, after, changes)
    }
}

impl Handler for Revenue {
    type Msg = RevenueMsg;
    type Error = RevenueError;
    type Caps = ();

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<()>,
        msg: &RevenueMsg,
    ) -> Result<(), Failure<RevenueError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &RevenueMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }
}
