//! The HTTP API (axum), described by the OpenAPI document at `GET /openapi.json`, which is
//! generated from the handlers below.
//!
//! Every error, from a handler or from the framework, is a JSON [`ErrorBody`] with a 4xx or 5xx
//! status: malformed JSON, paths or parameters are 400, unknown routes and objects 404, a method a
//! route does not serve 405, bodies over the limit 413, a body not declared JSON 415, refused
//! transactions 422 (409 if already pending, 503 if the mempool is full), a wait that outlives the
//! request 504.

use std::{sync::Arc, time::Instant};

use atelier_api::{
    AccountTotals, AccountView, BlockView, CoinView, ErrorBody, EventView, FeesView, Health, HistoryPage,
    Page, Proven, SimulatedOutcome, SimulatedTx, StatusView, StreamEvent, SubmitTx, SubmittedTx, TxStatus,
    TxView,
};
use atelier_primitives::{
    Address, Amount, Hash, Height,
    hash::{hex_decode, hex_decode_vec},
};
use atelier_protocol::{
    SignedTx, TxOutcome,
    modules::{auth, bank, fees},
};
use atelier_storage::{IndexedEvent, Subject};
use axum::{
    Json, Router,
    extract::{
        DefaultBodyLimit, Path, Query, Request, State,
        rejection::{JsonRejection, QueryRejection},
    },
    http::{StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response, Sse, sse},
};
use serde::Deserialize;
use tokio_stream::{StreamExt, wrappers::BroadcastStream};
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    Node, Simulation, SubmitError,
    mempool::MempoolError,
    routes::state::{ProveQuery, proven},
};

pub(crate) type Shared = State<Arc<Node>>;

/// The document's title and description; its paths and schemas come from the handlers, each
/// registered once in [`routes`].
#[derive(OpenApi)]
#[openapi(info(title = "Atelier node API", description = "Submit transactions and read the chain."))]
struct ApiInfo;

/// Every route, with its OpenAPI description.
fn routes() -> OpenApiRouter<Arc<Node>> {
    OpenApiRouter::with_openapi(ApiInfo::openapi())
        .routes(routes!(submit_tx))
        .routes(routes!(simulate_tx))
        .routes(routes!(tx))
        .routes(routes!(account))
        .routes(routes!(account_events))
        .routes(routes!(account_totals))
        .routes(routes!(latest_block))
        .routes(routes!(block))
        .routes(routes!(events))
        .routes(routes!(event_stream))
        .routes(routes!(fees_view))
        .routes(routes!(status))
        .routes(routes!(health))
        .routes(routes!(metrics))
        .routes(routes!(openapi))
        .merge(crate::routes::router())
}

/// The OpenAPI document (`GET /openapi.json`), generated from the handlers.
pub fn document() -> utoipa::openapi::OpenApi {
    static DOCUMENT: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| with_error_answers(with_proofs_allowed(routes().into_openapi()))).clone()
}

/// `document` where a proven answer (`Proven<T>`: `T`'s fields and `proof` beside them) validates:
/// a record that refuses unknown fields says so in its schema, which, merged with `proof`, would
/// refuse the proof.
fn with_proofs_allowed(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{RefOr, schema::Schema};
    let Some(components) = document.components.as_mut() else { return document };
    for (name, schema) in components.schemas.iter_mut() {
        if let (true, RefOr::T(Schema::AllOf(all_of))) = (name.starts_with("Proven_"), schema) {
            for part in &mut all_of.items {
                if let RefOr::T(Schema::Object(record)) = part {
                    record.additional_properties = None;
                }
            }
        }
    }
    document
}

/// `document` where every operation says that any status it does not list is an error in the
/// one JSON shape: the HTTP layer answers 405, 408, 413 or 415 on any route.
fn with_error_answers(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = ResponseBuilder::new()
        .description(
            "An error: the JSON error body, whose `error` names it (400 malformed input, 404 not found, \
             405, 408 timeout, 413 body too large, 415, 422 refused, 503 busy, 504 wait timed out)",
        )
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build();
    for item in document.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            operation.responses.responses.entry("default".into()).or_insert_with(|| error.clone().into());
        }
    }
    document
}

