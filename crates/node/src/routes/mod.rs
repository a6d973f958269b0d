//! The modules' read routes, one file each, and what they all share: a consistent snapshot, "found or 404", id and address parsing,
//! and paging by id with the one page cap ([`crate::ApiLimits::max_page`]).

pub(crate) mod amm;
pub(crate) mod bank;
pub(crate) mod blobs;
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
pub(crate) mod state;
pub(crate) mod stats;
pub(crate) mod sync;
pub(crate) mod treasury;

use std::sync::Arc;

use atelier_api::Page;
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
        .merge(blobs::routes())
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
        .merge(state::routes())
        .merge(stats::routes())
        .merge(sync::routes())
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

/// A page's place in a list keyed by id: the cursor the page before gave, and a size.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    /// Where the page starts: the `next` of the page before (opaque; none for the first page).
    #[param(pattern = "^[0-9a-f]{16}$")]
    pub(crate) cursor: Option<String>,
    /// Most entries (1 to the node's page cap, 1 000 by default; 100 if not given).
    #[param(minimum = 1, maximum = 1000)]
    pub(crate) limit: Option<usize>,
}

impl PageQuery {
    /// The page of `list` this query asks for.
    pub(crate) fn of(&self, node: &Node, list: &'static str) -> Result<PageRequest, ApiError> {
        PageRequest::new(node, list, self.cursor.as_deref(), self.limit)
    }
}

/// A page of one list, checked: where it starts and how many entries it holds. A cursor is the
/// key of the last entry of the page before, hex: clients treat it as opaque, and one that is
/// not a key of the list is a 400.
#[derive(Debug)]
pub(crate) struct PageRequest {
    list: &'static str,
    after: Option<Vec<u8>>,
    limit: usize,
}

impl PageRequest {
    /// The page of `list` that `cursor` (a `next` of that list) and `limit` ask for; text that is
    /// not hex is a 400 here, a key of the wrong length when it is read.
    pub(crate) fn new(
        node: &Node,
        list: &'static str,
        cursor: Option<&str>,
        limit: Option<usize>,
    ) -> Result<PageRequest, ApiError> {
        let limit = page_limit(node, limit)?;
        let after = match cursor {
            None => None,
            Some(cursor) => {
                let bad = || ApiError::bad_request(format!("not a cursor of {list}: {cursor:?}"));
                Some(atelier_primitives::hash::hex_decode_vec(cursor).ok_or_else(bad)?)
            }
        };
        Ok(PageRequest { list, after, limit })
    }

    /// The id of the last entry of the page before, for a list keyed by id.
    pub(crate) fn after_id(&self) -> Result<Option<u64>, ApiError> {
        self.after_fixed::<8>().map(|id| id.map(u64::from_be_bytes))
    }

    /// The key of the last entry of the page before, when keys are `N` bytes long.
    pub(crate) fn after_fixed<const N: usize>(&self) -> Result<Option<[u8; N]>, ApiError> {
        match self.after.as_deref() {
            None => Ok(None),
            Some(key) => key
                .try_into()
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("not a cursor of {}", self.list))),
        }
    }

    /// How many entries to read: one more than the page holds, to know whether another follows.
    pub(crate) fn read_limit(&self) -> usize {
        self.limit.saturating_add(1)
    }

    /// The page of `entries` (read with [`PageRequest::read_limit`]), with the cursor after its last
    /// entry, whose key is `key`, when more follow.
    pub(crate) fn page<T>(&self, mut entries: Vec<T>, key: impl Fn(&T) -> Vec<u8>) -> Page<T> {
        let more = entries.len() > self.limit;
        entries.truncate(self.limit);
        let next = match entries.last() {
            Some(last) if more => Some(atelier_primitives::hash::hex_encode(&key(last))),
            _ => None,
        };
        Page { items: entries, next }
    }
}
