//! revenue: every model and asset has a royalty vault whose revenue belongs to the holders of its
//! 100 000 000 transferable share units, paid pro rata through an accumulator. Spec: `README.md`
//! beside this file.

pub mod genesis;
pub(crate) mod handler;
pub mod invariants;
pub mod query;
pub(crate) mod state;

pub use crate::modules::accrual::Accrual;
pub use genesis::{HoldingGenesis, RevenueGenesis, VaultGenesis};
pub(crate) use state::pay_into;
pub use state::{Holding, SHARE_UNITS, Vault, VaultId, account};

use atelier_primitives::{Address, Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

/// A revenue message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RevenueMsg {
    /// Pay the sender what its shares of `vault` earned, in every denomination.
    ClaimRevenue {
        /// The vault.
        vault: VaultId,
    },
    /// Move `units` of the sender's shares of `vault` to `to`; both sides' earnings so far are
    /// paid out first, so revenue follows the shares held when it arrived.
    TransferShares {
        /// The vault.
        vault: VaultId,
        /// The recipient.
        to: Address,
        /// Share units.
        units: u64,
    },
}

/// A revenue event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RevenueEvent {
    /// A vault was opened with all its shares held by `owner`.
    VaultOpened {
        /// The vault.
        vault: VaultId,
        /// The first holder.
        owner: Address,
    },
    /// Revenue entered a vault.
    RevenuePaid {
        /// The vault.
        vault: VaultId,
        /// Its denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// A holder was paid its earnings.
    RevenueClaimed {
        /// The vault.
        vault: VaultId,
        /// The holder.
        holder: Address,
        /// The denomination.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// Share units changed hands.
    SharesTransferred {
        /// The vault.
        vault: VaultId,
        /// From.
        from: Address,
        /// To.
        to: Address,
        /// Units.
        units: u64,
    },
}

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
