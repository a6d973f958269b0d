//! The dev chain's economy, so that `atelier prompt` works on a fresh machine with no other step:
//! a dataset with contributors and its attestation, a procedural base model and a fine-tune with
//! its own style file, a provider and a verifier (each a dev account), the provider and verifier
//! daemons running beside the node over its API, and three oracle agents (`atelier oracle run`
//! processes) measuring engagement, demand per style and each model's quality from the chain's
//! record. `atelier node --dev --no-provider` leaves all of it out.

use std::{future::Future, path::Path, pin::Pin};

use anyhow::{Context, Result, anyhow, bail};
use atelier_agents::{backend::Backends, chain::Chain, provider::ProviderOptions, verifier::VerifierOptions};
use atelier_primitives::{Amount, Bps, Hash, hd};
use atelier_protocol::{
    Msg,
    modules::{
        compliance::{ComplianceMsg, SchemaId, Subject},
        compute::{ClassCapacity, ComputeMsg},
        registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
    },
};
use serde::Serialize;

/// Who does what in the dev economy (dev account indexes).
const DATASET_OWNER: u32 = 1;
const BASE_MODEL_OWNER: u32 = 2;
const PROVIDER: u32 = 3;
const CONTRIBUTORS: [(u32, u128); 2] = [(5, 3), (6, 1)];
const FINE_TUNER: u32 = 7;
const ATTESTER: u32 = 8;
const VERIFIER: u32 = 9;
/// The class the models run in.
const CLASS: &str = "image-xl";
/// The oracle operators whose agents run beside the node.
const ORACLE_AGENTS: [u32; 3] = [0, 1, 2];

/// What the banner says of the economy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DevEconomy {
    /// `(id, name)` of each model.
    pub(crate) models: Vec<(u64, String)>,
    /// The provider's account name.
    pub(crate) provider: String,
    /// The verifier's account name.
    pub(crate) verifier: String,
    /// The oracle agents' account names.
    pub(crate) oracle_agents: Vec<String>,
    /// The feeds they observe.
    pub(crate) oracle_feeds: Vec<String>,
}

fn dev(index: u32, api: &str) -> Chain {
    Chain::new(api, hd::dev_key(index))
}

/// Registers the economy unless the chain has it already (a dev home started again).
pub(crate) async fn register(api: &str) -> Result<DevEconomy> {
    let economy = DevEconomy {
        models: vec![(1, "atelier-base".into()), (2, "atelier-ink (a fine-tune of 1)".into())],
        provider: format!("dev{PROVIDER}"),
        verifier: format!("dev{VERIFIER}"),
        oracle_agents: ORACLE_AGENTS.iter().map(|i| format!("dev{i}")).collect(),
        oracle_feeds: Vec::new(),
    };
    let reader = dev(PROVIDER, api);
    if reader.model(1).await?.is_some() {
        return Ok(economy);
    }
    let client = reader.client();
    let base = reader.put_blob(atelier_generate::BASE_STYLE.to_vec()).await?;
    let ink = reader.put_blob(atelier_generate::INK_STYLE.to_vec()).await?;
    let address = |index: u32| hd::dev_key(index).public_key().address();
    let bond = Amount::new(1_000_000_000);
    let capacity = |units: u64| vec![ClassCapacity { class: CLASS.into(), units }];
    let endpoint = api.to_owned();
    let rounds: Vec<Vec<(u32, Msg)>> = vec![
        vec![
            (
                DATASET_OWNER,
                Msg::Registry(RegistryMsg::RegisterDataset {
                    content_hash: Hash::blob(b"the dev chain's dataset"),
                    license: "CC-BY-4.0".into(),
                    contributors: CONTRIBUTORS
                        .iter()
                        .map(|&(index, shares)| ContributorShares { contributor: address(index), shares })
                        .collect(),
                }),
            ),
            (
                PROVIDER,
                Msg::Compute(ComputeMsg::RegisterProvider {
                    bond,
                    endpoint: endpoint.clone(),
                    capacities: capacity(10_000),
                }),
            ),
            // The verifier serves the class too (it must, to challenge), too small to be given jobs.
            (
                VERIFIER,
                Msg::Compute(ComputeMsg::RegisterProvider { bond, endpoint, capacities: capacity(1) }),
            ),
        ],
        vec![
            (
                ATTESTER,
                Msg::Compliance(ComplianceMsg::Attest {
                    schema: SchemaId(1),
                    subject: Subject::Dataset(DatasetId(1)),
                    data_hash: Hash::blob(b"the dev dataset's sourcing records"),
                    expiry_ms: u64::MAX,
                }),
            ),
            (
                BASE_MODEL_OWNER,
                Msg::Registry(RegistryMsg::RegisterModel {
                    class: CLASS.into(),
                    weights_hash: base,
                    parent: None,
                    datasets: vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }],
                    performance_fee: Bps::new(500).map_err(|e| anyhow!("{e}"))?,
                    style: "botanical".into(),
                }),
            ),
        ],
        vec![(
            FINE_TUNER,
            Msg::Registry(RegistryMsg::RegisterModel {
                class: CLASS.into(),
                weights_hash: ink,
                parent: Some(ModelId(1)),
                datasets: Vec::new(),
                performance_fee: Bps::new(300).map_err(|e| anyhow!("{e}"))?,
                style: "ink".into(),
            }),
        )],
    ];
    for (round, msgs) in rounds.into_iter().enumerate() {
        let mut sent = Vec::new();
        for (index, msg) in msgs {
            let hash = dev(index, api)
                .send_pending(vec![msg])
                .await
                .with_context(|| format!("the dev economy, step {round}"))?;
            sent.push(hash);
        }
        client.dev_mine(1).await?;
        for hash in sent {
            let receipt = client.tx(&hash).await?.receipt.unwrap_or_default();
            if receipt["outcome"]["status"] != "applied" {
                bail!("the dev economy's transaction {hash} did not apply: {}", receipt["outcome"]);
            }
        }
    }
    Ok(economy)
}

