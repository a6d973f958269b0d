//! The state commitment: a lattice-based homomorphic multiset hash (LtHash).
//!
//! The commitment to a state is the sum, coordinate-wise modulo 2^16, of one 1024-coordinate
//! vector per entry. Adding an entry adds its vector; removing it subtracts it; so a block's new
//! root costs two expansions per changed key, whatever the size of the state, and the result does
//! not depend on the order of the writes or on the history that reached the state. Parameters
//! follow Bellare–Micciancio's construction as instantiated by Lewi et al. (2019) and adopted for
//! Solana's accounts hash (SIMD-0215): n = 1024 coordinates of 16 bits, about 200 bits of
//! collision resistance. The 32-byte state root is the BLAKE3 digest of the vector.
//!
//! An entry's vector is the ChaCha12 keystream (zero nonce) under the 256-bit BLAKE3 digest of the
//! entry: a random oracle expanded by a PRG. Where a BLAKE3 XOF would do the same job, it produces
//! one 64-byte block at a time on CPUs without AVX-512 and costs three times as much here.

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
#[derive(Clone, PartialEq, Eq)]
pub struct LtHash(Box<[u16; COORDINATES]>);

impl Default for LtHash {
    fn default() -> Self {
        LtHash(Box::new([0; COORDINATES]))
    }
}

impl std::fmt::Debug for LtHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LtHash(root {})", self.root())
    }
}

impl LtHash {
    /// The commitment to the empty state.
    pub fn empty() -> Self {
        LtHash::default()
    }

    /// Adds the entry `key = value`.
    pub fn insert(&mut self, key: &[u8], value: &[u8]) {
        self.fold(key, value, u16::wrapping_add);
    }

    /// Removes the entry `key = value`, which must have been added.
    pub fn remove(&mut self, key: &[u8], value: &[u8]) {
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
    pub fn add(&mut self, other: &LtHash) {
        for (sum, term) in self.0.iter_mut().zip(other.0.iter()) {
            *sum = sum.wrapping_add(*term);
        }
    }

    /// The 32-byte state root.
    pub fn root(&self) -> Hash {
        Hash::digest("atelier/state-root", &[&self.to_bytes()])
    }

    /// The vector as little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|c| c.to_le_bytes()).collect()
    }

    /// Reads back [`LtHash::to_bytes`]; `None` if the length is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Option<LtHash> {
        if bytes.len() != COORDINATES * 2 {
            return None;
        }
        let mut out = LtHash::default();
        for (coordinate, pair) in out.0.iter_mut().zip(bytes.chunks_exact(2)) {
            *coordinate = u16::from_le_bytes([pair[0], pair[1]]);
        }
        Some(out)
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