/// The router with every route, limit and the latency middleware.
pub fn router(node: Arc<Node>) -> Router {
    let limits = node.config().limits.clone();
    let cors = cors(&node.config().cors_origins);
    let (router, _) = routes().split_for_parts();
    router
        .merge(crate::dashboard::router())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(node.clone(), observe))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(tower::limit::ConcurrencyLimitLayer::new(limits.max_concurrent_requests))
        .layer(cors)
        .layer(compression())
        .with_state(node)
}

/// Gzip, for clients that accept it, of JSON answers and the dashboard's files over a kilobyte
/// (a chart's series is mostly repeated digits): never of blobs, whose byte ranges must stay
/// ranges of what is stored, nor of the event stream.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::{CompressionLayer, Predicate, predicate::SizeAbove};
    const TEXT: [&str; 4] = ["application/json", "text/html", "text/css", "text/javascript"];
    let textual =
        |_: StatusCode, _: axum::http::Version, headers: &header::HeaderMap, _: &axum::http::Extensions| {
            let kind = headers.get(header::CONTENT_TYPE).and_then(|kind| kind.to_str().ok()).unwrap_or("");
            TEXT.iter().any(|text| kind.starts_with(text)) && !headers.contains_key(header::ACCEPT_RANGES)
        };
    CompressionLayer::new().gzip(true).compress_when(SizeAbove::new(1024).and(textual))
}

/// Which web pages may call the API: `origins` (`*` for any), reading and submitting.
fn cors(origins: &[String]) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, Any, CorsLayer};
    let layer = CorsLayer::new()
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers(Any);
    if origins.iter().any(|origin| origin == "*") {
        return layer.allow_origin(Any);
    }
    let allowed = origins.iter().filter_map(|origin| origin.parse().ok()).collect::<Vec<_>>();
    layer.allow_origin(AllowOrigin::list(allowed))
}

/// Times every request into the latency histogram, and bounds it by the request timeout (a
/// `?wait=true` submission answers 504 on its own just before).
async fn observe(State(node): Shared, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request.extensions().get::<axum::extract::MatchedPath>().map(|path| path.as_str().to_owned());
    let method = request.method().clone();
    let limit = node.config().limits.request_timeout + std::time::Duration::from_secs(1);
    let response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", "the request took too long").into_response()
        }
    };
    node.metrics().observe_request(
        route.as_deref(),
        method.as_str(),
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// Puts every error the framework answers on its own (a method a route does not serve, a path or
/// query its extractor cannot read, a body over the limit) in the documented JSON shape; errors the
/// handlers build already are.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    // The framework's own messages are one short line.
    let text = match axum::body::to_bytes(response.into_body(), 4_096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let error = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        status if status.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message =
        if text.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    // A path or query the extractor could not read is the client's mistake, not a missing route.
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY { StatusCode::BAD_REQUEST } else { status };
    let mut response = ApiError::new(status, error, message).into_response();
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, error: &str, message: impl ToString) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error: error.into(),
                message: message.to_string(),
                code: None,
                expected_nonce: None,
            },
        }
    }

    pub(crate) fn bad_request(message: impl ToString) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub(crate) fn not_found(message: impl ToString) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub(crate) fn internal(message: impl ToString) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let error = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "bad_request" };
        // Every JSON failure is the client's: report it as 4xx with the extractor's reason.
        let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
        ApiError::new(status, error, rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}

