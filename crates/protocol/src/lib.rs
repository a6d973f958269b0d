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
pub mod economy;
pub mod event;
pub mod genesis;
pub mod invariants;
pub mod modules;
pub mod receipt;
pub mod rejection;
pub(crate) mod store;

/// `u128` in JSON as a decimal string (JSON numbers lose precision past 2^53), read from a string
/// or a number.
pub(crate) mod serde_u128 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub(crate) fn serialize<S: Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Text {
            String(String),
            Number(u64),
        }
        match Text::deserialize(deserializer)? {
            Text::String(text) => text.parse().map_err(D::Error::custom),
            Text::Number(number) => Ok(u128::from(number)),
        }
    }

    /// The same for an optional value (`null` when absent).
    pub(crate) mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        pub(crate) fn serialize<S: Serializer>(
            value: &Option<u128>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<u128>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] u128);
            Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(value)| value))
        }
    }
}
pub mod tx;

pub use app::{
    ExecutedBlock, Prechecked, SignatureCheck, Spend, apply_block, build_block, init_chain, precheck,
};
pub use block::{Block, BlockEvidence, EquivocationKind, Header, Misbehavior, Participation};
pub use event::Event;
pub use genesis::{Genesis, GenesisError};
pub use receipt::{Receipt, TxOutcome};
pub use rejection::{BlockError, MessageRefusal, Rejection};
pub use tx::{ChainId, Msg, SignedTx, Tx};
