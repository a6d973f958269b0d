//! [`struct@Hash`]: a 32-byte BLAKE3 digest, always taken under a domain tag.

use std::{fmt, str::FromStr};

/// A 32-byte digest. Hex in text and JSON.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash(pub [u8; 32]);

/// Domain tag of a blob's hash: what names content (prompts, parameters, style files, outputs)
/// that the chain refers to but does not hold.
pub const BLOB_DOMAIN: &str = "atelier/blob";

impl Hash {
    /// All zeroes: the parent of the first block.
    pub const ZERO: Hash = Hash([0; 32]);

    /// The hash of a blob: its bytes under [`BLOB_DOMAIN`]. A job's prompt, parameters and output
    /// hashes are blob hashes, so each is fetched and checked by its hash.
    pub fn blob(bytes: &[u8]) -> Hash {
        Hash::digest(BLOB_DOMAIN, &[bytes])
    }

    /// The digest of `parts` under `domain`. Domains are NUL-terminated inside the hash, so no
    /// domain's input can be mistaken for another's.
    pub fn digest(domain: &str, parts: &[&[u8]]) -> Hash {
        let mut hasher = Hash::hasher(domain);
        for part in parts {
            hasher.update(part);
        }
        Hash(*hasher.finalize().as_bytes())
    }

    /// A streaming hasher already fed with `domain`.
    pub fn hasher(domain: &str) -> blake3::Hasher {
        let mut hasher = blake3::Hasher::new();
        hasher.update(domain.as_bytes());
        hasher.update(&[0]);
        hasher
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }
}

/// Lower-case hex of `bytes`.
pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Bytes from hex (either case, optional `0x`), or `None` if the text is not exactly `N` bytes.
pub fn hex_decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    hex_decode_vec(text)?.try_into().ok()
}

/// Bytes from hex of any even length (either case, optional `0x`), or `None`.
pub fn hex_decode_vec(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_prefix("0x").unwrap_or(text).as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.chunks_exact(2).map(|pair| Some((nibble(pair[0])? << 4) | nibble(pair[1])?)).collect()
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

/// Why text is not a hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected 64 hex digits, found {0:?}")]
pub struct HashParseError(pub String);

impl FromStr for Hash {
    type Err = HashParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        hex_decode(text).map(Hash).ok_or_else(|| HashParseError(text.chars().take(80).collect()))
    }
}

serde_as_text!(Hash);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_domains_give_different_digests_of_the_same_bytes() {
        assert_ne!(Hash::digest("a", &[b"bc"]), Hash::digest("ab", &[b"c"]));
        assert_eq!(Hash::digest("a", &[b"b", b"c"]), Hash::digest("a", &[b"bc"]));
    }

    #[test]
    fn hex_round_trips() {
        let hash = Hash::digest("test", &[b"x"]);
        assert_eq!(hash.to_hex().parse::<Hash>().unwrap(), hash);
        assert!("zz".parse::<Hash>().is_err());
    }
}
