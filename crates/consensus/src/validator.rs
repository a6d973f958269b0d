//! A validator process: the node's API and the consensus stack on Commonware's tokio runtime,
//! talking to the other validators over authenticated, encrypted p2p (ed25519 identities). Who
//! validates each epoch is the chain's choice; peers are dialed where the chain's candidacies say,
//! or where `validators.json` says for a peer the chain gives no usable address.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use atelier_node::Node;
use atelier_protocol::modules::staking::validators::MAX_VALIDATORS;
use commonware_codec::DecodeExt;
use commonware_cryptography::{ChaCha20Poly1305, Signer as _, ed25519};
use commonware_macros::select;
use commonware_p2p::{Address, AddressableManager, AddressableTrackedPeers, authenticated::lookup};
use commonware_runtime::{Clock, Metrics, Runner, Spawner, Supervisor, tokio as runtime};
use commonware_stream::{
    cups::{self, Cups},
    sake::{self, Sake},
};
use commonware_utils::{NZUsize, ordered::Map};

use crate::{
    Channels, Timing,
    engine::{CHANNELS, MAX_PEERS_PER_EPOCH, channel_quotas, max_message_size},
};

/// The namespace of the validators' p2p handshakes.
pub const P2P_NAMESPACE: &[u8] = b"atelier/p2p/v1";

/// A peer to dial: its consensus key and where it is reached.
#[derive(Clone, Debug)]
pub struct Peer {
    /// The ed25519 public key, 32 bytes.
    pub public_key: [u8; 32],
    /// Its p2p address.
    pub address: SocketAddr,
}

/// Everything a validator process needs besides its node.
#[derive(Clone, Debug)]
pub struct ValidatorConfig {
    /// The 32-byte seed of this validator's ed25519 key.
    pub key_seed: [u8; 32],
    /// The peers to dial first, by key (`validators.json`); a peer's address on chain wins.
    pub validators: Vec<Peer>,
    /// Where this validator listens for its peers.
    pub p2p_listen: SocketAddr,
    /// Where the node's HTTP API listens.
    pub api_listen: SocketAddr,
    /// The consensus stack's own storage (journals, archives of final blocks).
    pub consensus_dir: PathBuf,
    /// Consensus timeouts.
    pub timing: Timing,
    /// Threads of the runtime.
    pub worker_threads: usize,
}

/// Why a validator stopped.
#[derive(Debug, thiserror::Error)]
pub enum ValidatorError {
    /// The configuration is unusable.
    #[error("validator configuration: {0}")]
    Config(String),
    /// The consensus stack did not start.
    #[error(transparent)]
    Start(#[from] crate::StartError),
    /// The node halted: a fault that must not be built upon.
    #[error("node halted: {0}")]
    Halted(String),
    /// The API or the consensus engine stopped unexpectedly.
    #[error("{0}")]
    Stopped(String),
}

/// The consensus public key of the validator with `seed`, as 32 bytes.
pub fn public_key_of(seed: &[u8; 32]) -> Result<[u8; 32], ValidatorError> {
    let key = private_key(seed)?;
    Ok(bytes_of(&key.public_key()))
}

fn private_key(seed: &[u8; 32]) -> Result<ed25519::PrivateKey, ValidatorError> {
    ed25519::PrivateKey::decode(bytes::BytesMut::from(seed.as_slice()))
        .map_err(|e| ValidatorError::Config(format!("validator key: {e}")))
}

fn public_key(bytes: &[u8; 32]) -> Result<ed25519::PublicKey, ValidatorError> {
    ed25519::PublicKey::decode(bytes::BytesMut::from(bytes.as_slice()))
        .map_err(|e| ValidatorError::Config(format!("validator public key: {e}")))
}

fn bytes_of(key: &ed25519::PublicKey) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(key.as_ref());
    bytes
}

