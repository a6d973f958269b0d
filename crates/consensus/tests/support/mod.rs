//! A network of validators running the real node and protocol in Commonware's deterministic
//! runtime: seeded scheduling, simulated time and links, crash and restart from storage,
//! partitions, and a byzantine validator from the library's mocks. Shared by the tests and the
//! consensus benchmark.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, UNIX_EPOCH},
};

use atelier_consensus::{
    Channels, Peer, PeerSets, Timing,
    engine::{CHANNELS, channel_quotas, max_message_size},
};
use atelier_node::{Node, NodeConfig};
use atelier_primitives::{Amount, Hash, Height};
use atelier_protocol::{Genesis, SignedTx};
use atelier_storage::Storage;
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, genesis::TEST_GENESIS_TIME_MS};
use commonware_consensus::simplex::{mocks::conflicter, scheme::ed25519::Scheme};
use commonware_cryptography::{Sha256, Signer as _, ed25519};
use commonware_p2p::simulated::{self, Link, Network, Oracle};
use commonware_runtime::{Clock, Handle, Runner, Spawner, Supervisor, deterministic};
use commonware_utils::{NZUsize, ordered::Set};

pub const FUNDS: Amount = Amount::new(1_000_000_000_000);
/// Dev accounts funded at genesis; transfers come from these.
pub const ACCOUNTS: u64 = 8;

/// A 20 ms link with a little jitter, always delivered.
pub fn link(latency_ms: u64) -> Link {
    Link {
        latency: Duration::from_millis(latency_ms),
        jitter: Duration::from_millis(latency_ms / 4),
        success_rate: commonware_utils::probability!(1.0),
    }
}

/// Stake each of the genesis validators bonds.
pub const VALIDATOR_STAKE: Amount = Amount::new(1_000_000_000);
/// Each genesis validator's reputation: enough to back its whole stake.
pub const VALIDATOR_REPUTATION: u128 = VALIDATOR_STAKE.get() / 10;
/// Validators named by genesis: the first four keys.
pub const GENESIS_VALIDATORS: u64 = 4;
/// Blocks per epoch: short, so that runs cross several epoch boundaries.
pub const EPOCH_BLOCKS: u64 = 20;

/// Validator `index`'s consensus key as the chain writes it.
pub fn chain_key(index: u64) -> atelier_primitives::PublicKey {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(ed25519::PrivateKey::from_seed(index).public_key().as_ref());
    atelier_primitives::PublicKey::from_array(bytes)
}

/// The dev account that operates validator `index`: its stake, tips and slashes.
pub fn operator(index: u64) -> atelier_primitives::Address {
    dev_address(OPERATORS + index)
}

/// Dev accounts from this one on operate validators.
pub const OPERATORS: u64 = 10;

/// The genesis every validator starts from: funded dev accounts, and the first four keys as the
/// first epoch's validators, each operated by a funded dev account staked with reputation
/// backing its stake. Operators of later validators are funded too.
pub fn genesis() -> Genesis {
    genesis_with(GENESIS_VALIDATORS)
}

/// [`genesis`] with the first `validators` keys (at most 16) as the first epoch's validators.
pub fn genesis_with(validators: u64) -> Genesis {
    let builder = (0..16).fold(GenesisBuilder::new().fund_dev_accounts(ACCOUNTS, FUNDS), |builder, i| {
        builder.fund(operator(i), atelier_primitives::Denom::GDC, FUNDS)
    });
    let mut genesis = (0..validators)
        .fold(builder, |builder, i| {
            builder.validator(operator(i), chain_key(i), VALIDATOR_STAKE, VALIDATOR_REPUTATION)
        })
        .build();
    let params = &mut genesis.staking.params;
    params.epoch_blocks = EPOCH_BLOCKS;
    params.unbonding_blocks = 2 * EPOCH_BLOCKS + 1;
    params.validators.selection_lead_blocks = 3;
    params.validators.min_self_stake = Amount::new(1_000_000);
    // An epoch of 20 blocks counts about 17 views: jail who misses most of them.
    params.validators.min_recorded_views = 5;
    genesis
}

