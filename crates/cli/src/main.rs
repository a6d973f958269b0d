//! `atelier`: the one binary — run a node, query it, send transactions.
//!
//! Data goes to stdout (with `--output json`, the data alone); banners, progress and errors go to
//! stderr.

mod agents;
mod blob;
mod client_config;
mod config;
mod dev;
mod economy;
mod genesis;
mod keys;
mod modules;
mod money;
mod offline;
mod output;
mod prompt;
mod proof;
mod sim;
mod stats;
mod validator;

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use anyhow::{Context, Result, anyhow, bail};
use atelier_api::SimulatedOutcome;
use atelier_client::{Client, ClientError};
use atelier_node::{Node, NodeConfig};
use atelier_primitives::{Address, Height, hd};
use atelier_protocol::{Msg, Tx, modules::fees::GasSchedule};
use atelier_storage::Storage;
use clap::{Parser, Subcommand};

use crate::output::Output;

/// Atelier: the economic engine of a Generative Design Community.
#[derive(Debug, Parser)]
#[command(name = "atelier", version, about)]
struct Cli {
    /// Output format for data on stdout.
    #[arg(long, short, global = true, value_enum, default_value_t = Output::Text)]
    output: Output,
    /// The node's API (default: `atelier config`'s, else http://127.0.0.1:26657).
    #[arg(long, global = true, env = "ATELIER_NODE")]
    node: Option<String>,
    /// Directory of named keys (default: ~/.atelier/keys).
    #[arg(long, global = true, env = "ATELIER_KEYRING")]
    keyring_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a node.
    Node(NodeArgs),
    /// Write a node home (a commented config.toml and the genesis.json) from a genesis file, or
    /// for a development chain.
    Init(InitArgs),
    /// Genesis files for real chains: a commented example, and validation.
    #[command(subcommand)]
    Genesis(GenesisCommand),
    /// Read the chain.
    #[command(subcommand)]
    Query(QueryCommand),
    /// Sign and send transactions.
    #[command(subcommand)]
    Tx(TxCommand),
    /// Named keys in an encrypted keystore.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// The economic simulator: scenarios over the protocol's own execution.
    #[command(subcommand)]
    Sim(sim::SimCommand),
    /// Controls of a dev chain (`atelier node --dev`).
    #[command(subcommand)]
    Dev(DevCommand),
    /// The node's blob store: prompts, parameters, style files and outputs, by their hash.
    #[command(subcommand)]
    Blob(blob::BlobCommand),
    /// A GPU operator's daemon: generates the jobs assigned to a registered provider.
    #[command(subcommand)]
    Provider(agents::ProviderCommand),
    /// A verifier's daemon: re-executes deterministic results and challenges wrong ones.
    #[command(subcommand)]
    Verifier(agents::VerifierCommand),
    /// An oracle operator's daemon: measures its feeds and observes each open round once.
    #[command(subcommand)]
    Oracle(agents::OracleCommand),
    /// Render locally what a procedural model generates for a prompt (a PNG).
    Generate(agents::GenerateArgs),
    /// Prompt a model: the output, checked against the chain's record, in a file.
    Prompt(prompt::PromptArgs),
    /// The economy series a node keeps for its dashboard.
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// The client's settings (~/.atelier/client.toml, or $ATELIER_CONFIG): the node to talk to,
    /// the keys' directory.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script, e.g. `atelier completions bash > ~/.local/share/bash-completion/completions/atelier`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Set a setting, e.g. `atelier config set node https://node.gallery.example`.
    Set {
        /// Which.
        key: client_config::Key,
        /// Its value.
        value: String,
    },
    /// Remove a setting (its default applies again).
    Unset {
        /// Which.
        key: client_config::Key,
    },
    /// Every setting, and the file they are in.
    Show,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DevCommand {
    /// Mine N blocks now (default 1), whatever the block time; returns once they are committed.
    Mine {
        /// How many blocks (1 to 1 000).
        #[arg(default_value_t = 1)]
        blocks: u64,
    },
    /// Keep the state as it is now; `atelier dev revert ID` puts it back.
    Snapshot,
    /// Put a snapshot back — state, head and history, the blocks after it deleted — and forget it
    /// and every later one. Pending transactions are dropped.
    #[command(
        after_help = "Example:\n  id=$(atelier -o json dev snapshot | jq .id)\n  atelier tx bank transfer --from dev1 --to dev2 --amount 5GDC --wait\n  atelier dev revert $id   # the transfer never happened"
    )]
    Revert {
        /// The snapshot's id.
        id: u64,
    },
    /// Write the whole state at the head to a file (or `-` for stdout), for `atelier dev load`.
    Dump {
        /// Where.
        file: PathBuf,
    },
    /// Make an account hold exactly an amount of GDC or USD, through transactions from the dev
    /// accounts mined at once (only a dev account's balance can be lowered).
    #[command(
        after_help = "Examples:\n  atelier dev set-balance alice 1000GDC\n  atelier dev set-balance dev3 25.5USD"
    )]
    SetBalance {
        /// A key name, `devN`, or a bech32 address.
        account: String,
        /// `1000GDC`, `25.5USD`, or base units of --denom.
        amount: money::Money,
        /// The denomination of a bare amount.
        #[arg(long, default_value = "ugdc")]
        denom: String,
    },
    /// Make a dump's state and head the chain's (a dump of this dev chain: the same chain id).
    /// Blocks above its height are deleted; pending transactions are dropped.
    Load {
        /// The dump (or `-` for stdin).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum GenesisCommand {
    /// Print a commented example genesis file, every field explained.
    Example,
    /// Check a genesis file (a spec in TOML or JSON, or a chain's genesis.json) and explain each
    /// problem: the chain's rules, the roles it needs, and published keys.
    Validate {
        /// The file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create a key from a fresh 24-word mnemonic, shown once.
    Add {
        /// The key's name.
        name: String,
        /// Store the secret in plain text (throwaway test keys only).
        #[arg(long)]
        insecure: bool,
    },
    /// Import a key: from a mnemonic read on stdin, or a dev account with --dev N.
    Import {
        /// The key's name.
        name: String,
        /// Import dev account N of the published dev mnemonic instead.
        #[arg(long)]
        dev: Option<u32>,
        /// Account index on the path m/44'/7771'/0'/0'/INDEX'.
        #[arg(long, default_value_t = 0)]
        index: u32,
        /// Store the secret in plain text (throwaway test keys only).
        #[arg(long)]
        insecure: bool,
    },
    /// Every key.
    List,
    /// One key's address and public key.
    Show {
        /// The key's name.
        name: String,
    },
    /// Delete a key file. Unless its mnemonic is written down, the key is gone for good.
    Delete {
        /// The key's name.
        name: String,
        /// Confirm: without it, nothing is deleted.
        #[arg(long)]
        yes: bool,
    },
    /// Print a key for another wallet: its key file (encrypted as it is stored), or with
    /// --secret its ed25519 secret seed, hex (asks for the password).
    Export {
        /// The key's name.
        name: String,
        /// Print the secret seed instead of the encrypted file.
        #[arg(long)]
        secret: bool,
    },
}

#[derive(Debug, clap::Args)]
struct NodeArgs {
    /// Development chain: funded dev accounts, data in a temporary directory unless --home.
    #[arg(long)]
    dev: bool,
    /// Keep data here (config.toml, genesis.json, data/).
    #[arg(long)]
    home: Option<PathBuf>,
    /// Where the API listens (overrides config.toml).
    #[arg(long)]
    api_addr: Option<SocketAddr>,
    /// Milliseconds between blocks; 0 produces blocks only when a transaction asks to wait.
    #[arg(long)]
    block_time_ms: Option<u64>,
    /// Number of funded dev accounts (--dev only).
    #[arg(long, default_value_t = dev::DEV_ACCOUNTS)]
    accounts: u32,
    /// A dev chain without its economy: no models, dataset, provider or verifier registered, and
    /// no provider or verifier daemon running.
    #[arg(long, requires = "dev")]
    no_provider: bool,
    /// Run a validator home (written by `atelier init --validators N`): blocks come from BFT
    /// consensus with the other validators.
    #[arg(long)]
    validator: bool,
    /// Log lines for people, or one JSON object per line. A dev chain logs each transaction too
    /// (`RUST_LOG` overrides what is logged).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("chain").required(true).args(["genesis", "dev", "join"])))]
struct InitArgs {
    /// Directory to write into.
    #[arg(long)]
    home: PathBuf,
    /// The chain's genesis file (see `atelier genesis example`); checked before anything is
    /// written.
    #[arg(long)]
    genesis: Option<PathBuf>,
    /// The account that receives this node's block tips: a key name or an address (--genesis,
    /// without --validators, whose tips go to each validator's key).
    #[arg(long)]
    proposer: Option<String>,
    /// A development chain instead: the published dev mnemonic's accounts are funded and hold
    /// every role. Never for a chain that carries value.
    #[arg(long)]
    dev: bool,
    /// The dev chain's id (--dev).
    #[arg(long, default_value = "atelier-local", requires = "dev")]
    chain_id: String,
    /// Fund this many accounts of the published dev mnemonic (--dev).
    #[arg(long, default_value_t = dev::DEV_ACCOUNTS, requires = "dev")]
    dev_accounts: u32,
    /// Blocks per epoch of the dev chain (--dev): validator sets change at epoch boundaries.
    #[arg(long, requires = "dev")]
    epoch_blocks: Option<u64>,
    /// Write one validator home that follows the chain of the validator home DIR — its genesis,
    /// and its validators.json for the peers to dial first — with a fresh consensus key. It
    /// signs once the chain chooses it (`atelier tx validator register`).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["validators", "proposer"])]
    join: Option<PathBuf>,
    /// With --join: start from the state of the validator whose API is URL instead of replaying
    /// the chain from genesis — its state at its head, checked against that head's state root,
    /// the blocks consensus starts from and the head's finalization certificate. The state is as
    /// trustworthy as the chain the certificate belongs to: sync from a validator you trust.
    #[arg(long, value_name = "URL", requires = "join")]
    sync_from: Option<String>,
    /// With --sync-from: a validator set you trust (JSON, as `atelier query validators --epoch E`
    /// prints it); the synced head's finalization certificate must be signed by a quorum of it, so
    /// the state need not be taken on the peer's word.
    #[arg(long, value_name = "FILE", requires = "sync_from")]
    validator_set: Option<PathBuf>,
    /// Write N validator homes DIR/validator-0 … DIR/validator-(N-1) of one new validator set,
    /// each with a fresh consensus key, instead of one node home.
    #[arg(long)]
    validators: Option<u32>,
    /// The validators' host (--validators).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Validator i listens for its peers on this port + i (--validators, --join).
    #[arg(long, default_value_t = 26700)]
    p2p_port: u16,
    /// Validator i serves its API on this port + i (--validators, --join).
    #[arg(long, default_value_t = 26657)]
    api_port: u16,
}

#[derive(Debug, Subcommand)]
enum QueryCommand {
    /// Chain id, height, head hash.
    Status,
    /// Balances and nonces of an account.
    Account {
        /// A key name, `devN` for dev account N, or a bech32 address.
        address: String,
        #[command(flatten)]
        prove: modules::Prove,
    },
    /// A block (the latest without a height).
    Block {
        /// Height.
        height: Option<u64>,
    },
    /// A transaction and its receipt.
    Tx {
        /// Transaction hash, hex.
        hash: String,
    },
    /// Events from a height on, a page at a time.
    Events {
        /// First height.
        #[arg(long, default_value_t = 1)]
        from_height: u64,
        /// Where the page starts instead: the `next` cursor the page before printed.
        #[arg(long, conflicts_with = "from_height")]
        cursor: Option<String>,
        /// Most events.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Base fee and suggested fee caps.
    Fees,
    /// State entries by key, as the modules lay them out (several keys at once); with --prove,
    /// each value or absence is checked here against the block's state root.
    State {
        /// Keys, hex.
        #[arg(required = true)]
        keys: Vec<String>,
        /// The block whose state to read (the head when not given).
        #[arg(long)]
        height: Option<u64>,
        /// Ask for proofs and check them: the header against its hash, each value or absence
        /// against the header's state root. Fails, printing nothing, if any check fails.
        #[arg(long)]
        prove: bool,
        /// With --prove: the hash of the block the answer must be about, as trusted from
        /// elsewhere (another node, a finality certificate).
        #[arg(long, requires = "prove")]
        expect_block: Option<String>,
        /// With --prove, against validators: a validator set you trust (JSON, as `atelier query
        /// validators --epoch E` prints it); the block must carry a finalization certificate
        /// signed by a quorum of it.
        #[arg(long, requires = "prove")]
        validator_set: Option<std::path::PathBuf>,
    },
    #[command(flatten)]
    Module(modules::ModuleQuery),
}

/// Who signs a transaction, and how it is sent.
#[derive(Debug, clap::Args)]
struct Signing {
    /// Signer: a key name, or `devN` for dev account N.
    #[arg(long)]
    from: String,
    /// Use this nonce instead of the next one the node reports.
    #[arg(long)]
    nonce: Option<u64>,
    /// Blocks from now after which the transaction is void.
    #[arg(long, default_value_t = 100)]
    expires_in: u64,
    /// Return once the transaction is in a committed block.
    #[arg(long)]
    wait: bool,
    /// Most gas the transaction may use (default: what the node's gas schedule charges its
    /// messages).
    #[arg(long)]
    gas_limit: Option<u64>,
    /// Most paid per unit of gas, tip included, in GDC: `0.00002GDC` or base units (ugdc)
    /// (default: the node's suggestion, twice the base fee plus the tip).
    #[arg(long)]
    max_fee: Option<money::Money>,
    /// Of that, the tip per unit of gas for the block's proposer, in GDC or base units (default:
    /// the node's suggestion).
    #[arg(long)]
    tip: Option<money::Money>,
    /// Print what the transaction would do (outcome, gas, fee, events) and send nothing.
    #[arg(long, conflicts_with = "force")]
    dry_run: bool,
    /// Send it even if the node's simulation says it would fail (its fee is charged all the same).
    #[arg(long)]
    force: bool,
    /// Print the unsigned transaction (JSON, with its canonical bytes) and send nothing: sign it
    /// where the key is with `atelier tx sign`, send it with `atelier tx broadcast`. Needs only the
    /// signer's public key.
    #[arg(long, conflicts_with_all = ["dry_run", "force", "wait"])]
    generate_only: bool,
}

#[derive(Debug, Subcommand)]
enum TxCommand {
    #[command(flatten)]
    Module(Box<modules::ModuleTx>),
    /// Several messages in one transaction, from a JSON array of messages (a file, or `-` for
    /// stdin), as `--generate-only` shows them: e.g. `[{"bank":{"type":"transfer","to":"atelier1…",
    /// "denom":"ugdc","amount":"5000000"}}, …]`. They apply together or not at all.
    Batch {
        #[command(flatten)]
        signing: Signing,
        /// The messages.
        file: PathBuf,
    },
    /// Sign an unsigned transaction (from `--generate-only`, a file or `-` for stdin) with a key;
    /// no node is needed.
    Sign {
        /// The unsigned transaction: its JSON, or the hex of its canonical bytes.
        file: PathBuf,
        /// Signer: a key name, or `devN` for dev account N; must be the transaction's sender.
        #[arg(long)]
        from: String,
    },
    /// Send a signed transaction (from `atelier tx sign`, a file or `-` for stdin) as it is.
    Broadcast {
        /// The signed transaction: its JSON, or the hex of its canonical bytes.
        file: PathBuf,
        /// Return once the transaction is in a committed block.
        #[arg(long)]
        wait: bool,
    },
}

fn main() -> std::process::ExitCode {
    let (args, note) = modules::renamed(std::env::args().collect());
    let cli = Cli::parse_from(args);
    if let Some(note) = note {
        eprintln!("{note}");
    }
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(mut cli: Cli) -> Result<()> {
    let config_path = client_config::path();
    let settings = client_config::load(&config_path)?;
    cli.keyring_dir = cli.keyring_dir.or_else(|| settings.keyring_dir.clone());
    let node = cli
        .node
        .take()
        .or_else(|| settings.node.clone())
        .unwrap_or_else(|| client_config::DEFAULT_NODE.into());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match cli.command {
        Command::Node(args) if args.validator => {
            // The consensus engine brings its own runtime.
            drop(runtime);
            run_validator(args, cli.output)
        }
        Command::Node(args) => runtime.block_on(run_node(args, cli.output)),
        Command::Init(args) => init(args, cli.output, &keystore(cli.keyring_dir)),
        Command::Genesis(command) => run_genesis(command, cli.output),
        Command::Query(query) => runtime.block_on(run_query(
            Client::new(node.clone()),
            &keystore(cli.keyring_dir),
            query,
            cli.output,
        )),
        Command::Tx(tx) => {
            runtime.block_on(run_tx(Client::new(node.clone()), &keystore(cli.keyring_dir), tx, cli.output))
        }
        Command::Keys(command) => run_keys(&keystore(cli.keyring_dir), command, cli.output),
        Command::Sim(command) => sim::run(command, cli.output),
        Command::Config(command) => run_config(command, settings, &config_path, cli.output),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "atelier",
                &mut script,
            );
            use std::io::Write;
            match std::io::stdout().write_all(&script) {
                // A reader that stops early (`| head`) is not an error.
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
                _ => Ok(()),
            }
        }
        Command::Dev(command) => {
            let store = keystore(cli.keyring_dir);
            runtime.block_on(dev::run(Client::new(node.clone()), &store, command, cli.output))
        }
        Command::Blob(command) => runtime.block_on(blob::run(Client::new(node.clone()), command, cli.output)),
        Command::Provider(command) => {
            let store = keystore(cli.keyring_dir);
            runtime.block_on(agents::run_provider(node.clone(), &store, command))
        }
        Command::Verifier(command) => {
            let store = keystore(cli.keyring_dir);
            runtime.block_on(agents::run_verifier(node.clone(), &store, command))
        }
        Command::Oracle(command) => {
            let store = keystore(cli.keyring_dir);
            runtime.block_on(agents::run_oracle(node.clone(), &store, command))
        }
        Command::Generate(args) => agents::generate(args),
        Command::Stats(command) => stats::run(command, cli.output),
        Command::Prompt(args) => {
            let store = keystore(cli.keyring_dir);
            runtime.block_on(prompt::run(node.clone(), &store, args, cli.output))
        }
    }
}

/// `atelier config`: a change is written to the file; `show` only reads it.
fn run_config(
    command: ConfigCommand,
    settings: client_config::ClientConfig,
    path: &std::path::Path,
    output: Output,
) -> Result<()> {
    let settings = match command {
        ConfigCommand::Show => settings,
        ConfigCommand::Set { key, value } => {
            let settings = settings.with(key, Some(value))?;
            settings.save(path)?;
            settings
        }
        ConfigCommand::Unset { key } => {
            let settings = settings.with(key, None)?;
            settings.save(path)?;
            settings
        }
    };
    let shown = serde_json::json!({ "file": path.display().to_string(), "settings": settings });
    output.print(&shown, |_| {
        format!("{}\n{}", path.display(), toml::to_string(&settings).unwrap_or_default().trim_end())
    })
}

fn keystore(dir: Option<PathBuf>) -> keys::Keystore {
    let default =
        || std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default().join(".atelier").join("keys");
    keys::Keystore::new(dir.unwrap_or_else(default))
}

#[derive(Debug, serde::Serialize)]
struct AddedKey {
    key: keys::KeyInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    mnemonic: Option<String>,
}

fn run_keys(store: &keys::Keystore, command: KeysCommand, output: Output) -> Result<()> {
    let secret = |insecure: bool| if insecure { Ok(None) } else { keys::password(true).map(Some) };
    let added = |added: &AddedKey| {
        let mut text = format!("{}  {}", added.key.name, added.key.address);
        if let Some(mnemonic) = &added.mnemonic {
            text.push_str(&format!(
                "\n\nmnemonic (shown once; write it down, it restores the key):\n  {mnemonic}"
            ));
        }
        text
    };
    match command {
        KeysCommand::Add { name, insecure } => {
            let (mnemonic, key, path) = keys::generate()?;
            let file = store.add(&name, &key, Some(path), secret(insecure)?.as_deref())?;
            output.print(&AddedKey { key: file.info(), mnemonic: Some(mnemonic) }, added)
        }
        KeysCommand::Import { name, dev, index, insecure } => {
            let (key, path) = match dev {
                Some(dev) => (hd::dev_key(dev), hd::account_path(dev)),
                None => {
                    eprintln!("mnemonic (one line on stdin):");
                    let mut phrase = String::new();
                    std::io::stdin().read_line(&mut phrase)?;
                    keys::from_mnemonic(&phrase, index)?
                }
            };
            let file = store.add(&name, &key, Some(path), secret(insecure)?.as_deref())?;
            output.print(&AddedKey { key: file.info(), mnemonic: None }, added)
        }
        KeysCommand::List => {
            let list: Vec<keys::KeyInfo> = store.list()?.iter().map(keys::KeyFile::info).collect();
            output.print(&list, |list| {
                if list.is_empty() {
                    return "no keys (atelier keys add NAME)".into();
                }
                list.iter().map(|k| format!("{:<16} {}", k.name, k.address)).collect::<Vec<_>>().join("\n")
            })
        }
        KeysCommand::Show { name } => output.print(&store.load(&name)?.info(), output::readable),
        KeysCommand::Delete { name, yes } => {
            let key = store.load(&name)?;
            if !yes {
                bail!(
                    "this deletes {name} ({}) for good unless its mnemonic is written down; add --yes",
                    key.address
                );
            }
            store.delete(&name)?;
            output.print(&key.info(), |key| format!("deleted {}  {}", key.name, key.address))
        }
        KeysCommand::Export { name, secret: false } => {
            output.print(&store.load(&name)?, |file| serde_json::to_string_pretty(file).unwrap_or_default())
        }
        KeysCommand::Export { name, secret: true } => {
            let key = store.unlock(&name, || keys::password(false))?;
            eprintln!("warning: whoever sees this seed controls {name}; do not paste it anywhere shared");
            let seed = atelier_primitives::hash::hex_encode(&key.to_seed());
            output.print(&serde_json::json!({ "name": name, "secret_seed": seed }), |_| seed.clone())
        }
    }
}

/// The signing key `from`: a keystore name, else `devN`.
fn signer(store: &keys::Keystore, from: &str) -> Result<atelier_primitives::SecretKey> {
    if store.contains(from) {
        return store.unlock(from, || keys::password(false));
    }
    match from.strip_prefix("dev").and_then(|n| n.parse::<u32>().ok()) {
        Some(index) => Ok(hd::dev_key(index)),
        None => bail!("no key named {from:?} (see `atelier keys list`; devN names dev account N)"),
    }
}

fn init(args: InitArgs, output: Output, store: &keys::Keystore) -> Result<()> {
    if let Some(existing) = &args.join {
        // Fetched and checked before anything is written.
        let snapshot = match &args.sync_from {
            Some(url) => Some(validator::fetch_state(existing, url, args.validator_set.as_deref())?),
            None => None,
        };
        let written = validator::init_joining(&args.home, existing, args.host, args.p2p_port, args.api_port)?;
        let synced = match &snapshot {
            Some(snapshot) => Some(validator::write_state(&args.home, snapshot)?),
            None => None,
        };
        let written = validator::Joined { written, synced };
        return output.print(&written, |joined| {
            let w = &joined.written;
            let synced = joined
                .synced
                .as_ref()
                .map(|s| {
                    format!(
                        "synced the state at height {} ({} entries, state root {} checked)\n",
                        s.height, s.entries, s.state_root
                    )
                })
                .unwrap_or_default();
            format!(
                "{synced}wrote {}  (p2p {}, api {}, key {})\nrun it with: atelier node --validator --home {}\n\
                 it follows the chain; to be chosen, stake and register its key:\n  \
                 atelier tx validator register --from NAME --validator-home {} --p2p-addr {}",
                w.homes[0],
                w.validators[0].p2p_addr,
                w.validators[0].api_addr,
                w.validators[0].public_key,
                w.homes[0],
                w.homes[0],
                w.validators[0].p2p_addr
            )
        });
    }
    let dev_genesis = |validators: &[genesis::ValidatorSpec]| -> Result<atelier_protocol::Genesis> {
        let mut genesis = dev::genesis(&args.chain_id, args.dev_accounts, validators)?;
        if let Some(blocks) = args.epoch_blocks {
            genesis.staking.params.epoch_blocks = blocks;
            genesis = genesis.normalize().map_err(|e| anyhow!("--epoch-blocks {blocks}: {e}"))?;
        }
        Ok(genesis)
    };
    if let Some(count) = args.validators {
        if args.proposer.is_some() {
            bail!("--proposer is for a single node: each validator's tips go to its consensus key");
        }
        let set = validator::NewSet::generate(count, args.host, args.p2p_port, args.api_port)?;
        let genesis = match &args.genesis {
            Some(file) => set.register_in(genesis::load(file)?)?,
            None => dev_genesis(&set.specs())?,
        };
        let written = set.write_homes(&args.home, &genesis)?;
        return output.print(&written, |w| {
            let mut text = String::new();
            for (home, entry) in w.homes.iter().zip(&w.validators) {
                text.push_str(&format!(
                    "wrote {home}  (p2p {}, api {}, key {})\n",
                    entry.p2p_addr, entry.api_addr, entry.public_key
                ));
            }
            text.push_str("run each with: atelier node --validator --home DIR");
            text
        });
    }
    let genesis = match &args.genesis {
        Some(file) => genesis::load(file)?,
        None => dev_genesis(&[])?,
    };
    let proposer = match (&args.proposer, args.dev) {
        (Some(proposer), true) => address(store, proposer)?,
        (Some(proposer), false) if store.contains(proposer) => store.load(proposer)?.address,
        (Some(proposer), false) => proposer
            .parse()
            .map_err(|e| anyhow!("--proposer {proposer:?}: {e} (nor a key name, see `atelier keys list`)"))?,
        (None, true) => hd::dev_key(0).public_key().address(),
        (None, false) => {
            bail!("give --proposer NAME|ADDRESS: the account that receives this node's block tips")
        }
    };
    let written = config::init_home(&args.home, &genesis, proposer, args.dev)?;
    output.print(&written, |w| format!("wrote {}\nwrote {}", w.config, w.genesis))
}

fn run_genesis(command: GenesisCommand, output: Output) -> Result<()> {
    match command {
        GenesisCommand::Example => {
            print!("{}", genesis::EXAMPLE);
            Ok(())
        }
        GenesisCommand::Validate { file } => {
            let report = genesis::validate(&file)?;
            output.print(&report, genesis::Report::text)?;
            if !report.ok {
                bail!("{} is not a usable genesis", file.display());
            }
            Ok(())
        }
    }
}

/// The node in `home`: its configuration (`api_addr` and `block_time_ms` override the file's), and
/// its database, initialized from `genesis.json` the first time.
fn open_node(
    home: &std::path::Path,
    api_addr: Option<SocketAddr>,
    block_time_ms: Option<u64>,
    dev_accounts: Option<u32>,
) -> Result<(Arc<Node>, config::FileConfig)> {
    let file = config::load(home)?;
    let storage = Storage::open(&config::database_path(home))
        .with_context(|| format!("opening the database in {}", home.display()))?;
    if storage.head()?.is_none() {
        let genesis = config::load_genesis(home)?;
        let missing = genesis::missing_roles(&genesis);
        if !missing.is_empty() {
            bail!(
                "{} cannot start a working chain:\n  - {}",
                home.join(config::GENESIS_FILE).display(),
                missing.join("\n  - ")
            );
        }
        let state =
            atelier_protocol::init_chain(&storage.snapshot()?, genesis).context("genesis.json is invalid")?;
        storage.init(&state)?;
    }
    let mut node_config = NodeConfig::new(api_addr.unwrap_or(file.api_addr), file.proposer);
    let block_time_ms = block_time_ms.or(file.block_time_ms).unwrap_or(config::DEFAULT_BLOCK_TIME_MS);
    node_config.block_interval = (block_time_ms > 0).then(|| Duration::from_millis(block_time_ms));
    node_config.mempool = file.mempool.clone().into();
    node_config.invariant_scan_blocks = file.invariant_scan_blocks;
    node_config.state_history_blocks = file.state_history_blocks;
    node_config.dev_controls = file.dev_controls;
    node_config.dev_accounts = dev::named_accounts(dev_accounts.unwrap_or(0));
    node_config.cors_origins = file.cors_origins.clone();
    node_config.blobs = Some(file.blobs.config(home.join("data").join("blobs")));
    Ok((Node::new(storage, node_config)?, file))
}

async fn run_node(args: NodeArgs, output: Output) -> Result<()> {
    init_logging(args.log_format, args.dev);
    let temporary = match (&args.home, args.dev) {
        (None, true) => Some(tempfile::Builder::new().prefix("atelier-dev-").tempdir()?),
        (None, false) => {
            bail!(
                "give --home DIR (after `atelier init --home DIR --genesis FILE`), or --dev for a development chain"
            )
        }
        (Some(_), _) => None,
    };
    let home = args
        .home
        .clone()
        .unwrap_or_else(|| temporary.as_ref().map(|t| t.path().to_path_buf()).unwrap_or_default());
    if args.dev && !home.join(config::GENESIS_FILE).exists() {
        let genesis = dev::genesis(dev::DEV_CHAIN_ID, args.accounts, &[])?;
        config::init_home(&home, &genesis, hd::dev_key(0).public_key().address(), true)?;
    }
    let (node, _) = open_node(&home, args.api_addr, args.block_time_ms, args.dev.then_some(args.accounts))?;
    let api_addr = node.config().api_addr;
    let listener = tokio::net::TcpListener::bind(api_addr)
        .await
        .with_context(|| format!("binding the API to {api_addr}"))?;
    let api_url = format!("http://{}", listener.local_addr()?);
    // One stop for the node and the dev economy's daemons: SIGTERM, Ctrl-C, or a failed start.
    let stop = Arc::new(tokio::sync::watch::channel(false).0);
    let signal = stop.clone();
    tokio::spawn(async move {
        stop_signal().await;
        let _ = signal.send(true);
    });
    let stopped = {
        let stop = stop.clone();
        move || -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            let mut stopped = stop.subscribe();
            Box::pin(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            })
        }
    };
    // The sequencer stops between blocks, never inside one: a block being committed finishes.
    let running = tokio::spawn(Arc::clone(&node).run(listener, stopped()));
    let economy = if args.dev && !args.no_provider {
        let started = async {
            let mut economy = economy::register(&api_url).await?;
            economy::run_agents(&api_url, &home, &stopped);
            economy.oracle_feeds = economy::run_oracle_agents(&api_url, &home, &stopped).await?;
            Ok::<_, anyhow::Error>(economy)
        };
        match started.await {
            Ok(economy) => Some(economy),
            Err(error) => {
                let _ = stop.send(true);
                let _ = running.await;
                return Err(error.context("setting up the dev economy (--no-provider starts without it)"));
            }
        }
    } else {
        None
    };
    let banner = dev::Banner::new(
        &node,
        &api_url,
        &home,
        temporary.is_some(),
        args.dev.then_some(args.accounts),
        economy,
    );
    output.print(&banner, dev::Banner::text)?;
    running.await.map_err(|e| anyhow!("the node's task: {e}"))??;
    let height = node.head().height;
    // The last handle: the database closes here, before a temporary home is removed.
    drop(node);
    tracing::info!(height = height.get(), "stopped");
    if args.log_format == LogFormat::Text {
        eprintln!("stopped at height {height}");
    }
    drop(temporary);
    Ok(())
}