impl From<SubmitError> for ApiError {
    fn from(error: SubmitError) -> Self {
        match error {
            SubmitError::Internal(message) => ApiError::internal(message),
            SubmitError::Refused(refusal) => {
                let status = match refusal {
                    MempoolError::AlreadyKnown => StatusCode::CONFLICT,
                    MempoolError::Full { .. } => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                let mut api = ApiError::new(status, refusal.kind(), &refusal);
                api.body.expected_nonce = refusal.expected_nonce();
                if let MempoolError::Rejected(rejection) = &refusal {
                    api.body.code = Some(rejection.code());
                }
                api
            }
        }
    }
}

pub(crate) type ApiResult<T> = Result<Json<T>, ApiError>;

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

fn parse_hash(text: &str) -> Result<Hash, ApiError> {
    hex_decode(text)
        .map(Hash)
        .ok_or_else(|| ApiError::bad_request(format!("not a 64-hex-digit hash: {text:?}")))
}

/// The transaction a request body carries, or the error that says why not.
fn signed_tx(body: Result<Json<SubmitTx>, JsonRejection>) -> Result<SignedTx, ApiError> {
    let Json(SubmitTx { tx }) = body?;
    let bytes = hex_decode_vec(&tx).ok_or_else(|| ApiError::bad_request("transaction is not hex"))?;
    SignedTx::decode(&bytes)
        .map_err(|rejection| SubmitError::Refused(MempoolError::Rejected(rejection)).into())
}

/// What including a transaction in the next block would do, on the latest state after the
/// sender's pending transactions: outcome, gas, fee and events, or why it would be left out. Its
/// signature is not checked (only its format); nothing is kept or charged.
#[utoipa::path(post, path = "/txs/simulate", request_body = SubmitTx, responses(
    (status = 200, description = "The outcome it would have", body = SimulatedTx),
    (status = 400, description = "Malformed body", body = ErrorBody),
    (status = 422, description = "Not a transaction", body = ErrorBody),
))]
async fn simulate_tx(
    State(node): Shared,
    body: Result<Json<SubmitTx>, JsonRejection>,
) -> ApiResult<SimulatedTx> {
    let tx = signed_tx(body)?;
    let hash = tx.hash().to_hex();
    let (simulated, gas_needed) = tokio::task::spawn_blocking(move || {
        Ok::<_, crate::LedgerError>((node.simulate(&tx)?, node.gas_needed(&tx)?))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let nothing = SimulatedTx {
        hash,
        gas_needed,
        outcome: SimulatedOutcome::Rejected,
        code: None,
        reason: None,
        msg_index: None,
        gas_used: None,
        fee: None,
        events: Vec::new(),
    };
    Ok(Json(match simulated {
        Simulation::Rejected(rejection) => {
            SimulatedTx { code: Some(rejection.code()), reason: Some(rejection.to_string()), ..nothing }
        }
        Simulation::Included(receipt) => {
            let events = receipt.events.iter().map(json).collect::<Result<_, _>>()?;
            let included = SimulatedTx {
                gas_used: Some(receipt.gas_used),
                fee: Some(receipt.fee.to_string()),
                events,
                outcome: SimulatedOutcome::Applied,
                ..nothing
            };
            match receipt.outcome {
                TxOutcome::Applied => included,
                TxOutcome::Failed { msg_index, code, reason } => SimulatedTx {
                    outcome: SimulatedOutcome::Failed,
                    code: Some(code),
                    reason: Some(reason),
                    msg_index: Some(msg_index),
                    ..included
                },
            }
        }
    }))
}

/// `?wait=true` to answer once the transaction is in a committed block.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct WaitQuery {
    /// Wait for inclusion (bounded by the request timeout).
    #[serde(default)]
    wait: bool,
}

/// Submit a signed transaction.
#[utoipa::path(post, path = "/txs", request_body = SubmitTx, params(WaitQuery), responses(
    (status = 200, description = "Accepted (or included, with `wait`)", body = SubmittedTx),
    (status = 400, description = "Malformed body", body = ErrorBody),
    (status = 409, description = "Already pending", body = ErrorBody),
    (status = 413, description = "Body over the limit", body = ErrorBody),
    (status = 422, description = "Refused by the protocol or the mempool", body = ErrorBody),
    (status = 503, description = "Mempool full", body = ErrorBody),
    (status = 504, description = "Not included before the request timed out", body = ErrorBody),
))]
async fn submit_tx(
    State(node): Shared,
    query: Result<Query<WaitQuery>, QueryRejection>,
    body: Result<Json<SubmitTx>, JsonRejection>,
) -> ApiResult<SubmittedTx> {
    let Query(WaitQuery { wait }) = query?;
    let tx = signed_tx(body)?;
    // Subscribed before submitting, so that the block including it cannot be missed.
    let blocks = wait.then(|| node.subscribe());
    let hash = node.submit(tx).await?;
    if let Some(mut blocks) = blocks {
        node.request_block_if_on_demand();
        let deadline = node.config().limits.request_timeout;
        let included = tokio::time::timeout(deadline, async {
            loop {
                match blocks.recv().await {
                    Ok(block) if block.tx_hashes.contains(&hash) => return Ok(block.header.height),
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        if let Some(found) = node.storage().tx_location(&hash).map_err(ApiError::internal)? {
                            return Ok(found.height);
                        }
                    }
                    Err(closed) => return Err(ApiError::internal(closed)),
                }
            }
        })
        .await
        .map_err(|_| {
            ApiError::new(StatusCode::GATEWAY_TIMEOUT, "timeout", "not included before the timeout")
        })??;
        return Ok(Json(SubmittedTx {
            hash: hash.to_hex(),
            status: TxStatus::Included,
            height: Some(included.get()),
        }));
    }
    Ok(Json(SubmittedTx { hash: hash.to_hex(), status: TxStatus::Pending, height: None }))
}

