//! Validators: `atelier init --validators N` writes one home per validator of a new chain's first
//! set (genesis names them as candidates), `atelier init --join DIR` one more home that follows
//! the chain until it is chosen, and `atelier node --validator --home DIR` runs one under BFT
//! consensus.
//!
//! Besides `config.toml` and `genesis.json` (the same in every home), a validator's home holds
//!
//! | file | what |
//! |---|---|
//! | `validators.json` | the peers it dials first: consensus public keys and p2p addresses (who validates each epoch is the chain's choice; a peer's address on chain wins) |
//! | `validator_key.json` | this validator's consensus key (secret: readable by its owner alone) |
//! | `data/consensus/` | the consensus engine's journals and archive of final blocks |

use std::{
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{Context, Result, bail};
use atelier_consensus::validator::{Peer, ValidatorConfig, public_key_of};
use atelier_node::Node;
use atelier_primitives::hash::{hex_decode, hex_encode};
use serde::{Deserialize, Serialize};

use crate::{config, genesis::ValidatorSpec};

/// The validator set's file name.
pub(crate) const VALIDATORS_FILE: &str = "validators.json";
/// A validator's key file name.
pub(crate) const KEY_FILE: &str = "validator_key.json";

/// One entry of `validators.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidatorEntry {
    /// The consensus public key, hex.
    pub(crate) public_key: String,
    /// Where its peers reach it.
    pub(crate) p2p_addr: SocketAddr,
    /// Where its HTTP API listens (for operators and scripts; peers do not use it).
    pub(crate) api_addr: SocketAddr,
}

/// `validator_key.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    public_key: String,
    /// The 32-byte ed25519 seed, hex.
    secret_seed: String,
}

/// What `init --validators` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct WrittenSet {
    pub(crate) homes: Vec<String>,
    pub(crate) validators: Vec<ValidatorEntry>,
}

/// The validators of a new chain, before their homes are written: fresh keys, p2p on
/// `host:p2p_port+i`, APIs on `host:api_port+i`.
pub(crate) struct NewSet {
    seeds: Vec<[u8; 32]>,
    validators: Vec<ValidatorEntry>,
}

impl NewSet {
    /// `count` validators with fresh keys.
    pub(crate) fn generate(count: u32, host: IpAddr, p2p_port: u16, api_port: u16) -> Result<NewSet> {
        if count == 0 {
            bail!("--validators must be at least 1");
        }
        let port = |base: u16, i: u32| {
            u16::try_from(u32::from(base) + i).context("the ports of the validators run past 65535")
        };
        let mut seeds = Vec::new();
        let mut validators = Vec::new();
        for i in 0..count {
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed)
                .map_err(|e| anyhow::anyhow!("no randomness for a validator key: {e}"))?;
            validators.push(ValidatorEntry {
                public_key: hex_encode(&public_key_of(&seed)?),
                p2p_addr: SocketAddr::new(host, port(p2p_port, i)?),
                api_addr: SocketAddr::new(host, port(api_port, i)?),
            });
            seeds.push(seed);
        }
        Ok(NewSet { seeds, validators })
    }

    /// Each validator as genesis names it: its operator is its consensus key's account (which
    /// also receives its block tips).
    pub(crate) fn specs(&self) -> Vec<ValidatorSpec> {
        self.seeds
            .iter()
            .zip(&self.validators)
            .filter_map(|(seed, entry)| {
                let key = atelier_primitives::PublicKey::from_array(public_key_of(seed).ok()?);
                Some(ValidatorSpec {
                    operator: key.address(),
                    consensus_key: key,
                    p2p_addr: entry.p2p_addr.to_string(),
                })
            })
            .collect()
    }

    /// `genesis` (given as a file) with these validators as its candidates and first set. They
    /// bring no stake of their own: until their accounts stake and earn reputation, no candidate
    /// outweighs them and the set carries on from epoch to epoch.
    pub(crate) fn register_in(
        &self,
        mut genesis: atelier_protocol::Genesis,
    ) -> Result<atelier_protocol::Genesis> {
        if !genesis.staking.candidates.is_empty() || !genesis.staking.validator_sets.is_empty() {
            bail!("the genesis names its validators already: start its validators from their own homes");
        }
        genesis.staking.candidates = self
            .specs()
            .into_iter()
            .map(|spec| atelier_protocol::modules::staking::Candidate {
                operator: spec.operator,
                consensus_key: spec.consensus_key,
                p2p_addr: spec.p2p_addr,
                min_self_stake: atelier_primitives::Amount::ZERO,
            })
            .collect();
        genesis.normalize().map_err(|e| anyhow::anyhow!("the genesis with its validators: {e}"))
    }

    /// Writes one home `base/validator-{i}` per validator, each with `genesis`.
    pub(crate) fn write_homes(&self, base: &Path, genesis: &atelier_protocol::Genesis) -> Result<WrittenSet> {
        let genesis = serde_json::to_string_pretty(genesis)?;
        let set = serde_json::to_string_pretty(&self.validators)?;
        let mut homes = Vec::new();
        for i in 0..self.seeds.len() {
            let home = base.join(format!("validator-{i}"));
            self.write_home(i, &home, &genesis, &set)?;
            homes.push(home.display().to_string());
        }
        Ok(WrittenSet { homes, validators: self.validators.clone() })
    }

    /// Writes validator `i`'s home: its config, `genesis_json`, its key and `validators_json`
    /// (the peers it dials first).
    fn write_home(&self, i: usize, home: &Path, genesis_json: &str, validators_json: &str) -> Result<()> {
        let (seed, entry) = (&self.seeds[i], &self.validators[i]);
        let proposer = atelier_primitives::PublicKey::from_array(public_key_of(seed)?).address();
        let listen = SocketAddr::new(unspecified_like(entry.p2p_addr.ip()), entry.p2p_addr.port());
        config::init_home_with(
            home,
            genesis_json,
            entry.api_addr,
            proposer,
            config::Role::Validator { p2p_listen: listen },
        )?;
        write_secret(
            &home.join(KEY_FILE),
            &serde_json::to_string_pretty(&KeyFile {
                public_key: entry.public_key.clone(),
                secret_seed: hex_encode(seed),
            })?,
        )?;
        config::write_new(&home.join(VALIDATORS_FILE), validators_json)
    }
}

