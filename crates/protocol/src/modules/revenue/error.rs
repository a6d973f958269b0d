//! Why a royalty-vault message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Denom, ErrorCode};

use super::VaultId;

/// A broken revenue rule. Codes are stable (the revenue range is 500–599).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(507))]
pub enum RevenueError {
    /// No vault has this id.
    #[code(501)]
    #[error("no vault {vault}")]
    UnknownVault {
        /// The id named.
        vault: VaultId,
    },
    /// The holder has nothing to claim.
    #[code(502)]
    #[error("{holder} has no revenue to claim from vault {vault}")]
    NothingToClaim {
        /// The vault.
        vault: VaultId,
        /// Who asked.
        holder: Address,
    },
    /// The sender holds fewer units than it would transfer (or it would transfer none).
    #[code(503)]
    #[error("{holder} holds {held} units of vault {vault}, cannot transfer {units}")]
    InsufficientShares {
        /// The vault.
        vault: VaultId,
        /// The sender.
        holder: Address,
        /// What it holds.
        held: u64,
        /// What it would transfer.
        units: u64,
    },
    /// Shares go to someone else.
    #[code(504)]
    #[error("shares cannot be transferred to their holder")]
    SelfTransfer,
    /// Revenue in a denomination the chain does not carry.
    #[code(505)]
    #[error("unknown denomination {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: Denom,
    },
    /// An accumulator or total would overflow.
    #[code(506)]
    #[error("revenue arithmetic overflowed")]
    Overflow,
    /// Moving the funds failed.
    #[code(inner)]
    #[error("moving revenue: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
}
