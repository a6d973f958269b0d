//! Finality certificates: under validators, the consensus engine's proof that a block is final.
//! Proven answers carry the certificate of the block they are read at, so that a client can check
//! that block against the validator set it trusts rather than against the node that answered.

use std::{future::Future, pin::Pin};

use atelier_primitives::Height;

/// A final block's certificate, as the consensus engine encodes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The epoch whose validators signed it.
    pub epoch: u64,
    /// The consensus view it finalized.
    pub view: u64,
    /// Its encoding, which the consensus crate decodes and checks.
    pub bytes: Vec<u8>,
}

/// Where a validator finds the certificates of final blocks (its consensus engine's archive).
pub trait Certificates: Send + Sync + std::fmt::Debug {
    /// The certificate that finalized the block at `height`, if the engine holds it.
    fn certificate(&self, height: Height) -> Pin<Box<dyn Future<Output = Option<Certificate>> + Send + '_>>;
}
