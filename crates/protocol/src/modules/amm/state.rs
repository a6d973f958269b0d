//! AMM state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `amm/params` | [`AmmParams`] |
//! | `amm/pool` | [`Pool`]: reserves, LP supply, TWAP accumulator |
//! | `amm/lp/{address:20}` | `u128`: an account's LP units |
//! | `amm/next_order` | `u64` |
//! | `amm/order/{id:8 BE}` | [`Order`]: a swap waiting for the block's end |
//! | `amm/orders` | `u32`: orders waiting |
//!
//! The AMM module's account ([`account`]) holds both reserves and every waiting order's input.

use std::fmt;

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::AmmParams;
use crate::store::{key, read, scan, write};

const PARAMS: &[u8] = b"amm/params";

const POOL: &[u8] = b"amm/pool";

pub(crate) const LP: &[u8] = b"amm/lp/";

const NEXT_ORDER: &[u8] = b"amm/next_order";

const ORDER: &[u8] = b"amm/order/";

const ORDERS: &[u8] = b"amm/orders";

/// The AMM module's account: the pool's reserves and the orders' inputs.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("amm"));

/// The GDC/uusd constant-product pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// `ugdc` held.
    pub reserve_gdc: Amount,
    /// `uusd` held.
    pub reserve_usd: Amount,
    /// LP units issued, the locked minimum included.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub lp_supply: u128,
    /// Sum over blocks of the price at each block's end ([`super::math::PRICE_SCALE`] scale).
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub price_cumulative: u128,
    /// The price at the last block's end.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub last_price: u128,
    /// The last block whose price is in the accumulator.
    pub last_height: Height,
    /// Blocks whose price is in the accumulator: a TWAP over a span is the accumulator's change
    /// over this one's.
    pub price_blocks: u64,
}

/// Which way a swap goes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode, Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Sell `ugdc` for `uusd`.
    SellGdc,
    /// Sell `uusd` for `ugdc`.
    SellUsd,
}

impl Side {
    /// The denomination sold.
    pub fn denom_in(self) -> Denom {
        match self {
            Side::SellGdc => Denom::GDC,
            Side::SellUsd => Denom::USD,
        }
    }

    /// The denomination bought.
    pub fn denom_out(self) -> Denom {
        match self {
            Side::SellGdc => Denom::USD,
            Side::SellUsd => Denom::GDC,
        }
    }
}

/// The id of an order.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Encode, Decode,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct OrderId(pub u64);

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A swap waiting for the block's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Its id.
    pub id: OrderId,
    /// Who swaps.
    pub trader: Address,
    /// Which way.
    pub side: Side,
    /// Held input.
    pub amount_in: Amount,
    /// Least output, or the order is refunded.
    pub min_out: Amount,
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<AmmParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "amm params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &AmmParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn pool(state: &(impl StateRead + ?Sized)) -> Result<Pool, StateError> {
    Ok(read(state, POOL)?.unwrap_or_default())
}

pub(crate) fn set_pool(state: &mut impl StateWrite, pool: &Pool) {
    write(state, POOL.to_vec(), pool);
}

fn lp_key(holder: &Address) -> Vec<u8> {
    key(LP, &[holder.as_bytes()])
}

pub(crate) fn lp_units(state: &(impl StateRead + ?Sized), holder: &Address) -> Result<u128, StateError> {
    Ok(read(state, &lp_key(holder))?.unwrap_or(0))
}

pub(crate) fn set_lp_units(state: &mut impl StateWrite, holder: &Address, units: u128) {
    if units == 0 { state.delete(lp_key(holder)) } else { write(state, lp_key(holder), &units) }
}

/// Every LP holding. O(holders): export, invariants.
pub(crate) fn lp_holdings(state: &(impl StateRead + ?Sized)) -> Result<Vec<(Address, u128)>, StateError> {
    let mut all = Vec::new();
    for (key, units) in scan::<u128>(state, LP)? {
        let address = key
            .get(LP.len()..)
            .and_then(|b| <[u8; 20]>::try_from(b).ok())
            .ok_or_else(|| StateError::corrupt(&key, "malformed lp key"))?;
        all.push((Address(address), units));
    }
    Ok(all)
}

pub(crate) fn next_order(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_ORDER)?.unwrap_or(1))
}

pub(crate) fn set_next_order(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_ORDER.to_vec(), &next);
}

pub(crate) fn order_count(state: &(impl StateRead + ?Sized)) -> Result<u32, StateError> {
    Ok(read(state, ORDERS)?.unwrap_or(0))
}

/// Stores a new order and counts it.
pub(crate) fn insert_order(state: &mut impl StateWrite, order: &Order) -> Result<(), StateError> {
    let count = order_count(state)?.saturating_add(1);
    write(state, ORDERS.to_vec(), &count);
    write(state, key(ORDER, &[&order.id.0.to_be_bytes()]), order);
    Ok(())
}

/// Every waiting order, by id (at most `max_orders_per_block`).
pub(crate) fn orders(state: &(impl StateRead + ?Sized)) -> Result<Vec<Order>, StateError> {
    Ok(scan(state, ORDER)?.into_iter().map(|(_, o)| o).collect())
}

/// Removes every waiting order (the block's end cleared them).
pub(crate) fn clear_orders(state: &mut impl StateWrite, orders: &[Order]) {
    for order in orders {
        state.delete(key(ORDER, &[&order.id.0.to_be_bytes()]));
    }
    state.delete(ORDERS.to_vec());
}