/// The simulated network's peer sets: keys only (it connects every registered peer).
#[derive(Clone)]
pub struct SimulatedPeers(simulated::Manager<ed25519::PublicKey, deterministic::Context>);

impl PeerSets for SimulatedPeers {
    fn track(&mut self, epoch: u64, validators: Vec<Peer>, followers: Vec<Peer>) {
        use commonware_p2p::Manager as _;
        let primary = Set::from_iter_dedup(validators.into_iter().map(|(key, _)| key));
        let secondary = Set::from_iter_dedup(followers.into_iter().map(|(key, _)| key));
        let _ = self.0.track(epoch, commonware_p2p::TrackedPeers::new(primary, secondary));
    }
}

/// Transfers from every dev account at nonce `round`, one each.
pub fn transfers(round: u64) -> Vec<SignedTx> {
    let factory = TestChain::new(genesis()).factory();
    (0..ACCOUNTS)
        .map(|i| {
            factory.transfer(
                &dev_key(i),
                round,
                dev_address((i + 1) % ACCOUNTS),
                Amount::new(1 + round as u128),
            )
        })
        .collect()
}

/// A deterministic runner for `seed`, with the clock starting at the genesis time. Each turn of
/// the executor advances the clock by `cycle`: a chain of hand-offs between tasks costs that much
/// per step, so a fine cycle keeps the simulated time close to what the work itself takes.
pub fn runner(seed: u64, cycle: Duration) -> deterministic::Runner {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let start = UNIX_EPOCH + Duration::from_millis(TEST_GENESIS_TIME_MS);
    deterministic::Runner::new(
        deterministic::Config::new()
            .with_seed(seed)
            .with_cycle(cycle)
            .with_start_time(start)
            .with_timeout(Some(Duration::from_secs(3_600))),
    )
}

struct Running {
    node: Option<Arc<Node>>,
    handle: Handle<()>,
}

/// The validators of one simulated network.
pub struct Net {
    context: deterministic::Context,
    oracle: Oracle<ed25519::PublicKey, deterministic::Context>,
    keys: Vec<ed25519::PrivateKey>,
    dir: tempfile::TempDir,
    genesis: Genesis,
    running: Vec<Option<Running>>,
    restarts: Vec<u32>,
    link: Link,
    /// Consensus timing of validators started from now on.
    pub timing: Timing,
}

impl Net {
    /// `n` validators, all linked by `link`, the first four named by genesis; none started yet.
    pub async fn new(context: &deterministic::Context, n: usize, link: Link) -> Net {
        Net::with_genesis(context, n, link, genesis()).await
    }

    /// `n` validators, all linked by `link`, all named by genesis; none started yet.
    pub async fn all_in_genesis(context: &deterministic::Context, n: usize, link: Link) -> Net {
        Net::with_genesis(context, n, link, genesis_with(n as u64)).await
    }

