//! Clusters state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `clusters/params` | [`ClusterParams`] |
//! | `clusters/next_cluster` | `u64` |
//! | `clusters/cluster/{id:8 BE}` | [`Cluster`] |
//! | `clusters/next_reservation` | `u64` |
//! | `clusters/reservation/{id:8 BE}` | [`Reservation`] |
//! | `clusters/epoch/{cluster:8 BE}{epoch:8 BE}{id:8 BE}` | `()`: the epoch's reservations |
//! | `clusters/requests/{cluster:8 BE}{epoch:8 BE}` | `u32`: how many |
//! | `clusters/held/{address:20}{epoch:8 BE}` | `u32`: slots the account asked for in the epoch |
//!
//! Escrowed bids are held by the clusters module's account ([`account`]).

use std::fmt;

use atelier_primitives::{Address, Amount, Decode, Encode, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::ClusterParams;
use crate::store::{key, read, scan, write};

const PARAMS: &[u8] = b"clusters/params";

const NEXT_CLUSTER: &[u8] = b"clusters/next_cluster";

const CLUSTER: &[u8] = b"clusters/cluster/";

const NEXT_RESERVATION: &[u8] = b"clusters/next_reservation";

pub(crate) const RESERVATION: &[u8] = b"clusters/reservation/";

const EPOCH: &[u8] = b"clusters/epoch/";

const REQUESTS: &[u8] = b"clusters/requests/";

const HELD: &[u8] = b"clusters/held/";

/// The clusters module's account: escrowed bids.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("clusters"));

/// The id of a cluster, from 1.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Encode,
    Decode,
    Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ClusterId(pub u64);

impl fmt::Display for ClusterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A training cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// Its id.
    pub id: ClusterId,
    /// Who runs it and is paid.
    pub operator: Address,
    /// Slots it offers per epoch.
    pub slots_per_epoch: u32,
    /// Least price per slot.
    pub price_per_slot: Amount,
}

/// Where a reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    /// Waiting for its epoch's allocation.
    Requested,
    /// Allocated; paid to the operator when the epoch ends.
    Won,
}

/// A request for slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reservation {
    /// Its id.
    pub id: u64,
    /// Who asked.
    pub account: Address,
    /// The cluster.
    pub cluster: ClusterId,
    /// The epoch.
    pub epoch: u64,
    /// Slots.
    pub slots: u32,
    /// Offered per slot.
    pub bid_per_slot: Amount,
    /// Held: `slots × bid_per_slot`.
    pub escrow: Amount,
    /// Where it stands.
    pub status: ReservationStatus,
}

fn id_key(prefix: &[u8], id: u64) -> Vec<u8> {
    key(prefix, &[&id.to_be_bytes()])
}

fn epoch_prefix(cluster: ClusterId, epoch: u64) -> Vec<u8> {
    key(EPOCH, &[&cluster.0.to_be_bytes(), &epoch.to_be_bytes()])
}

fn requests_key(cluster: ClusterId, epoch: u64) -> Vec<u8> {
    key(REQUESTS, &[&cluster.0.to_be_bytes(), &epoch.to_be_bytes()])
}

fn held_key(account: &Address, epoch: u64) -> Vec<u8> {
    key(HELD, &[account.as_bytes(), &epoch.to_be_bytes()])
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<ClusterParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "clusters params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &ClusterParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn next_cluster(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_CLUSTER)?.unwrap_or(1))
}

pub(crate) fn set_next_cluster(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_CLUSTER.to_vec(), &next);
}

pub(crate) fn cluster(
    state: &(impl StateRead + ?Sized),
    id: ClusterId,
) -> Result<Option<Cluster>, StateError> {
    read(state, &id_key(CLUSTER, id.0))
}

pub(crate) fn put_cluster(state: &mut impl StateWrite, cluster: &Cluster) {
    write(state, id_key(CLUSTER, cluster.id.0), cluster);
}

/// Every cluster, by id. At most `max_clusters`.
pub(crate) fn clusters(state: &(impl StateRead + ?Sized)) -> Result<Vec<Cluster>, StateError> {
    Ok(scan(state, CLUSTER)?.into_iter().map(|(_, c)| c).collect())
}

