//! Oracle state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `oracle/params` | [`OracleParams`], the feeds among them |
//! | `oracle/operator/{address:20}` | [`Operator`] |
//! | `oracle/operators` | `u32`: operators registered |
//! | `oracle/round/{feed:32}` | [`Round`]: the open round of a feed |
//! | `oracle/obs/{feed:32}{operator:20}` | `u128`: an observation in the open round |
//! | `oracle/latest/{feed:32}` | [`Published`]: the feed's value |
//! | `oracle/history/{feed:32}{round:8 BE}` | [`RoundResult`]: the last `history_rounds` rounds |
//!
//! `{feed:32}` is the BLAKE3 digest of the feed's id, so every key has a fixed shape.

use std::fmt;

use atelier_primitives::{Address, Decode, Encode, Hash, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::OracleError;
use super::OracleParams;
use crate::store::{key, read, scan, write};

const PARAMS: &[u8] = b"oracle/params";

const OPERATOR: &[u8] = b"oracle/operator/";

const OPERATORS: &[u8] = b"oracle/operators";

const ROUND: &[u8] = b"oracle/round/";

const OBSERVATION: &[u8] = b"oracle/obs/";

const LATEST: &[u8] = b"oracle/latest/";

const HISTORY: &[u8] = b"oracle/history/";

/// Longest feed id, in bytes.
pub const MAX_FEED_BYTES: usize = 64;

/// A feed's name: 1 to 64 bytes of `[a-z0-9_./-]`, e.g. `gdc_usd`, `convergence/7`,
/// `engagement`, `demand/watercolor`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FeedId(#[codec(max = MAX_FEED_BYTES)] pub String);

impl FeedId {
    /// The GDC price in `uusd` per `ugdc` at [`crate::modules::amm::math::PRICE_SCALE`].
    pub fn gdc_usd() -> FeedId {
        FeedId("gdc_usd".into())
    }

    /// Whether the id is well formed.
    pub fn is_valid(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= MAX_FEED_BYTES
            && self.0.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_./-".contains(&b))
    }

    fn digest(&self) -> [u8; 32] {
        Hash::digest("atelier/oracle/feed", &[self.0.as_bytes()]).0
    }
}

impl fmt::Display for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A registered operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Operator {
    /// Who.
    pub address: Address,
    /// When it registered.
    pub since: Height,
    /// Observations in closed rounds.
    pub observations: u64,
    /// Of which outliers.
    pub outliers: u64,
}

/// A feed's open round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// Its number, from 1.
    pub number: u64,
    /// The block of its first observation.
    pub opened: Height,
    /// Observations so far.
    pub observations: u32,
}

/// A feed's published value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// The value.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub value: u128,
    /// The round it closed.
    pub round: u64,
    /// The block it was published at.
    pub height: Height,
}

/// A closed round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoundResult {
    /// Its number.
    pub round: u64,
    /// The median.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub median: u128,
    /// Observations in it.
    pub observations: u32,
    /// Whether it became the feed's value.
    pub published: bool,
    /// The block it closed at.
    pub closed_at: Height,
}

/// The value of `feed` for a consumer at `height`: refused when the feed is unknown, has no value
/// or its value is older than the feed's `staleness_blocks`.
pub fn fresh(
    state: &(impl StateRead + ?Sized),
    feed: &FeedId,
    height: Height,
) -> Result<Published, FreshError> {
    let params = params(state)?;
    let spec = params.feed(feed).ok_or_else(|| OracleError::UnknownFeed { feed: feed.clone() })?;
    let published = latest(state, feed)?.ok_or_else(|| OracleError::NoValue { feed: feed.clone() })?;
    if height.0.saturating_sub(published.height.0) > spec.staleness_blocks {
        return Err(FreshError::Refused(OracleError::Stale {
            feed: feed.clone(),
            published_at: published.height,
            limit: spec.staleness_blocks,
            height,
        }));
    }
    Ok(published)
}

/// Why [`fresh`] gave no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FreshError {
    /// The value must not be used.
    #[error(transparent)]
    Refused(#[from] OracleError),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StateError),
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<OracleParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "oracle params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &OracleParams) {
    write(state, PARAMS.to_vec(), params);
}

fn operator_key(address: &Address) -> Vec<u8> {
    key(OPERATOR, &[address.as_bytes()])
}

pub(crate) fn operator(
    state: &(impl StateRead + ?Sized),
    address: &Address,
) -> Result<Option<Operator>, StateError> {
    read(state, &operator_key(address))
}

