//! One validator's consensus stack: simplex orders block digests, marshal turns them into
//! finalized blocks in height order (fetching what is missing from peers), buffered broadcast
//! carries block bodies, and [`ChainApp`] and [`Finalizer`] connect it all to the node.
//!
//! ```text
//!  simplex ──notarize/finalize──▶ Inline(ChainApp) ──▶ marshal ──finalized blocks──▶ Finalizer ──▶ node
//!     ▲  votes, certificates,        │ propose/verify      ▲ backfill (resolver)
//!     │  resolver channels           ▼                     │ block bodies (buffered broadcast)
//!  p2p ◀──────────────────────────────────────────────────┘
//! ```

use std::{
    num::{NonZeroU64, NonZeroUsize},
    sync::Arc,
    time::Duration,
};

use atelier_node::Node;
use atelier_protocol::{Block, modules::staking};
use commonware_broadcast::buffered;
use commonware_codec::Decode as _;
use commonware_consensus::{
    Reporters,
    marshal::{
        self,
        core::Actor as MarshalActor,
        resolver::p2p as marshal_resolver,
        standard::{Inline, Standard},
    },
    simplex::{
        self,
        config::{ForwardPolicy, SkipPolicy},
        elector::RoundRobin,
        scheme::ed25519::Scheme,
        types::Finalization,
    },
    types::{Epoch, Epocher, FixedEpocher, Height, ViewDelta},
};
use commonware_cryptography::{Digested, Digestible, Sha256, certificate::Verifier as _, ed25519};
use commonware_macros::select;
use commonware_p2p::{
    Blocker, Provider, Receiver, Sender,
    utils::mux::{Builder as _, MuxHandle, Muxer},
};
use commonware_parallel::Sequential;
use commonware_runtime::{
    Clock, Handle, Metrics, Quota, Spawner, Storage, Supervisor, buffer::paged::CacheRef,
};
use commonware_storage::archive::immutable;
use commonware_utils::{NZDuration, NZU16, NZU32, NZU64, NZUsize, vec::NonEmptyVec};

use crate::{
    application::ChainApp,
    block::{ChainBlock, digest_of},
    epochs::{EpochProvider, EpochSet, consensus_key},
    evidence::Evidence,
    finalizer::Finalizer,
    participation::VoteLog,
};

/// The namespace every consensus signature of the chain is taken under.
pub const NAMESPACE: &[u8] = b"atelier/consensus/v1";

/// Keeps the p2p layer's peer sets, one per epoch: the epoch's validators as primary peers and
/// the candidates that follow it as secondary ones, with where the chain says each is reached.
pub trait PeerSets: Send + 'static {
    /// Tracks `epoch`'s peers (epochs only ascend).
    fn track(&mut self, epoch: u64, validators: Vec<Peer>, followers: Vec<Peer>);
}

/// A peer as the chain names it: its consensus key and, if it parses, its p2p address.
pub type Peer = (ed25519::PublicKey, Option<std::net::SocketAddr>);

/// Most peers of one epoch's peer set, this validator included: the epoch's validators first,
/// then followers while room is left. The p2p layer sizes every channel's inbound mailbox by it,
/// with the channel quotas, so both are kept small (1 024 peers and 2 000 votes a second made a
/// validator process 4.6 GB; 32 and 256, about 100 MB with the node's own).
pub const MAX_PEERS_PER_EPOCH: usize = 32;

/// Timeouts and sizes of the consensus stack.
#[derive(Clone, Debug)]
pub struct Timing {
    /// How long a view waits for its leader's proposal.
    pub leader_timeout: Duration,
    /// How long a view waits for a notarized proposal to be certified.
    pub certification_timeout: Duration,
    /// How often a timed-out view re-broadcasts its nullify vote.
    pub timeout_retry: Duration,
    /// How long a fetch from a peer may take.
    pub fetch_timeout: Duration,
    /// The least time between a block and its child: an idle chain makes a block this often.
    /// Below the leader timeout, or views time out waiting for proposals.
    pub min_block_interval: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            leader_timeout: Duration::from_secs(2),
            certification_timeout: Duration::from_secs(3),
            timeout_retry: Duration::from_millis(500),
            fetch_timeout: Duration::from_secs(2),
            min_block_interval: Duration::from_millis(250),
        }
    }
}

