//! Typed access to byte-keyed state: every value is stored in its canonical encoding.

use atelier_primitives::{Decode, Encode};
use atelier_state::{StateError, StateRead, StateWrite};

/// The value of type `T` under `key`, if any; a value that does not decode is a fatal error.
pub(crate) fn read<T: Decode>(
    state: &(impl StateRead + ?Sized),
    key: &[u8],
) -> Result<Option<T>, StateError> {
    match state.get(key)? {
        None => Ok(None),
        Some(bytes) => T::from_bytes(&bytes).map(Some).map_err(|e| StateError::corrupt(key, e)),
    }
}

/// Stores `value` under `key`.
pub(crate) fn write<T: Encode>(state: &mut (impl StateWrite + ?Sized), key: Vec<u8>, value: &T) {
    state.put(key, value.to_bytes());
}

/// Every `(key, T)` under `prefix`, in key order.
pub(crate) fn scan<T: Decode>(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
) -> Result<Vec<(Vec<u8>, T)>, StateError> {
    state
        .scan_prefix(prefix)?
        .into_iter()
        .map(|(key, bytes)| match T::from_bytes(&bytes) {
            Ok(value) => Ok((key, value)),
            Err(e) => Err(StateError::corrupt(&key, e)),
        })
        .collect()
}

/// `prefix ++ parts`, the one way keys are built.
pub(crate) fn key(prefix: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let len = prefix.len() + parts.iter().map(|p| p.len()).sum::<usize>();
    let mut key = Vec::with_capacity(len);
    key.extend_from_slice(prefix);
    for part in parts {
        key.extend_from_slice(part);
    }
    key
}
