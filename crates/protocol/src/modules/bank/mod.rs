//! bank: multi-denom balances, transfers, module accounts, supply, and capability-gated
//! mint and burn. Spec: `README.md` beside this file.

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

pub use error::BankError;
pub use events::BankEvent;
pub use genesis::{AccountBalances, BankGenesis, Coin};
pub use msg::BankMsg;
pub use params::BankParams;
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{balance, burned, credit, debit, minted, send};
/// Other modules' unit tests set balances and supply up with these, as genesis does.
#[cfg(test)]
pub(crate) use state::{init_balance, init_supply};

use atelier_primitives::{Amount, Denom};

use crate::app::caps::{Burner, Capabilities, Minter, Seal};

use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    Event, Genesis, GenesisError,
    invariants::Violation,
    modules::{Ctx, Failure, Handler, Module, fees::GasSchedule},
};

/// The denominations the chain knows: the native token and the bridged stablecoin.
pub const DENOMS: [Denom; 2] = [Denom::GDC, Denom::USD];

/// Balances, transfers, supply, and the stablecoin issuer's mint and burn.
#[derive(Debug)]
pub struct Bank;

/// What the bank's messages may do beyond moving balances: the issuer's mint and burn of the
/// stablecoin.
#[derive(Debug)]
pub struct BankCaps {
    minter: Minter,
    burner: Burner,
}

impl Capabilities for BankCaps {
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self {
        BankCaps { minter: Minter::grant(seal), burner: Burner::grant(seal) }
    }
}

impl Module for Bank {
    const NAME: &'static str = "bank";
    type Genesis = BankGenesis;
    type Event = BankEvent;

    fn normalize(section: BankGenesis, _: &Genesis) -> Result<BankGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &BankGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section)
    }

    fn export(state: &impl StateRead) -> Result<BankGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        invariants::conservation(state)
    }

    fn block_invariants(
        before: &impl StateRead,
        after: &impl StateRead,
        changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        invariants::conservation_of_changes(before, after, changes)
    }
}

impl Handler for Bank {
    type Msg = BankMsg;
    type Error = BankError;
    type Caps = BankCaps;

    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<BankCaps>,
        msg: &BankMsg,
    ) -> Result<(), Failure<BankError>> {
        handler::handle(state, events, ctx, msg)
    }

    fn gas(msg: &BankMsg, schedule: &GasSchedule) -> u64 {
        msg.gas(schedule)
    }

    fn check(msg: &BankMsg) -> Result<(), BankError> {
        handler::check(msg)
    }

    fn debit(msg: &BankMsg) -> Option<(Denom, Amount)> {
        match msg {
            BankMsg::Transfer { denom, amount, .. } => Some((*denom, *amount)),
            BankMsg::BurnStable { amount } => Some((Denom::USD, *amount)),
            BankMsg::MintStable { .. } => None,
        }
    }
}
