//! auth genesis: non-zero nonces (a chain restarted from an export keeps its replay protection).

use atelier_primitives::{Address, Decode};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::state;
use crate::{genesis::GenesisError, store};

/// One account's next nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountNonce {
    /// The account.
    pub address: Address,
    /// The nonce its next transaction must carry.
    pub nonce: u64,
}

/// The auth part of genesis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AuthGenesis {
    /// Non-zero nonces, sorted by address.
    #[serde(default)]
    pub nonces: Vec<AccountNonce>,
}

impl AuthGenesis {
    /// Checks for duplicates and puts the section in canonical order.
    pub fn normalize(mut self) -> Result<Self, GenesisError> {
        self.nonces.retain(|n| n.nonce != 0);
        self.nonces.sort_by_key(|n| n.address);
        match self.nonces.windows(2).find(|pair| pair[0].address == pair[1].address) {
            Some(pair) => Err(GenesisError::DuplicateAccount { address: pair[0].address }),
            None => Ok(self),
        }
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &AuthGenesis) {
    for entry in &genesis.nonces {
        state::set_nonce(state, &entry.address, entry.nonce);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<AuthGenesis, StateError> {
    let nonces = store::scan::<u64>(state, state::NONCE)?
        .into_iter()
        .map(|(key, nonce)| {
            let address =
                Address::from_bytes(&key[state::NONCE.len()..]).map_err(|e| StateError::corrupt(&key, e))?;
            Ok(AccountNonce { address, nonce })
        })
        .collect::<Result<_, StateError>>()?;
    Ok(AuthGenesis { nonces })
}