pub(crate) fn next_reservation(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_RESERVATION)?.unwrap_or(1))
}

pub(crate) fn set_next_reservation(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_RESERVATION.to_vec(), &next);
}

pub(crate) fn reservation(
    state: &(impl StateRead + ?Sized),
    id: u64,
) -> Result<Option<Reservation>, StateError> {
    read(state, &id_key(RESERVATION, id))
}

/// Requests for `cluster` in `epoch`.
pub(crate) fn requests(
    state: &(impl StateRead + ?Sized),
    cluster: ClusterId,
    epoch: u64,
) -> Result<u32, StateError> {
    Ok(read(state, &requests_key(cluster, epoch))?.unwrap_or(0))
}

/// Slots `account` asked for in `epoch`, over every cluster.
pub(crate) fn held(
    state: &(impl StateRead + ?Sized),
    account: &Address,
    epoch: u64,
) -> Result<u32, StateError> {
    Ok(read(state, &held_key(account, epoch))?.unwrap_or(0))
}

fn set_counter(state: &mut impl StateWrite, key: Vec<u8>, value: u32) {
    if value == 0 { state.delete(key) } else { write(state, key, &value) }
}

/// Stores a new reservation and counts it.
pub(crate) fn insert_reservation(
    state: &mut impl StateWrite,
    reservation: &Reservation,
) -> Result<(), StateError> {
    let (cluster, epoch) = (reservation.cluster, reservation.epoch);
    let requests = requests(state, cluster, epoch)?.saturating_add(1);
    set_counter(state, requests_key(cluster, epoch), requests);
    let held = held(state, &reservation.account, epoch)?.saturating_add(reservation.slots);
    set_counter(state, held_key(&reservation.account, epoch), held);
    state.put(key(&epoch_prefix(cluster, epoch), &[&reservation.id.to_be_bytes()]), Vec::new());
    write(state, id_key(RESERVATION, reservation.id), reservation);
    Ok(())
}

pub(crate) fn update_reservation(state: &mut impl StateWrite, reservation: &Reservation) {
    write(state, id_key(RESERVATION, reservation.id), reservation);
}

/// Removes a reservation and its counts.
pub(crate) fn remove_reservation(
    state: &mut impl StateWrite,
    reservation: &Reservation,
) -> Result<(), StateError> {
    let (cluster, epoch) = (reservation.cluster, reservation.epoch);
    let requests = requests(state, cluster, epoch)?.saturating_sub(1);
    set_counter(state, requests_key(cluster, epoch), requests);
    let held = held(state, &reservation.account, epoch)?.saturating_sub(reservation.slots);
    set_counter(state, held_key(&reservation.account, epoch), held);
    state.delete(key(&epoch_prefix(cluster, epoch), &[&reservation.id.to_be_bytes()]));
    state.delete(id_key(RESERVATION, reservation.id));
    Ok(())
}

/// The reservations of `cluster` in `epoch`, by id; at most `limit`.
pub(crate) fn reservations_for(
    state: &(impl StateRead + ?Sized),
    cluster: ClusterId,
    epoch: u64,
    limit: usize,
) -> Result<Vec<Reservation>, StateError> {
    let mut all = Vec::new();
    for (key, _) in state.scan_prefix_limited(&epoch_prefix(cluster, epoch), limit)? {
        let id = key
            .get(key.len().saturating_sub(8)..)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_be_bytes)
            .ok_or_else(|| StateError::corrupt(&key, "malformed reservation index key"))?;
        all.push(
            reservation(state, id)?
                .ok_or_else(|| StateError::corrupt(&key, "indexed reservation missing"))?,
        );
    }
    Ok(all)
}

/// Every reservation, by id. O(reservations): export, invariants.
pub(crate) fn all_reservations(state: &(impl StateRead + ?Sized)) -> Result<Vec<Reservation>, StateError> {
    Ok(scan(state, RESERVATION)?.into_iter().map(|(_, r)| r).collect())
}
