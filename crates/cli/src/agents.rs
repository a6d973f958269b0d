//! `atelier provider run`, `atelier verifier run` and `atelier oracle run`: the daemons of `atelier-agents`, started
//! from the command line with a key from the keystore (or a dev key), a state directory and a
//! metrics port; and `atelier generate`, the procedural backend run by hand.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::{Context, Result, anyhow};
use atelier_agents::{
    backend::Backends,
    oracle::{OracleConfig, OracleOptions},
    provider::ProviderOptions,
    verifier::VerifierOptions,
};
use clap::Subcommand;

use crate::{LogFormat, keys::Keystore};

/// `atelier provider …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ProviderCommand {
    /// Serve the jobs assigned to a registered provider: fetch each job's prompt, parameters and
    /// model, generate, store the output as a blob and send the result. Safe to kill at any
    /// moment: it resumes where it stopped, never answering a job twice.
    #[command(
        after_help = "Examples:\n  atelier provider run --from gpu1 --state-dir ~/.atelier/provider\n  \
                            atelier provider run --from gpu1 --config provider.toml --metrics-addr 0.0.0.0:9101"
    )]
    Run {
        /// The provider's key (registered with `atelier tx compute register-provider`).
        #[arg(long)]
        from: String,
        /// Where it keeps its progress and journal.
        #[arg(long)]
        state_dir: PathBuf,
        /// Which backend runs each model (TOML; see the agents README). Default: procedural.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Most jobs generated at once.
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
        /// Where `/health` and `/metrics` listen (port 0 picks one, logged at start).
        #[arg(long, default_value = "127.0.0.1:0")]
        metrics_addr: SocketAddr,
        /// Log lines as text or JSON.
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
}

/// `atelier verifier …`.
#[derive(Debug, Subcommand)]
pub(crate) enum VerifierCommand {
    /// Re-execute a sample of the deterministic results of the account's class, challenge those
    /// it computes differently, and claim its own output in every dispute. The account must be a
    /// registered provider of the class.
    #[command(
        after_help = "Example:\n  atelier verifier run --from gpu2 --state-dir ~/.atelier/verifier --sample-bps 2500"
    )]
    Run {
        /// The verifier's key (a registered provider of the class it checks).
        #[arg(long)]
        from: String,
        /// Where it keeps its progress and what it did per job.
        #[arg(long)]
        state_dir: PathBuf,
        /// The share of results it re-executes, in basis points (10000: every one).
        #[arg(long, default_value_t = 2_500, value_parser = clap::value_parser!(u32).range(0..=10_000))]
        sample_bps: u32,
        /// Which backend runs each model (the provider's configuration format). Default: procedural.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Where `/health` and `/metrics` listen (port 0 picks one, logged at start).
        #[arg(long, default_value = "127.0.0.1:0")]
        metrics_addr: SocketAddr,
        /// Log lines as text or JSON.
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
}

/// `atelier oracle run --help`'s example.
const ORACLE_EXAMPLE: &str = r#"Example:
  atelier oracle run --from dev0 --config oracle.toml --state-dir ~/.atelier/oracle

with oracle.toml:
  [[feeds]]
  feed = "demand/botanical"
  source = "chain"
  measure = "demand"
  style = "botanical"

  [[feeds]]
  feed = "quality/2"
  source = "chain"
  measure = "quality"
  model = 2

  [[feeds]]
  feed = "gdc_usd"
  source = "http"
  url = "https://prices.example/gdc.json"
  pointer = "/usd"
  scale = 1e12"#;

/// `atelier oracle …`.
#[derive(Debug, Subcommand)]
pub(crate) enum OracleCommand {
    /// Observe the feeds a registered oracle operator serves: each open round once, measured from
    /// the source its configuration names (`chain`: demand forecast, engagement or a model's
    /// quality from the chain's record; `http`; or `command`). Safe to kill at any moment: no
    /// round is observed twice.
    #[command(after_help = ORACLE_EXAMPLE)]
    Run {
        /// The operator's key (registered with `atelier tx oracle register`).
        #[arg(long)]
        from: String,
        /// The feeds and their sources (TOML; see the agents README).
        #[arg(long)]
        config: PathBuf,
        /// Where it keeps the rounds it observed.
        #[arg(long)]
        state_dir: PathBuf,
        /// Where `/health` and `/metrics` listen (port 0 picks one, logged at start).
        #[arg(long, default_value = "127.0.0.1:0")]
        metrics_addr: SocketAddr,
        /// Log lines as text or JSON.
        #[arg(long, value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
        /// Stop when standard input closes too: a process that starts the agent keeps the pipe,
        /// and the agent stops with it however it ends.
        #[arg(long, hide = true)]
        until_stdin_closes: bool,
    },
}

