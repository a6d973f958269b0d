//! Test and benchmark helpers: deterministic keys, genesis builders, a single-process chain,
//! transaction factories, seeded randomness and proptest strategies.
//!
//! Never linked into release binaries. Everything here drives the real `atelier-protocol`; nothing
//! re-implements a protocol rule.

pub mod chain;
pub mod factory;
pub mod genesis;
pub mod keys;
pub mod strategies;
pub mod tamper;

pub use chain::TestChain;
pub use factory::TxFactory;
pub use genesis::GenesisBuilder;
pub use keys::{dev_address, dev_key};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A reproducible random stream for `seed`. Print the seed of any failing run.
pub fn seeded_rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}
