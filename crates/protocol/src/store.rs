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
    decode_all(state.scan_prefix(prefix)?)
}

fn decode_all<T: Decode>(entries: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<(Vec<u8>, T)>, StateError> {
    entries
        .into_iter()
        .map(|(key, bytes)| match T::from_bytes(&bytes) {
            Ok(value) => Ok((key, value)),
            Err(e) => Err(StateError::corrupt(&key, e)),
        })
        .collect()
}

/// Where a page of entries keyed `prefix ++ suffix` starts: after the entry whose suffix is
/// `after`, or at the first.
fn page_start(prefix: &[u8], after: Option<&[u8]>) -> Vec<u8> {
    match after {
        Some(after) => atelier_state::key_after(&key(prefix, &[after])),
        None => prefix.to_vec(),
    }
}

/// A page of the values keyed `prefix ++ id (8 bytes BE)`: ids above `after`, at most `limit`,
/// by id. Reads only the page, however many entries come before it.
pub(crate) fn page<T: Decode>(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    after: Option<u64>,
    limit: usize,
) -> Result<Vec<T>, StateError> {
    keyed_page(state, prefix, after.map(u64::to_be_bytes).as_ref().map(|id| &id[..]), limit)
}

/// A page of the values keyed `prefix ++ suffix`: suffixes above `after`, at most `limit`, in key
/// order. Reads only the page.
pub(crate) fn keyed_page<T: Decode>(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    after: Option<&[u8]>,
    limit: usize,
) -> Result<Vec<T>, StateError> {
    let entries = decode_all(state.scan_from(prefix, &page_start(prefix, after), limit)?)?;
    Ok(entries.into_iter().map(|(_, value)| value).collect())
}

/// A page of the ids of an index keyed `prefix ++ id (8 bytes BE)`: ids above `after`, at most
/// `limit`, in order. Reads only the page.
pub(crate) fn id_page(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    after: Option<u64>,
    limit: usize,
) -> Result<Vec<u64>, StateError> {
    state
        .scan_from(
            prefix,
            &page_start(prefix, after.map(u64::to_be_bytes).as_ref().map(|id| &id[..])),
            limit,
        )?
        .iter()
        .map(|(key, _)| id_at_end(key))
        .collect()
}

/// The id (8 bytes BE) that ends an index key.
pub(crate) fn id_at_end(key: &[u8]) -> Result<u64, StateError> {
    key.len()
        .checked_sub(8)
        .and_then(|start| key[start..].try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| StateError::corrupt(key, "index key does not end in an id"))
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
    use atelier_primitives::Encode;
    use atelier_state::{ChangeSet, MemoryStore};
    use proptest::prelude::*;

    use super::*;

    /// spec: paging by key — a page costs the same however long the history before it: the store
    /// is asked for exactly the page's entries.
    #[test]
    fn a_page_deep_in_a_history_of_100_000_entries_reads_only_that_page() {
        struct Counting<'a>(&'a MemoryStore, std::cell::Cell<usize>);
        impl StateRead for Counting<'_> {
            fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
                self.1.set(self.1.get() + 1);
                self.0.get(key)
            }
            fn scan_from(
                &self,
                prefix: &[u8],
                from: &[u8],
                limit: usize,
            ) -> Result<Vec<(Vec<u8>, Vec<u8>)>, StateError> {
                let entries = self.0.scan_from(prefix, from, limit)?;
                self.1.set(self.1.get() + entries.len());
                Ok(entries)
            }
        }
        let mut store = MemoryStore::new();
        let mut changes = ChangeSet::new();
        for id in 1..=100_000u64 {
            changes.put(key(b"p/", &[&id.to_be_bytes()]), (id * 3).to_bytes());
        }
        store.apply(changes).unwrap();
        let counting = Counting(&store, std::cell::Cell::new(0));
        let values: Vec<u64> = page(&counting, b"p/", Some(99_000), 100).unwrap();
        assert_eq!(values, (99_001..=99_100).map(|id| id * 3).collect::<Vec<_>>());
        assert_eq!(counting.1.get(), 100, "entries read");
        assert_eq!(
            id_page(&counting, b"p/", Some(99_990), 100).unwrap(),
            (99_991..=100_000).collect::<Vec<_>>()
        );
        assert_eq!(page::<u64>(&counting, b"p/", None, 2).unwrap(), vec![3, 6]);
    }

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
