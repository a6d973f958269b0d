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

use std::{num::NonZeroUsize, sync::Arc, time::Duration};

use atelier_node::Node;
use atelier_protocol::Block;
use commonware_broadcast::buffered;
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
    },
    types::{Epoch, FixedEpocher, ViewDelta},
};
use commonware_cryptography::{
    Digested, Digestible, Sha256,
    certificate::{ConstantProvider, Verifier as _},
    ed25519,
};
use commonware_p2p::{Blocker, Provider, Receiver, Sender};
use commonware_parallel::Sequential;
use commonware_runtime::{
    Clock, Handle, Metrics, Quota, Spawner, Storage, Supervisor, buffer::paged::CacheRef,
};
use commonware_storage::archive::immutable;
use commonware_utils::{NZDuration, NZU16, NZU32, NZU64, NZUsize, ordered::Set};

use crate::{
    application::ChainApp,
    block::ChainBlock,
    evidence::{Evidence, EvidenceCheck},
    finalizer::Finalizer,
};

/// The namespace every consensus signature of the chain is taken under.
pub const NAMESPACE: &[u8] = b"atelier/consensus/v1";

/// One validator's identity and the validator set, fixed by genesis.
#[derive(Clone, Debug)]
pub struct ValidatorSet {
    /// The validators' consensus keys, in any order (they are sorted).
    pub validators: Vec<ed25519::PublicKey>,
}

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
        // Votes and certificates: a few per view.
        Quota::per_second(NZU32!(2_000)),
        Quota::per_second(NZU32!(2_000)),
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

/// Starts `node`'s validator: returns the handle of the consensus engine, which runs until the
/// runtime stops or the handle is aborted. Storage of the consensus stack lives under
/// `partition`; keep it across restarts (with the node's own database).
#[allow(clippy::too_many_arguments)]
pub async fn start<E, S, R, B, P>(
    runtime: E,
    node: Arc<Node>,
    key: ed25519::PrivateKey,
    set: &ValidatorSet,
    channels: Channels<S, R>,
    blocker: B,
    peers: P,
    partition: &str,
    timing: &Timing,
) -> Result<Handle<()>, StartError>
where
    E: Runtime,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey> + Clone,
    P: Provider<PublicKey = ed25519::PublicKey> + Clone,
{
    use commonware_cryptography::Signer as _;
    let me = key.public_key();
    let participants = Set::from_iter_dedup(set.validators.iter().cloned());
    let scheme = Scheme::signer(NAMESPACE, participants.clone(), key).ok_or(StartError::NotAValidator)?;
    let provider = ConstantProvider::new(scheme.clone());
    let epocher = FixedEpocher::new(NZU64!(u64::MAX));
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE_PAGES);
    let genesis_header = node
        .storage()
        .genesis_header()
        .map_err(|e| StartError::Chain(e.to_string()))?
        .ok_or(StartError::Chain("no genesis".into()))?;
    if genesis_header.height.get() != 0 {
        return Err(StartError::Chain(format!(
            "consensus starts from a genesis at height 0, this chain's is at {}",
            genesis_header.height
        )));
    }
    let genesis = ChainBlock::new(Block { header: genesis_header, txs: Vec::new(), evidence: Vec::new() });
    let genesis_digest = genesis.digest();

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
                provider,
                epocher: epocher.clone(),
                start: marshal::Start::Genesis(Digested::precomputed(genesis, genesis_digest)),
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
    let finalizer = Finalizer::start(runtime.child("finalizer"), node.clone());
    crate::relay::start(runtime.child("relay"), node.clone(), channels.txs);
    marshal_actor.start(finalizer, buffer, (resolver_receiver, resolver));

    let app =
        ChainApp::new(node.clone(), timing.min_block_interval, EvidenceCheck::new(participants.clone()));
    let inline = Inline::new(runtime.child("inline"), app, marshal_mailbox, epocher);
    let evidence = Evidence::new(node, participants);
    let engine = simplex::Engine::new(
        runtime.child("simplex"),
        simplex::Config {
            scheme,
            elector: RoundRobin::<Sha256>::default(),
            blocker,
            automaton: inline.clone(),
            relay: inline.clone(),
            reporter: Reporters::from((inline, evidence)),
            strategy: Sequential,
            partition: format!("{partition}-simplex"),
            mailbox_size: MAILBOX,
            epoch: Epoch::zero(),
            floor: simplex::config::Floor::Genesis(genesis_digest),
            replay_buffer: IO_BUFFER,
            write_buffer: IO_BUFFER,
            page_cache,
            leader_timeout: timing.leader_timeout,
            certification_timeout: timing.certification_timeout,
            timeout_retry: timing.timeout_retry,
            view_retention: ViewDelta::new(10),
            skip: SkipPolicy::Enabled {
                timeout: timing.leader_timeout * 5,
                budget: simplex::SkipBudget::Participants,
            },
            fetch_timeout: NZDuration!(timing.fetch_timeout),
            fetch_retry_delay: Duration::from_millis(100),
            forward: ForwardPolicy::Disabled,
            track_historical_votes: false,
        },
    );
    Ok(engine.start(channels.votes, channels.certificates, channels.resolver))
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
    /// The key is not in the validator set.
    #[error("this validator's key is not in the validator set")]
    NotAValidator,
    /// The chain cannot run under consensus.
    #[error("chain: {0}")]
    Chain(String),
    /// The consensus stack's storage failed.
    #[error("consensus storage: {0}")]
    Storage(String),
}
