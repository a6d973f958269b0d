//! The canonical binary encoding: what is signed, hashed and stored.
//!
//! Rules: integers are fixed-width little-endian; `bool` is exactly `0` or `1`; a sequence is a
//! `u32` length followed by its items, and every decoder names the largest length it accepts
//! before allocating; enums are a `u8` tag; [`Decode::from_bytes`] rejects trailing bytes. So each
//! value has exactly one encoding and decoding untrusted bytes never panics nor over-allocates.

use crate::{
    address::Address,
    amount::Amount,
    bps::Bps,
    crypto::{PublicKey, Signature},
    denom::Denom,
    hash::Hash,
    height::Height,
};

/// Why bytes are not a canonical encoding of the expected type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended early.
    #[error("input ended: needed {needed} more bytes, {remaining} left")]
    UnexpectedEnd {
        /// Bytes the next field needs.
        needed: usize,
        /// Bytes left in the input.
        remaining: usize,
    },
    /// Bytes were left over after the value.
    #[error("{0} trailing bytes after the value")]
    TrailingBytes(usize),
    /// A length prefix exceeds the bound for that field.
    #[error("length {len} exceeds the limit {max} for {what}")]
    TooLong {
        /// What was being decoded.
        what: &'static str,
        /// The length found.
        len: u64,
        /// The largest length accepted.
        max: usize,
    },
    /// An enum tag that names no variant.
    #[error("unknown tag {tag} for {what}")]
    UnknownTag {
        /// The type being decoded.
        what: &'static str,
        /// The tag found.
        tag: u8,
    },
    /// A field whose bytes are not a valid value of its type.
    #[error("invalid {what}")]
    Invalid {
        /// The type being decoded.
        what: &'static str,
    },
}

/// A type with one canonical byte encoding.
pub trait Encode {
    /// Appends the encoding to `out`.
    fn encode_to(&self, out: &mut Vec<u8>);

    /// The encoding as a new vector.
    fn to_bytes(&self) -> Vec<u8> {
        // Most state values fit: one allocation instead of a doubling series.
        let mut out = Vec::with_capacity(128);
        self.encode_to(&mut out);
        out
    }
}

/// A type that can be read back from its canonical encoding.
pub trait Decode: Sized {
    /// Reads one value, leaving the reader after it.
    fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Decodes exactly one value from `bytes`, rejecting trailing bytes.
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(bytes);
        let value = Self::decode_from(&mut reader)?;
        reader.finish()?;
        Ok(value)
    }
}

/// A cursor over untrusted bytes.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// The bytes not yet read.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// Number of bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.bytes.is_empty() { Ok(()) } else { Err(DecodeError::TrailingBytes(self.bytes.len())) }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.bytes.len() {
            return Err(DecodeError::UnexpectedEnd { needed: n, remaining: self.bytes.len() });
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A `u32` length prefix, checked against `max` before anything is allocated.
    pub fn len(&mut self, what: &'static str, max: usize) -> Result<usize, DecodeError> {
        let len = u32::decode_from(self)?;
        match usize::try_from(len) {
            Ok(len) if len <= max => Ok(len),
            _ => Err(DecodeError::TooLong { what, len: u64::from(len), max }),
        }
    }

    /// A length-prefixed byte string of at most `max` bytes.
    pub fn bytes(&mut self, what: &'static str, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = self.len(what, max)?;
        self.take(len)
    }

    /// A length-prefixed sequence of at most `max` items.
    pub fn vec<T: Decode>(&mut self, what: &'static str, max: usize) -> Result<Vec<T>, DecodeError> {
        let len = self.len(what, max)?;
        // Each item takes at least one byte, so the remaining input bounds the allocation too.
        let mut items = Vec::with_capacity(len.min(self.remaining()));
        for _ in 0..len {
            items.push(T::decode_from(self)?);
        }
        Ok(items)
    }

    /// A length-prefixed UTF-8 string of at most `max` bytes.
    pub fn string(&mut self, what: &'static str, max: usize) -> Result<String, DecodeError> {
        let raw = self.bytes(what, max)?;
        String::from_utf8(raw.to_vec()).map_err(|_| DecodeError::Invalid { what })
    }

    /// An enum tag.
    pub fn tag(&mut self) -> Result<u8, DecodeError> {
        u8::decode_from(self)
    }
}

/// Writes a length-prefixed sequence.
pub fn encode_slice<T: Encode>(items: &[T], out: &mut Vec<u8>) {
    encode_len(items.len(), out);
    for item in items {
        item.encode_to(out);
    }
}

