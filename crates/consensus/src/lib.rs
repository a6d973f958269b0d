//! Validators on Commonware simplex: the only crate of the chain that imports Commonware (the block
//! benchmark measures QMDB beside the state trie as a dev-dependency; see ARCHITECTURE).
//!
//! A validator runs the node as always — admission, mempool, API, storage — but blocks are
//! ordered by a BFT consensus engine instead of a solo sequencer. Simplex agrees on block digests;
//! marshal delivers finalized blocks in height order, fetching what this validator missed from its
//! peers; the [`ChainApp`] proposes and verifies blocks through the node on their parent's
//! post-state; the [`Finalizer`] commits each final block through the node, once, before
//! acknowledging it. State is never applied on notarization alone.
//!
//! Who validates is the chain's choice: each epoch's set is read from staking's state, committed
//! by the header before the epoch ([`epochs`]), and an orchestrator runs one simplex engine per
//! epoch, switching at the finalized boundary ([`engine`]).
//!
//! Nothing above this crate sees a Commonware type: callers hand in keys, a runtime context and
//! p2p channels, and get a running validator; the node serves final blocks' certificates through
//! its own trait, and clients check them with [`finality::verify_certificate`].

// Consensus code never touches floating point: results must be bit-identical everywhere.
#![deny(clippy::float_arithmetic)]

pub mod application;
pub mod block;
pub mod engine;
pub mod epochs;
pub mod evidence;
pub mod finality;
pub mod finalizer;
pub mod participation;
pub mod relay;
#[cfg(test)]
mod testing;
pub mod validator;

pub use application::ChainApp;
pub use block::ChainBlock;
pub use engine::{Channels, Peer, PeerSets, StartError, Timing, start};
pub use finalizer::Finalizer;
