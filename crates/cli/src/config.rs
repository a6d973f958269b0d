//! The node's home directory: `config.toml`, `genesis.json` and `data/`.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use atelier_node::mempool::MempoolConfig;
use atelier_primitives::Address;
use atelier_protocol::Genesis;
use serde::{Deserialize, Serialize};

/// The configuration file's name.
pub(crate) const CONFIG_FILE: &str = "config.toml";
/// The genesis file's name.
pub(crate) const GENESIS_FILE: &str = "genesis.json";

/// Milliseconds between a solo node's blocks when neither a flag nor `config.toml` says.
pub(crate) const DEFAULT_BLOCK_TIME_MS: u64 = 1_000;

/// `config.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileConfig {
    pub(crate) api_addr: SocketAddr,
    /// Absent in a validator's home, whose pace consensus sets.
    #[serde(default)]
    pub(crate) block_time_ms: Option<u64>,
    pub(crate) proposer: Address,
    /// Absent in a home written before the key existed: the node's default.
    #[serde(default = "default_invariant_scan_blocks")]
    pub(crate) invariant_scan_blocks: u64,
    /// Absent in a home written before past state was kept: the node's default.
    #[serde(default = "default_state_history_blocks")]
    pub(crate) state_history_blocks: u64,
    /// A dev chain's controls under `/dev`.
    #[serde(default)]
    pub(crate) dev_controls: bool,
    /// Web origins whose pages may call the API.
    #[serde(default)]
    pub(crate) cors_origins: Vec<String>,
    pub(crate) mempool: MempoolSection,
    /// Absent in a home written before the blob store existed: its defaults.
    #[serde(default)]
    pub(crate) blobs: BlobSection,
    /// Present in a validator's home.
    pub(crate) validator: Option<ValidatorSection>,
}

fn default_invariant_scan_blocks() -> u64 {
    atelier_node::NodeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), Address::default())
        .invariant_scan_blocks
}

fn default_state_history_blocks() -> u64 {
    atelier_node::DEFAULT_STATE_HISTORY_BLOCKS
}

/// `[validator]` in `config.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidatorSection {
    /// Where this validator listens for its peers.
    pub(crate) p2p_listen: SocketAddr,
}

/// `[mempool]` in `config.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MempoolSection {
    max_txs: usize,
    max_bytes: usize,
    max_per_sender: usize,
    nonce_window: u64,
    min_replacement_bump_percent: u32,
}

impl From<MempoolSection> for MempoolConfig {
    fn from(s: MempoolSection) -> Self {
        MempoolConfig {
            max_txs: s.max_txs,
            max_bytes: s.max_bytes,
            max_per_sender: s.max_per_sender,
            nonce_window: s.nonce_window,
            min_replacement_bump_percent: s.min_replacement_bump_percent,
        }
    }
}

/// `[blobs]` in `config.toml`: the blob store under `data/blobs`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BlobSection {
    max_blob_bytes: u64,
    quota_bytes: u64,
    retention_secs: u64,
}

impl Default for BlobSection {
    fn default() -> Self {
        let defaults = atelier_node::blobs::BlobConfig::new(PathBuf::new());
        BlobSection {
            max_blob_bytes: defaults.max_blob_bytes,
            quota_bytes: defaults.quota_bytes,
            retention_secs: defaults.retention.as_secs(),
        }
    }
}

impl BlobSection {
    /// The store's configuration, in `dir`.
    pub(crate) fn config(&self, dir: PathBuf) -> atelier_node::blobs::BlobConfig {
        atelier_node::blobs::BlobConfig {
            dir,
            max_blob_bytes: self.max_blob_bytes,
            quota_bytes: self.quota_bytes,
            retention: std::time::Duration::from_secs(self.retention_secs),
        }
    }
}

/// What `init` wrote.
#[derive(Debug, Serialize)]
pub(crate) struct Written {
    pub(crate) config: String,
    pub(crate) genesis: String,
}

/// What a home runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    /// A solo node producing its own blocks; a dev chain's has the dev controls.
    Solo { dev: bool },
    /// A validator, listening for its peers here.
    Validator { p2p_listen: SocketAddr },
}

/// Writes a commented `config.toml` for a solo node (tips to `proposer`) and `genesis` into
/// `home`; refuses to overwrite either.
pub(crate) fn init_home(home: &Path, genesis: &Genesis, proposer: Address, dev: bool) -> Result<Written> {
    let api = SocketAddr::from(([127, 0, 0, 1], 26657));
    init_home_with(home, &serde_json::to_string_pretty(genesis)?, api, proposer, Role::Solo { dev })
}