/// Writes a `u32` length prefix. Lengths are bounded far below `u32::MAX` by every decoder, so a
/// longer sequence is a programming error that would never decode; it is saturated, not wrapped.
pub fn encode_len(len: usize, out: &mut Vec<u8>) {
    u32::try_from(len).unwrap_or(u32::MAX).encode_to(out);
}

/// Writes a length-prefixed byte string.
pub fn encode_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    encode_len(bytes.len(), out);
    out.extend_from_slice(bytes);
}

macro_rules! int_codec {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode_to(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
        impl Decode for $t {
            fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(<$t>::from_le_bytes(reader.array()?))
            }
        }
    )*};
}
int_codec!(u8, u16, u32, u64, u128, i32);

impl Encode for bool {
    fn encode_to(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
}

impl Decode for bool {
    fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match reader.tag()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(DecodeError::UnknownTag { what: "bool", tag }),
        }
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode_to(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                value.encode_to(out);
            }
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match reader.tag()? {
            0 => Ok(None),
            1 => Ok(Some(T::decode_from(reader)?)),
            tag => Err(DecodeError::UnknownTag { what: "option", tag }),
        }
    }
}

macro_rules! newtype_codec {
    ($t:ty, $inner:ty, $wrap:expr, $unwrap:expr) => {
        impl Encode for $t {
            fn encode_to(&self, out: &mut Vec<u8>) {
                let inner: $inner = $unwrap(self);
                inner.encode_to(out);
            }
        }
        impl Decode for $t {
            fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                $wrap(<$inner>::decode_from(reader)?)
            }
        }
    };
}
newtype_codec!(Amount, u128, |v| Ok(Amount::new(v)), |a: &Amount| a.get());
newtype_codec!(Height, u64, |v| Ok(Height(v)), |h: &Height| h.0);
newtype_codec!(
    Bps,
    u16,
    |v: u16| Bps::new(u32::from(v)).map_err(|_| DecodeError::Invalid { what: "bps" }),
    |b: &Bps| b.get()
);

macro_rules! bytes_codec {
    ($t:ty, $n:expr, $wrap:expr) => {
        impl Encode for $t {
            fn encode_to(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(self.as_bytes());
            }
        }
        impl Decode for $t {
            fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok($wrap(reader.array::<$n>()?))
            }
        }
    };
}
bytes_codec!(Hash, 32, Hash);
bytes_codec!(Address, 20, Address);
bytes_codec!(PublicKey, 32, PublicKey::from_array);
bytes_codec!(Signature, 64, Signature::from_array);

impl Encode for Denom {
    fn encode_to(&self, out: &mut Vec<u8>) {
        encode_bytes(self.as_bytes(), out);
    }
}

impl Decode for Denom {
    fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let raw = reader.bytes("denom", Denom::MAX_LEN)?;
        Denom::parse_bytes(raw).ok_or(DecodeError::Invalid { what: "denom" })
    }
}

/// An error with stable numeric codes, derived with `#[derive(ErrorCode)]`: clients match on the
/// numbers, so a code is never renumbered or given out twice.
pub trait ErrorCode {
    /// Every code the type defines, with its variant's name (wrapped errors keep their own type's).
    const CODES: &'static [(u32, &'static str)];
    /// Codes the type gave out once and never will again.
    const RETIRED: &'static [u32];
    /// The code of this error; a wrapped error's is the inner error's.
    fn code(&self) -> u32;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_length_over_the_bound_is_refused_before_allocating() {
        let mut bytes = Vec::new();
        u32::MAX.encode_to(&mut bytes);
        let mut reader = Reader::new(&bytes);
        assert_eq!(
            reader.vec::<u64>("items", 10),
            Err(DecodeError::TooLong { what: "items", len: u64::from(u32::MAX), max: 10 })
        );
    }

    #[test]
    fn non_canonical_bools_and_trailing_bytes_are_refused() {
        assert_eq!(bool::from_bytes(&[2]), Err(DecodeError::UnknownTag { what: "bool", tag: 2 }));
        assert_eq!(u16::from_bytes(&[1, 0, 0]), Err(DecodeError::TrailingBytes(1)));
        assert!(Bps::from_bytes(&10_001u16.to_le_bytes()).is_err());
        assert!(<Denom as Decode>::from_bytes(b"\x04\x00\x00\x00UGDC").is_err());
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_the_identity_for_scalars(a in any::<u128>(), h in any::<u64>(), addr in any::<[u8; 20]>()) {
            prop_assert_eq!(Amount::from_bytes(&Amount::new(a).to_bytes()).unwrap(), Amount::new(a));
            prop_assert_eq!(Height::from_bytes(&Height(h).to_bytes()).unwrap(), Height(h));
            prop_assert_eq!(Address::from_bytes(&Address(addr).to_bytes()).unwrap(), Address(addr));
        }
    }
}
