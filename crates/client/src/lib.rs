//! A typed client for the node's HTTP API. It speaks only the `atelier-api` vocabulary: it does
//! not depend on the protocol, so a transaction is sent as its canonical bytes.

use atelier_api::{
    AccountView, BlobStored, BlockView, CoinView, DevHead, DevSnapshot, ErrorBody, EventView, FeesView,
    Mined, Page, SetBalance, SimulatedTx, StateDump, StateView, StatusView, SubmitTx, SubmittedTx, TxView,
};
use serde::de::DeserializeOwned;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node answered with an error body.
    #[error("{status}: {} ({})", body.message, body.error)]
    Api {
        /// HTTP status.
        status: u16,
        /// The node's error body.
        body: ErrorBody,
    },
    /// The node could not be reached, or answered something that is not the API.
    #[error("transport: {0}")]
    Transport(String),
}

impl ClientError {
    /// Whether a transaction was refused for its nonce only: another transaction of the same
    /// account took it meanwhile (pending or included). Signed again with the next nonce, it
    /// would be accepted.
    pub fn nonce_taken(&self) -> bool {
        match self {
            ClientError::Api { body, .. } => {
                body.error == "replacement_underpriced"
                    || (body.error == "rejected" && body.expected_nonce.is_some())
            }
            ClientError::Transport(_) => false,
        }
    }
}

