//! [`Denom`]: the name of a fungible token kind (`ugdc`, `uusd`).

use std::{fmt, str::FromStr};

const MAX_LEN: usize = 16;
const MIN_LEN: usize = 2;

/// Why a string is not a denomination.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a denom is 2 to 16 characters of [a-z0-9] starting with a letter, found {0:?}")]
pub struct DenomError(pub String);

/// A denomination: 2 to 16 bytes of `[a-z0-9]`, starting with a letter. `Copy` and allocation-free
/// because it sits inside every balance key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Denom {
    len: u8,
    bytes: [u8; MAX_LEN],
}

impl Denom {
    /// The native token, in millionths of a GDC.
    pub const GDC: Denom = Denom::from_static("ugdc");
    /// The bridged stablecoin, in millionths of a US dollar.
    pub const USD: Denom = Denom::from_static("uusd");

    /// Builds a denom from a literal; an invalid literal fails compilation when used in a const.
    pub const fn from_static(name: &'static str) -> Denom {
        match Denom::parse_bytes(name.as_bytes()) {
            Some(denom) => denom,
            None => panic!("invalid denom literal"),
        }
    }

    /// Validates raw bytes.
    pub const fn parse_bytes(raw: &[u8]) -> Option<Denom> {
        if raw.len() < MIN_LEN || raw.len() > MAX_LEN || !raw[0].is_ascii_lowercase() {
            return None;
        }
        let mut bytes = [0u8; MAX_LEN];
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            if !(b.is_ascii_lowercase() || b.is_ascii_digit()) {
                return None;
            }
            bytes[i] = b;
            i += 1;
        }
        Some(Denom { len: raw.len() as u8, bytes })
    }

    /// The name as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// The longest name allowed, in bytes.
    pub const MAX_LEN: usize = MAX_LEN;
}

impl FromStr for Denom {
    type Err = DenomError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Denom::parse_bytes(text.as_bytes()).ok_or_else(|| DenomError(text.chars().take(32).collect()))
    }
}

impl fmt::Display for Denom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Denom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Denom({})", self.as_str())
    }
}

serde_as_text!(Denom);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_lowercase_names_are_denoms() {
        assert_eq!("ugdc".parse::<Denom>().unwrap(), Denom::GDC);
        for bad in ["", "u", "UGDC", "1abc", "u-gdc", "abcdefghijklmnopq"] {
            assert!(bad.parse::<Denom>().is_err(), "{bad:?} accepted");
        }
    }
}