/// Runs the validator until ctrl-c, or until the node halts. `ready` is called with the API's
/// address once it listens. Blocks the calling thread: the runtime is its own.
pub fn run(
    node: Arc<Node>,
    config: ValidatorConfig,
    ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> Result<(), ValidatorError> {
    let signer = private_key(&config.key_seed)?;
    let mut dialing = BTreeMap::new();
    for peer in &config.validators {
        dialing.insert(public_key(&peer.public_key)?, peer.address);
    }
    let runner = runtime::Runner::new(
        runtime::Config::new()
            .with_worker_threads(config.worker_threads.max(1))
            .with_storage_directory(config.consensus_dir.clone()),
    );
    runner.start(move |context| async move {
        let api = tokio::net::TcpListener::bind(config.api_listen)
            .await
            .map_err(|e| ValidatorError::Config(format!("binding the API to {}: {e}", config.api_listen)))?;
        let api_addr = api.local_addr().map_err(|e| ValidatorError::Config(e.to_string()))?;

        let handshake = Cups::<_, ChaCha20Poly1305>::new(
            Sake {
                signer: signer.clone(),
                synchrony_bound: Duration::from_secs(5),
                max_handshake_age: Duration::from_secs(10),
                version: sake::Version::V1,
            },
            cups::Version::V1,
        );
        let all_private = config.validators.iter().all(|peer| is_private(&peer.address));
        // Loopback and private addresses (a local network) get the quick-to-connect settings.
        let settings = if all_private { lookup::Config::local } else { lookup::Config::recommended };
        let mut p2p = settings(
            handshake,
            P2P_NAMESPACE,
            config.p2p_listen,
            NZUsize!(MAX_PEERS_PER_EPOCH),
            max_message_size(MAX_VALIDATORS),
            NZUsize!(4_096),
        );
        // The epoch under way and the one before (whose last certificates may still arrive).
        p2p.tracked_peer_sets = NZUsize!(2);
        let (mut network, oracle) = lookup::Network::new(context.child("p2p"), p2p);
        let channels = Channels::from_pairs(
            CHANNELS.iter().zip(channel_quotas()).map(|(&channel, quota)| network.register(channel, quota)),
        )
        .ok_or_else(|| ValidatorError::Config("too few p2p channels".into()))?;
        network.start();

        let peer_sets = AddressedPeers { oracle: oracle.clone(), dialing };
        let engine = crate::start(
            context.child("consensus"),
            node.clone(),
            signer,
            channels,
            oracle.clone(),
            oracle,
            peer_sets,
            "atelier",
            &config.timing,
        )
        .await?;

        let (stop_api, api_stopped) = futures::channel::oneshot::channel::<()>();
        let server = tokio::spawn(node.clone().serve(api, async move {
            let _ = api_stopped.await;
        }));
        ready(api_addr);
        count_peers(context.child("peers"), node.clone());

        let outcome = select! {
            _ = tokio::signal::ctrl_c() => Ok(()),
            reason = node.halted() => Err(ValidatorError::Halted(reason)),
            _ = engine => Err(ValidatorError::Stopped("the consensus engine stopped".into())),
        };
        let _ = stop_api.send(());
        let _ = server.await;
        outcome
    })
}

/// The p2p layer's peer sets, with each peer's address: where the chain says it is reached, else
/// where `validators.json` says (the addresses a validator dials first).
struct AddressedPeers {
    oracle: lookup::Oracle<ed25519::PublicKey>,
    dialing: BTreeMap<ed25519::PublicKey, SocketAddr>,
}

impl AddressedPeers {
    fn addressed(
        &self,
        peers: Vec<crate::Peer>,
        except: &[ed25519::PublicKey],
    ) -> Map<ed25519::PublicKey, Address> {
        let mut addressed = BTreeMap::new();
        for (key, chain_address) in peers {
            if except.contains(&key) {
                continue;
            }
            match chain_address.or_else(|| self.dialing.get(&key).copied()) {
                Some(address) => {
                    addressed.insert(key, Address::from(address));
                }
                None => {
                    tracing::warn!(?key, "a peer has no usable p2p address on chain or in validators.json")
                }
            }
        }
        addressed.into_iter().collect::<Vec<_>>().try_into().unwrap_or_default()
    }
}

impl crate::PeerSets for AddressedPeers {
    fn track(&mut self, epoch: u64, validators: Vec<crate::Peer>, followers: Vec<crate::Peer>) {
        let keys: Vec<ed25519::PublicKey> = validators.iter().map(|(key, _)| key.clone()).collect();
        let primary = self.addressed(validators, &[]);
        let secondary = self.addressed(followers, &keys);
        let _ = self.oracle.track(epoch, AddressableTrackedPeers::new(primary, secondary));
    }
}

fn is_private(address: &SocketAddr) -> bool {
    match address.ip() {
        std::net::IpAddr::V4(ip) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        std::net::IpAddr::V6(ip) => ip.is_loopback(),
    }
}

/// Keeps the node's peers gauge up to date from the p2p layer's own metrics.
fn count_peers<E: Spawner + Clock + Metrics + Supervisor>(context: E, node: Arc<Node>) {
    context.spawn(move |context| async move {
        loop {
            let encoded = context.encode();
            // The p2p layer keeps one series per connected peer: when it connected, in ms.
            let connected = encoded
                .lines()
                .filter(|line| line.contains("_connected{"))
                .filter(|line| {
                    line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).is_some_and(|v| v > 0.0)
                })
                .count();
            node.metrics().set_consensus_peers(connected as u64);
            context.sleep(Duration::from_secs(1)).await;
        }
    });
}
