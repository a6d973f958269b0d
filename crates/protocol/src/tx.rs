//! Transactions: what a sender signs, and the checks that need no state.

use std::{fmt, str::FromStr};

use atelier_primitives::{
    Address, Amount, Decode, DecodeError, Encode, Hash, Height, Layout, PublicKey, Reader, SecretKey,
    Signature,
    crypto::SignedMessage,
    layout::{self, Shape},
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    modules::{self, Handler},
    rejection::Rejection,
};

/// Most messages one transaction may carry.
pub const MAX_MSGS_PER_TX: usize = 64;
/// Largest encoded signed transaction, in bytes.
pub const MAX_TX_BYTES: usize = 64 * 1024;
/// Domain tag of transaction hashes; a signature is over this hash, so it signs under the tag.
pub const TX_DOMAIN: &str = "atelier/tx/v1";

/// A chain's identity: 1 to 48 characters of `[a-z0-9-]`. Every transaction names it, so a
/// transaction signed for one chain is void on every other.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChainId(String);

/// Why text is not a chain id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a chain id is 1 to 48 characters of [a-z0-9-], found {0:?}")]
pub struct ChainIdError(pub String);

impl ChainId {
    /// Longest chain id, in bytes.
    pub const MAX_LEN: usize = 48;

    /// The chain id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ChainId {
    type Err = ChainIdError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let valid = (1..=Self::MAX_LEN).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid { Ok(ChainId(text.to_owned())) } else { Err(ChainIdError(text.chars().take(64).collect())) }
    }
}

impl fmt::Display for ChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainId({})", self.0)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ChainId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .description(Some("A chain id: 1 to 48 characters of [a-z0-9-]."))
            .pattern(Some("^[a-z0-9-]{1,48}$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ChainId {}

impl Serialize for ChainId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ChainId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Encode for ChainId {
    fn encode_to(&self, out: &mut Vec<u8>) {
        atelier_primitives::codec::encode_bytes(self.0.as_bytes(), out);
    }
}

impl layout::Layout for ChainId {
    fn shape() -> Shape {
        layout::text(Self::MAX_LEN)
    }
}

impl Decode for ChainId {
    fn decode_from(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader
            .string("chain id", Self::MAX_LEN)?
            .parse()
            .map_err(|_| DecodeError::Invalid { what: "chain id" })
    }
}

/// Declares [`Msg`] from the list of modules: a variant for each module that takes messages,
/// with its fixed tag.
macro_rules! msg_enum {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// One instruction inside a transaction, routed to the module that owns it.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
        #[serde(rename_all = "snake_case")]
        pub enum Msg {
            $($(
                #[doc = concat!("A message to ", stringify!($module), ".")]
                #[codec(tag = $msg)]
                $Type(<modules::$module::$Type as Handler>::Msg),
            )?)*
        }

        impl Msg {
            /// Its gas: fixed by its kind (and, for lists, their length), so simulation is exact.
            pub fn gas(&self, schedule: &modules::fees::GasSchedule) -> u64 {
                match self {
                    $($(
                        Msg::$Type(msg) => {
                            let _tag: u8 = $msg;
                            <modules::$module::$Type as Handler>::gas(msg, schedule)
                        }
                    )?)*
                }
            }
        }
    };
}
modules::for_each_module!(msg_enum);

/// The signed body of a transaction (spec: DESIGN §3 "Transactions").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[serde(deny_unknown_fields)]
pub struct Tx {
    /// The chain this transaction is for.
    pub chain_id: ChainId,
    /// The signer; the sending account is derived from it.
    pub sender: PublicKey,
    /// Must equal the sender's next nonce.
    pub nonce: u64,
    /// Last height at which the transaction may be included.
    pub expiry_height: Height,
    /// Most gas the sender will pay for.
    pub gas_limit: u64,
    /// Most the sender pays per gas, base fee and tip together.
    pub max_fee_per_gas: Amount,
    /// Most tip per gas the sender offers the proposer.
    pub max_priority_fee_per_gas: Amount,
    /// What to do, in order; all or nothing. The decoder's bound is one above the limit so that
    /// an over-full transaction decodes and is refused by the stateless check with a precise reason.
    #[codec(max = MAX_MSGS_PER_TX + 1)]
    pub msgs: Vec<Msg>,
}

impl Tx {
    /// The hash that identifies the transaction and that its signature covers.
    pub fn hash(&self) -> Hash {
        Hash::digest(TX_DOMAIN, &[&self.to_bytes()])
    }

    /// Signs the transaction.
    pub fn sign(self, key: &SecretKey) -> SignedTx {
        let body = self.to_bytes();
        let hash = Hash::digest(TX_DOMAIN, &[&body]);
        let signature = key.sign(&hash);
        SignedTx::assemble(self, signature, hash, body.len())
    }
}

/// A transaction with its signature, and the facts derived from it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTx {
    tx: Tx,
    signature: Signature,
    hash: Hash,
    sender: Address,
    encoded_len: usize,
}

