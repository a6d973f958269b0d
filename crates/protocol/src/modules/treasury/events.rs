//! Treasury events: what happened, in the past tense.

use atelier_primitives::{Amount, Decode, Denom, Encode};
use serde::{Deserialize, Serialize};

use super::{IncomeSource, PendingKind};
use crate::modules::amm::OrderId;

/// A treasury event: every movement of the treasury's funds has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TreasuryEvent {
    /// Income arrived.
    IncomeReceived {
        /// From where.
        source: IncomeSource,
        /// Which denom.
        denom: Denom,
        /// How much.
        amount: Amount,
    },
    /// An epoch ended: its measures are in its report.
    EpochClosed {
        /// The epoch.
        epoch: u64,
        /// Its TWAP.
        #[serde(with = "crate::serde_u128::option")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
        twap: Option<u128>,
        /// The moving average after it.
        #[serde(with = "crate::serde_u128")]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        average: u128,
        /// Whether it was weak.
        weak: bool,
        /// Whether the floor is being defended.
        defending: bool,
    },
    /// Enough weak epochs: buy-backs start, paced over this many epochs.
    DefenceStarted {
        /// The pacing horizon.
        epochs: u32,
    },
    /// The reserve is at its floor: no buy-back.
    BuybackStopped {
        /// The reserve.
        reserve: Amount,
        /// Its floor.
        floor: Amount,
    },
    /// The treasury's order entered the block's batch.
    OrderPlaced {
        /// Buy-back or conversion.
        kind: PendingKind,
        /// The order.
        order: OrderId,
        /// Its input.
        amount_in: Amount,
        /// The least it accepts.
        min_out: Amount,
    },
    /// The treasury's order filled (a buy-back's output is burned).
    OrderFilled {
        /// Buy-back or conversion.
        kind: PendingKind,
        /// The order.
        order: OrderId,
        /// Its input.
        amount_in: Amount,
        /// What it received.
        amount_out: Amount,
    },
    /// An order was not placed (the pool would fill it outside the slippage bound), or the batch
    /// refunded it (its price missed the bound); it waits for the next epoch.
    Deferred {
        /// Buy-back or conversion.
        kind: PendingKind,
        /// Its input.
        amount_in: Amount,
        /// What the pool would have given before the batch (zero when refunded by the batch).
        expected_out: Amount,
        /// Whether the batch refunded it.
        at_clearing: bool,
    },
    /// The treasury added liquidity to the pool.
    PoolToppedUp {
        /// Most `ugdc` offered.
        gdc: Amount,
        /// Most `uusd` offered.
        usd: Amount,
    },
    /// The style incentive paid a model: into its lineage's datasets' vaults and its own.
    StyleIncentivePaid {
        /// The model.
        model: crate::modules::registry::ModelId,
        /// `ugdc` paid in all.
        amount: Amount,
        /// Of which into its datasets' vaults.
        to_datasets: Amount,
    },
}
