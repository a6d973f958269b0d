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

/// The timers under `prefix` (keyed `prefix ++ due height (8 bytes BE) ++ …`) due at or before
/// `height`, earliest first, at most `limit`, as `(due height, key)`. Reads in batches growing fourfold from 64,
/// so the cost follows what is due, not how many timers wait.
pub(crate) fn due_keys(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    height: u64,
    limit: usize,
) -> Result<Vec<(u64, Vec<u8>)>, StateError> {
    let mut batch = limit.min(64);
    loop {
        let entries = state.scan_prefix_limited(prefix, batch)?;
        let read_all = entries.len() < batch || batch == limit;
        let mut due = Vec::with_capacity(entries.len());
        for (key, _) in entries {
            let at = key
                .get(prefix.len()..prefix.len() + 8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes)
                .ok_or_else(|| StateError::corrupt(&key, "timer key too short"))?;
            if at > height {
                return Ok(due);
            }
            due.push((at, key));
        }
        if read_all {
            return Ok(due);
        }
        batch = batch.saturating_mul(4).min(limit);
    }
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

#[cfg(test)]
mod tests {
    use atelier_state::{ChangeSet, MemoryStore};
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The batched read finds exactly the first `limit` due timers, whatever waits behind them.
        #[test]
        fn due_keys_are_the_first_timers_due_by_the_height_up_to_the_limit(
            dues in proptest::collection::btree_set((0u64..400, 0u64..4), 0..600),
            height in 0u64..400,
            limit in 1usize..700,
        ) {
            let mut store = MemoryStore::new();
            let mut changes = ChangeSet::new();
            let keys: Vec<Vec<u8>> =
                dues.iter().map(|(at, id)| key(b"t/", &[&at.to_be_bytes(), &id.to_be_bytes()])).collect();
            for k in &keys {
                changes.put(k.clone(), Vec::new());
            }
            // Other prefixes do not count.
            changes.put(b"u/".to_vec(), Vec::new());
            store.apply(changes).unwrap();
            let expected: Vec<(u64, Vec<u8>)> = dues
                .iter()
                .zip(&keys)
                .filter(|((at, _), _)| *at <= height)
                .map(|((at, _), k)| (*at, k.clone()))
                .take(limit)
                .collect();
            prop_assert_eq!(due_keys(&store, b"t/", height, limit).unwrap(), expected);
        }
    }
}