/// Writes a validator home at `home` for the chain of the validator home `existing`: the same
/// genesis, its `validators.json` to dial, and a fresh key (p2p on `host:p2p_port`, the API on
/// `host:api_port`).
pub(crate) fn init_joining(
    home: &Path,
    existing: &Path,
    host: IpAddr,
    p2p_port: u16,
    api_port: u16,
) -> Result<WrittenSet> {
    let read = |name: &str| {
        let path = existing.join(name);
        std::fs::read_to_string(&path).with_context(|| {
            format!("reading {} (--join names a validator home of the chain)", path.display())
        })
    };
    let (genesis, dialing) = (read(config::GENESIS_FILE)?, read(VALIDATORS_FILE)?);
    serde_json::from_str::<Vec<ValidatorEntry>>(&dialing)
        .with_context(|| format!("parsing {}", existing.join(VALIDATORS_FILE).display()))?;
    let set = NewSet::generate(1, host, p2p_port, api_port)?;
    set.write_home(0, home, &genesis, &dialing)?;
    Ok(WrittenSet { homes: vec![home.display().to_string()], validators: set.validators })
}

/// A joining home, and the state it starts from when it was synced.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Joined {
    #[serde(flatten)]
    pub(crate) written: WrittenSet,
    /// The state synced from a peer (`--sync-from`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) synced: Option<Synced>,
}

/// The state a joining home was synced to.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Synced {
    /// The height of the peer's head it is at.
    pub(crate) height: u64,
    /// How many state entries it holds.
    pub(crate) entries: usize,
    /// Their root, which the head commits.
    pub(crate) state_root: String,
}

/// The state of the validator whose API is `url`, checked: the chain is `existing`'s (the same
/// genesis), its entries hash to its head's state root, and, given a `trusted` validator set
/// (a JSON file), a quorum of that set signed the head's finalization certificate.
pub(crate) fn fetch_state(
    existing: &Path,
    url: &str,
    trusted: Option<&Path>,
) -> Result<atelier_storage::SyncSnapshot> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let bytes = runtime
        .block_on(atelier_client::Client::new(url.to_owned()).sync_snapshot())
        .with_context(|| format!("fetching the state to sync from {url}"))?;
    let snapshot = atelier_storage::SyncSnapshot::from_bytes(&bytes)
        .map_err(|error| anyhow::anyhow!("the state {url} sent does not decode: {error}"))?;
    let genesis = config::load_genesis(existing)?;
    let ours = atelier_protocol::init_chain(&atelier_state::MemoryStore::new(), genesis)
        .context("the joined home's genesis.json is invalid")?
        .header;
    if ours != snapshot.genesis {
        anyhow::bail!("{url} runs another chain than {}: its genesis differs", existing.display());
    }
    let root = snapshot.image.root();
    if root != snapshot.image.head.state_root {
        anyhow::bail!(
            "the state {url} sent hashes to {root}, not to the state root {} of its head {}",
            snapshot.image.head.state_root,
            snapshot.image.head.height
        );
    }
    if let Some(path) = trusted {
        let set = crate::proof::read_validator_set(path)?;
        atelier_consensus::finality::verify_certificate(
            &snapshot.certificate,
            &set,
            &snapshot.image.head.hash(),
        )
        .map_err(|error| anyhow::anyhow!("the head {url} sent is not proven final: {error}"))?;
    }
    Ok(snapshot)
}