impl SignedTx {
    fn assemble(tx: Tx, signature: Signature, hash: Hash, body_len: usize) -> SignedTx {
        let sender = tx.sender.address();
        let encoded_len = body_len + signature.as_bytes().len();
        SignedTx { tx, signature, hash, sender, encoded_len }
    }

    /// Pairs a body with a signature (which is not checked here).
    pub fn new(tx: Tx, signature: Signature) -> SignedTx {
        let body = tx.to_bytes();
        let hash = Hash::digest(TX_DOMAIN, &[&body]);
        SignedTx::assemble(tx, signature, hash, body.len())
    }

    /// Decodes a transaction received from outside, refusing oversized input before decoding.
    pub fn decode(bytes: &[u8]) -> Result<SignedTx, Rejection> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(Rejection::TooLarge { size: bytes.len(), max: MAX_TX_BYTES });
        }
        SignedTx::from_bytes(bytes).map_err(|e| Rejection::Malformed { reason: e.to_string() })
    }

    /// The body.
    pub fn tx(&self) -> &Tx {
        &self.tx
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The transaction hash (of the body; the signature is not part of it, so it cannot be
    /// changed by re-encoding a signature).
    pub fn hash(&self) -> Hash {
        self.hash
    }

    /// The sending account.
    pub fn sender(&self) -> Address {
        self.sender
    }

    /// The signature claim to verify.
    pub fn claim(&self) -> SignedMessage {
        SignedMessage { public_key: self.tx.sender, message: self.hash, signature: self.signature }
    }

    /// Checks that need no state and no signature verification: message count and size.
    pub fn check_stateless(&self) -> Result<(), Rejection> {
        if self.tx.msgs.is_empty() {
            return Err(Rejection::NoMessages);
        }
        if self.tx.msgs.len() > MAX_MSGS_PER_TX {
            return Err(Rejection::TooManyMessages { count: self.tx.msgs.len(), max: MAX_MSGS_PER_TX });
        }
        let size = self.encoded_len();
        if size > MAX_TX_BYTES {
            return Err(Rejection::TooLarge { size, max: MAX_TX_BYTES });
        }
        Ok(())
    }

    /// Size of the canonical encoding.
    pub fn encoded_len(&self) -> usize {
        self.encoded_len
    }
}

impl Encode for SignedTx {
    fn encode_to(&self, out: &mut Vec<u8>) {
        self.tx.encode_to(out);
        self.signature.encode_to(out);
    }
}

impl Decode for SignedTx {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let before = r.rest();
        let tx = Tx::decode_from(r)?;
        let body = &before[..before.len() - r.remaining()];
        let hash = Hash::digest(TX_DOMAIN, &[body]);
        let signature = Signature::decode_from(r)?;
        Ok(SignedTx::assemble(tx, signature, hash, body.len()))
    }
}

impl Serialize for SignedTx {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            hash: Hash,
            sender: Address,
            tx: &'a Tx,
            signature: &'a Signature,
        }
        View { hash: self.hash, sender: self.sender, tx: &self.tx, signature: &self.signature }
            .serialize(serializer)
    }
}