/// A client for one node.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    /// A client for the node at `base` (e.g. `http://127.0.0.1:26657`).
    pub fn new(base: impl Into<String>) -> Self {
        Client { base: base.into().trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let response = self.http.get(format!("{}{path}", self.base)).send().await.map_err(transport)?;
        decode(response).await
    }

    /// Submits a signed transaction (canonical bytes); with `wait`, returns once it is included.
    pub async fn submit(&self, tx_bytes: &[u8], wait: bool) -> Result<SubmittedTx, ClientError> {
        let body = SubmitTx { tx: atelier_primitives::hash::hex_encode(tx_bytes) };
        let url = format!("{}/txs?wait={wait}", self.base);
        let response = self.http.post(url).json(&body).send().await.map_err(transport)?;
        decode(response).await
    }

    /// Dev chains: mines `blocks` blocks now and returns once they are committed.
    pub async fn dev_mine(&self, blocks: u64) -> Result<Mined, ClientError> {
        let url = format!("{}/dev/mine?blocks={blocks}", self.base);
        decode(self.http.post(url).send().await.map_err(transport)?).await
    }

    /// Dev chains: keeps the state as it is now; [`Client::dev_revert`] puts it back.
    pub async fn dev_snapshot(&self) -> Result<DevSnapshot, ClientError> {
        let url = format!("{}/dev/snapshot", self.base);
        decode(self.http.post(url).send().await.map_err(transport)?).await
    }

    /// Dev chains: puts snapshot `id` back (and forgets it and every later one).
    pub async fn dev_revert(&self, id: u64) -> Result<DevHead, ClientError> {
        let url = format!("{}/dev/revert?id={id}", self.base);
        decode(self.http.post(url).send().await.map_err(transport)?).await
    }

    /// Dev chains: the whole state at the head.
    pub async fn dev_dump(&self) -> Result<StateDump, ClientError> {
        self.get("/dev/dump").await
    }

    /// Dev chains: makes a dump's state and head the chain's.
    pub async fn dev_load(&self, dump: &StateDump) -> Result<DevHead, ClientError> {
        let url = format!("{}/dev/load", self.base);
        decode(self.http.post(url).json(dump).send().await.map_err(transport)?).await
    }

    /// Dev chains: makes an account hold exactly an amount; returns the balance now.
    pub async fn dev_set_balance(&self, wanted: &SetBalance) -> Result<CoinView, ClientError> {
        let url = format!("{}/dev/set-balance", self.base);
        decode(self.http.post(url).json(wanted).send().await.map_err(transport)?).await
    }

    /// What including a signed transaction (canonical bytes) in the next block would do; nothing
    /// is kept or charged.
    pub async fn simulate(&self, tx_bytes: &[u8]) -> Result<SimulatedTx, ClientError> {
        let body = SubmitTx { tx: atelier_primitives::hash::hex_encode(tx_bytes) };
        let url = format!("{}/txs/simulate", self.base);
        decode(self.http.post(url).json(&body).send().await.map_err(transport)?).await
    }

    /// A transaction by hash.
    pub async fn tx(&self, hash: &str) -> Result<TxView, ClientError> {
        self.get(&format!("/txs/{hash}")).await
    }

    /// An account.
    pub async fn account(&self, address: &str) -> Result<AccountView, ClientError> {
        self.get(&format!("/accounts/{address}")).await
    }

    /// State entries by key as of the block at `height` (the head when `None`), each with its
    /// proof when `prove`.
    pub async fn state(
        &self,
        keys: &[Vec<u8>],
        height: Option<u64>,
        prove: bool,
    ) -> Result<StateView, ClientError> {
        let keys: Vec<String> = keys.iter().map(|key| atelier_primitives::hash::hex_encode(key)).collect();
        let mut path = format!("/state/{}?prove={prove}", keys.join(","));
        if let Some(height) = height {
            path.push_str(&format!("&height={height}"));
        }
        self.get(&path).await
    }

    /// The latest block.
    pub async fn latest_block(&self) -> Result<BlockView, ClientError> {
        self.get("/blocks/latest").await
    }

    /// A block by height.
    pub async fn block(&self, height: u64) -> Result<BlockView, ClientError> {
        self.get(&format!("/blocks/{height}")).await
    }

    /// The first page of events from `from_height` on.
    pub async fn events(&self, from_height: u64, limit: usize) -> Result<Page<EventView>, ClientError> {
        self.get(&format!("/events?from_height={from_height}&limit={limit}")).await
    }

    /// The page of events after `cursor` (a page's `next`).
    pub async fn events_after(&self, cursor: &str, limit: usize) -> Result<Page<EventView>, ClientError> {
        self.get(&format!("/events?cursor={cursor}&limit={limit}")).await
    }

    /// Fees for the next block.
    pub async fn fees(&self) -> Result<FeesView, ClientError> {
        self.get("/fees").await
    }

    /// A read route's answer as JSON (`path` from the root, e.g. `/compute/classes`): the module
    /// routes answer protocol records, which this client does not type.
    pub async fn read(&self, path: &str) -> Result<serde_json::Value, ClientError> {
        self.get(path).await
    }

    /// Chain status.
    pub async fn status(&self) -> Result<StatusView, ClientError> {
        self.get("/status").await
    }

    /// Stores `bytes` in the node's blob store; with `declared`, refused unless they have that
    /// hash (hex).
    pub async fn put_blob(&self, bytes: Vec<u8>, declared: Option<&str>) -> Result<BlobStored, ClientError> {
        let query = declared.map(|hash| format!("?hash={hash}")).unwrap_or_default();
        let url = format!("{}/blobs{query}", self.base);
        let request = self.http.post(url).header("content-type", "application/octet-stream").body(bytes);
        decode(request.send().await.map_err(transport)?).await
    }

    /// The blob with hash `hash` (hex) and its media type, or `None` if the node does not hold
    /// it. The caller checks the bytes against the hash: a node is not trusted to.
    pub async fn get_blob(&self, hash: &str) -> Result<Option<(Vec<u8>, String)>, ClientError> {
        let response =
            self.http.get(format!("{}/blobs/{hash}", self.base)).send().await.map_err(transport)?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return decode::<serde_json::Value>(response).await.map(|_| None);
        }
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = response.bytes().await.map_err(transport)?;
        Ok(Some((bytes.to_vec(), kind)))
    }

    /// A validator's state at its head, encoded, for a new validator to sync from
    /// (`GET /sync/snapshot`).
    pub async fn sync_snapshot(&self) -> Result<Vec<u8>, ClientError> {
        let response =
            self.http.get(format!("{}/sync/snapshot", self.base)).send().await.map_err(transport)?;
        if !response.status().is_success() {
            return decode::<serde_json::Value>(response).await.map(|_| Vec::new());
        }
        Ok(response.bytes().await.map_err(transport)?.to_vec())
    }
}

fn transport(error: reqwest::Error) -> ClientError {
    // reqwest's top-level message hides the cause ("error sending request"): keep the whole chain.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    ClientError::Transport(message)
}

async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, ClientError> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(transport)?;
    if status.is_success() {
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Transport(format!("unexpected answer: {e}")))
    } else {
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| ErrorBody {
            error: "http".into(),
            message: String::from_utf8_lossy(&bytes).into_owned(),
            code: None,
            expected_nonce: None,
        });
        Err(ClientError::Api { status: status.as_u16(), body })
    }
}