/// Writes `snapshot` as the database of the new home `home`.
pub(crate) fn write_state(home: &Path, snapshot: &atelier_storage::SyncSnapshot) -> Result<Synced> {
    let storage = atelier_storage::Storage::open(&config::database_path(home))
        .with_context(|| format!("creating the database in {}", home.display()))?;
    storage.init_from_snapshot(snapshot).context("writing the synced state")?;
    Ok(Synced {
        height: snapshot.image.head.height.get(),
        entries: snapshot.image.entries.len(),
        state_root: snapshot.image.head.state_root.to_hex(),
    })
}

/// The consensus public key of the validator whose home is `home`, from its key file.
pub(crate) fn public_key_in(home: &Path) -> Result<atelier_primitives::PublicKey> {
    let path = home.join(KEY_FILE);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("reading {} (a validator home is written by `atelier init --validators N`)", path.display())
    })?;
    let key: KeyFile = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let bytes: [u8; 32] = hex_decode(&key.public_key)
        .with_context(|| format!("{}: public_key is not 64 hex digits", path.display()))?;
    Ok(atelier_primitives::PublicKey::from_array(bytes))
}

/// Writes `text` to a new file readable by its owner alone.
fn write_secret(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// The validator configuration in `home`: the API on `api_addr`, listening for peers on
/// `p2p_listen`.
pub(crate) fn load(home: &Path, api_addr: SocketAddr, p2p_listen: SocketAddr) -> Result<ValidatorConfig> {
    let read = |name: &str| -> Result<(PathBuf, String)> {
        let path = home.join(name);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "reading {} (a validator home is written by `atelier init --validators N`)",
                path.display()
            )
        })?;
        Ok((path, text))
    };
    let (path, text) = read(KEY_FILE)?;
    let key: KeyFile = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let key_seed: [u8; 32] = hex_decode(&key.secret_seed)
        .with_context(|| format!("{}: secret_seed is not 64 hex digits", path.display()))?;
    let (path, text) = read(VALIDATORS_FILE)?;
    let entries: Vec<ValidatorEntry> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let validators = entries
        .iter()
        .map(|entry| {
            let public_key = hex_decode(&entry.public_key)
                .with_context(|| format!("{}: {} is not a public key", path.display(), entry.public_key))?;
            Ok(Peer { public_key, address: entry.p2p_addr })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ValidatorConfig {
        key_seed,
        validators,
        p2p_listen,
        api_listen: api_addr,
        consensus_dir: home.join("data").join("consensus"),
        timing: atelier_consensus::Timing::default(),
        worker_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
    })
}

/// Loopback addresses are listened on as they are; others on every interface.
fn unspecified_like(ip: IpAddr) -> IpAddr {
    match ip {
        ip if ip.is_loopback() => ip,
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
    }
}

/// Runs the validator over `node`; `ready` prints the banner once the API listens.
pub(crate) fn run(
    node: Arc<Node>,
    config: ValidatorConfig,
    ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> Result<()> {
    atelier_consensus::validator::run(node, config, ready).map_err(Into::into)
}

/// What a validator prints when its API listens.
#[derive(Debug, Serialize)]
pub(crate) struct Banner {
    chain_id: String,
    api_url: String,
    p2p_listen: String,
    height: u64,
    home: String,
    validator_key: String,
}

impl Banner {
    pub(crate) fn new(node: &Node, api: SocketAddr, p2p: SocketAddr, home: &Path) -> Banner {
        let head = node.head();
        let key = public_key_in(home).map(|key| key.to_string()).unwrap_or_default();
        Banner {
            chain_id: head.chain_id.to_string(),
            api_url: format!("http://{api}"),
            p2p_listen: p2p.to_string(),
            height: head.height.get(),
            home: home.display().to_string(),
            validator_key: key,
        }
    }

    pub(crate) fn text(&self) -> String {
        format!(
            "\nAtelier validator\n=================\nchain id   {}\napi        {}\np2p        {}\nkey        {}\nheight     {}\ndata       {}\n",
            self.chain_id, self.api_url, self.p2p_listen, self.validator_key, self.height, self.home
        )
    }
}