/// The p2p channels one validator needs, each a (sender, receiver) pair.
pub struct Channels<S, R> {
    /// Votes.
    pub votes: (S, R),
    /// Certificates.
    pub certificates: (S, R),
    /// Consensus resolver (missing certificates).
    pub resolver: (S, R),
    /// Marshal backfill (missing blocks).
    pub backfill: (S, R),
    /// Block bodies.
    pub blocks: (S, R),
    /// Transactions relayed between validators.
    pub txs: (S, R),
}

impl<S, R> Channels<S, R> {
    /// The channels from (sender, receiver) pairs in the order of [`CHANNELS`]; `None` if there
    /// are fewer.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (S, R)>) -> Option<Self> {
        let mut pairs = pairs.into_iter();
        Some(Channels {
            votes: pairs.next()?,
            certificates: pairs.next()?,
            resolver: pairs.next()?,
            backfill: pairs.next()?,
            blocks: pairs.next()?,
            txs: pairs.next()?,
        })
    }
}

/// Channel numbers, in the order of [`Channels`].
pub const CHANNELS: [u64; 6] = [0, 1, 2, 3, 4, 5];

/// Messages per second each peer may send on each channel, in the order of [`CHANNELS`]. The
/// p2p layer holds a burst of this many from every peer in a channel's inbound mailbox, so a
/// channel of large messages (blocks, relayed transactions) gets a small quota: memory stays
/// bounded whatever peers send.
pub fn channel_quotas() -> [Quota; 6] {
    [
        // Votes and certificates: a few per view, a few views a second.
        Quota::per_second(NZU32!(256)),
        Quota::per_second(NZU32!(256)),
        // Missing certificates, fetched on demand.
        Quota::per_second(NZU32!(200)),
        // Missing blocks, up to MAX_BLOCK_BYTES each.
        Quota::per_second(NZU32!(16)),
        // Block bodies: one per view the peer leads.
        Quota::per_second(NZU32!(32)),
        // Relayed transactions, up to `relay::MAX_RELAY_TXS` each.
        Quota::per_second(NZU32!(20)),
    ]
}

/// What a runtime context must offer the stack.
pub trait Runtime:
    Spawner + Supervisor + Clock + Metrics + Storage + commonware_rand::CryptoRng + Send + 'static
{
}
impl<E: Spawner + Supervisor + Clock + Metrics + Storage + commonware_rand::CryptoRng + Send + 'static>
    Runtime for E
{
}

const PAGE_SIZE: std::num::NonZeroU16 = NZU16!(4_096);
const PAGE_CACHE_PAGES: NonZeroUsize = NZUsize!(1_024);
const IO_BUFFER: NonZeroUsize = NZUsize!(64 * 1024);
const MAILBOX: NonZeroUsize = NZUsize!(1_024);

