//! auth: who may act, and replay protection — the chain's identity, the last applied height, and
//! every account's next nonce. Spec: `README.md` beside this file.

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

pub use genesis::{AccountNonce, AuthGenesis};
/// What other modules may read and change here: the module's state stays private to it.
pub(crate) use state::{CHAIN_ID, chain_id, height, nonce, set_chain_id, set_height};

use atelier_state::{StateError, StateRead, StateWrite};

use crate::{
    Genesis, GenesisError,
    invariants::Violation,
    modules::{Module, Never},
};

/// Accounts' nonces and the chain's identity and height.
#[derive(Debug)]
pub struct Auth;

impl Module for Auth {
    const NAME: &'static str = "auth";
    type Genesis = AuthGenesis;
    type Event = Never;

    fn normalize(section: AuthGenesis, _: &Genesis) -> Result<AuthGenesis, GenesisError> {
        section.normalize()
    }

    fn init(state: &mut impl StateWrite, section: &AuthGenesis) -> Result<(), GenesisError> {
        genesis::init(state, section);
        Ok(())
    }

    fn export(state: &impl StateRead) -> Result<AuthGenesis, StateError> {
        genesis::export(state)
    }

    fn invariants(_state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
        Ok(Vec::new())
    }
}
