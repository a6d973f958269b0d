//! The HTTP API's JSON vocabulary: request and response bodies, the error body, and the OpenAPI
//! schema of each. Amounts are decimal strings; hashes, keys and transaction bytes are hex.
//!
//! Types only: no logic lives here, so clients can depend on it without the node.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Every error response: a stable machine-readable `error` code, a message for people, and the
/// protocol's numeric code and the expected nonce where they apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable identifier, e.g. `rejected`, `not_found`, `bad_request`, `payload_too_large`.
    pub error: String,
    /// What went wrong, for people.
    pub message: String,
    /// The rejection's stable numeric code, when a transaction was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// The nonce the sender's next transaction must carry, when the nonce was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_nonce: Option<u64>,
}

/// `POST /txs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubmitTx {
    /// The signed transaction in its canonical encoding, hex.
    #[schema(pattern = "^([0-9a-f]{2})+$")]
    pub tx: String,
}

/// Where a transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TxStatus {
    /// In the mempool.
    Pending,
    /// In a committed block.
    Included,
}

/// Answer to `POST /txs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubmittedTx {
    /// The transaction hash.
    pub hash: String,
    /// `pending` on acceptance; `included` when `?wait=true` waited for the block.
    pub status: TxStatus,
    /// The block height, once included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
}

/// `GET /txs/{hash}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TxView {
    /// The transaction hash.
    pub hash: String,
    /// Pending or included.
    pub status: TxStatus,
    /// Block height, once included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    /// Position in the block, once included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// The decoded transaction.
    #[schema(value_type = Object)]
    pub tx: Value,
    /// The receipt, once included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub receipt: Option<Value>,
}

/// One holding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CoinView {
    /// Denomination, e.g. `ugdc`.
    pub denom: String,
    /// Base units, decimal.
    pub amount: String,
}

/// `GET /accounts/{address}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    /// bech32 address.
    pub address: String,
    /// The nonce of the sender's next transaction on chain (counting none of the pending ones).
    pub nonce: u64,
    /// The nonce a wallet should use next: after this account's pending transactions.
    pub next_nonce: u64,
    /// Non-zero holdings.
    pub balances: Vec<CoinView>,
}

/// `GET /blocks/latest`, `GET /blocks/{height}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlockView {
    /// Block hash.
    pub hash: String,
    /// The header.
    #[schema(value_type = Object)]
    pub header: Value,
    /// Transaction hashes, in order.
    pub txs: Vec<String>,
}

/// One event with its origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EventView {
    /// Block height.
    pub height: u64,
    /// Position of the transaction in the block; absent for end-of-block events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_index: Option<u32>,
    /// Transaction hash; absent for end-of-block events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_hash: Option<String>,
    /// The event.
    #[schema(value_type = Object)]
    pub event: Value,
}

/// One server-sent event of `GET /events/stream`, as an EventSource hands it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StreamEvent {
    /// `HEIGHT:INDEX`: the event's block and its position among the block's events; what
    /// `Last-Event-ID` resumes from.
    #[schema(pattern = "^[0-9]+:[0-9]+$")]
    pub id: String,
    /// The SSE event type (`message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// An [`EventView`] as JSON.
    #[schema(content_media_type = "application/json")]
    pub data: String,
}

/// A page of a history (`GET /accounts/{address}/events`, `GET /assets/{id}/events`): the events
/// naming an account or an asset, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HistoryPage {
    /// The events, newest first.
    pub items: Vec<EventView>,
    /// The next (older) page's cursor; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The last block whose events are indexed: the history of later blocks is still being
    /// indexed (it follows the chain within moments).
    pub indexed_height: u64,
}

/// `GET /accounts/{address}/totals`: running totals of an account's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountTotals {
    /// Every tally the node keeps, in a fixed order (zero when nothing added to it).
    pub tallies: Vec<Tally>,
    /// The last block whose events are counted.
    pub indexed_height: u64,
}

/// One running total of an account's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Tally {
    /// Its name (`earned_as_provider`).
    pub name: String,
    /// What it counts in: a denomination's base unit (`ugdc`) or a thing (`jobs`).
    pub unit: String,
    /// What it sums.
    pub about: String,
    /// The sum, decimal.
    pub value: String,
}

