//! `atelier provider run`: the daemons of `atelier-agents`, started from the command line with a
//! key from the keystore (or a dev key), a state directory and a metrics port.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::{Context, Result, anyhow};
use atelier_agents::{backend::Backends, provider::ProviderOptions};
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

/// Runs a provider command until SIGTERM or Ctrl-C.
pub(crate) async fn run_provider(node: String, store: &Keystore, command: ProviderCommand) -> Result<()> {
    let ProviderCommand::Run { from, state_dir, config, concurrency, metrics_addr, log_format } = command;
    crate::init_logging(log_format, false);
    let backends = match &config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            toml::from_str::<Backends>(&text)
                .with_context(|| format!("{} is not a provider configuration", path.display()))?
        }
        None => Backends::default(),
    };
    let key = crate::signer(store, &from)?;
    let options = ProviderOptions { node, state_dir, concurrency, backends, metrics_addr };
    atelier_agents::provider::run(options, key, crate::stop_signal()).await.map_err(|e| anyhow!(e))
}
