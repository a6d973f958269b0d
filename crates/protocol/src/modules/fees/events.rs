//! What the fee market reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode};
use serde::{Deserialize, Serialize};

/// A fee market event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeeEvent {
    /// A transaction paid for its gas.
    FeeCharged {
        /// The sender.
        payer: Address,
        /// Gas used.
        gas_used: u64,
        /// The base-fee part, burned at the end of the block.
        burned: Amount,
        /// The tip, paid to the proposer at the end of the block.
        tip: Amount,
    },
    /// The base fee for the next block was set.
    BaseFeeUpdated {
        /// This block's base fee.
        previous: Amount,
        /// The next block's base fee.
        next: Amount,
        /// Gas this block used.
        gas_used: u64,
        /// Gas the market aims for.
        gas_target: u64,
    },
}