/// What a simulation found, for people.
fn simulation_text(simulated: &atelier_api::SimulatedTx) -> String {
    let why = || {
        format!(
            "code {}: {}",
            simulated.code.map_or("?".into(), |code| code.to_string()),
            simulated.reason.as_deref().unwrap_or("")
        )
    };
    match simulated.outcome {
        SimulatedOutcome::Applied => format!(
            "would apply: gas {}, fee {} ugdc, {} events",
            simulated.gas_used.unwrap_or(0),
            simulated.fee.as_deref().unwrap_or("0"),
            simulated.events.len()
        ),
        SimulatedOutcome::Failed => format!(
            "would fail and still pay its fee of {} ugdc: message {}: {}",
            simulated.fee.as_deref().unwrap_or("0"),
            simulated.msg_index.unwrap_or(0),
            why()
        ),
        SimulatedOutcome::Rejected => format!("would be refused (nothing charged): {}", why()),
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (what service managers and `kill` send).
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("stopping: finishing the block in progress, closing the database");
}

/// `atelier node --validator --home DIR`: blocks by BFT consensus instead of a solo sequencer.
/// Runs on the consensus runtime, not the CLI's.
fn run_validator(args: NodeArgs, output: Output) -> Result<()> {
    init_logging(args.log_format, false);
    let Some(home) = args.home.clone() else {
        bail!("give --home DIR, a validator home written by `atelier init --validators N`");
    };
    if args.dev {
        bail!("--validator runs a validator home; --dev runs a solo development chain");
    }
    let (node, file) = open_node(&home, args.api_addr, None, None)?;
    let Some(section) = file.validator else {
        bail!(
            "{} has no [validator] section: it is not a validator home",
            home.join(config::CONFIG_FILE).display()
        );
    };
    let config = validator::load(&home, node.config().api_addr, section.p2p_listen)?;
    let p2p = config.p2p_listen;
    let banner_node = node.clone();
    let ready = move |api: SocketAddr| {
        let banner = validator::Banner::new(&banner_node, api, p2p, &home);
        if let Err(error) = output.print(&banner, validator::Banner::text) {
            eprintln!("error: {error:#}");
        }
    };
    validator::run(node.clone(), config, ready)?;
    tracing::info!(height = node.head().height.get(), "stopped");
    Ok(())
}

/// How the node's log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// For people.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Logs to stderr: `RUST_LOG` if set, else info (and on a dev chain each transaction too).
fn init_logging(format: LogFormat, dev: bool) {
    // The consensus engine narrates every view at info; its warnings and errors are what matter.
    const DEFAULT: &str = "info,commonware_consensus=warn,commonware_p2p=warn,commonware_broadcast=warn,\
        commonware_resolver=warn,commonware_runtime=warn,commonware_storage=warn";
    let default = if dev { format!("{DEFAULT},atelier_node=debug") } else { DEFAULT.to_string() };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// The account `text` names: a keystore name, else `devN` (dev account N), else a bech32 address.
/// Needs no password: the keystore keeps addresses in the clear.
fn address(store: &keys::Keystore, text: &str) -> Result<Address> {
    if store.contains(text) {
        return Ok(store.load(text)?.address);
    }
    match text.strip_prefix("dev").and_then(|n| n.parse::<u32>().ok()) {
        Some(index) => Ok(hd::dev_key(index).public_key().address()),
        None => text.parse().map_err(|e| anyhow!("{text:?}: {e} (nor a key name, see `atelier keys list`)")),
    }
}

async fn run_query(
    client: Client,
    store: &keys::Keystore,
    query: QueryCommand,
    output: Output,
) -> Result<()> {
    match query {
        QueryCommand::Status => {
            let status = client.status().await?;
            output
                .print(&status, |s| format!("chain {} at height {} ({})", s.chain_id, s.height, s.block_hash))
        }
        QueryCommand::Account { address: text, prove } => {
            let address = address(store, &text)?;
            if prove.prove {
                let answer = client.read(&format!("/accounts/{address}{}", prove.query(""))).await?;
                let checked =
                    proof::Checked::new(answer, proof::Rederive::Account(address), &prove.trust()?)?;
                return output.print(&checked, |checked| {
                    checked.text(|answer| match serde_json::from_value(answer.clone()) {
                        Ok(account) => output::account_text(&account),
                        Err(_) => output::readable(answer),
                    })
                });
            }
            let account = client.account(&address.to_string()).await?;
            output.print(&account, output::account_text)
        }
        QueryCommand::Block { height } => {
            let block = match height {
                Some(height) => client.block(height).await?,
                None => client.latest_block().await?,
            };
            output.print(&block, output::readable)
        }
        QueryCommand::Tx { hash } => output.print(&client.tx(&hash).await?, output::readable),
        QueryCommand::Events { from_height, cursor, limit } => {
            let page = match cursor {
                Some(cursor) => client.events_after(&cursor, limit).await?,
                None => client.events(from_height, limit).await?,
            };
            output.print(&page, output::readable)
        }
        QueryCommand::Fees => output.print(&client.fees().await?, output::readable),
        QueryCommand::State { keys, height, prove, expect_block, validator_set } => {
            let trust = proof::Trust::read(expect_block.as_deref(), validator_set.as_deref())?;
            let keys = keys
                .iter()
                .map(|key| {
                    atelier_primitives::hash::hex_decode_vec(key)
                        .ok_or_else(|| anyhow::anyhow!("not a key in hex: {key:?}"))
                })
                .collect::<Result<Vec<_>>>()?;
            let view = client.state(&keys, height, prove).await?;
            output.print(&proof::Answer::new(view, prove, &trust)?, proof::Answer::text)
        }
        QueryCommand::Module(query) => {
            let rederive = query.rederive(store)?;
            let answer = client.read(&query.path(store)?).await?;
            match rederive {
                Some((rederive, trust)) => output
                    .print(&proof::Checked::new(answer, rederive, &trust)?, |checked| {
                        checked.text(output::readable)
                    }),
                None => output.print(&answer, output::readable),
            }
        }
    }
}

async fn run_tx(client: Client, store: &keys::Keystore, command: TxCommand, output: Output) -> Result<()> {
    let (signing, msg) = match command {
        TxCommand::Batch { signing, file } => {
            let msgs = offline::read_msgs(&file)?;
            return send(&client, store, signing, msgs, output).await;
        }
        TxCommand::Sign { file, from } => return offline::sign(store, &file, &from, output),
        TxCommand::Broadcast { file, wait } => {
            let bytes = offline::read_signed(&file)?;
            return submit(&client, &bytes, wait, output).await;
        }
        TxCommand::Module(command) => command.message(store)?,
    };
    send(&client, store, signing, vec![msg], output).await
}

/// Builds a transaction of `msgs` signed as `signing` says, simulates it, and sends it unless
/// the simulation says it would fail (or only prints it: `--dry-run`, `--generate-only`).
async fn send(
    client: &Client,
    store: &keys::Keystore,
    signing: Signing,
    msgs: Vec<Msg>,
    output: Output,
) -> Result<()> {
    let Signing { from, nonce, expires_in, wait, gas_limit, max_fee, tip, dry_run, force, generate_only } =
        signing;
    let sender = offline::public_key(store, &from)?;
    // With the next nonce chosen here, a transaction whose nonce another sender of the same key
    // took meanwhile is signed again with the next one; a nonce given with --nonce is kept.
    let mut retries = if nonce.is_none() { NONCE_RETRIES } else { 0 };
    let mut unlocked = None;
    loop {
        let status = client.status().await?;
        let fees = client.fees().await?;
        let gas: GasSchedule = serde_json::from_value(fees.gas).context("the node's gas schedule")?;
        let nonce = match nonce {
            Some(nonce) => nonce,
            None => client.account(&sender.address().to_string()).await?.next_nonce,
        };
        let tx = Tx {
            chain_id: status.chain_id.parse().map_err(|e| anyhow!("{e}"))?,
            sender,
            nonce,
            expiry_height: Height(status.height.saturating_add(expires_in)),
            gas_limit: gas_limit.unwrap_or_else(|| gas.tx_gas(&msgs)),
            max_fee_per_gas: per_gas(max_fee, &fees.suggested_max_fee, "--max-fee")?,
            max_priority_fee_per_gas: per_gas(tip, &fees.suggested_tip, "--tip")?,
            msgs: msgs.clone(),
        };
        if generate_only {
            return output.print(&offline::Unsigned::new(&tx), offline::Unsigned::text);
        }
        let key = match unlocked.take() {
            Some(key) => key,
            None => signer(store, &from)?,
        };
        use atelier_primitives::Encode;
        let bytes = tx.sign(&key).to_bytes();
        let simulated = match client.simulate(&bytes).await {
            Err(error) if retries > 0 && error.nonce_taken() => None,
            Ok(simulated) if retries > 0 && simulated.nonce_taken() => None,
            simulated => Some(simulated?),
        };
        let Some(simulated) = simulated else {
            retries -= 1;
            unlocked = Some(key);
            continue;
        };
        if dry_run {
            return output.print(&simulated, simulation_text);
        }
        if simulated.outcome != SimulatedOutcome::Applied && !force {
            bail!("{} (nothing was sent; --force sends it anyway)", simulation_text(&simulated));
        }
        match submit(client, &bytes, wait, output).await {
            Err(error)
                if retries > 0
                    && error.downcast_ref::<ClientError>().is_some_and(ClientError::nonce_taken) =>
            {
                retries -= 1;
                unlocked = Some(key);
            }
            outcome => return outcome,
        }
    }
}

/// Times `atelier tx` signs a transaction again when another sender of its key took its nonce.
const NONCE_RETRIES: u32 = 3;

/// A price per unit of gas in ugdc: the one given, else the node's suggestion.
fn per_gas(given: Option<money::Money>, suggested: &str, flag: &str) -> Result<atelier_primitives::Amount> {
    match given {
        Some(money) => money.of(atelier_primitives::Denom::GDC).with_context(|| flag.to_owned()),
        None => suggested.parse().with_context(|| format!("the node's suggested {flag}: {suggested:?}")),
    }
}

/// Submits signed transaction bytes, and with `wait` fails if the included transaction failed.
async fn submit(client: &Client, bytes: &[u8], wait: bool, output: Output) -> Result<()> {
    let submitted = client.submit(bytes, wait).await?;
    output.print(&submitted, |s| match s.height {
        Some(height) => format!("{} included at height {height}", s.hash),
        None => format!("{} pending", s.hash),
    })?;
    if submitted.height.is_some() {
        // Included is not applied: a failed message still pays its fee. Say so, and fail.
        let receipt = client.tx(&submitted.hash).await?.receipt.unwrap_or_default();
        if receipt["outcome"]["status"] == "failed" {
            let outcome = &receipt["outcome"];
            bail!(
                "the transaction failed: code {}: {}",
                outcome["code"],
                outcome["reason"].as_str().unwrap_or_default()
            );
        }
    }
    Ok(())
}