/// A transaction and its receipt, pending or included.
#[utoipa::path(get, path = "/txs/{hash}", params(("hash" = atelier_primitives::Hash, Path, description = "Transaction hash, hex")),
    responses((status = 200, body = TxView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn tx(State(node): Shared, Path(hash): Path<String>) -> ApiResult<TxView> {
    let hash = parse_hash(&hash)?;
    if let Some((location, tx, receipt)) = node.storage().tx(&hash).map_err(ApiError::internal)? {
        return Ok(Json(TxView {
            hash: hash.to_hex(),
            status: TxStatus::Included,
            height: Some(location.height.get()),
            index: Some(location.index),
            tx: json(&tx)?,
            receipt: Some(json(&receipt)?),
        }));
    }
    match node.pending(&hash) {
        Some(tx) => Ok(Json(TxView {
            hash: hash.to_hex(),
            status: TxStatus::Pending,
            height: None,
            index: None,
            tx: json(&tx)?,
            receipt: None,
        })),
        None => Err(ApiError::not_found(format!("no transaction {hash}"))),
    }
}

/// An account's balances and next nonce. With `prove=true`, the nonce and balances come with
/// their proof (the next nonce counts the node's pending transactions, which no proof covers).
#[utoipa::path(get, path = "/accounts/{address}", params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), ProveQuery),
    responses((status = 200, body = Proven<AccountView>), (status = 400, body = ErrorBody)))]
async fn account(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<ProveQuery>, QueryRejection>,
) -> ApiResult<Proven<AccountView>> {
    let Query(query) = query?;
    let address: Address = address.parse().map_err(ApiError::bad_request)?;
    let Proven { value: (nonce, balances), proof } = proven(&node, query.prove, |state| {
        Ok((auth::query::nonce(state, &address)?, bank::query::balances(state, &address)?))
    })
    .await?;
    let balances = balances
        .into_iter()
        .map(|coin| CoinView { denom: coin.denom.to_string(), amount: coin.amount.to_string() });
    let next_nonce = node.mempool_next_nonce(&address, nonce);
    let value = AccountView { address: address.to_string(), nonce, next_nonce, balances: balances.collect() };
    Ok(Json(Proven { value, proof }))
}

/// A page of a history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HistoryQuery {
    /// Where the page starts: the `next` of the page before (opaque).
    #[param(pattern = "^[0-9a-f]{24}$")]
    cursor: Option<String>,
    /// Most events to return (default 100, at most the page limit).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// A page of `subject`'s history from the node's history index, newest first.
pub(crate) fn history_page(
    node: &Node,
    subject: &Subject,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> ApiResult<HistoryPage> {
    let Query(query) = query?;
    let page = crate::routes::PageRequest::new(node, "history", query.cursor.as_deref(), query.limit)?;
    // A cursor names the last event returned, by height and position in its block.
    let before = page.after_fixed::<12>()?.map(|key| {
        let (height, position) = key.split_at(8);
        (
            Height(u64::from_be_bytes(height.try_into().unwrap_or_default())),
            u32::from_be_bytes(position.try_into().unwrap_or_default()),
        )
    });
    let storage = node.storage();
    let indexed_height = storage.history_head().map_err(ApiError::internal)?.get();
    let found = storage.history(subject, before, page.read_limit()).map_err(ApiError::internal)?;
    let found = page.page(found, |((height, position), _)| {
        [&height.get().to_be_bytes()[..], &position.to_be_bytes()].concat()
    });
    let items = found.items.iter().map(|(_, event)| event_view(event)).collect::<Result<_, _>>()?;
    Ok(Json(HistoryPage { items, next: found.next, indexed_height }))
}

/// The events that name an account (payments, transfers, stake, jobs, sales, votes…), newest
/// first, from the node's history index.
#[utoipa::path(get, path = "/accounts/{address}/events",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address"), HistoryQuery),
    responses((status = 200, body = HistoryPage), (status = 400, body = ErrorBody)))]