/// Runs the provider and verifier daemons (state under `home/agents`) until `stopped` resolves.
pub(crate) fn run_agents(
    api: &str,
    home: &Path,
    stopped: impl Fn() -> Pin<Box<dyn Future<Output = ()> + Send>>,
) {
    let loopback = "127.0.0.1:0".parse().expect("a socket address");
    let provider = ProviderOptions {
        node: api.to_owned(),
        state_dir: home.join("agents").join("provider"),
        concurrency: 2,
        backends: Backends::default(),
        metrics_addr: loopback,
    };
    let verifier = VerifierOptions {
        node: api.to_owned(),
        state_dir: home.join("agents").join("verifier"),
        sample_bps: 10_000,
        backends: Backends::default(),
        metrics_addr: loopback,
    };
    let stop = stopped();
    tokio::spawn(async move {
        if let Err(error) = atelier_agents::provider::run(provider, hd::dev_key(PROVIDER), stop).await {
            tracing::error!(%error, "the dev provider stopped");
        }
    });
    let stop = stopped();
    tokio::spawn(async move {
        if let Err(error) = atelier_agents::verifier::run(verifier, hd::dev_key(VERIFIER), stop).await {
            tracing::error!(%error, "the dev verifier stopped");
        }
    });
}

/// The oracle agents' configuration: each of `feeds` the chain's own record measures —
/// `engagement`, `demand/<style>` and `quality/<model>` — from the `chain` source. (The GDC price
/// needs an outside market: on a dev chain it is observed by hand.) Returns the TOML and the feeds
/// it serves.
pub(crate) fn oracle_config(feeds: &[String]) -> (String, Vec<String>) {
    let mut toml = String::from(
        "# The dev chain's oracle agents (written by `atelier node --dev`).\npoll_seconds = 1\n",
    );
    let mut served = Vec::new();
    for feed in feeds {
        let measure = if feed == "engagement" {
            "measure = \"engagement\"".to_owned()
        } else if let Some(style) = feed.strip_prefix("demand/") {
            format!("measure = \"demand\"\nstyle = \"{style}\"")
        } else if let Some(model) = feed.strip_prefix("quality/").and_then(|m| m.parse::<u64>().ok()) {
            format!("measure = \"quality\"\nmodel = {model}")
        } else {
            continue;
        };
        toml.push_str(&format!("\n[[feeds]]\nfeed = \"{feed}\"\nsource = \"chain\"\n{measure}\n"));
        served.push(feed.clone());
    }
    (toml, served)
}

/// Starts the dev oracle agents as `atelier oracle run` processes (their configuration, rounds
/// and logs under `home/agents`). Each stops when its standard input closes: when the node stops,
/// however it stops. Returns the feeds they serve.
pub(crate) async fn run_oracle_agents(
    api: &str,
    home: &Path,
    stopped: impl Fn() -> Pin<Box<dyn Future<Output = ()> + Send>>,
) -> Result<Vec<String>> {
    let params = atelier_client::Client::new(api).read("/oracle/params").await?;
    let feeds: Vec<String> = params["feeds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|feed| feed["id"].as_str().map(str::to_owned))
        .collect();
    let (toml, served) = oracle_config(&feeds);
    let dir = home.join("agents");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let config = dir.join("oracle.toml");
    std::fs::write(&config, toml).with_context(|| format!("writing {}", config.display()))?;
    let program = std::env::current_exe().context("finding the atelier binary")?;
    let mut children = Vec::new();
    for index in ORACLE_AGENTS {
        let name = format!("dev{index}");
        let log = dir.join(format!("oracle-{name}.log"));
        let log = std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let child = tokio::process::Command::new(&program)
            .args([
                "--node",
                api,
                "oracle",
                "run",
                "--from",
                &name,
                "--log-format",
                "json",
                "--until-stdin-closes",
            ])
            .arg("--config")
            .arg(&config)
            .arg("--state-dir")
            .arg(dir.join(format!("oracle-{name}")))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting the oracle agent of {name}"))?;
        children.push(child);
    }
    let stop = stopped();
    tokio::spawn(async move {
        stop.await;
        for child in &mut children {
            drop(child.stdin.take());
        }
        for child in &mut children {
            if tokio::time::timeout(std::time::Duration::from_secs(5), child.wait()).await.is_err() {
                let _ = child.start_kill();
            }
        }
    });
    Ok(served)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dev_oracle_agents_measure_every_feed_the_chain_records_and_leave_the_price_alone() {
        let feeds = ["gdc_usd", "engagement", "demand/ink", "quality/2", "quality/x"].map(String::from);
        let (toml, served) = oracle_config(&feeds);
        assert_eq!(served, ["engagement", "demand/ink", "quality/2"]);
        let config: atelier_agents::oracle::OracleConfig = toml::from_str(&toml).unwrap();
        assert_eq!(config.feeds.len(), 3);
        assert_eq!(config.poll_seconds, 1);
    }
}