/// A page of a list: its entries in order and, when more follow, the cursor that reads the next
/// page (`?cursor=NEXT`). A cursor is opaque: pass it back as it is, to the list that gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The entries.
    pub items: Vec<T>,
    /// The next page's cursor; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// `GET /fees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeesView {
    /// Base fee per gas of the next block, decimal.
    pub base_fee: String,
    /// A tip per gas that gets a transaction into the next block under normal load, decimal.
    pub suggested_tip: String,
    /// A fee cap per gas that survives several full blocks of base-fee rises, decimal.
    pub suggested_max_fee: String,
    /// Gas per transaction and per message kind.
    #[schema(value_type = Object)]
    pub gas: Value,
    /// Most gas one block may use.
    pub block_gas_limit: u64,
    /// The gas a block aims at: `block_gas_limit / elasticity_multiplier`; above it the base fee
    /// rises, below it falls.
    pub gas_target: u64,
    /// The limit over the target.
    pub elasticity_multiplier: u64,
    /// The base fee moves by at most `1 / base_fee_change_denominator` per block.
    pub base_fee_change_denominator: u64,
    /// The base fee never falls below this, decimal.
    pub min_base_fee: String,
    /// Gas used by the last block.
    pub last_block_gas_used: u64,
}

/// `POST /txs/simulate`: what including the transaction in the next block would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SimulatedTx {
    /// The transaction hash.
    pub hash: String,
    /// What would happen.
    pub outcome: SimulatedOutcome,
    /// The stable code of a failure or rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// Why, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The position of the failing message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_index: Option<u32>,
    /// Gas it would be charged (when included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gas_used: Option<u64>,
    /// The gas its messages need under the current schedule, whatever the outcome: the gas limit
    /// that covers them (a transaction drafted with any limit learns it here).
    pub gas_needed: u64,
    /// Fee it would pay, base part and tip, decimal (when included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    /// Events it would emit: the fee charge, then, if applied, the messages' events.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Value>,
}

/// What including a transaction would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SimulatedOutcome {
    /// Included, every message taking effect.
    Applied,
    /// Included and its fee charged, but a message broke a rule and none took effect.
    Failed,
    /// Left out of the block: nothing charged.
    Rejected,
}

impl SimulatedTx {
    /// Whether it was left out only because its nonce was taken (`auth`'s `NonceTooLow`, code 8):
    /// another transaction of the sender's is pending or included with it. Signed again with the
    /// next nonce, it would be simulated afresh.
    pub fn nonce_taken(&self) -> bool {
        self.outcome == SimulatedOutcome::Rejected && self.code == Some(8)
    }
}

/// `POST /blobs`: the blob as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BlobStored {
    /// Its hash (BLAKE3 under the `atelier/blob` domain), hex: what a job or an asset names it by.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub hash: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its media type, from its bytes (`image/png`, `application/json`, `text/plain; charset=utf-8`, …).
    pub content_type: String,
    /// Whether this upload added it (false: the node held it already).
    pub created: bool,
}

/// `POST /dev/mine`: the blocks mined, by height (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Mined {
    /// The first block mined.
    pub from_height: u64,
    /// The last.
    pub to_height: u64,
}

/// `POST /dev/snapshot`: a snapshot of a dev chain's state, which `POST /dev/revert?id=` puts
/// back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevSnapshot {
    /// Its id.
    pub id: u64,
    /// The head it was taken at.
    pub height: u64,
    /// The state root then, hex.
    pub state_root: String,
}

/// A named account of a dev chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevAccountView {
    /// Its name: `devN` for the published dev mnemonic's account N.
    pub name: String,
    /// Its address.
    pub address: String,
}

/// The head of a dev chain after a revert or a load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevHead {
    /// Its height.
    pub height: u64,
    /// Its state root, hex.
    pub state_root: String,
}

/// `POST /dev/set-balance`: what an account should hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SetBalance {
    /// The account, bech32.
    #[schema(pattern = "^atelier1[02-9ac-hj-np-z]{38}$")]
    pub address: String,
    /// `ugdc` or `uusd`.
    #[schema(pattern = "^(ugdc|uusd)$")]
    pub denom: String,
    /// Base units, decimal.
    #[schema(pattern = "^[0-9]{1,39}$")]
    pub amount: String,
}

/// `GET /dev/dump`, `POST /dev/load`: a dev chain's whole state at its head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StateDump {
    /// `atelier-state/1`.
    pub format: String,
    /// The chain it is of (a dump loads only into the same chain).
    pub chain_id: String,
    /// The head's height.
    pub height: u64,
    /// The head's state root, hex: the entries hash to it.
    pub state_root: String,
    /// The head header's canonical bytes, hex.
    #[schema(pattern = "^([0-9a-f]{2})+$")]
    pub header: String,
    /// Every state entry as `[key, value]`, hex, in key order.
    pub entries: Vec<[String; 2]>,
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` whenever the node answers.
    pub status: String,
}

/// `GET /status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusView {
    /// The chain id.
    pub chain_id: String,
    /// Height of the last committed block.
    pub height: u64,
    /// Its hash.
    pub block_hash: String,
    /// Its time, milliseconds since the Unix epoch.
    pub block_time_ms: u64,
    /// Transactions waiting in the mempool.
    pub mempool_txs: usize,
    /// Node version.
    pub version: String,
    /// Whether this is a dev chain (`/dev` controls and named accounts).
    #[serde(default)]
    pub dev_chain: bool,
}

