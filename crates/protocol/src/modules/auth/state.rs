//! auth state.
//!
//! | key | value |
//! |---|---|
//! | `auth/chain_id` | [`ChainId`] |
//! | `auth/height` | `Height` of the last applied block (initial height − 1 at genesis) |
//! | `auth/nonce/{address:20}` | `u64` next nonce, absent when zero |

use atelier_primitives::{Address, Height};
use atelier_state::{StateError, StateRead, StateWrite};

use crate::{
    store::{key, read, write},
    tx::ChainId,
};

pub(crate) const CHAIN_ID: &[u8] = b"auth/chain_id";
pub(crate) const HEIGHT: &[u8] = b"auth/height";
pub(crate) const NONCE: &[u8] = b"auth/nonce/";

pub(crate) fn chain_id(state: &impl StateRead) -> Result<ChainId, StateError> {
    read(state, CHAIN_ID)?.ok_or_else(|| StateError::corrupt(CHAIN_ID, "chain id missing"))
}

pub(crate) fn set_chain_id(state: &mut impl StateWrite, chain_id: &ChainId) {
    write(state, CHAIN_ID.to_vec(), chain_id);
}

pub(crate) fn height(state: &impl StateRead) -> Result<Height, StateError> {
    read(state, HEIGHT)?.ok_or_else(|| StateError::corrupt(HEIGHT, "height missing"))
}

pub(crate) fn set_height(state: &mut impl StateWrite, height: Height) {
    write(state, HEIGHT.to_vec(), &height);
}

pub(crate) fn nonce_key(address: &Address) -> Vec<u8> {
    key(NONCE, &[address.as_bytes()])
}

/// The nonce the next transaction of `address` must carry.
pub(crate) fn nonce(state: &(impl StateRead + ?Sized), address: &Address) -> Result<u64, StateError> {
    Ok(read(state, &nonce_key(address))?.unwrap_or(0))
}

pub(crate) fn set_nonce(state: &mut impl StateWrite, address: &Address, nonce: u64) {
    if nonce == 0 {
        state.delete(nonce_key(address));
    } else {
        write(state, nonce_key(address), &nonce);
    }
}
