//! Why a transaction cannot enter a block, and why a block is invalid.

use atelier_primitives::{Amount, ErrorCode, Height, crypto::SignatureError};
use atelier_state::StateError;

use crate::{app::MsgError, tx::ChainId};

/// A transaction that never enters a block. Codes are stable; a retired code keeps its number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
pub enum Rejection {
    /// The bytes are not a canonical transaction.
    #[code(1)]
    #[error("malformed transaction: {reason}")]
    Malformed {
        /// What the decoder found.
        reason: String,
    },
    /// The encoded transaction is too large.
    #[code(2)]
    #[error("transaction is {size} bytes, the limit is {max}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The transaction carries no message.
    #[code(3)]
    #[error("transaction has no messages")]
    NoMessages,
    /// The transaction carries too many messages.
    #[code(4)]
    #[error("transaction has {count} messages, the limit is {max}")]
    TooManyMessages {
        /// How many it has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The signature does not verify under ZIP-215 rules.
    #[code(5)]
    #[error("invalid signature: {0}")]
    InvalidSignature(SignatureError),
    /// The transaction is for another chain.
    #[code(6)]
    #[error("transaction is for chain {got}, this is {expected}")]
    WrongChainId {
        /// This chain.
        expected: ChainId,
        /// The chain named.
        got: ChainId,
    },
    /// The transaction's expiry height has passed.
    #[code(7)]
    #[error("transaction expired at height {expiry_height}, the block is at {height}")]
    Expired {
        /// Its expiry height.
        expiry_height: Height,
        /// The block's height.
        height: Height,
    },
    /// The nonce was already used: a replay.
    #[code(8)]
    #[error("nonce {got} already used; the next nonce is {expected}")]
    NonceTooLow {
        /// The sender's next nonce.
        expected: u64,
        /// The nonce carried.
        got: u64,
    },
    /// The nonce skips ahead of the sender's sequence.
    #[code(9)]
    #[error("nonce {got} is ahead of the sequence; the next nonce is {expected}")]
    NonceGap {
        /// The sender's next nonce.
        expected: u64,
        /// The nonce carried.
        got: u64,
    },
    /// The gas limit is below the gas the messages need.
    #[code(10)]
    #[error("gas limit {gas_limit} is below the {required} gas the messages need")]
    GasLimitTooLow {
        /// Gas the transaction uses.
        required: u64,
        /// Its gas limit.
        gas_limit: u64,
    },
    /// The tip cap exceeds the fee cap.
    #[code(11)]
    #[error("max priority fee {max_priority_fee_per_gas} exceeds max fee {max_fee_per_gas}")]
    PriorityFeeAboveFeeCap {
        /// The tip cap.
        max_priority_fee_per_gas: Amount,
        /// The fee cap.
        max_fee_per_gas: Amount,
    },
    /// The fee cap is below the block's base fee.
    #[code(12)]
    #[error("max fee {max_fee_per_gas} per gas is below the base fee {base_fee}")]
    FeeCapBelowBaseFee {
        /// The fee cap.
        max_fee_per_gas: Amount,
        /// The base fee.
        base_fee: Amount,
    },
    /// The fee does not fit in an amount.
    #[code(13)]
    #[error("fee overflows")]
    FeeOverflow,
    /// The sender cannot pay the fee.
    #[code(14)]
    #[error("balance {balance} cannot pay the fee {fee}")]
    InsufficientFeeBalance {
        /// The sender's native balance.
        balance: Amount,
        /// The fee.
        fee: Amount,
    },
    /// The block has no room left for this transaction; it may fit in a later block.
    #[code(15)]
    #[error("transaction needs {gas} gas, the block has {gas_left} left")]
    BlockGasExhausted {
        /// Gas the transaction uses.
        gas: u64,
        /// Gas left in the block.
        gas_left: u64,
    },
    /// The transaction needs more gas than any block may use; it can never be included.
    #[code(16)]
    #[error("transaction needs {gas} gas, more than a block's limit of {block_gas_limit}")]
    ExceedsBlockGasLimit {
        /// Gas the transaction uses.
        gas: u64,
        /// The block gas limit.
        block_gas_limit: u64,
    },
    /// A message would fail for a reason admission can see without running it (a zero amount,
    /// an unknown denomination, more than the sender holds besides the fee and its pending
    /// transactions). Its code is the message's.
    #[code(inner)]
    #[error(transparent)]
    MessageWouldFail(Box<MessageRefusal>),
}

/// Which message of a transaction admission refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("message {index} would fail: {error}")]
pub struct MessageRefusal {
    /// Its position in the transaction.
    pub index: usize,
    /// What executing it would end with.
    pub error: MsgError,
}

impl MessageRefusal {
    /// The message's code.
    pub fn code(&self) -> u32 {
        self.error.code()
    }
}

/// Why a block cannot be applied. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    /// The block does not follow the given parent.
    #[error("block does not extend its parent: {0}")]
    NotAChild(&'static str),
    /// The parent header does not describe the state the block is applied to.
    #[error("the parent header does not match the state: {0}")]
    ParentStateMismatch(&'static str),
    /// The block's time is before its parent's.
    #[error("block time {time_ms} is before its parent's {parent_time_ms}")]
    TimeWentBackwards {
        /// The block's time.
        time_ms: u64,
        /// The parent's time.
        parent_time_ms: u64,
    },
    /// The block carries more transactions than a block may.
    #[error("block carries {count} transactions, the limit is {max}")]
    TooManyTxs {
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The block carries more misbehavior evidence than a block may.
    #[error("block carries {count} pieces of evidence, the limit is {max}")]
    TooMuchEvidence {
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The block's participation record cannot be counted.
    #[error("the block's participation record is invalid: {0}")]
    InvalidParticipation(&'static str),
    /// A transaction in the block should have been rejected.
    #[error("transaction {index} is invalid: {rejection}")]
    InvalidTx {
        /// Its position in the block.
        index: usize,
        /// Why.
        rejection: Rejection,
    },
    /// A header field differs from what executing the block gives.
    #[error("header field {field} differs from execution")]
    HeaderMismatch {
        /// The field.
        field: &'static str,
    },
    /// A protocol invariant broke; a bug, never a user's doing.
    #[error("invariant broken: {0}")]
    InvariantBroken(String),
    /// A step that cannot fail once its checks passed failed; a bug, never a user's doing.
    #[error("internal error (code {code}): {0}", code = crate::modules::BUG_CODE)]
    Bug(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StateError),
}
