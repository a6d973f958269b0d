//! `atelier tx provenance …` and `atelier query provenance …`: assets, their lineage, C2PA
//! manifests and royalty stacks, and remixes made elsewhere.

use anyhow::Result;
use atelier_primitives::{Denom, Hash};
use atelier_protocol::{
    Msg,
    modules::provenance::{AssetId, DigitalSourceType, ProvenanceMsg, RoyaltyPolicy},
};
use clap::Subcommand;

use super::{Page, Prove, address, bps};
use crate::{Signing, keys::Keystore, money::Money, proof::Rederive};

/// A provenance message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Register a remix made elsewhere, paying its parents' license fees.
    RegisterDerivative {
        #[command(flatten)]
        signing: Signing,
        /// An asset it was made from (repeat).
        #[arg(long = "parent", required = true)]
        parents: Vec<u64>,
        /// Hash of the work.
        #[arg(long)]
        output_hash: Hash,
        /// Hash of its prompt, if any.
        #[arg(long, default_value_t = Hash::ZERO)]
        prompt_hash: Hash,
        /// How it was made: composite, composite-with-trained-algorithmic-media or
        /// trained-algorithmic-media.
        #[arg(long, value_enum, default_value_t = SourceType::Composite)]
        source_type: SourceType,
        /// Its share of each of its descendants' revenue, in bps.
        #[arg(long, default_value_t = 0)]
        royalty_share: u32,
        /// What each of its descendants pays into its vault in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        license_fee: Money,
    },
}

/// How a registered derivative was made (C2PA digital source types).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum SourceType {
    /// Composed from other works.
    Composite,
    /// Composed with a trained model.
    CompositeWithTrainedAlgorithmicMedia,
    /// Made by a trained model.
    TrainedAlgorithmicMedia,
}

impl From<SourceType> for DigitalSourceType {
    fn from(source: SourceType) -> Self {
        match source {
            SourceType::Composite => DigitalSourceType::Composite,
            SourceType::CompositeWithTrainedAlgorithmicMedia => {
                DigitalSourceType::CompositeWithTrainedAlgorithmicMedia
            }
            SourceType::TrainedAlgorithmicMedia => DigitalSourceType::TrainedAlgorithmicMedia,
        }
    }
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    match command {
        Tx::RegisterDerivative {
            signing,
            parents,
            output_hash,
            prompt_hash,
            source_type,
            royalty_share,
            license_fee,
        } => {
            let policy = RoyaltyPolicy {
                share: bps(royalty_share, "--royalty-share")?,
                license_fee: license_fee.of(Denom::GDC)?,
            };
            let msg = ProvenanceMsg::RegisterDerivative {
                parents: parents.into_iter().map(AssetId).collect(),
                output_hash,
                prompt_hash,
                source_type: source_type.into(),
                policy,
            };
            Ok((signing, Msg::Provenance(msg)))
        }
    }
}

/// A read of assets.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// An asset.
    Asset {
        /// Its id.
        id: u64,
        #[command(flatten)]
        prove: Prove,
    },
    /// The ids of an owner's assets.
    Assets {
        /// A key name, `devN`, or a bech32 address.
        #[arg(long)]
        owner: String,
    },
    /// An asset's ancestors and a page of its direct descendants.
    Lineage {
        /// The asset.
        id: u64,
        #[command(flatten)]
        page: Page,
    },
    /// An asset's record as a C2PA manifest definition.
    Manifest {
        /// The asset.
        id: u64,
    },
    /// What each ancestor takes of an asset's revenue.
    RoyaltyStack {
        /// The asset.
        id: u64,
    },
}

/// How the answer is checked against its proof, when asked for one.
pub(crate) fn rederive(query: &Query) -> Option<(Rederive, &Prove)> {
    match query {
        Query::Asset { id, prove } if prove.prove => Some((Rederive::Asset(AssetId(*id)), prove)),
        _ => None,
    }
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Asset { id, prove } => format!("/assets/{id}{}", prove.query("")),
        Query::Assets { owner } => format!("/assets?owner={}", address(store, &owner)?),
        Query::Lineage { id, page } => format!("/assets/{id}/lineage?{}", page.query()),
        Query::Manifest { id } => format!("/assets/{id}/manifest"),
        Query::RoyaltyStack { id } => format!("/assets/{id}/royalty-stack"),
    })
}
