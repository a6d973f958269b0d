//! `atelier tx compute …` and `atelier query compute …`: providers and their bonds, jobs, results,
//! challenges and disputed outputs.

use anyhow::{Context, Result, bail};
use atelier_primitives::{Denom, Hash};
use atelier_protocol::{
    Msg,
    modules::{
        compute::{ClassCapacity, ComputeMsg, JobId},
        provenance::{AssetId, RoyaltyPolicy},
        registry::ModelId,
    },
};
use clap::Subcommand;

use super::{Page, address, bps, pair};
use crate::{Signing, keys::Keystore, money::Money};

/// A compute-market message.
/// What a new design remixes, and what it will ask of its own descendants.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Lineage {
    /// An asset it remixes (repeat): each is paid its license fee now and takes its share of the
    /// new asset's revenue.
    #[arg(long = "parent")]
    parents: Vec<u64>,
    /// The new asset's share of each of its descendants' revenue, in bps.
    #[arg(long, default_value_t = 0)]
    royalty_share: u32,
    /// What each of the new asset's descendants pays into its vault in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
    #[arg(long, default_value = "0")]
    license_fee: Money,
}

impl Lineage {
    /// The assets remixed.
    pub(crate) fn parents(&self) -> Vec<AssetId> {
        self.parents.iter().copied().map(AssetId).collect()
    }

    /// What the new asset asks of its descendants.
    pub(crate) fn policy(&self) -> Result<RoyaltyPolicy> {
        Ok(RoyaltyPolicy {
            share: bps(self.royalty_share, "--royalty-share")?,
            license_fee: self.license_fee.of(Denom::GDC)?,
        })
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Become a provider: bond and offer capacity.
    #[command(after_help = "Example:\n  atelier tx compute register-provider --from gpu1 --bond 500GDC \
                            --endpoint https://gpu1.example --capacity image=64")]
    RegisterProvider {
        #[command(flatten)]
        signing: Signing,
        /// The bond in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        bond: Money,
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
        add_bond: Money,
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
    /// Ask a model for a job; escrows units × price per unit.
    #[command(after_help = "Examples:\n  atelier tx compute submit-job --from alice --model 1 --units 4 \
                            --price 0.05GDC --prompt \"a red fox\" --wait\n  \
                            atelier tx compute submit-job --from alice --model 1 --units 4 --price 0.05GDC \
                            --prompt \"the fox, in winter\" --parent 1 --royalty-share 500")]
    SubmitJob {
        #[command(flatten)]
        signing: Signing,
        /// The model.
        #[arg(long)]
        model: u64,
        /// Compute units.
        #[arg(long)]
        units: u64,
        /// Most paid per unit, its tip included, in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        price: Money,
        /// Of that, the tip per unit for the provider in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        provider_tip: Money,
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
        #[command(flatten)]
        lineage: Lineage,
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
        #[command(flatten)]
        output: JobOutput,
    },
    /// As a verifier, challenge a result with the output you computed.
    Challenge {
        #[command(flatten)]
        signing: Signing,
        #[command(flatten)]
        output: JobOutput,
    },
    /// As a verifier, claim an output in an open dispute.
    ClaimOutput {
        #[command(flatten)]
        signing: Signing,
        #[command(flatten)]
        output: JobOutput,
    },
}

/// A job and the hash of an output for it.
#[derive(Debug, clap::Args)]
pub(crate) struct JobOutput {
    /// The job.
    #[arg(long)]
    job: u64,
    /// Hash of the output (a verifier's: the output it computed).
    #[arg(long)]
    output_hash: Hash,
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

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::RegisterProvider { signing, bond, endpoint, capacities: list } => (
            signing,
            ComputeMsg::RegisterProvider {
                bond: bond.of(Denom::GDC)?,
                endpoint,
                capacities: capacities(&list)?,
            },
        ),
        Tx::UpdateProvider { signing, endpoint, capacities: list, add_bond } => (
            signing,
            ComputeMsg::UpdateProvider {
                endpoint,
                capacities: capacities(&list)?,
                add_bond: add_bond.of(Denom::GDC)?,
            },
        ),
        Tx::DeregisterProvider { signing } => (signing, ComputeMsg::DeregisterProvider),
        Tx::WithdrawBond { signing } => (signing, ComputeMsg::WithdrawBond),
        Tx::SubmitJob {
            signing,
            model,
            units,
            price,
            provider_tip,
            prompt,
            prompt_hash,
            params_hash,
            nondeterministic,
            lineage,
        } => {
            let prompt_hash = match (prompt, prompt_hash) {
                (Some(text), None) => prompt_digest(&text),
                (None, Some(hash)) => hash,
                _ => bail!("give --prompt TEXT or --prompt-hash HEX"),
            };
            let msg = ComputeMsg::SubmitJob {
                model: ModelId(model),
                units,
                max_fee_per_unit: price.of(Denom::GDC)?,
                tip_per_unit: provider_tip.of(Denom::GDC)?,
                prompt_hash,
                params_hash,
                deterministic: !nondeterministic,
                parents: lineage.parents(),
                policy: lineage.policy()?,
            };
            (signing, msg)
        }
        Tx::CancelJob { signing, job } => (signing, ComputeMsg::CancelJob { job: JobId(job) }),
        Tx::SubmitResult { signing, output: JobOutput { job, output_hash } } => {
            (signing, ComputeMsg::SubmitResult { job: JobId(job), output_hash })
        }
        Tx::Challenge { signing, output: JobOutput { job, output_hash } } => {
            (signing, ComputeMsg::ChallengeResult { job: JobId(job), output_hash })
        }
        Tx::ClaimOutput { signing, output: JobOutput { job, output_hash } } => {
            (signing, ComputeMsg::ClaimOutput { job: JobId(job), output_hash })
        }
    };
    Ok((signing, Msg::Compute(msg)))
}

/// The on-chain hash of a prompt's text: the hash of the blob holding it.
pub(crate) fn prompt_digest(text: &str) -> Hash {
    Hash::blob(text.as_bytes())
}

/// A read of the compute market.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
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
        #[command(flatten)]
        page: Page,
    },
    /// A provider.
    Provider {
        /// A key name, `devN`, or a bech32 address.
        address: String,
    },
    /// Every provider.
    Providers,
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/compute/params".into(),
        Query::Classes => "/compute/classes".into(),
        Query::Job { id } => format!("/compute/jobs/{id}"),
        Query::Jobs { requester, provider, page } => {
            let whose = match (requester, provider) {
                (Some(requester), None) => format!("requester={}", address(store, &requester)?),
                (None, Some(provider)) => format!("provider={}", address(store, &provider)?),
                _ => bail!("give --requester or --provider"),
            };
            format!("/compute/jobs?{whose}&{}", page.query())
        }
        Query::Provider { address: text } => format!("/compute/providers/{}", address(store, &text)?),
        Query::Providers => "/compute/providers".into(),
    })
}