/// Starts `node`'s validator: returns the handle of the epoch orchestrator, which runs one
/// simplex engine per epoch until the runtime stops or the handle is aborted. Who validates each
/// epoch is the chain's choice (`staking`'s validator sets): `key` signs in the epochs it is
/// chosen for and follows the others. Storage of the consensus stack lives under `partition`;
/// keep it across restarts (with the node's own database).
#[allow(clippy::too_many_arguments)]
pub async fn start<E, S, R, B, P, T>(
    runtime: E,
    node: Arc<Node>,
    key: ed25519::PrivateKey,
    channels: Channels<S, R>,
    blocker: B,
    peers: P,
    peer_sets: T,
    partition: &str,
    timing: &Timing,
) -> Result<Handle<()>, StartError>
where
    E: Runtime,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey> + Clone,
    P: Provider<PublicKey = ed25519::PublicKey> + Clone,
    T: PeerSets,
{
    use commonware_cryptography::Signer as _;
    let me = key.public_key();
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE_PAGES);
    let storage_error = |e: atelier_node::StorageError| StartError::Chain(e.to_string());
    let genesis_header = node
        .storage()
        .genesis_header()
        .map_err(storage_error)?
        .ok_or(StartError::Chain("no genesis".into()))?;
    if genesis_header.height.get() != 0 {
        return Err(StartError::Chain(format!(
            "consensus starts from a genesis at height 0, this chain's is at {}",
            genesis_header.height
        )));
    }
    let snapshot = node.storage().snapshot().map_err(storage_error)?;
    let epoch_blocks =
        staking::query::params(&snapshot).map_err(|e| StartError::Chain(e.to_string()))?.epoch_blocks;
    let Some(epoch_length) = NonZeroU64::new(epoch_blocks).filter(|length| length.get() > 1) else {
        return Err(StartError::Chain(format!(
            "epochs of {epoch_blocks} blocks are too short for consensus"
        )));
    };
    let provider = EpochProvider::new(node.clone(), key, epoch_blocks);
    // The chain keeps the set of the epoch under way (and of the next once chosen), not the
    // first one's: a validator restarted later reads the set of its head's next block.
    let next_epoch = node.head().height.get().saturating_add(1) / epoch_blocks;
    if provider.epoch(next_epoch).is_none() {
        return Err(StartError::Chain(
            "the genesis names no validators: a chain run by validators lists them as staking candidates"
                .into(),
        ));
    }
    let epocher = FixedEpocher::new(epoch_length);
    let genesis =
        ChainBlock::new(Block { header: genesis_header, txs: Vec::new(), evidence: Default::default() });
    let genesis_digest = genesis.digest();
    // A state synced from a peer starts marshal from its head's certificate, not from genesis.
    let start = match node.storage().synced_certificate().map_err(storage_error)? {
        None => marshal::Start::Genesis(Digested::precomputed(genesis, genesis_digest)),
        Some(bytes) => {
            let head_epoch = node.head().height.get() / epoch_blocks;
            let set = provider.epoch(head_epoch).ok_or_else(|| {
                StartError::Chain(format!("the synced state holds no set for epoch {head_epoch}"))
            })?;
            let finalization = Finalization::<Scheme, commonware_cryptography::sha256::Digest>::decode_cfg(
                bytes::Bytes::from(bytes),
                &set.scheme.certificate_codec_config(),
            )
            .map_err(|e| StartError::Chain(format!("the synced head's certificate does not decode: {e}")))?;
            marshal::Start::Floor(finalization)
        }
    };

    let (resolver_receiver, resolver) = marshal_resolver::init(
        runtime.child("marshal_resolver"),
        marshal_resolver::Config {
            public_key: me.clone(),
            peer_provider: peers.clone(),
            blocker: blocker.clone(),
            mailbox_size: MAILBOX,
            fetch_timeout: NZDuration!(timing.fetch_timeout),
            fetch_retry_delay: Duration::from_millis(100),
            priority_requests: false,
            priority_responses: false,
        },
        channels.backfill,
    );

    let (broadcast, buffer) = buffered::Engine::new(
        runtime.child("broadcast"),
        buffered::Config {
            public_key: me.clone(),
            mailbox_size: MAILBOX,
            deque_size: 10,
            priority: false,
            codec_config: (),
            peer_provider: peers.clone(),
            strategy: Sequential,
        },
    );
    broadcast.start(channels.blocks);

    let finalizations = immutable::Archive::init(
        runtime.child("finalizations_by_height"),
        archive_config(partition, "finalizations", &page_cache, Scheme::certificate_codec_config_unbounded()),
    )
    .await
    .map_err(|e| StartError::Storage(e.to_string()))?;
    let blocks = immutable::Archive::init(
        runtime.child("finalized_blocks"),
        archive_config(partition, "blocks", &page_cache, ()),
    )
    .await
    .map_err(|e| StartError::Storage(e.to_string()))?;

    let (marshal_actor, marshal_mailbox, _floor) =
        MarshalActor::<_, Standard<ChainBlock>, _, _, _, _, _>::init(
            runtime.child("marshal"),
            finalizations,
            blocks,
            marshal::Config {
                provider: provider.clone(),
                epocher: epocher.clone(),
                start,
                partition_prefix: format!("{partition}-marshal"),
                mailbox_size: MAILBOX,
                view_retention: ViewDelta::new(10),
                prunable_items_per_section: NZU64!(1_024),
                page_cache: page_cache.clone(),
                replay_buffer: IO_BUFFER,
                key_write_buffer: IO_BUFFER,
                value_write_buffer: IO_BUFFER,
                block_codec_config: (),
                max_repair: NZUsize!(16),
                max_pending_acks: NZUsize!(4),
                strategy: Sequential,
            },
        )
        .await;
    node.serve_certificates(Arc::new(crate::finality::MarshalCertificates(marshal_mailbox.clone())));
    let finalizer = Finalizer::start(runtime.child("finalizer"), node.clone());
    crate::relay::start(runtime.child("relay"), node.clone(), channels.txs);
    marshal_actor.start(finalizer, buffer, (resolver_receiver, resolver));

    let votes = VoteLog::default();
    let app = ChainApp::new(node.clone(), timing.min_block_interval, provider.clone(), votes.clone());
    let inline = Inline::new(runtime.child("inline"), app, marshal_mailbox.clone(), epocher.clone());
    let orchestrator = Orchestrator {
        node,
        provider,
        votes,
        inline,
        marshal: marshal_mailbox,
        epocher,
        blocker,
        peer_sets,
        partition: partition.to_string(),
        timing: timing.clone(),
        page_cache,
    };
    Ok(runtime.child("epochs").spawn(move |runtime| {
        orchestrator.run(runtime, channels.votes, channels.certificates, channels.resolver)
    }))
}

