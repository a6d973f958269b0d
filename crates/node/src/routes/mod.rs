//! The modules' read routes, one file each, and what they all share: a consistent snapshot, "found or 404", id and address parsing,
//! and paging by id with the one page cap ([`crate::ApiLimits::max_page`]).

pub(crate) mod amm;
pub(crate) mod bank;
pub(crate) mod clusters;
pub(crate) mod compliance;
pub(crate) mod compute;
pub(crate) mod dev;
pub(crate) mod governance;
pub(crate) mod market;
pub(crate) mod oracle;
pub(crate) mod provenance;
pub(crate) mod registry;
pub(crate) mod revenue;
pub(crate) mod staking;
pub(crate) mod treasury;

use std::sync::Arc;

use atelier_primitives::Address;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    Node,
    http::{ApiError, ApiResult},
};

/// Every module's read routes, one file per module.
pub(crate) fn router() -> utoipa_axum::router::OpenApiRouter<Arc<Node>> {
    utoipa_axum::router::OpenApiRouter::new()
        .merge(amm::routes())
        .merge(bank::routes())
        .merge(clusters::routes())
        .merge(compliance::routes())
        .merge(compute::routes())
        .merge(dev::routes())
        .merge(governance::routes())
        .merge(market::routes())
        .merge(oracle::routes())
        .merge(provenance::routes())
        .merge(registry::routes())
        .merge(revenue::routes())
        .merge(staking::routes())
        .merge(treasury::routes())
}

/// Ids a page holds when the request names no limit (at most the node's page cap).
pub(crate) const DEFAULT_PAGE: usize = 100;

/// The committed state, as of one block, for a route's reads.
pub(crate) fn snapshot(node: &Node) -> Result<atelier_storage::Snapshot, ApiError> {
    node.storage().snapshot().map_err(ApiError::internal)
}

/// `record` as JSON, or a 404 saying `what` is missing.
pub(crate) fn found<T>(record: Option<T>, what: impl FnOnce() -> String) -> ApiResult<T> {
    match record {
        Some(record) => Ok(axum::Json(record)),
        None => Err(ApiError::not_found(what())),
    }
}

/// A page size: 1 to the node's page cap, [`DEFAULT_PAGE`] (or the cap, if smaller) when not
/// given.
pub(crate) fn page_limit(node: &Node, limit: Option<usize>) -> Result<usize, ApiError> {
    let max = node.config().limits.max_page;
    match limit.unwrap_or(DEFAULT_PAGE.min(max)) {
        limit if (1..=max).contains(&limit) => Ok(limit),
        _ => Err(ApiError::bad_request(format!("limit must be between 1 and {max}"))),
    }
}

/// A bech32 address from a path or query, or a 400.
pub(crate) fn parse_address(text: &str) -> Result<Address, ApiError> {
    text.parse().map_err(ApiError::bad_request)
}

/// A numeric id from a path (0 to 2^63 − 1, what the OpenAPI `int64` format allows), or a 400.
pub(crate) fn parse_id(text: &str) -> Result<u64, ApiError> {
    match text.parse::<u64>() {
        Ok(id) if id <= MAX_INT64 => Ok(id),
        _ => Err(ApiError::bad_request(format!("not an id (0 to {MAX_INT64}): {text:?}"))),
    }
}

/// The largest number a path or query takes where the document says `int64`: generated clients
/// (and JavaScript) read no further.
pub(crate) const MAX_INT64: u64 = i64::MAX as u64;

/// `#[serde(default, deserialize_with = "int64")]`: an optional query number within `int64`.
pub(crate) fn int64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    match Option::<u64>::deserialize(deserializer)? {
        Some(number) if number > MAX_INT64 => {
            Err(serde::de::Error::custom(format!("{number} is above {MAX_INT64}")))
        }
        number => Ok(number),
    }
}

/// `#[serde(default, deserialize_with = "int32")]`: an optional query number within `int32`.
pub(crate) fn int32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    match Option::<u32>::deserialize(deserializer)? {
        Some(number) if number > i32::MAX as u32 => {
            Err(serde::de::Error::custom(format!("{number} is above {}", i32::MAX)))
        }
        number => Ok(number),
    }
}

/// A page: ids above `after`, at most `limit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// Only ids above this one.
    #[serde(default, deserialize_with = "crate::routes::int64")]
    pub(crate) after: Option<u64>,
    /// Most ids (1 to the node's page cap, 1 000 by default; 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    pub(crate) limit: Option<usize>,
}
