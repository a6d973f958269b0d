//! The Atelier state machine: a pure function `(state, block) -> (state', receipts)`.
//!
//! This crate owns every protocol rule: transactions and their admission, the block lifecycle
//! ([`app`]), genesis, receipts, events, invariants, and the modules under [`modules`]. It must
//! never use clocks, randomness, threads, floats, `HashMap`, async or the file system: time and
//! entropy come from the block header, iteration is over ordered maps, and every per-block loop
//! is bounded by a parameter. Same genesis and same blocks give the same state root everywhere.

// Consensus code never touches floating point: results must be bit-identical everywhere.
#![deny(clippy::float_arithmetic)]

pub mod app;
pub mod block;
pub mod event;
pub mod genesis;
pub mod invariants;
pub mod modules;
pub mod receipt;
pub mod rejection;
pub(crate) mod store;
pub mod tx;

pub use app::{ExecutedBlock, SignatureCheck, apply_block, build_block, init_chain, precheck};
pub use block::{Block, Header};
pub use event::Event;
pub use genesis::{Genesis, GenesisError};
pub use receipt::{Receipt, TxOutcome};
pub use rejection::{BlockError, Rejection};
pub use tx::{ChainId, Msg, SignedTx, Tx};
