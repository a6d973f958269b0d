//! auth: who may act, and replay protection — the chain's identity, the last applied height, and
//! every account's next nonce. Spec: `README.md` beside this file.

pub mod genesis;
pub(crate) mod handler;
pub mod query;
pub(crate) mod state;

pub use genesis::{AccountNonce, AuthGenesis};