/// One figure of the economy the node records after every block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MetricView {
    /// Its name; a per-class figure's series are named `{name}/{class}`.
    pub name: String,
    /// What it counts: `ugdc`, `uusd`, `uusd/ugdc×1e12` (a price), `gas`, `compute units`, `bps`,
    /// `count`, `epochs` or `reputation`.
    pub unit: String,
    /// `gauge` (the value after the block) or `total` (since genesis; differences are what
    /// happened in between).
    pub kind: String,
    /// One series per compute class.
    pub per_class: bool,
    /// What it means.
    pub doc: String,
}

/// `GET /stats/metrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MetricsView {
    /// The chain's head.
    pub head: u64,
    /// The last block whose figures are recorded (none before the series are rebuilt).
    pub series_head: Option<u64>,
    /// Whether figures are recorded as blocks commit; when not, `atelier stats rebuild` brings
    /// them up to the chain.
    pub recording: bool,
    /// Every figure.
    pub metrics: Vec<MetricView>,
    /// The compute classes at the series head, for the per-class series.
    pub classes: Vec<String>,
    /// Every series' value at the series head, a decimal integer in its metric's unit.
    pub latest: std::collections::BTreeMap<String, String>,
    /// Blocks between points at each resolution kept, finest first, and how many blocks back each
    /// reaches (none: all).
    pub resolutions: Vec<ResolutionView>,
}

/// One resolution of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResolutionView {
    /// Blocks between points.
    pub every: u64,
    /// Blocks of history kept (none: all).
    pub keep: Option<u64>,
}

/// A figure at a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PointView {
    /// The block.
    pub height: u64,
    /// Its time, milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// The figure, a decimal integer in the metric's unit.
    pub value: String,
}

/// `GET /stats/series`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SeriesView {
    /// The series asked for.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// `gauge` or `total`.
    pub kind: String,
    /// Blocks between points: the step asked for, raised to the resolution kept that far back and
    /// to at most 2 000 points.
    pub step: u64,
    /// The last figure of each step, oldest first.
    pub points: Vec<PointView>,
}

/// `GET /state/{keys}`: state entries as of one block, each with its proof when asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StateView {
    /// Height of the block whose state this is.
    pub height: u64,
    /// That block's hash: what a client trusts, from a finality certificate or its own records.
    pub block_hash: String,
    /// The block's header, canonical bytes in hex: they hash to `block_hash` and hold the state
    /// root the proofs lead to.
    pub header_hex: String,
    /// The same header, readable.
    #[schema(value_type = Object)]
    pub header: Value,
    /// The header's state root.
    pub state_root: String,
    /// The keys asked for, in the order asked.
    pub entries: Vec<StateEntryView>,
    /// Under validators, with `prove=true`: the certificate that finalized the block, which a
    /// client checks against the validator set it trusts (`atelier query … --prove
    /// --validator-set FILE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalization: Option<FinalizationView>,
}

/// A block's finalization certificate: a quorum of an epoch's validators signed the block hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FinalizationView {
    /// The epoch whose validators signed it.
    pub epoch: u64,
    /// The consensus view that finalized the block.
    pub view: u64,
    /// The certificate as the consensus engine encodes it (Commonware simplex, ed25519), hex.
    pub certificate_hex: String,
}

/// A read route's answer and, with `prove=true`, the proof of every state entry it was computed
/// from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Proven<T> {
    /// The answer.
    #[serde(flatten)]
    pub value: T,
    /// With `prove=true`: the header the answer was read at, and every state entry the answer was
    /// computed from (each key the query read, present or absent) with its proof against that
    /// header's state root. A client checks the proofs, re-runs the query over these entries
    /// alone and compares; see "Proven answers" in ARCHITECTURE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<StateView>,
}

/// One state key's value, and its proof when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StateEntryView {
    /// The key, hex.
    pub key: String,
    /// The value, hex; `null` when the key is absent.
    pub value: Option<String>,
    /// The proof of the value (or of the absence) against the state root, with `prove=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<StateProofView>,
}

/// A state trie proof: the hashes beside the key's path, from the root down, and the leaf the
/// path ends in. See the state trie in ARCHITECTURE for how to check one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StateProofView {
    /// Sibling hashes, hex, from the root down.
    pub siblings: Vec<String>,
    /// The leaf the path ends in: the key's own (present) or another key's (absent); `null` when
    /// the path ends empty (absent).
    pub end: Option<TrieLeafView>,
}

/// A leaf of the state trie: the hashes of its key and of its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrieLeafView {
    /// The key's hash, hex.
    pub key_hash: String,
    /// The value's hash, hex.
    pub value_hash: String,
}
