//! An agent's view of the chain through a node's public API: typed reads of jobs and models,
//! blobs checked against their hashes, and transactions signed by the agent's key, simulated
//! first, sent one at a time with the account's next nonce.

use std::time::Duration;

use atelier_client::{Client, ClientError};
use atelier_primitives::{Address, Encode, Hash, Height, SecretKey};
use atelier_protocol::{
    Msg, Tx,
    modules::{compute::Job, fees::GasSchedule, registry::Model},
};

/// Why a call to the chain failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The node answered with an error, or could not be reached.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The node answered something the agent cannot read.
    #[error("unexpected answer: {0}")]
    Unexpected(String),
    /// The blob is not on the node.
    #[error("the node holds no blob {0}")]
    MissingBlob(Hash),
    /// The node served bytes that are not the blob.
    #[error("the node served bytes for {expected} that hash to {actual}")]
    WrongBlob {
        /// The hash asked for.
        expected: Hash,
        /// What the bytes hash to.
        actual: Hash,
    },
    /// Another transaction of the account took the nonce, again and again; nothing was sent.
    #[error("another sender of this key kept taking the next nonce; nothing was sent")]
    NonceTaken,
    /// Simulation says the transaction would fail or be refused; nothing was sent.
    #[error("refused before sending: {reason} (code {code:?}, message {msg_index:?})")]
    WouldFail {
        /// The stable code.
        code: Option<u32>,
        /// Why.
        reason: String,
        /// The failing message, if one.
        msg_index: Option<u32>,
    },
    /// The transaction was included but failed (its fee was paid).
    #[error("included but failed: {0}")]
    Failed(String),
}

/// How often a sender asks whether the node holds its transaction yet.
const NONCE_POLL: Duration = Duration::from_millis(2);

/// Times a transaction is signed again when another sender took its nonce.
const NONCE_RETRIES: u32 = 3;

/// What a sent transaction became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// Its hash.
    pub hash: String,
    /// Its block.
    pub height: u64,
}

/// A node, and the key an agent signs with.
#[derive(Debug)]
pub struct Chain {
    client: Client,
    key: SecretKey,
    address: Address,
    /// Held while a transaction is built and sent, so that nonces follow one another.
    sending: tokio::sync::Mutex<()>,
}

impl Chain {
    /// The node at `base`, signing with `key`.
    pub fn new(base: &str, key: SecretKey) -> Chain {
        let address = key.public_key().address();
        Chain { client: Client::new(base), key, address, sending: tokio::sync::Mutex::new(()) }
    }

