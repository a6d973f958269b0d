//! `atelier tx registry …` and `atelier query registry …`: datasets and their contributors'
//! royalties, models and fine-tunes.

use anyhow::{Context, Result};
use atelier_primitives::Hash;
use atelier_protocol::{
    Msg,
    modules::registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
};
use clap::Subcommand;

use super::{address, bps, pair};
use crate::{Signing, keys::Keystore};

/// A registry message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Register a dataset owned by the signer, with its contributors.
    #[command(
        after_help = "Example:\n  atelier tx registry register-dataset --from alice --content-hash 1f…e2 \
                            --license CC-BY-4.0 --contributor alice=60 --contributor dev3=40"
    )]
    RegisterDataset {
        #[command(flatten)]
        signing: Signing,
        /// Hash of its content (64 hex digits).
        #[arg(long)]
        content_hash: atelier_primitives::Hash,
        /// Its license (an SPDX id or a URL).
        #[arg(long)]
        license: String,
        /// A contributor and its shares, ACCOUNT=SHARES (repeat).
        #[arg(long = "contributor", required = true)]
        contributors: Vec<String>,
    },
    /// Add contributors to a dataset the signer owns.
    AddContributors {
        #[command(flatten)]
        signing: Signing,
        /// The dataset.
        #[arg(long)]
        dataset: u64,
        /// A contributor and its shares, ACCOUNT=SHARES (repeat).
        #[arg(long = "contributor", required = true)]
        contributors: Vec<String>,
    },
    /// Register a model owned by the signer: a base model, or a fine-tune of --parent.
    #[command(
        after_help = "Example (the style file first goes to the blob store, which prints its hash):\n  \
                            atelier blob put my-style.json\n  \
                            atelier tx registry register-model --from alice --class image-xl \
                            --weights HASH --dataset 1=10000 --fee 500 --style botanical"
    )]
    RegisterModel {
        #[command(flatten)]
        signing: Signing,
        /// The compute class it runs on.
        #[arg(long)]
        class: String,
        /// Hash of the blob providers load to run it: a procedural model's style file
        /// (`atelier blob put FILE` prints it).
        #[arg(long)]
        weights: Hash,
        /// The model it fine-tunes.
        #[arg(long)]
        parent: Option<u64>,
        /// A dataset it was trained on and its weight in bps, DATASET=BPS (repeat).
        #[arg(long = "dataset")]
        datasets: Vec<String>,
        /// Its performance fee in bps of every job's base fee.
        #[arg(long, default_value_t = 0)]
        fee: u32,
        /// The style it makes (`watercolor`): demand is counted per style. Without it, a
        /// fine-tune keeps its parent's and a base model is `general`.
        #[arg(long, default_value = "")]
        style: String,
    },
    /// Claim the signer's royalties from a dataset.
    ClaimRoyalties {
        #[command(flatten)]
        signing: Signing,
        /// The dataset.
        #[arg(long)]
        dataset: u64,
    },
}

fn contributors(store: &Keystore, list: &[String]) -> Result<Vec<ContributorShares>> {
    list.iter()
        .map(|text| {
            let (who, shares) = pair(text, "--contributor")?;
            Ok(ContributorShares {
                contributor: crate::address(store, who)?,
                shares: shares.parse().with_context(|| format!("--contributor {text}"))?,
            })
        })
        .collect()
}

fn dataset_weights(list: &[String]) -> Result<Vec<DatasetWeight>> {
    list.iter()
        .map(|text| {
            let (dataset, weight) = pair(text, "--dataset")?;
            let weight: u32 = weight.parse().with_context(|| format!("--dataset {text}"))?;
            Ok(DatasetWeight {
                dataset: DatasetId(dataset.parse().with_context(|| format!("--dataset {text}"))?),
                weight: bps(weight, "--dataset weight")?,
            })
        })
        .collect()
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(store: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::RegisterDataset { signing, content_hash, license, contributors: list } => {
            let contributors = contributors(store, &list)?;
            (signing, RegistryMsg::RegisterDataset { content_hash, license, contributors })
        }
        Tx::AddContributors { signing, dataset, contributors: list } => {
            let contributors = contributors(store, &list)?;
            (signing, RegistryMsg::AddContributors { dataset: DatasetId(dataset), contributors })
        }
        Tx::RegisterModel { signing, class, weights, parent, datasets, fee, style } => {
            let datasets = dataset_weights(&datasets)?;
            let performance_fee = bps(fee, "--fee")?;
            let parent = parent.map(ModelId);
            (
                signing,
                RegistryMsg::RegisterModel {
                    class,
                    weights_hash: weights,
                    parent,
                    datasets,
                    performance_fee,
                    style,
                },
            )
        }
        Tx::ClaimRoyalties { signing, dataset } => {
            (signing, RegistryMsg::ClaimRoyalties { dataset: DatasetId(dataset) })
        }
    };
    Ok((signing, Msg::Registry(msg)))
}

/// A read of the registry.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// A model and its lineage.
    Model {
        /// Its id.
        id: u64,
    },
    /// A dataset.
    Dataset {
        /// Its id.
        id: u64,
    },
    /// A contributor's shares in a dataset and its claimable royalties.
    Royalties {
        /// The dataset.
        #[arg(long)]
        dataset: u64,
        /// The contributor: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        contributor: String,
    },
    /// Demand per style in an epoch: jobs admitted for its models, units and fees.
    Styles {
        /// The epoch (default: the one under way).
        #[arg(long)]
        epoch: Option<u64>,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Model { id } => format!("/registry/models/{id}"),
        Query::Dataset { id } => format!("/registry/datasets/{id}"),
        Query::Royalties { dataset, contributor } => {
            format!("/registry/datasets/{dataset}/contributors/{}", address(store, &contributor)?)
        }
        Query::Styles { epoch: Some(epoch) } => format!("/registry/styles?epoch={epoch}"),
        Query::Styles { epoch: None } => "/registry/styles".to_owned(),
    })
}