/// Runs an oracle command until SIGTERM or Ctrl-C (or its standard input closes, when asked).
pub(crate) async fn run_oracle(node: String, store: &Keystore, command: OracleCommand) -> Result<()> {
    let OracleCommand::Run { from, config, state_dir, metrics_addr, log_format, until_stdin_closes } =
        command;
    crate::init_logging(log_format, false);
    let text = std::fs::read_to_string(&config).with_context(|| format!("reading {}", config.display()))?;
    let config: OracleConfig = toml::from_str(&text)
        .with_context(|| format!("{} is not an oracle configuration", config.display()))?;
    let key = crate::signer(store, &from)?;
    let options = OracleOptions { node, state_dir, config, metrics_addr };
    let stdin_closed = async move {
        if until_stdin_closes {
            use tokio::io::AsyncReadExt;
            let mut sink = Vec::new();
            let _ = tokio::io::stdin().read_to_end(&mut sink).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let stop = async {
        tokio::select! {
            () = crate::stop_signal() => {}
            () = stdin_closed => {}
        }
    };
    atelier_agents::oracle::run(options, key, stop).await.map_err(|e| anyhow!(e))
}

/// The backends a configuration file names, or the default (procedural for every model).
fn backends(config: Option<&PathBuf>) -> Result<Backends> {
    let Some(path) = config else { return Ok(Backends::default()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not a backend configuration", path.display()))
}

/// Runs a provider command until SIGTERM or Ctrl-C.
pub(crate) async fn run_provider(node: String, store: &Keystore, command: ProviderCommand) -> Result<()> {
    let ProviderCommand::Run { from, state_dir, config, concurrency, metrics_addr, log_format } = command;
    crate::init_logging(log_format, false);
    let backends = backends(config.as_ref())?;
    let key = crate::signer(store, &from)?;
    let options = ProviderOptions { node, state_dir, concurrency, backends, metrics_addr };
    atelier_agents::provider::run(options, key, crate::stop_signal()).await.map_err(|e| anyhow!(e))
}

/// Runs a verifier command until SIGTERM or Ctrl-C.
pub(crate) async fn run_verifier(node: String, store: &Keystore, command: VerifierCommand) -> Result<()> {
    let VerifierCommand::Run { from, state_dir, sample_bps, config, metrics_addr, log_format } = command;
    crate::init_logging(log_format, false);
    let backends = backends(config.as_ref())?;
    let key = crate::signer(store, &from)?;
    let options = VerifierOptions { node, state_dir, sample_bps, backends, metrics_addr };
    atelier_agents::verifier::run(options, key, crate::stop_signal()).await.map_err(|e| anyhow!(e))
}

/// `atelier generate`: what a procedural model renders for a prompt, locally.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  atelier generate \"a red fern\" --style crates/generate/styles/atelier-base.json --seed 7 --out fern.png"
)]
pub(crate) struct GenerateArgs {
    /// The prompt.
    prompt: String,
    /// The model's style file.
    #[arg(long)]
    style: PathBuf,
    /// The job's parameters file (JSON: seed, width, height, design); overrides --seed.
    #[arg(long)]
    params: Option<PathBuf>,
    /// The seed, when no parameters file is given.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where to write the PNG.
    #[arg(long)]
    out: PathBuf,
}

/// Renders as the procedural backend does and writes the PNG.
pub(crate) fn generate(args: GenerateArgs) -> Result<()> {
    let read = |path: &PathBuf| std::fs::read(path).with_context(|| format!("reading {}", path.display()));
    let style = atelier_generate::Style::from_json(&read(&args.style)?)?;
    let params = match &args.params {
        Some(path) => atelier_generate::Params::from_json(&read(path)?)?,
        None => atelier_generate::Params { seed: args.seed, ..Default::default() },
    };
    let png = atelier_generate::render(&args.prompt, &params, &style)?;
    std::fs::write(&args.out, &png).with_context(|| format!("writing {}", args.out.display()))
}
