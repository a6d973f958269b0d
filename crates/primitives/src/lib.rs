//! Atelier's vocabulary: money, shares, identities, hashes, keys and the canonical encoding.
//!
//! Everything here is a pure value type. This crate owns the rules every other crate relies on —
//! money only moves through checked arithmetic, products go through a 256-bit [`math::mul_div_floor`]
//! with the rounding direction in the name, and every decoder is bounded and never panics. It must
//! never do I/O.

// Consensus code never touches floating point: results must be bit-identical everywhere.
#![deny(clippy::float_arithmetic)]

/// JSON for a value whose text form is its `Display` and `FromStr`: a string written with the
/// one, read with the other (amounts as decimal strings, addresses in bech32, hashes and keys in
/// hex). One implementation for every such type.
macro_rules! serde_as_text {
    ($($type:ty),+ $(,)?) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}

pub mod address;
pub mod amount;
pub mod bps;
pub mod codec;
pub mod crypto;
pub mod denom;
pub mod hash;
pub mod hd;
pub mod height;
pub mod layout;
pub mod math;
pub mod merkle;
#[cfg(feature = "openapi")]
mod openapi;
pub mod units;

pub use address::{Address, AddressError};
pub use amount::{Amount, AmountParseError, ArithmeticError};
/// `#[derive(Encode, Decode)]`: the canonical encoding of a struct or enum; `#[derive(Layout)]`: that
/// encoding described as data; `#[derive(ErrorCode)]`: an error enum's stable codes (see the derive
/// crate).
pub use atelier_codec_derive::{Decode, Encode, ErrorCode, Layout};
pub use bps::{Bps, BpsError};
pub use codec::{Decode, DecodeError, Encode, ErrorCode, Reader};
pub use crypto::{PublicKey, SecretKey, Signature, SignatureError};
pub use denom::{Denom, DenomError};
pub use hash::Hash;
pub use height::Height;
pub use units::{CoinText, CoinTextError, Unit};
