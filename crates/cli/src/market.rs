//! `atelier tx compute …` and `atelier query compute …`: the compute market, the registry of
//! models and datasets, the assets settled jobs mint, and their royalty vaults.

use anyhow::{Context, Result, anyhow, bail};
use atelier_primitives::{Amount, Bps, Denom, Hash};
use atelier_protocol::{
    Msg,
    modules::{
        compute::{ClassCapacity, ComputeMsg, JobId},
        market::{Item, ListingId, MarketMsg},
        provenance::{AssetId, DigitalSourceType, ProvenanceMsg, RoyaltyPolicy},
        registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        revenue::{RevenueMsg, VaultId},
    },
};
use clap::Subcommand;

use crate::{Signing, keys::Keystore};

/// A compute or registry message.
#[derive(Debug, Subcommand)]
pub(crate) enum ComputeTx {
    /// Register a dataset owned by the signer, with its contributors.
    RegisterDataset {
        #[command(flatten)]
        signing: Signing,
        /// Hash of its content (64 hex digits).
        #[arg(long)]
        content_hash: Hash,
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
    RegisterModel {
        #[command(flatten)]
        signing: Signing,
        /// The compute class it runs on.
        #[arg(long)]
        class: String,
        /// The model it fine-tunes.
        #[arg(long)]
        parent: Option<u64>,
        /// A dataset it was trained on and its weight in bps, DATASET=BPS (repeat).
        #[arg(long = "dataset")]
        datasets: Vec<String>,
        /// Its performance fee in bps of every job's base fee.
        #[arg(long, default_value_t = 0)]
        fee: u32,
    },
    /// Claim the signer's royalties from a dataset.
    ClaimRoyalties {
        #[command(flatten)]
        signing: Signing,
        /// The dataset.
        #[arg(long)]
        dataset: u64,
    },
    /// Become a provider: bond and offer capacity.
    RegisterProvider {
        #[command(flatten)]
        signing: Signing,
        /// The bond in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        bond: crate::money::Money,
        /// Where the provider is reached.
        #[arg(long)]
        endpoint: String,
        /// Units per block offered in a class, CLASS=UNITS (repeat).
        #[arg(long = "capacity", required = true)]
        capacities: Vec<String>,
    },
    /// Change the signer's endpoint or capacities, or add to its bond.
    UpdateProvider {
        #[command(flatten)]
        signing: Signing,
        /// A new endpoint.
        #[arg(long, default_value = "")]
        endpoint: String,
        /// New capacities, CLASS=UNITS (repeat; replaces all).
        #[arg(long = "capacity")]
        capacities: Vec<String>,
        /// Added to the bond in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        add_bond: crate::money::Money,
    },
    /// Stop taking jobs; the bond unbonds.
    DeregisterProvider {
        #[command(flatten)]
        signing: Signing,
    },
    /// Take the bond back after unbonding.
    WithdrawBond {
        #[command(flatten)]
        signing: Signing,
    },
    /// Ask a model for a job; escrows units × max fee.
    SubmitJob {
        #[command(flatten)]
        signing: Signing,
        /// The model.
        #[arg(long)]
        model: u64,
        /// Compute units.
        #[arg(long)]
        units: u64,
        /// Most paid per unit, tip included in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        max_fee: crate::money::Money,
        /// Tip per unit for the provider in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        tip: crate::money::Money,
        /// The prompt: only its hash goes on chain.
        #[arg(long, conflicts_with = "prompt_hash")]
        prompt: Option<String>,
        /// The prompt's hash instead (64 hex digits).
        #[arg(long)]
        prompt_hash: Option<Hash>,
        /// Hash of the generation parameters (64 hex digits).
        #[arg(long, default_value_t = Hash::ZERO)]
        params_hash: Hash,
        /// The job is not replayable (it cannot be challenged).
        #[arg(long)]
        nondeterministic: bool,
        /// An asset it remixes (repeat); each is paid its license fee now.
        #[arg(long = "parent")]
        parents: Vec<u64>,
        /// The new asset's share of each of its descendants' revenue, in bps.
        #[arg(long, default_value_t = 0)]
        royalty_share: u32,
        /// What each of the new asset's descendants pays into its vault in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        license_fee: crate::money::Money,
    },
    /// Cancel a queued job of the signer's; its escrow comes back.
    CancelJob {
        #[command(flatten)]
        signing: Signing,
        /// The job.
        #[arg(long)]
        job: u64,
    },
    /// As the assigned provider, submit a job's result.
    SubmitResult {
        #[command(flatten)]
        signing: Signing,
        /// The job.
        #[arg(long)]
        job: u64,
        /// Hash of the output.
        #[arg(long)]
        output_hash: Hash,
    },
    /// As a verifier, challenge a result with the output you computed.
    Challenge {
        #[command(flatten)]
        signing: Signing,
        /// The job.
        #[arg(long)]
        job: u64,
        /// Hash of the output you computed.
        #[arg(long)]
        output_hash: Hash,
    },
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
        license_fee: crate::money::Money,
    },
    /// Claim the signer's revenue from a royalty vault (`model/ID` or `asset/ID`).
    ClaimRevenue {
        #[command(flatten)]
        signing: Signing,
        /// The vault.
        #[arg(long)]
        vault: VaultId,
    },
    /// Transfer share units of a royalty vault; both sides' revenue so far is paid first.
    TransferShares {
        #[command(flatten)]
        signing: Signing,
        /// The vault (`model/ID` or `asset/ID`).
        #[arg(long)]
        vault: VaultId,
        /// The recipient: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        to: String,
        /// Share units (100 000 000 are the whole vault).
        #[arg(long)]
        units: u64,
    },
    /// As a verifier, claim an output in an open dispute.
    ClaimOutput {
        #[command(flatten)]
        signing: Signing,
        /// The job.
        #[arg(long)]
        job: u64,
        /// Hash of the output you computed.
        #[arg(long)]
        output_hash: Hash,
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

/// Splits `KEY=VALUE`.
fn pair<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    text.split_once('=').ok_or_else(|| anyhow!("{what} {text:?}: expected KEY=VALUE"))
}

fn capacities(list: &[String]) -> Result<Vec<ClassCapacity>> {
    list.iter()
        .map(|text| {
            let (class, units) = pair(text, "--capacity")?;
            Ok(ClassCapacity {
                class: class.into(),
                units: units.parse().with_context(|| format!("--capacity {text}"))?,
            })
        })
        .collect()
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

fn bps(value: u32, what: &str) -> Result<Bps> {
    Bps::new(value).map_err(|e| anyhow!("{what}: {e}"))
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(store: &Keystore, command: ComputeTx) -> Result<(Signing, Msg)> {
    let compute = |signing, msg| Ok((signing, Msg::Compute(msg)));
    let registry = |signing, msg| Ok((signing, Msg::Registry(msg)));
    match command {
        ComputeTx::RegisterDataset { signing, content_hash, license, contributors: list } => {
            let contributors = contributors(store, &list)?;
            registry(signing, RegistryMsg::RegisterDataset { content_hash, license, contributors })
        }
        ComputeTx::AddContributors { signing, dataset, contributors: list } => {
            let contributors = contributors(store, &list)?;
            registry(signing, RegistryMsg::AddContributors { dataset: DatasetId(dataset), contributors })
        }
        ComputeTx::RegisterModel { signing, class, parent, datasets, fee } => {
            let datasets = datasets
                .iter()
                .map(|text| {
                    let (dataset, weight) = pair(text, "--dataset")?;
                    let weight: u32 = weight.parse().with_context(|| format!("--dataset {text}"))?;
                    Ok(DatasetWeight {
                        dataset: DatasetId(dataset.parse().with_context(|| format!("--dataset {text}"))?),
                        weight: bps(weight, "--dataset weight")?,
                    })
                })
                .collect::<Result<_>>()?;
            let performance_fee = bps(fee, "--fee")?;
            registry(
                signing,
                RegistryMsg::RegisterModel { class, parent: parent.map(ModelId), datasets, performance_fee },
            )
        }
        ComputeTx::ClaimRoyalties { signing, dataset } => {
            registry(signing, RegistryMsg::ClaimRoyalties { dataset: DatasetId(dataset) })
        }
        ComputeTx::RegisterProvider { signing, bond, endpoint, capacities: list } => compute(
            signing,
            ComputeMsg::RegisterProvider {
                bond: bond.of(Denom::GDC)?,
                endpoint,
                capacities: capacities(&list)?,
            },
        ),
        ComputeTx::UpdateProvider { signing, endpoint, capacities: list, add_bond } => compute(
            signing,
            ComputeMsg::UpdateProvider {
                endpoint,
                capacities: capacities(&list)?,
                add_bond: add_bond.of(Denom::GDC)?,
            },
        ),
        ComputeTx::DeregisterProvider { signing } => compute(signing, ComputeMsg::DeregisterProvider),
        ComputeTx::WithdrawBond { signing } => compute(signing, ComputeMsg::WithdrawBond),
        ComputeTx::SubmitJob {
            signing,
            model,
            units,
            max_fee,
            tip,
            prompt,
            prompt_hash,
            params_hash,
            nondeterministic,
            parents,
            royalty_share,
            license_fee,
        } => {
            let prompt_hash = match (prompt, prompt_hash) {
                (Some(text), None) => prompt_digest(&text),
                (None, Some(hash)) => hash,
                _ => bail!("give --prompt TEXT or --prompt-hash HEX"),
            };
            compute(
                signing,
                ComputeMsg::SubmitJob {
                    model: ModelId(model),
                    units,
                    max_fee_per_unit: max_fee.of(Denom::GDC)?,
                    tip_per_unit: tip.of(Denom::GDC)?,
                    prompt_hash,
                    params_hash,
                    deterministic: !nondeterministic,
                    parents: parents.into_iter().map(AssetId).collect(),
                    policy: RoyaltyPolicy {
                        share: bps(royalty_share, "--royalty-share")?,
                        license_fee: license_fee.of(Denom::GDC)?,
                    },
                },
            )
        }
        ComputeTx::CancelJob { signing, job } => compute(signing, ComputeMsg::CancelJob { job: JobId(job) }),
        ComputeTx::SubmitResult { signing, job, output_hash } => {
            compute(signing, ComputeMsg::SubmitResult { job: JobId(job), output_hash })
        }
        ComputeTx::Challenge { signing, job, output_hash } => {
            compute(signing, ComputeMsg::ChallengeResult { job: JobId(job), output_hash })
        }
        ComputeTx::ClaimOutput { signing, job, output_hash } => {
            compute(signing, ComputeMsg::ClaimOutput { job: JobId(job), output_hash })
        }
        ComputeTx::RegisterDerivative {
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
        ComputeTx::ClaimRevenue { signing, vault } => {
            Ok((signing, Msg::Revenue(RevenueMsg::ClaimRevenue { vault })))
        }
        ComputeTx::TransferShares { signing, vault, to, units } => {
            let to = crate::address(store, &to)?;
            Ok((signing, Msg::Revenue(RevenueMsg::TransferShares { vault, to, units })))
        }
    }
}

/// The on-chain hash of a prompt's text.
pub(crate) fn prompt_digest(text: &str) -> Hash {
    Hash::digest("atelier/prompt", &[text.as_bytes()])
}

/// A read of the compute market or the registry.
#[derive(Debug, Subcommand)]
pub(crate) enum ComputeQuery {
    /// The market's parameters.
    Params,
    /// Every class: base fee, capacity, target, queue, utilisation.
    Classes,
    /// A job.
    Job {
        /// Its id.
        id: u64,
    },
    /// A requester's or a provider's jobs.
    Jobs {
        /// Jobs this account submitted.
        #[arg(long, conflicts_with = "provider", required_unless_present = "provider")]
        requester: Option<String>,
        /// Jobs assigned to this provider.
        #[arg(long)]
        provider: Option<String>,
        /// Only ids above this one.
        #[arg(long)]
        after: Option<u64>,
        /// Most jobs.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// A provider.
    Provider {
        /// A key name, `devN`, or a bech32 address.
        address: String,
    },
    /// Every provider.
    Providers,
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
}

/// A read of assets and royalty vaults.
#[derive(Debug, Subcommand)]
pub(crate) enum AssetQuery {
    /// An asset.
    Show {
        /// Its id.
        id: u64,
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
        /// Only descendants above this id.
        #[arg(long)]
        after: Option<u64>,
        /// Most descendants.
        #[arg(long, default_value_t = 100)]
        limit: usize,
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
    /// A royalty vault (`model/ID` or `asset/ID`).
    Vault {
        /// The vault.
        vault: VaultId,
    },
    /// A holder's share units of a vault and its claimable revenue.
    Position {
        /// The vault (`model/ID` or `asset/ID`).
        #[arg(long)]
        vault: VaultId,
        /// The holder: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        holder: String,
    },
}

/// The API path that answers an asset query.
pub(crate) fn asset_path(store: &Keystore, query: AssetQuery) -> Result<String> {
    let address = |text: &str| crate::address(store, text).map(|a| a.to_string());
    Ok(match query {
        AssetQuery::Show { id } => format!("/assets/{id}"),
        AssetQuery::Assets { owner } => format!("/assets?owner={}", address(&owner)?),
        AssetQuery::Lineage { id, after, limit } => {
            let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
            format!("/assets/{id}/lineage?limit={limit}{after}")
        }
        AssetQuery::RoyaltyStack { id } => format!("/assets/{id}/royalty-stack"),
        AssetQuery::Manifest { id } => format!("/assets/{id}/manifest"),
        AssetQuery::Vault { vault } => format!("/vaults/{vault}"),
        AssetQuery::Position { vault, holder } => format!("/vaults/{vault}/holders/{}", address(&holder)?),
    })
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: ComputeQuery) -> Result<String> {
    let address = |text: &str| crate::address(store, text).map(|a| a.to_string());
    Ok(match query {
        ComputeQuery::Params => "/compute/params".into(),
        ComputeQuery::Classes => "/compute/classes".into(),
        ComputeQuery::Job { id } => format!("/compute/jobs/{id}"),
        ComputeQuery::Jobs { requester, provider, after, limit } => {
            let whose = match (requester, provider) {
                (Some(requester), None) => format!("requester={}", address(&requester)?),
                (None, Some(provider)) => format!("provider={}", address(&provider)?),
                _ => bail!("give --requester or --provider"),
            };
            let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
            format!("/compute/jobs?{whose}&limit={limit}{after}")
        }
        ComputeQuery::Provider { address: text } => format!("/compute/providers/{}", address(&text)?),
        ComputeQuery::Providers => "/compute/providers".into(),
        ComputeQuery::Model { id } => format!("/registry/models/{id}"),
        ComputeQuery::Dataset { id } => format!("/registry/datasets/{id}"),
        ComputeQuery::Royalties { dataset, contributor } => {
            format!("/registry/datasets/{dataset}/contributors/{}", address(&contributor)?)
        }
    })
}

/// A market message.
#[derive(Debug, Subcommand)]
pub(crate) enum MarketTx {
    /// List an asset, or units of a royalty vault, at a fixed price.
    List {
        #[command(flatten)]
        signing: Signing,
        /// The asset to sell.
        #[arg(long, conflicts_with = "vault", required_unless_present = "vault")]
        asset: Option<u64>,
        /// The vault whose units to sell (`model/ID` or `asset/ID`), with --units.
        #[arg(long, requires = "units")]
        vault: Option<VaultId>,
        /// Share units to sell.
        #[arg(long)]
        units: Option<u64>,
        /// The price: `50GDC`, `9USD`, or base units of --denom.
        #[arg(long)]
        price: crate::money::Money,
        /// ugdc or uusd.
        #[arg(long, default_value = "ugdc")]
        denom: String,
        /// Blocks the listing stays open.
        #[arg(long, default_value_t = 1_000)]
        open_for: u64,
    },
    /// Withdraw one of the signer's listings.
    Cancel {
        #[command(flatten)]
        signing: Signing,
        /// The listing.
        #[arg(long)]
        listing: u64,
    },
    /// Buy a listing.
    Buy {
        #[command(flatten)]
        signing: Signing,
        /// The listing.
        #[arg(long)]
        listing: u64,
        /// The most the signer pays, in base units of the listing's denomination.
        #[arg(long)]
        max_price: Amount,
    },
}

/// The message a market command asks for, and who signs it.
pub(crate) fn market_message(command: MarketTx) -> Result<(Signing, Msg)> {
    let msg = match command {
        MarketTx::List { signing, asset, vault, units, price, denom, open_for } => {
            let item = match (asset, vault, units) {
                (Some(asset), None, _) => Item::Asset { asset: AssetId(asset) },
                (None, Some(vault), Some(units)) => Item::Shares { vault, units },
                _ => bail!("give --asset ID, or --vault VAULT with --units N"),
            };
            let (denom, price) = price.or_denom(denom.parse().map_err(|e| anyhow!("--denom: {e}"))?);
            (signing, MarketMsg::List { item, price, denom, expires_in: open_for })
        }
        MarketTx::Cancel { signing, listing } => (signing, MarketMsg::Cancel { listing: ListingId(listing) }),
        MarketTx::Buy { signing, listing, max_price } => {
            (signing, MarketMsg::Buy { listing: ListingId(listing), max_price })
        }
    };
    Ok((msg.0, Msg::Market(msg.1)))
}

/// A read of the market.
#[derive(Debug, Subcommand)]
pub(crate) enum MarketQuery {
    /// The market's parameters.
    Params,
    /// A listing.
    Listing {
        /// Its id.
        id: u64,
    },
    /// Open listings.
    Listings {
        /// Only ids above this one.
        #[arg(long)]
        after: Option<u64>,
        /// Most listings.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

/// The API path that answers a market query.
pub(crate) fn market_path(query: MarketQuery) -> String {
    match query {
        MarketQuery::Params => "/market/params".into(),
        MarketQuery::Listing { id } => format!("/market/listings/{id}"),
        MarketQuery::Listings { after, limit } => {
            let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
            format!("/market/listings?limit={limit}{after}")
        }
    }
}