    async fn with_genesis(context: &deterministic::Context, n: usize, link: Link, genesis: Genesis) -> Net {
        let keys: Vec<ed25519::PrivateKey> = (0..n as u64).map(ed25519::PrivateKey::from_seed).collect();
        let validators: Vec<ed25519::PublicKey> = keys.iter().map(|k| k.public_key()).collect();
        let config = simulated::Config {
            max_size: max_message_size(n as u32),
            max_peers_per_set: NZUsize!(n.max(1)),
            disconnect_on_block: true,
            tracked_peer_sets: NZUsize!(3),
        };
        let (network, oracle) =
            Network::new_with_peers(context.child("network"), config, validators.clone()).await;
        network.start();
        for a in &validators {
            for b in &validators {
                if a != b {
                    oracle.add_link(a.clone(), b.clone(), link.clone()).await.unwrap();
                }
            }
        }
        Net {
            context: context.child("validators"),
            oracle,
            keys,
            dir: tempfile::tempdir().unwrap(),
            genesis,
            running: (0..n).map(|_| None).collect(),
            restarts: vec![0; n],
            link,
            timing: Timing::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    fn public_key(&self, index: usize) -> ed25519::PublicKey {
        self.keys[index].public_key()
    }

    /// Validator `index`'s consensus key, as bytes.
    pub fn key_bytes(&self, index: usize) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(self.public_key(index).as_ref());
        bytes
    }

    async fn channels(
        &self,
        index: usize,
    ) -> Channels<
        simulated::Sender<ed25519::PublicKey, deterministic::Context>,
        simulated::Receiver<ed25519::PublicKey>,
    > {
        let control = self.oracle.control(self.public_key(index));
        let mut pairs = Vec::new();
        for (channel, quota) in CHANNELS.into_iter().zip(channel_quotas()) {
            pairs.push(control.register(channel, quota).await.unwrap());
        }
        Channels::from_pairs(pairs).unwrap()
    }

    fn database(&self, index: usize) -> PathBuf {
        self.dir.path().join(format!("validator-{index}")).join("chain.redb")
    }

    /// Starts (or restarts, from its storage) honest validator `index`.
    pub async fn start(&mut self, index: usize) {
        self.crash(index);
        let storage = Storage::open(&self.database(index)).unwrap();
        if storage.head().unwrap().is_none() {
            let state =
                atelier_protocol::init_chain(&storage.snapshot().unwrap(), self.genesis.clone()).unwrap();
            storage.init(&state).unwrap();
        }
        let me = self.public_key(index);
        let mut config = NodeConfig::new("127.0.0.1:0".parse().unwrap(), operator(index as u64));
        config.block_interval = None;
        let node = Node::new(storage, config).unwrap();
        let channels = self.channels(index).await;
        let key = self.keys[index].clone();
        let blocker = self.oracle.control(me);
        let peers = self.oracle.manager();
        let peer_sets = SimulatedPeers(self.oracle.manager());
        let validator = node.clone();
        let restart = self.restarts[index];
        self.restarts[index] += 1;
        let timing = self.timing.clone();
        let handle = self
            .context
            .child("validator")
            .with_attribute("index", index)
            .with_attribute("restart", restart)
            .spawn(move |context| async move {
                let partition = format!("validator-{index}");
                let engine = atelier_consensus::start(
                    context, validator, key, channels, blocker, peers, peer_sets, &partition, &timing,
                )
                .await
                .unwrap();
                let _ = engine.await;
            });
        self.running[index] = Some(Running { node: Some(node), handle });
    }

    /// Starts validator `index` from validator `from`'s state instead of from genesis (a state
    /// sync): `from`'s snapshot — its state at its head, with the genesis header, the blocks
    /// consensus starts from and the head's finalization certificate — encoded and decoded as it
    /// would travel, and checked against the head's state root as the new database is written.
    /// Returns the height synced at.
    pub async fn start_synced(&mut self, index: usize, from: usize) -> u64 {
        self.crash(index);
        let source = self.node(from).expect("the source runs").clone();
        let mut snapshot = source.storage().sync_snapshot(EPOCH_BLOCKS, Vec::new()).unwrap();
        let head = snapshot.image.head.height.get();
        snapshot.certificate = source
            .certificates()
            .expect("the source is a validator")
            .certificate(Height(head))
            .await
            .expect("the source holds its head's certificate")
            .bytes;
        // As it travels: encoded, and decoded on the other side.
        let received = atelier_storage::SyncSnapshot::from_bytes(&snapshot.to_bytes()).unwrap();
        assert_eq!(received, snapshot);
        let storage = Storage::open(&self.database(index)).unwrap();
        storage.init_from_snapshot(&received).unwrap();
        drop(storage);
        self.start(index).await;
        head
    }

    /// Starts validator `index` as a byzantine one: it signs conflicting votes for every proposal
    /// it sees (the library's `Conflicter`), and runs no chain.
    pub async fn start_byzantine(&mut self, index: usize) {
        self.crash(index);
        let participants = Set::from_iter_dedup((0..GENESIS_VALIDATORS as usize).map(|i| self.public_key(i)));
        let scheme =
            Scheme::signer(atelier_consensus::engine::NAMESPACE, participants, self.keys[index].clone())
                .unwrap();
        let channels = self.channels(index).await;
        let handle =
            self.context.child("byzantine").with_attribute("index", index).spawn(move |context| async move {
                // Votes travel on one subchannel per epoch; it equivocates in the first.
                use commonware_p2p::utils::mux::{Builder as _, Muxer};
                let (votes, receiver) = channels.votes;
                let (mux, mut handle) = Muxer::builder(context.child("mux"), votes, receiver).build();
                mux.start();
                let first_epoch = handle.register(0).await.unwrap();
                let conflicter =
                    conflicter::Conflicter::<_, _, Sha256>::new(context, conflicter::Config { scheme });
                let _ = conflicter.start(first_epoch).await;
            });
        self.running[index] = Some(Running { node: None, handle });
    }

    /// Stops validator `index` at once, as a crash: its tasks are aborted and its database is
    /// released as it stands on disk.
    pub fn crash(&mut self, index: usize) {
        if let Some(running) = self.running[index].take() {
            running.handle.abort();
            if let Some(node) = running.node {
                node.storage().close();
            }
        }
    }

    /// Cuts every link between validators in different `groups`.
    pub async fn partition(&self, groups: &[&[usize]]) {
        for (g, group) in groups.iter().enumerate() {
            for other in groups.iter().skip(g + 1) {
                for &a in *group {
                    for &b in *other {
                        let _ = self.oracle.remove_link(self.public_key(a), self.public_key(b)).await;
                        let _ = self.oracle.remove_link(self.public_key(b), self.public_key(a)).await;
                    }
                }
            }
        }
    }

    /// Restores every link.
    pub async fn heal(&self) {
        for a in 0..self.len() {
            for b in 0..self.len() {
                if a != b {
                    let _ =
                        self.oracle.add_link(self.public_key(a), self.public_key(b), self.link.clone()).await;
                }
            }
        }
    }

    /// The node of honest validator `index`, if running.
    pub fn node(&self, index: usize) -> Option<&Arc<Node>> {
        self.running[index].as_ref().and_then(|r| r.node.as_ref())
    }

    /// The committed height of each running honest validator (`None` for the others).
    pub fn heights(&self) -> Vec<Option<u64>> {
        (0..self.len()).map(|i| self.node(i).map(|n| n.head().height.get())).collect()
    }

    /// Waits (in simulated time) until every validator in `which` has committed `height`;
    /// false if `within` passes first.
    pub async fn wait_for(&self, which: &[usize], height: u64, within: Duration) -> bool {
        let deadline = self.context.current() + within;
        loop {
            let done = which.iter().all(|&i| self.node(i).is_some_and(|n| n.head().height.get() >= height));
            if done {
                return true;
            }
            if self.context.current() >= deadline {
                return false;
            }
            self.context.sleep(Duration::from_millis(50)).await;
        }
    }

    /// The state root each running honest validator committed at `height` (`None` where it has
    /// not committed it).
    pub fn roots_at(&self, height: u64) -> Vec<Option<Hash>> {
        (0..self.len())
            .map(|i| {
                let node = self.node(i)?;
                let block = node.storage().block(Height(height)).ok()??;
                Some(block.header.state_root)
            })
            .collect()
    }

    /// Checks that every pair of validators agrees on every height both committed: the same
    /// block, hence the same state root. Returns the highest height all running honest
    /// validators committed.
    pub fn assert_agreement(&self) -> u64 {
        let heights: Vec<u64> = self.heights().into_iter().flatten().collect();
        let top = heights.iter().copied().max().unwrap_or(0);
        for height in 1..=top {
            let blocks: Vec<Hash> = (0..self.len())
                .filter_map(|i| self.node(i)?.storage().block(Height(height)).ok()?)
                .map(|b| b.header.hash())
                .collect();
            assert!(
                blocks.windows(2).all(|w| w[0] == w[1]),
                "validators disagree at height {height}: {blocks:?}"
            );
        }
        heights.iter().copied().min().unwrap_or(0)
    }

    /// The committed nonce of dev account `account` at validator `index`.
    pub fn nonce(&self, index: usize, account: u64) -> u64 {
        let node = self.node(index).unwrap();
        atelier_protocol::modules::auth::query::nonce(
            &node.storage().snapshot().unwrap(),
            &dev_address(account),
        )
        .unwrap()
    }

    /// Submits `txs` to validator `index`'s mempool.
    pub fn submit(&self, index: usize, txs: Vec<SignedTx>) {
        if let Some(node) = self.node(index) {
            for result in node.submit_batch(txs, atelier_node::Origin::Client) {
                result.unwrap();
            }
        }
    }

    /// The proposers of the blocks at validator `index` that carry transactions.
    pub fn proposers_of_nonempty_blocks(&self, index: usize) -> Vec<atelier_primitives::Address> {
        let node = self.node(index).unwrap();
        (1..=node.head().height.get())
            .filter_map(|h| node.storage().block(Height(h)).ok()?)
            .filter(|b| !b.txs.is_empty())
            .map(|b| b.header.proposer)
            .collect()
    }

    /// Validator `validator`'s bonded stake in validator `index`'s committed state.
    pub fn bonded(&self, index: usize, validator: usize) -> Amount {
        let snapshot = self.node(index).unwrap().storage().snapshot().unwrap();
        atelier_protocol::modules::staking::query::position(&snapshot, &self.address(validator))
            .unwrap()
            .bonded
    }

    /// Validator `index`'s operator (the proposer named in its blocks).
    pub fn address(&self, index: usize) -> atelier_primitives::Address {
        operator(index as u64)
    }

    /// The validator set of `epoch` in validator `index`'s committed state, as indexes of `keys`.
    pub fn set_of(&self, index: usize, epoch: u64) -> Option<Vec<usize>> {
        let snapshot = self.node(index)?.storage().snapshot().ok()?;
        let set = atelier_protocol::modules::staking::query::validator_set(&snapshot, epoch).ok()??;
        let mut members: Vec<usize> = set
            .validators
            .iter()
            .filter_map(|v| (0..self.len()).find(|i| chain_key(*i as u64) == v.consensus_key))
            .collect();
        members.sort();
        Some(members)
    }

    /// The proposers of the blocks from `from` to `to` at validator `index`.
    pub fn proposers(&self, index: usize, from: u64, to: u64) -> Vec<atelier_primitives::Address> {
        let Some(node) = self.node(index) else { return Vec::new() };
        (from..=to).filter_map(|h| node.storage().block(Height(h)).ok()?).map(|b| b.header.proposer).collect()
    }

    /// The time of the block at `height`, as its proposer stamped it.
    pub fn block_time_ms(&self, index: usize, height: u64) -> Option<u64> {
        let node = self.node(index)?;
        Some(node.storage().block(Height(height)).ok()??.header.time_ms)
    }

    /// The runtime context, for its clock.
    pub fn context(&self) -> &deterministic::Context {
        &self.context
    }

    /// A summary that must be identical for the same seed: every validator's height and root.
    pub fn fingerprint(&self) -> Vec<(Option<u64>, Option<Hash>)> {
        (0..self.len())
            .map(|i| {
                let node = self.node(i);
                (node.map(|n| n.head().height.get()), node.map(|n| n.head().state_root))
            })
            .collect()
    }
}

/// Runs `scenario` on a fresh runner seeded with `seed` (a 1 ms cycle) and returns what it
/// returns.
pub fn simulate<T: Send + 'static, F, Fut>(seed: u64, scenario: F) -> T
where
    F: FnOnce(deterministic::Context) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + Send,
{
    runner(seed, Duration::from_millis(1)).start(scenario)
}

/// Runs `scenario` under `count` seeds from `first` on (`ATELIER_SEEDS` overrides the count); a
/// failing seed is named, with the scenario's `name`, and replays exactly.
pub fn sweep<T>(name: &str, first: u64, count: u64, scenario: impl Fn(u64) -> T + std::panic::RefUnwindSafe) {
    let count = std::env::var("ATELIER_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(count);
    for seed in first..first + count {
        let outcome = std::panic::catch_unwind(|| scenario(seed));
        assert!(outcome.is_ok(), "seed {seed} failed; replay it with {name}({seed})");
    }
}