    /// The agent's account.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    async fn read<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Option<T>, ChainError> {
        match self.client.read(path).await {
            Ok(value) => {
                serde_json::from_value(value).map(Some).map_err(|e| ChainError::Unexpected(e.to_string()))
            }
            Err(ClientError::Api { status: 404, .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Fails, saying what to do, unless the agent's account is a registered provider (providers
    /// serve jobs; verifiers must be providers of the class they check).
    pub async fn require_provider(&self) -> Result<(), String> {
        match self.client.read(&format!("/compute/providers/{}", self.address)).await {
            Ok(_) => Ok(()),
            Err(ClientError::Api { status: 404, .. }) => Err(format!(
                "{} is not a registered provider: register it first (atelier tx compute register-provider)",
                self.address
            )),
            Err(error) => Err(format!("reaching the node: {error}")),
        }
    }

    /// A job, or `None` if there is no such job.
    pub async fn job(&self, id: u64) -> Result<Option<Job>, ChainError> {
        self.read(&format!("/compute/jobs/{id}")).await
    }

    /// A model, or `None`.
    pub async fn model(&self, id: u64) -> Result<Option<Model>, ChainError> {
        self.read(&format!("/registry/models/{id}")).await
    }

    /// The head's height.
    pub async fn height(&self) -> Result<u64, ChainError> {
        Ok(self.client.status().await?.height)
    }

    /// The head's height and the average time between its last blocks (`None` until there are
    /// two blocks to compare).
    pub async fn pace(&self) -> Result<(u64, Option<Duration>), ChainError> {
        /// Blocks the average is taken over.
        const SAMPLE: u64 = 16;
        let status = self.client.status().await?;
        let from = status.height.saturating_sub(SAMPLE).max(1);
        if from >= status.height {
            return Ok((status.height, None));
        }
        let earlier = self.client.read(&format!("/blocks/{from}")).await?;
        let interval = earlier["header"]["time_ms"].as_u64().map(|then| {
            Duration::from_millis(status.block_time_ms.saturating_sub(then) / (status.height - from))
        });
        Ok((status.height, interval))
    }

    /// The blob `hash`, checked against it. The zero hash is the empty blob (no parameters).
    pub async fn blob(&self, hash: &Hash) -> Result<Vec<u8>, ChainError> {
        if *hash == Hash::ZERO {
            return Ok(Vec::new());
        }
        let Some((bytes, _)) = self.client.get_blob(&hash.to_hex()).await? else {
            return Err(ChainError::MissingBlob(*hash));
        };
        let actual = Hash::blob(&bytes);
        if actual != *hash {
            return Err(ChainError::WrongBlob { expected: *hash, actual });
        }
        Ok(bytes)
    }

    /// Stores `bytes` in the node's blob store; returns their hash.
    pub async fn put_blob(&self, bytes: Vec<u8>) -> Result<Hash, ChainError> {
        let hash = Hash::blob(&bytes);
        self.client.put_blob(bytes, Some(&hash.to_hex())).await?;
        Ok(hash)
    }

    /// Signs `msgs` into one transaction with the next nonce, simulates it, and sends it if it
    /// would apply, waiting for its block. Transactions sent meanwhile need not wait for this one's
    /// block: the next nonce counts the pending ones.
    pub async fn send(&self, msgs: Vec<Msg>) -> Result<Included, ChainError> {
        let submitted = self.submit(msgs, true).await?;
        let height = submitted
            .height
            .ok_or_else(|| ChainError::Unexpected("no height for a waited transaction".into()))?;
        let receipt = self.client.tx(&submitted.hash).await?.receipt.unwrap_or_default();
        if receipt["outcome"]["status"] == "failed" {
            return Err(ChainError::Failed(
                receipt["outcome"]["reason"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        Ok(Included { hash: submitted.hash, height })
    }

    /// As [`Chain::send`], without waiting: the transaction is pending when this returns.
    pub async fn send_pending(&self, msgs: Vec<Msg>) -> Result<String, ChainError> {
        Ok(self.submit(msgs, false).await?.hash)
    }

    /// Sends `msgs` with the account's next nonce; when another sender of the same account took
    /// that nonce meanwhile (a person using the key too), signs again with the next one.
    async fn submit(&self, msgs: Vec<Msg>, wait: bool) -> Result<atelier_api::SubmittedTx, ChainError> {
        let mut attempt = 0;
        loop {
            match self.submit_once(msgs.clone(), wait).await {
                Err(ChainError::Client(error)) if error.nonce_taken() && attempt < NONCE_RETRIES => {
                    attempt += 1
                }
                outcome => return outcome,
            }
        }
    }

    async fn submit_once(&self, msgs: Vec<Msg>, wait: bool) -> Result<atelier_api::SubmittedTx, ChainError> {
        let turn = self.sending.lock().await;
        let status = self.client.status().await?;
        let fees = self.client.fees().await?;
        let gas: GasSchedule = serde_json::from_value(fees.gas)
            .map_err(|e| ChainError::Unexpected(format!("gas schedule: {e}")))?;
        // The next nonce counts this account's pending transactions too.
        let nonce = self.client.account(&self.address.to_string()).await?.next_nonce;
        let unexpected = |what: &str| ChainError::Unexpected(what.to_owned());
        let tx = Tx {
            chain_id: status.chain_id.parse().map_err(|_| unexpected("chain id"))?,
            sender: self.key.public_key(),
            nonce,
            expiry_height: Height(status.height.saturating_add(100)),
            gas_limit: gas.tx_gas(&msgs),
            max_fee_per_gas: fees.suggested_max_fee.parse().map_err(|_| unexpected("max fee"))?,
            max_priority_fee_per_gas: fees.suggested_tip.parse().map_err(|_| unexpected("tip"))?,
            msgs,
        };
        let signed = tx.sign(&self.key);
        let hash = signed.hash().to_hex();
        let bytes = signed.to_bytes();
        let simulated = self.client.simulate(&bytes).await?;
        if simulated.nonce_taken() {
            return Err(ChainError::NonceTaken);
        }
        if simulated.outcome != atelier_api::SimulatedOutcome::Applied {
            return Err(ChainError::WouldFail {
                code: simulated.code,
                reason: simulated.reason.unwrap_or_else(|| format!("{:?}", simulated.outcome)),
                msg_index: simulated.msg_index,
            });
        }
        if !wait {
            return Ok(self.client.submit(&bytes, false).await?);
        }
        // The waited request goes on its own; the turn passes once the node holds the transaction
        // (the next nonce then counts it), not once it is in a block.
        let client = self.client.clone();
        let waited = tokio::spawn(async move { client.submit(&bytes, true).await });
        while !waited.is_finished() {
            match self.client.tx(&hash).await {
                Ok(_) => break,
                Err(ClientError::Api { status: 404, .. }) => tokio::time::sleep(NONCE_POLL).await,
                Err(error) => return Err(error.into()),
            }
        }
        drop(turn);
        Ok(waited.await.map_err(|e| ChainError::Unexpected(e.to_string()))??)
    }
}
