//! Validators: `atelier init --validators N` writes one home per validator of a new validator
//! set, and `atelier node --validator --home DIR` runs one of them under BFT consensus.
//!
//! Besides `config.toml` and `genesis.json` (the same in every home), a validator's home holds
//!
//! | file | what |
//! |---|---|
//! | `validators.json` | the validator set: each one's consensus public key and p2p address (the same in every home) |
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

use crate::config;

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

/// Writes `count` validator homes `base/validator-{i}` of one new chain: fresh keys, p2p on
/// `host:p2p_port+i`, APIs on `host:api_port+i`.
pub(crate) fn init_set(
    base: &Path,
    count: u32,
    host: IpAddr,
    p2p_port: u16,
    api_port: u16,
    genesis: &atelier_protocol::Genesis,
) -> Result<WrittenSet> {
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
        let public_key = public_key_of(&seed)?;
        validators.push(ValidatorEntry {
            public_key: hex_encode(&public_key),
            p2p_addr: SocketAddr::new(host, port(p2p_port, i)?),
            api_addr: SocketAddr::new(host, port(api_port, i)?),
        });
        seeds.push(seed);
    }
    let genesis = serde_json::to_string_pretty(genesis)?;
    let set = serde_json::to_string_pretty(&validators)?;
    let mut homes = Vec::new();
    for (i, (seed, entry)) in seeds.iter().zip(&validators).enumerate() {
        let home = base.join(format!("validator-{i}"));
        let proposer = atelier_primitives::PublicKey::from_array(public_key_of(seed)?).address();
        let listen = SocketAddr::new(unspecified_like(entry.p2p_addr.ip()), entry.p2p_addr.port());
        config::init_home_with(
            &home,
            &genesis,
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
        config::write_new(&home.join(VALIDATORS_FILE), &set)?;
        homes.push(home.display().to_string());
    }
    Ok(WrittenSet { homes, validators })
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
    if !validators.iter().any(|peer| peer.public_key == public_key_of(&key_seed).unwrap_or_default()) {
        bail!("this validator's key is not in {}", path.display());
    }
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
        let key = std::fs::read_to_string(home.join(KEY_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<KeyFile>(&text).ok())
            .map(|key| key.public_key)
            .unwrap_or_default();
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
