//! Admission checks owned by auth: chain id, expiry, nonce. Read-only until [`consume_nonce`].

use std::cmp::Ordering;

use atelier_primitives::{Address, Height};
use atelier_state::{StateRead, StateWrite};

use super::state;
use crate::{
    modules::Failure,
    rejection::Rejection,
    tx::{ChainId, Tx},
};

/// Checks that `tx` is meant for this chain, still valid at `height`, and next in its sender's
/// sequence. Returns the sender's current nonce.
pub(crate) fn check(
    state: &impl StateRead,
    chain_id: &ChainId,
    height: Height,
    sender: &Address,
    tx: &Tx,
) -> Result<u64, Failure<Rejection>> {
    if tx.chain_id != *chain_id {
        return Err(Failure::Rule(Rejection::WrongChainId {
            expected: chain_id.clone(),
            got: tx.chain_id.clone(),
        }));
    }
    if tx.expiry_height < height {
        return Err(Failure::Rule(Rejection::Expired { expiry_height: tx.expiry_height, height }));
    }
    let expected = state::nonce(state, sender)?;
    match tx.nonce.cmp(&expected) {
        Ordering::Less => Err(Failure::Rule(Rejection::NonceTooLow { expected, got: tx.nonce })),
        Ordering::Greater => Err(Failure::Rule(Rejection::NonceGap { expected, got: tx.nonce })),
        Ordering::Equal => Ok(expected),
    }
}

/// Advances the sender's sequence; part of including a transaction, applied even if it fails.
pub(crate) fn consume_nonce(state: &mut impl StateWrite, sender: &Address, current: u64) {
    // A u64 nonce is never exhausted: one per block for 500 billion years.
    state::set_nonce(state, sender, current.saturating_add(1));
}