async fn account_events(
    State(node): Shared,
    Path(address): Path<String>,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> ApiResult<HistoryPage> {
    let address = crate::routes::parse_address(&address)?;
    history_page(&node, &Subject::Account(address), query)
}

/// Running totals of an account's history: jobs served and what they paid it, slashes, sales,
/// royalties claimed, transfers — every tally the node keeps, zero where nothing counted.
#[utoipa::path(get, path = "/accounts/{address}/totals",
    params(("address" = atelier_primitives::Address, Path, description = "bech32 address")),
    responses((status = 200, body = AccountTotals), (status = 400, body = ErrorBody)))]
async fn account_totals(State(node): Shared, Path(address): Path<String>) -> ApiResult<AccountTotals> {
    let address = crate::routes::parse_address(&address)?;
    let storage = node.storage();
    // The head first: the tallies read after it count at least that far.
    let indexed_height = storage.history_head().map_err(ApiError::internal)?.get();
    let kept: std::collections::BTreeMap<String, i128> =
        storage.account_tallies(&address).map_err(ApiError::internal)?.into_iter().collect();
    let tallies = crate::history::TALLIES
        .iter()
        .map(|(name, unit, about)| atelier_api::Tally {
            name: (*name).to_owned(),
            unit: (*unit).to_owned(),
            about: (*about).to_owned(),
            value: kept.get(*name).copied().unwrap_or(0).to_string(),
        })
        .collect();
    Ok(Json(AccountTotals { tallies, indexed_height }))
}

fn block_view(node: &Node, height: Height) -> ApiResult<BlockView> {
    match node.storage().block(height).map_err(ApiError::internal)? {
        Some(block) => Ok(Json(BlockView {
            hash: block.hash().to_hex(),
            header: json(&block.header)?,
            txs: block.txs.iter().map(|tx| tx.hash().to_hex()).collect(),
        })),
        None => Err(ApiError::not_found(format!("no block at height {height}"))),
    }
}

/// The last committed block.
#[utoipa::path(get, path = "/blocks/latest", responses((status = 200, body = BlockView), (status = 404, body = ErrorBody)))]
async fn latest_block(State(node): Shared) -> ApiResult<BlockView> {
    block_view(&node, node.head().height)
}

/// The block at a height.
#[utoipa::path(get, path = "/blocks/{height}", params(("height" = u64, Path, description = "Block height")),
    responses((status = 200, body = BlockView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn block(State(node): Shared, Path(height): Path<String>) -> ApiResult<BlockView> {
    let height: u64 =
        height.parse().map_err(|_| ApiError::bad_request(format!("not a height: {height:?}")))?;
    block_view(&node, Height(height))
}

/// A page of events.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EventsQuery {
    /// First height to include (default 1).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    from_height: Option<u64>,
    /// Where the page starts instead: the `next` of the page before (opaque).
    #[param(pattern = "^[0-9a-f]{24}$")]
    cursor: Option<String>,
    /// Most events to return (default 100, at most the page limit).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

fn event_view(event: &IndexedEvent) -> Result<EventView, ApiError> {
    Ok(EventView {
        height: event.height.get(),
        tx_index: event.tx.map(|(index, _)| index),
        tx_hash: event.tx.map(|(_, hash)| hash.to_hex()),
        event: json(&event.event)?,
    })
}

/// Events from a height on, in order.
#[utoipa::path(get, path = "/events", params(EventsQuery),
    responses((status = 200, body = Page<EventView>), (status = 400, body = ErrorBody)))]
async fn events(
    State(node): Shared,
    query: Result<Query<EventsQuery>, QueryRejection>,
) -> ApiResult<Page<EventView>> {
    let Query(query) = query?;
    let page = crate::routes::PageRequest::new(&node, "events", query.cursor.as_deref(), query.limit)?;
    // A cursor names the last event returned, by height and position in its block, so paging
    // always advances, even inside a block with more events than a page.
    let start = match page.after_fixed::<12>()? {
        Some(key) => {
            let (height, index) = key.split_at(8);
            let height = u64::from_be_bytes(height.try_into().unwrap_or_default());
            let index = u32::from_be_bytes(index.try_into().unwrap_or_default());
            match index.checked_add(1) {
                Some(index) => Some((height, index)),
                None => height.checked_add(1).map(|height| (height, 0)),
            }
        }
        None => Some((query.from_height.unwrap_or(1), 0)),
    };
    let found = match start {
        Some((height, index)) => node
            .storage()
            .events_from(Height(height), index, page.read_limit())
            .map_err(ApiError::internal)?,
        None => Vec::new(),
    };
    let found = page
        .page(found, |(index, event)| [&event.height.get().to_be_bytes()[..], &index.to_be_bytes()].concat());
    let items = found.items.iter().map(|(_, event)| event_view(event)).collect::<Result<_, _>>()?;
    Ok(Json(Page { items, next: found.next }))
}