/// Runs one simplex engine per epoch: the epoch of the block after the node's head. When the
/// node commits an epoch's last block (it commits only final blocks), the orchestrator tracks the
/// next epoch's peers, stops the engine and starts the next one from that block, in a storage
/// partition of its own. Votes and certificates of an epoch this validator has not reached yet
/// say it is behind: it asks marshal for the final last block of its epoch from whoever sent them.
struct Orchestrator<E: Runtime, B, T> {
    node: Arc<Node>,
    provider: EpochProvider,
    votes: VoteLog,
    inline: Inline<E, Scheme, ChainApp, ChainBlock, FixedEpocher>,
    marshal: marshal::core::Mailbox<Scheme, Standard<ChainBlock>>,
    epocher: FixedEpocher,
    blocker: B,
    peer_sets: T,
    partition: String,
    timing: Timing,
    page_cache: CacheRef,
}

/// The vote, certificate and resolver channels, each split into one subchannel per epoch.
struct EpochChannels<S: Sender> {
    votes: MuxHandle<S>,
    certificates: MuxHandle<S>,
    resolver: MuxHandle<S>,
}

impl<E, B, T> Orchestrator<E, B, T>
where
    E: Runtime,
    B: Blocker<PublicKey = ed25519::PublicKey> + Clone,
    T: PeerSets,
{
    async fn run<S, R>(mut self, runtime: E, votes: (S, R), certificates: (S, R), resolver: (S, R))
    where
        S: Sender<PublicKey = ed25519::PublicKey>,
        R: Receiver<PublicKey = ed25519::PublicKey>,
    {
        let (mux, votes, mut vote_backup) =
            Muxer::builder(runtime.child("vote_mux"), votes.0, votes.1).with_backup().build();
        mux.start();
        let (mux, certificates, mut certificate_backup) =
            Muxer::builder(runtime.child("certificate_mux"), certificates.0, certificates.1)
                .with_backup()
                .build();
        mux.start();
        let (mux, resolver) = Muxer::new(runtime.child("resolver_mux"), resolver.0, resolver.1);
        mux.start();
        let mut channels = EpochChannels { votes, certificates, resolver };
        let mut committed = self.node.subscribe();
        let mut epoch = self.epoch_after_head();
        let Some(mut engine) = self.enter(&runtime, epoch, &mut channels).await else { return };
        loop {
            select! {
                block = committed.recv() => {
                    if let Err(tokio::sync::broadcast::error::RecvError::Closed) = block {
                        return;
                    }
                    let reached = self.epoch_after_head();
                    if reached > epoch {
                        engine.abort();
                        epoch = reached;
                        let Some(next) = self.enter(&runtime, epoch, &mut channels).await else { return };
                        engine = next;
                    }
                },
                message = vote_backup.recv() => {
                    let Some((their_epoch, (from, _))) = message else { return };
                    self.behind(epoch, their_epoch, from);
                },
                message = certificate_backup.recv() => {
                    let Some((their_epoch, (from, _))) = message else { return };
                    self.behind(epoch, their_epoch, from);
                },
            }
        }
    }

    /// The epoch of the block after the node's head.
    fn epoch_after_head(&self) -> u64 {
        let next = Height::new(self.node.head().height.get().saturating_add(1));
        self.epocher.containing(next).map_or(0, |info| info.epoch().get())
    }

    /// A message of a later epoch than ours came from `from`: fetch the final last block of ours.
    fn behind(&self, ours: u64, theirs: u64, from: ed25519::PublicKey) {
        if theirs <= ours {
            return;
        }
        if let Some(last) = self.epocher.last(Epoch::new(ours)) {
            tracing::debug!(ours, theirs, %last, "peers are in a later epoch: fetching our epoch's last block");
            self.marshal.hint_finalized(last, NonEmptyVec::new(from));
        }
    }

    /// Starts `epoch`'s engine from the last block before it; `None` (and the node halted) if
    /// the chain has no set for it or the block is missing.
    async fn enter<S>(
        &mut self,
        runtime: &E,
        epoch: u64,
        channels: &mut EpochChannels<S>,
    ) -> Option<Handle<()>>
    where
        S: Sender<PublicKey = ed25519::PublicKey>,
    {
        let Some(set) = self.provider.epoch(epoch) else {
            self.node.halt(format!("the chain has no validator set for epoch {epoch}"));
            return None;
        };
        let floor = match self.boundary(epoch, &set) {
            Ok(floor) => floor,
            Err(reason) => {
                self.node.halt(reason);
                return None;
            }
        };
        // This validator counts towards the bound whether it is listed or not.
        let room = MAX_PEERS_PER_EPOCH - 1;
        let validators: Vec<Peer> = set.peers().map(|(key, addr)| (key.clone(), addr)).take(room).collect();
        let followers: Vec<Peer> = self.followers(&set).into_iter().take(room - validators.len()).collect();
        self.peer_sets.track(epoch, validators, followers);
        self.node.metrics().observe_epoch(epoch, set.signer);
        let engine = simplex::Engine::new(
            runtime.child("simplex").with_attribute("epoch", epoch),
            simplex::Config {
                scheme: set.scheme.as_ref().clone(),
                elector: RoundRobin::<Sha256>::default(),
                blocker: self.blocker.clone(),
                automaton: self.inline.clone(),
                relay: self.inline.clone(),
                reporter: Reporters::from((
                    self.inline.clone(),
                    Evidence::new(self.node.clone(), set.participants.clone(), epoch, self.votes.clone()),
                )),
                strategy: Sequential,
                partition: self.simplex_partition(epoch),
                mailbox_size: MAILBOX,
                epoch: Epoch::new(epoch),
                floor: simplex::config::Floor::Genesis(floor),
                replay_buffer: IO_BUFFER,
                write_buffer: IO_BUFFER,
                page_cache: self.page_cache.clone(),
                leader_timeout: self.timing.leader_timeout,
                certification_timeout: self.timing.certification_timeout,
                timeout_retry: self.timing.timeout_retry,
                view_retention: ViewDelta::new(10),
                // No early skips: a fresh engine has heard from no one, so the skip heuristic
                // took a leader whose votes for the epoch's first view had not arrived yet for a
                // silent one and nullified its view, costing a second block of every other epoch
                // the certification timeout. A leader that is really down costs its views the
                // leader timeout, and the chain jails it at the epoch's end.
                skip: SkipPolicy::Disabled,
                fetch_timeout: NZDuration!(self.timing.fetch_timeout),
                fetch_retry_delay: Duration::from_millis(100),
                forward: ForwardPolicy::Disabled,
                track_historical_votes: false,
            },
        );
        let votes = channels.votes.register(epoch).await.ok()?;
        let certificates = channels.certificates.register(epoch).await.ok()?;
        let resolver = channels.resolver.register(epoch).await.ok()?;
        tracing::info!(epoch, validators = set.participants.len(), signer = set.signer, "entered epoch");
        let engine = engine.start(votes, certificates, resolver);
        // The engine two epochs back stopped an epoch ago: its journal is never read again.
        if let Some(old) = epoch.checked_sub(2) {
            let _ = runtime.remove(&self.simplex_partition(old), None).await;
        }
        Some(engine)
    }

    /// Where `epoch`'s engine keeps its journal.
    fn simplex_partition(&self, epoch: u64) -> String {
        format!("{}-simplex-{epoch}", self.partition)
    }

    /// The digest of the block before `epoch`'s first — the genesis block, or the last block of
    /// the epoch before — after checking that its header committed `set`.
    fn boundary(
        &self,
        epoch: u64,
        set: &EpochSet,
    ) -> Result<commonware_cryptography::sha256::Digest, String> {
        let first = self
            .epocher
            .first(Epoch::new(epoch))
            .ok_or(format!("epoch {epoch} is past the chain's heights"))?;
        let header = match first.get().checked_sub(1) {
            None => self.node.storage().genesis_header().map_err(|e| e.to_string())?,
            Some(height) => self
                .node
                .storage()
                .block(atelier_primitives::Height(height))
                .map_err(|e| e.to_string())?
                .map(|block| block.header),
        }
        .ok_or(format!("the block before epoch {epoch} is not committed"))?;
        if header.next_validators != set.hash {
            return Err(format!(
                "epoch {epoch}'s validator set is not the one block {} committed",
                header.height
            ));
        }
        Ok(digest_of(&header.hash()))
    }

    /// The candidates outside `set`, with where the chain says they are reached: they follow the
    /// epoch, and one of them may be chosen for the next.
    fn followers(&self, set: &EpochSet) -> Vec<Peer> {
        let Ok(snapshot) = self.node.storage().snapshot() else { return Vec::new() };
        let candidates = staking::query::candidates(&snapshot).unwrap_or_default();
        candidates
            .into_iter()
            .filter_map(|standing| {
                let key = consensus_key(standing.candidate.consensus_key.as_bytes())?;
                (!set.participants.iter().any(|p| *p == key))
                    .then(|| (key, standing.candidate.p2p_addr.parse().ok()))
            })
            .collect()
    }
}

