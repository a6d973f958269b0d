//! [`Address`]: who holds a balance — an account (from a public key) or a module.

use std::{fmt, str::FromStr};

use bech32::{Bech32, Hrp, primitives::decode::CheckedHrpstring};

use crate::{crypto::PublicKey, hash::Hash};

/// The human-readable part of every address.
pub const ADDRESS_PREFIX: &str = "atelier";
const HRP: Hrp = Hrp::parse_unchecked(ADDRESS_PREFIX);

/// Why text is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Not valid bech32 (bad characters, mixed case or checksum).
    #[error("not a bech32 address: {0}")]
    Bech32(String),
    /// Valid bech32 with another prefix.
    #[error("address prefix must be `{ADDRESS_PREFIX}`, found `{0}`")]
    WrongPrefix(String),
    /// Valid bech32 with a payload that is not 20 bytes.
    #[error("address payload must be 20 bytes, found {0}")]
    WrongLength(usize),
}

/// A 20-byte account identifier: the first 20 bytes of the BLAKE3 hash of an ed25519 public key
/// (or of a module's name), shown as bech32 with prefix `atelier`.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(pub [u8; 20]);

impl Address {
    /// The account controlled by `key`.
    pub fn from_public_key(key: &PublicKey) -> Address {
        Address::truncate(Hash::digest("atelier/address/ed25519", &[key.as_bytes()]))
    }

    /// The account owned by the module called `name`; no key controls it.
    pub fn module(name: &str) -> Address {
        Address::truncate(Hash::digest("atelier/address/module", &[name.as_bytes()]))
    }

    fn truncate(hash: Hash) -> Address {
        let mut bytes = [0u8; 20];
        bytes.copy_from_slice(&hash.0[..20]);
        Address(bytes)
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        bech32::encode_lower_to_fmt::<Bech32, _>(f, HRP, &self.0).map_err(|_| fmt::Error)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl FromStr for Address {
    type Err = AddressError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parsed =
            CheckedHrpstring::new::<Bech32>(text).map_err(|e| AddressError::Bech32(e.to_string()))?;
        if parsed.hrp() != HRP {
            return Err(AddressError::WrongPrefix(parsed.hrp().to_string()));
        }
        let payload: Vec<u8> = parsed.byte_iter().collect();
        let bytes: [u8; 20] =
            payload.as_slice().try_into().map_err(|_| AddressError::WrongLength(payload.len()))?;
        Ok(Address(bytes))
    }
}

serde_as_text!(Address);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;

    #[test]
    fn an_address_round_trips_through_bech32_with_the_atelier_prefix() {
        let address = Address::from_public_key(&SecretKey::from_seed([7; 32]).public_key());
        let text = address.to_string();
        assert!(text.starts_with("atelier1"), "{text}");
        assert_eq!(text.parse::<Address>().unwrap(), address);
    }

    #[test]
    fn a_corrupted_or_foreign_address_is_refused_with_the_reason() {
        let text = Address::module("fees").to_string();
        let mut corrupted = text.clone().into_bytes();
        let last = corrupted.len() - 1;
        corrupted[last] = if corrupted[last] == b'q' { b'p' } else { b'q' };
        let corrupted = String::from_utf8(corrupted).unwrap();
        assert!(matches!(corrupted.parse::<Address>(), Err(AddressError::Bech32(_))));
        let foreign = bech32::encode::<Bech32>(Hrp::parse("cosmos").unwrap(), &[1; 20]).unwrap();
        assert_eq!(foreign.parse::<Address>(), Err(AddressError::WrongPrefix("cosmos".into())));
        let short = bech32::encode::<Bech32>(HRP, &[1; 19]).unwrap();
        assert_eq!(short.parse::<Address>(), Err(AddressError::WrongLength(19)));
    }
}