/// `GET /events/stream`: where to start and which events to send.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamQuery {
    /// Replay the stored events from this height first, then follow new blocks (without it, and
    /// without a `Last-Event-ID` header, the stream starts with the next block).
    #[serde(default, deserialize_with = "crate::routes::int64")]
    from_height: Option<u64>,
    /// Only events of this module (`bank`) or type (`transferred`).
    kind: Option<String>,
    /// Only events that name this account.
    #[param(value_type = Option<atelier_primitives::Address>)]
    account: Option<String>,
}

/// Which events a stream sends.
struct StreamFilter {
    kind: Option<String>,
    account: Option<String>,
}

impl StreamFilter {
    fn admits(&self, view: &EventView) -> bool {
        let kind = self.kind.as_deref().is_none_or(|kind| {
            view.event["module"].as_str() == Some(kind) || view.event["event"]["type"].as_str() == Some(kind)
        });
        kind && self.account.as_deref().is_none_or(|account| names(&view.event, account))
    }
}

/// Whether `account` appears among the strings of `value`.
fn names(value: &serde_json::Value, account: &str) -> bool {
    let mut found = false;
    crate::history::each_string(value, &mut |text| found |= text == account);
    found
}

/// Where an event stands: its block, and its position among the block's events. An SSE event's
/// `id` is `HEIGHT:INDEX`.
type Position = (u64, u32);

/// The position after the event a `Last-Event-ID` header names.
fn after_last_event(headers: &axum::http::HeaderMap) -> Result<Option<Position>, ApiError> {
    let Some(value) = headers.get("last-event-id") else { return Ok(None) };
    let parsed = value.to_str().ok().and_then(|text| {
        let (height, index) = text.split_once(':')?;
        Some((height.parse::<u64>().ok()?, index.parse::<u32>().ok()?.checked_add(1)?))
    });
    parsed.map(Some).ok_or_else(|| ApiError::bad_request("Last-Event-ID is not HEIGHT:INDEX"))
}