pub(crate) fn operator_count(state: &(impl StateRead + ?Sized)) -> Result<u32, StateError> {
    Ok(read(state, OPERATORS)?.unwrap_or(0))
}

/// Stores `operator`, counting it if it is new.
pub(crate) fn put_operator(state: &mut impl StateWrite, operator: &Operator) -> Result<(), StateError> {
    if self::operator(state, &operator.address)?.is_none() {
        let count = operator_count(state)?.saturating_add(1);
        write(state, OPERATORS.to_vec(), &count);
    }
    write(state, operator_key(&operator.address), operator);
    Ok(())
}

pub(crate) fn remove_operator(state: &mut impl StateWrite, address: &Address) -> Result<(), StateError> {
    let count = operator_count(state)?.saturating_sub(1);
    write(state, OPERATORS.to_vec(), &count);
    state.delete(operator_key(address));
    Ok(())
}

/// Every operator, by address. O(operators).
pub(crate) fn operators(state: &(impl StateRead + ?Sized)) -> Result<Vec<Operator>, StateError> {
    Ok(scan(state, OPERATOR)?.into_iter().map(|(_, o)| o).collect())
}

/// The open round of `feed` (round 1, unopened, before any observation).
pub(crate) fn round(state: &(impl StateRead + ?Sized), feed: &FeedId) -> Result<Round, StateError> {
    Ok(read(state, &key(ROUND, &[&feed.digest()]))?.unwrap_or(Round { number: 1, ..Round::default() }))
}

pub(crate) fn set_round(state: &mut impl StateWrite, feed: &FeedId, round: &Round) {
    write(state, key(ROUND, &[&feed.digest()]), round);
}

fn observation_key(feed: &FeedId, operator: &Address) -> Vec<u8> {
    key(OBSERVATION, &[&feed.digest(), operator.as_bytes()])
}

pub(crate) fn has_observed(
    state: &(impl StateRead + ?Sized),
    feed: &FeedId,
    operator: &Address,
) -> Result<bool, StateError> {
    Ok(state.get(&observation_key(feed, operator))?.is_some())
}

pub(crate) fn put_observation(state: &mut impl StateWrite, feed: &FeedId, operator: &Address, value: u128) {
    write(state, observation_key(feed, operator), &value);
}

/// The open round's observations of `feed`, by operator. O(operators).
pub(crate) fn observations(
    state: &(impl StateRead + ?Sized),
    feed: &FeedId,
) -> Result<Vec<(Address, u128)>, StateError> {
    let prefix = key(OBSERVATION, &[&feed.digest()]);
    let mut all = Vec::new();
    for (key, value) in scan::<u128>(state, &prefix)? {
        let address = key
            .get(prefix.len()..)
            .and_then(|b| <[u8; 20]>::try_from(b).ok())
            .ok_or_else(|| StateError::corrupt(&key, "malformed observation key"))?;
        all.push((Address(address), value));
    }
    Ok(all)
}

pub(crate) fn clear_observations(state: &mut impl StateWrite, feed: &FeedId, observed: &[(Address, u128)]) {
    for (operator, _) in observed {
        state.delete(observation_key(feed, operator));
    }
}

pub(crate) fn latest(
    state: &(impl StateRead + ?Sized),
    feed: &FeedId,
) -> Result<Option<Published>, StateError> {
    read(state, &key(LATEST, &[&feed.digest()]))
}

pub(crate) fn set_latest(state: &mut impl StateWrite, feed: &FeedId, published: &Published) {
    write(state, key(LATEST, &[&feed.digest()]), published);
}

fn history_key(feed: &FeedId, round: u64) -> Vec<u8> {
    key(HISTORY, &[&feed.digest(), &round.to_be_bytes()])
}

/// Records a closed round and forgets the one `keep` rounds before it.
pub(crate) fn push_history(state: &mut impl StateWrite, feed: &FeedId, result: &RoundResult, keep: u32) {
    write(state, history_key(feed, result.round), result);
    if let Some(old) = result.round.checked_sub(u64::from(keep)) {
        state.delete(history_key(feed, old));
    }
}

/// The closed rounds of `feed` kept, oldest first. O(`history_rounds`).
pub(crate) fn history(
    state: &(impl StateRead + ?Sized),
    feed: &FeedId,
) -> Result<Vec<RoundResult>, StateError> {
    Ok(scan(state, &key(HISTORY, &[&feed.digest()]))?.into_iter().map(|(_, r)| r).collect())
}
