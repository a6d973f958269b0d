//! Why a royalty-vault message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Denom};

use super::VaultId;

/// A broken revenue rule. Codes are stable (the revenue range is 500–599).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevenueError {
    /// No vault has this id.
    #[error("no vault {vault}")]
    UnknownVault {
        /// The id named.
        vault: VaultId,
    },
    /// The holder has nothing to claim.
    #[error("{holder} has no revenue to claim from vault {vault}")]
    NothingToClaim {
        /// The vault.
        vault: VaultId,
        /// Who asked.
        holder: Address,
    },
    /// The sender holds fewer units than it would transfer (or it would transfer none).
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
    #[error("shares cannot be transferred to their holder")]
    SelfTransfer,
    /// Revenue in a denomination the chain does not carry.
    #[error("unknown denomination {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: Denom,
    },
    /// An accumulator or total would overflow.
    #[error("revenue arithmetic overflowed")]
    Overflow,
    /// Moving the funds failed.
    #[error("moving revenue: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
}

impl RevenueError {
    /// The stable numeric code.
    pub fn code(&self) -> u32 {
        match self {
            RevenueError::UnknownVault { .. } => 501,
            RevenueError::NothingToClaim { .. } => 502,
            RevenueError::InsufficientShares { .. } => 503,
            RevenueError::SelfTransfer => 504,
            RevenueError::UnknownDenom { .. } => 505,
            RevenueError::Overflow => 506,
            RevenueError::Bank(_) => 507,
        }
    }
}