/// New events as server-sent events: each has `id: HEIGHT:INDEX` and one `data:` line of
/// EventView JSON. A client resumes from `?from_height=` or, reconnecting, from the
/// `Last-Event-ID` its EventSource sends; `kind` and `account` filter. A reader too slow for the
/// live blocks is caught up from storage, so it misses nothing.
#[utoipa::path(get, path = "/events/stream", params(StreamQuery), responses(
    (status = 200, description = "Server-sent events: `id: HEIGHT:INDEX` and one `data:` line of EventView JSON each", content_type = "text/event-stream", body = StreamEvent),
    (status = 400, description = "A malformed query or Last-Event-ID", body = ErrorBody),
    (status = 503, description = "As many streams are open as the node serves", body = ErrorBody),
))]
async fn event_stream(
    State(node): Shared,
    headers: axum::http::HeaderMap,
    query: Result<Query<StreamQuery>, QueryRejection>,
) -> Result<Sse<impl tokio_stream::Stream<Item = Result<sse::Event, std::convert::Infallible>>>, ApiError> {
    let Query(query) = query?;
    let account = query.account.map(|text| crate::routes::parse_address(&text)).transpose()?;
    let filter = StreamFilter { kind: query.kind, account: account.map(|a| a.to_string()) };
    let resume = after_last_event(&headers)?.or(query.from_height.map(|height| (height, 0)));
    let Some(open) = node.metrics().open_event_stream(node.config().limits.max_event_streams) else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_streams",
            "the node serves as many event streams as it may; poll /events or retry later",
        ));
    };
    // One task per client flattens blocks into events; it ends when the client goes away.
    let (sender, receiver) = tokio::sync::mpsc::channel(1_024);
    // Subscribed before replaying, so that no block falls between the replay and the live ones.
    let mut blocks = BroadcastStream::new(node.subscribe());
    tokio::spawn(async move {
        let _open = open;
        let send = |position: Position, event: &IndexedEvent| {
            let view = event_view(event).ok().filter(|view| filter.admits(view))?;
            sse::Event::default().id(format!("{}:{}", position.0, position.1)).json_data(view).ok()
        };
        // The next position to deliver, once there is one.
        let mut next = resume;
        if let Some(from) = next {
            match replay(&node, from, &sender, &send).await {
                Some(position) => next = Some(position),
                None => return,
            }
        }
        while let Some(block) = blocks.next().await {
            match block {
                Ok(block) => {
                    for (index, event) in block.events.iter().enumerate() {
                        let position = (event.height.get(), index as u32);
                        if next.is_some_and(|next| position < next) {
                            continue;
                        }
                        next = Some((position.0, position.1 + 1));
                        if let Some(item) = send(position, event)
                            && sender.send(Ok(item)).await.is_err()
                        {
                            return;
                        }
                    }
                }
                // A slow reader missed blocks: catch up from storage.
                Err(_) => {
                    let from = next.unwrap_or((node.head().height.get(), 0));
                    match replay(&node, from, &sender, &send).await {
                        Some(position) => next = Some(position),
                        None => return,
                    }
                }
            }
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(receiver);
    Ok(Sse::new(stream).keep_alive(sse::KeepAlive::default()))
}

/// Sends the stored events from `from` on, a page at a time; returns the position after the last
/// one, or `None` once the client has gone.
async fn replay(
    node: &Node,
    from: Position,
    sender: &tokio::sync::mpsc::Sender<Result<sse::Event, std::convert::Infallible>>,
    send: &impl Fn(Position, &IndexedEvent) -> Option<sse::Event>,
) -> Option<Position> {
    const PAGE: usize = 256;
    let mut next = from;
    loop {
        let page = node.storage().events_from(Height(next.0), next.1, PAGE).ok()?;
        for (index, event) in &page {
            let position = (event.height.get(), *index);
            next = (position.0, position.1 + 1);
            if let Some(item) = send(position, event) {
                sender.send(Ok(item)).await.ok()?;
            }
        }
        if page.len() < PAGE {
            return Some(next);
        }
    }
}

/// The base fee and suggested fee caps for the next block.
#[utoipa::path(get, path = "/fees", responses((status = 200, body = FeesView)))]
async fn fees_view(State(node): Shared) -> ApiResult<FeesView> {
    let snapshot = node.storage().snapshot().map_err(ApiError::internal)?;
    let base_fee = fees::query::base_fee(&snapshot).map_err(ApiError::internal)?;
    let params = fees::query::params(&snapshot).map_err(ApiError::internal)?;
    // Under the target one base unit wins inclusion; above it, offer a tenth of the base fee.
    let last_block_gas_used = node.head().gas_used;
    let busy = last_block_gas_used > params.gas_target();
    let suggested_tip =
        if busy { Amount::new(base_fee.get() / 10).max(Amount::new(1)) } else { Amount::new(1) };
    // Twice the base fee survives six consecutive full blocks (1.125^6 ≈ 2.03).
    let suggested_max_fee = base_fee.saturating_add(base_fee).saturating_add(suggested_tip);
    Ok(Json(FeesView {
        base_fee: base_fee.to_string(),
        suggested_tip: suggested_tip.to_string(),
        suggested_max_fee: suggested_max_fee.to_string(),
        gas: json(&params.gas)?,
        block_gas_limit: params.block_gas_limit,
        gas_target: params.gas_target(),
        elasticity_multiplier: params.elasticity_multiplier,
        base_fee_change_denominator: params.base_fee_change_denominator,
        min_base_fee: params.min_base_fee.to_string(),
        last_block_gas_used,
    }))
}

/// Chain id, head and node version.
#[utoipa::path(get, path = "/status", responses((status = 200, body = StatusView)))]
async fn status(State(node): Shared) -> ApiResult<StatusView> {
    let head = node.head();
    Ok(Json(StatusView {
        chain_id: head.chain_id.to_string(),
        height: head.height.get(),
        block_hash: head.hash().to_hex(),
        block_time_ms: head.time_ms,
        mempool_txs: node.mempool_size().0,
        version: env!("CARGO_PKG_VERSION").to_string(),
        dev_chain: node.config().dev_controls,
    }))
}

/// Liveness.
#[utoipa::path(get, path = "/health", responses((status = 200, description = "The node is up", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus metrics, OpenMetrics text format", content_type = "application/openmetrics-text", body = String)))]
async fn metrics(State(node): Shared) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        node.metrics().render(),
    )
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "OpenAPI 3 document", body = Object)))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