/// Writes `config.toml` (API on `api_addr`, tips to `proposer`, what the home runs) and
/// `genesis_json` into `home`; refuses to overwrite either.
pub(crate) fn init_home_with(
    home: &Path,
    genesis_json: &str,
    api_addr: SocketAddr,
    proposer: Address,
    role: Role,
) -> Result<Written> {
    let (config, genesis) = (home.join(CONFIG_FILE), home.join(GENESIS_FILE));
    for path in [&config, &genesis] {
        if path.exists() {
            bail!("{} already exists; remove it or choose another --home", path.display());
        }
    }
    std::fs::create_dir_all(home).with_context(|| format!("creating {}", home.display()))?;
    write_new(&genesis, genesis_json)?;
    write_new(&config, &config_text(api_addr, proposer, role))?;
    Ok(Written { config: display(&config), genesis: display(&genesis) })
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

pub(crate) fn write_new(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn config_text(api_addr: SocketAddr, proposer: Address, role: Role) -> String {
    let mempool = MempoolConfig::default();
    let blobs = BlobSection::default();
    let pace = match role {
        Role::Validator { .. } => {
            "# Blocks come as fast as the validators finalize them: consensus sets the pace (a\n\
                                   # validator's home has no block_time_ms)."
                .to_string()
        }
        Role::Solo { .. } => format!(
            "# Milliseconds between blocks; 0 produces blocks only when a transaction asks to wait.\n\
             block_time_ms = {DEFAULT_BLOCK_TIME_MS}"
        ),
    };
    let dev = match role {
        Role::Solo { dev: true } => {
            "\n# A dev chain: POST /dev/mine (`atelier dev mine N`) produces blocks on demand.\ndev_controls = true\n\n\
             # Web pages of any origin may call the API (a real chain lists its own, or none).\ncors_origins = [\"*\"]\n"
        }
        _ => {
            "\n# Web origins whose pages may call the API (CORS), e.g. [\"https://gallery.example\"]; \"*\"\n\
             # allows any. None by default: browsers keep other sites' pages out.\ncors_origins = []\n"
        }
    };
    let validator = match role {
        Role::Validator { p2p_listen: listen } => format!(
            r#"
[validator]
# Where this validator listens for the other validators (validators.json says where they reach it).
p2p_listen = "{listen}"
"#
        ),
        Role::Solo { .. } => String::new(),
    };
    format!(
        r#"# Atelier node configuration, written by atelier {version}.
# Flags given to `atelier node` override these values.

# Address the HTTP API listens on.
api_addr = "{api_addr}"

{pace}

# Account that receives the tips of the blocks this node produces (a validator's tips go to the
# account of its consensus key).
proposer = "{proposer}"

# Every this many blocks, and on start, the node checks every invariant of the whole state (O(state))
# before it commits; a broken one stops it. The cheap checks run on every block regardless. 0 checks
# only on start.
invariant_scan_blocks = {invariant_scan_blocks}

# The state of this many past blocks stays readable, values and proofs (GET /state/{{keys}}?height=);
# older heights are refused. Each block kept costs a record of every key and trie branch it changed.
# 0 keeps the head's state alone.
state_history_blocks = {state_history_blocks}
{dev}
[mempool]
# Most transactions held.
max_txs = {max_txs}
# Most bytes of encoded transactions held.
max_bytes = {max_bytes}
# Most pending transactions per sender.
max_per_sender = {max_per_sender}
# How far past a sender's next nonce a transaction may wait for the gap to fill.
nonce_window = {nonce_window}
# A replacement (same sender and nonce) must raise both fee caps by this many percent.
min_replacement_bump_percent = {bump}

[blobs]
# The blob store in data/blobs: prompts, parameters, style files and outputs, by their hash.
# Largest blob accepted, in bytes.
max_blob_bytes = {max_blob_bytes}
# Most bytes all blobs may take together.
quota_bytes = {quota_bytes}
# Seconds a blob nothing on chain refers to is kept after its last upload.
retention_secs = {retention_secs}
{validator}"#,
        version = env!("CARGO_PKG_VERSION"),
        invariant_scan_blocks = default_invariant_scan_blocks(),
        state_history_blocks = default_state_history_blocks(),
        max_txs = mempool.max_txs,
        max_bytes = mempool.max_bytes,
        max_per_sender = mempool.max_per_sender,
        nonce_window = mempool.nonce_window,
        bump = mempool.min_replacement_bump_percent,
        max_blob_bytes = blobs.max_blob_bytes,
        quota_bytes = blobs.quota_bytes,
        retention_secs = blobs.retention_secs,
    )
}

fn read(home: &Path, name: &str) -> Result<(PathBuf, String)> {
    let path = home.join(name);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {} (run `atelier init --home {}` first, with --genesis FILE or --dev)",
            path.display(),
            home.display()
        )
    })?;
    Ok((path, text))
}

/// Reads `config.toml`.
pub(crate) fn load(home: &Path) -> Result<FileConfig> {
    let (path, text) = read(home, CONFIG_FILE)?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The node's database in `home`.
pub(crate) fn database_path(home: &Path) -> std::path::PathBuf {
    home.join("data").join("chain.redb")
}

/// Reads `genesis.json`.
pub(crate) fn load_genesis(home: &Path) -> Result<Genesis> {
    let (path, text) = read(home, GENESIS_FILE)?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validator_home_names_no_block_time_a_solo_home_its_default_and_only_a_dev_home_dev_controls() {
        let api = SocketAddr::from(([127, 0, 0, 1], 26657));
        let parse = |role| toml::from_str::<FileConfig>(&config_text(api, Address::default(), role)).unwrap();
        let validator = parse(Role::Validator { p2p_listen: SocketAddr::from(([0, 0, 0, 0], 26700)) });
        assert_eq!(validator.block_time_ms, None, "consensus sets a validator's pace");
        assert!(validator.validator.is_some() && !validator.dev_controls);
        let solo = parse(Role::Solo { dev: false });
        assert_eq!(solo.block_time_ms, Some(DEFAULT_BLOCK_TIME_MS));
        assert!(!solo.dev_controls, "a real chain has no dev controls");
        assert!(solo.cors_origins.is_empty(), "a real chain's API is not open to every web page");
        let dev = parse(Role::Solo { dev: true });
        assert!(dev.dev_controls);
        assert_eq!(dev.cors_origins, ["*"]);
    }
}