/// The largest message any consensus channel must admit for `validators` validators: the p2p
/// layer's limit.
pub fn max_message_size(validators: u32) -> u32 {
    commonware_p2p::max_message_size(&[
        simplex::max_payload_size::<Scheme, commonware_cryptography::sha256::Digest>(validators),
        marshal::max_payload_size::<Standard<ChainBlock>, Scheme>(validators, &()),
    ])
}

fn archive_config<C>(
    partition: &str,
    name: &str,
    page_cache: &CacheRef,
    codec_config: C,
) -> immutable::Config<C> {
    immutable::Config {
        metadata_partition: format!("{partition}-{name}-metadata"),
        freezer_table_partition: format!("{partition}-{name}-freezer-table"),
        freezer_table_initial_size: 64,
        freezer_table_resize_frequency: 10,
        freezer_table_resize_chunk_size: 10,
        freezer_key_partition: format!("{partition}-{name}-freezer-key"),
        freezer_key_page_cache: page_cache.clone(),
        freezer_value_partition: format!("{partition}-{name}-freezer-value"),
        freezer_value_target_size: 1024 * 1024,
        freezer_value_compression: None,
        ordinal_partition: format!("{partition}-{name}-ordinal"),
        items_per_section: NZU64!(1_024),
        codec_config,
        replay_buffer: IO_BUFFER,
        freezer_key_write_buffer: IO_BUFFER,
        freezer_value_write_buffer: IO_BUFFER,
        ordinal_write_buffer: IO_BUFFER,
    }
}

/// Why a validator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The chain cannot run under consensus.
    #[error("chain: {0}")]
    Chain(String),
    /// The consensus stack's storage failed.
    #[error("consensus storage: {0}")]
    Storage(String),
}
