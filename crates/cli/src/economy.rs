//! The dev chain's economy, so that `atelier prompt` works on a fresh machine with no other step:
//! a dataset with contributors and its attestation, a procedural base model and a fine-tune with
//! its own style file, a provider and a verifier (each a dev account), and the provider and
//! verifier daemons running beside the node over its API. `atelier node --dev --no-provider` leaves
//! all of it out.

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

/// What the banner says of the economy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DevEconomy {
    /// `(id, name)` of each model.
    pub(crate) models: Vec<(u64, String)>,
    /// The provider's account name.
    pub(crate) provider: String,
    /// The verifier's account name.
    pub(crate) verifier: String,
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
