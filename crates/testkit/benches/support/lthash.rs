//! The state commitment the trie replaced, kept here to measure against: a lattice-based
//! homomorphic multiset hash (LtHash, as Solana's accounts hash, SIMD-0215) whose root is a sum of
//! one 1024-coordinate vector per entry. It proves that two nodes agree and nothing else. The
//! update below is the one that shipped: two expansions per changed key, summed on every core above
//! 2 048 changes.

use atelier_primitives::Hash;
use chacha20::{
    ChaChaCore,
    cipher::{Block, KeyIvInit, StreamCipherCore, consts::U6},
};

/// ChaCha with 6 double rounds: ChaCha12.
type ChaCha12Core = ChaChaCore<U6>;
/// One entry's vector as keystream blocks of 64 bytes (32 coordinates each).
type Expansion = [Block<ChaCha12Core>; COORDINATES * 2 / 64];

const COORDINATES: usize = 1024;

/// A homomorphic multiset hash of key-value entries.
#[derive(Clone)]
pub(crate) struct LtHash(Box<[u16; COORDINATES]>);

impl Default for LtHash {
    fn default() -> Self {
        LtHash(Box::new([0; COORDINATES]))
    }
}

impl LtHash {
    /// The commitment to the empty state.
    pub(crate) fn empty() -> Self {
        LtHash::default()
    }

    /// Adds the entry `key = value`.
    pub(crate) fn insert(&mut self, key: &[u8], value: &[u8]) {
        self.fold(key, value, u16::wrapping_add);
    }

    /// Removes the entry `key = value`, which must have been added.
    pub(crate) fn remove(&mut self, key: &[u8], value: &[u8]) {
        self.fold(key, value, u16::wrapping_sub);
    }

    /// Combines the entry's vector into the sum, coordinate by coordinate.
    fn fold(&mut self, key: &[u8], value: &[u8], combine: impl Fn(u16, u16) -> u16) {
        let expansion = expand(key, value);
        for (coordinates, block) in self.0.chunks_exact_mut(32).zip(expansion.iter()) {
            for (sum, pair) in coordinates.iter_mut().zip(block.chunks_exact(2)) {
                *sum = combine(*sum, u16::from_le_bytes([pair[0], pair[1]]));
            }
        }
    }

    /// Adds every entry of `other` (the union of two disjoint multisets).
    pub(crate) fn add(&mut self, other: &LtHash) {
        for (sum, term) in self.0.iter_mut().zip(other.0.iter()) {
            *sum = sum.wrapping_add(*term);
        }
    }

    /// The 32-byte state root.
    pub(crate) fn root(&self) -> Hash {
        let bytes: Vec<u8> = self.0.iter().flat_map(|c| c.to_le_bytes()).collect();
        Hash::digest("atelier/state-root", &[&bytes])
    }
}

/// The entry's vector, as little-endian coordinate bytes.
fn expand(key: &[u8], value: &[u8]) -> Expansion {
    let mut hasher = Hash::hasher("atelier/state-entry");
    // The key length separates key from value: no two entries share an input.
    hasher.update(&(key.len() as u64).to_le_bytes());
    hasher.update(key);
    hasher.update(value);
    let mut expansion = Expansion::default();
    ChaCha12Core::new(hasher.finalize().as_bytes().into(), &[0u8; 12].into())
        .write_keystream_blocks(&mut expansion);
    expansion
}

/// The shipped update: the old values read, then `sum(new entries) - sum(old entries)` added to
/// `current`, on every core above 2 048 changes.
pub(crate) fn commit<S: atelier_state::StateRead>(
    store: &S,
    current: &LtHash,
    changes: atelier_state::ChangeSet,
) -> Hash {
    let mut updates = Vec::with_capacity(changes.len());
    for (key, new) in changes.into_writes_unordered() {
        let old = store.get(&key).expect("readable");
        if old != new {
            updates.push((key, old, new));
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let delta = if threads == 1 || updates.len() < 2_048 {
        delta(&updates)
    } else {
        let chunk = updates.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let workers: Vec<_> = updates.chunks(chunk).map(|part| scope.spawn(|| delta(part))).collect();
            let mut total = LtHash::empty();
            for worker in workers {
                total.add(&worker.join().expect("a worker finishes"));
            }
            total
        })
    };
    let mut next = current.clone();
    next.add(&delta);
    next.root()
}

type Update = (Vec<u8>, Option<Vec<u8>>, Option<Vec<u8>>);

fn delta(updates: &[Update]) -> LtHash {
    let mut delta = LtHash::empty();
    for (key, old, new) in updates {
        if let Some(old) = old {
            delta.remove(key, old);
        }
        if let Some(new) = new {
            delta.insert(key, new);
        }
    }
    delta
}
