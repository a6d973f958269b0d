//! Why a compute operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount};

use super::{JobId, JobStatus};
use crate::modules::registry::ModelId;

/// A broken compute rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComputeError {
    /// No compute class has this name.
    #[error("no compute class {class:?}")]
    UnknownClass {
        /// The name given.
        class: String,
    },
    /// An endpoint is empty or too long.
    #[error("invalid endpoint: {reason}")]
    InvalidEndpoint {
        /// What is wrong.
        reason: &'static str,
    },
    /// A bond is below the minimum.
    #[error("bond {bond} is below the minimum {min}")]
    BondBelowMinimum {
        /// The bond.
        bond: Amount,
        /// The minimum.
        min: Amount,
    },
    /// The sender is a provider already.
    #[error("{provider} is already a provider")]
    AlreadyRegistered {
        /// The sender.
        provider: Address,
    },
    /// The sender is not a provider.
    #[error("{sender} is not a provider")]
    NotAProvider {
        /// The sender.
        sender: Address,
    },
    /// A capacity list is empty, names a class twice, or offers no units.
    #[error("invalid capacities: {reason}")]
    InvalidCapacities {
        /// What is wrong.
        reason: String,
    },
    /// A class has as many active providers as it may.
    #[error("class {class} has its maximum of {max} providers")]
    TooManyProviders {
        /// The class.
        class: String,
        /// The maximum.
        max: u32,
    },
    /// The provider is unbonding: it can only withdraw.
    #[error("{provider} is unbonding")]
    Unbonding {
        /// The provider.
        provider: Address,
    },
    /// The provider has not deregistered.
    #[error("{provider} has not deregistered")]
    NotUnbonding {
        /// The provider.
        provider: Address,
    },
    /// The unbonding period has not passed.
    #[error("the bond unbonds until height {until}")]
    StillUnbonding {
        /// First height of the withdrawal.
        until: u64,
    },
    /// The provider still has jobs or disputes open.
    #[error("{open} jobs or disputes are still open")]
    StillOpen {
        /// How many.
        open: u32,
    },
    /// No model has this id.
    #[error("no model {model}")]
    UnknownModel {
        /// The id named.
        model: ModelId,
    },
    /// A job's units are zero or above the maximum.
    #[error("{units} units; a job asks for 1 to {max}")]
    InvalidUnits {
        /// Units asked for.
        units: u64,
        /// The maximum.
        max: u64,
    },
    /// The tip exceeds the fee cap.
    #[error("tip {tip} per unit exceeds the fee cap {max_fee} per unit")]
    TipAboveFeeCap {
        /// The tip.
        tip: Amount,
        /// The fee cap.
        max_fee: Amount,
    },
    /// The fee cap is below the class's base fee.
    #[error("fee cap {max_fee} per unit is below the base fee {base_fee}")]
    FeeCapBelowBaseFee {
        /// The fee cap.
        max_fee: Amount,
        /// The class's base fee.
        base_fee: Amount,
    },
    /// The class's queue is full.
    #[error("the queue of class {class} is full ({max} jobs)")]
    QueueFull {
        /// The class.
        class: String,
        /// Its limit.
        max: u32,
    },
    /// No job has this id.
    #[error("no job {job}")]
    UnknownJob {
        /// The id named.
        job: JobId,
    },
    /// Only the job's requester may do this.
    #[error("{sender} did not submit job {job}")]
    NotRequester {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// Only the assigned provider may submit the result.
    #[error("{sender} is not the provider assigned to job {job}")]
    NotAssigned {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// The job is not where the message needs it.
    #[error("job {job} is {status:?}, not {expected:?}")]
    WrongStatus {
        /// The job.
        job: JobId,
        /// Where it stands.
        status: JobStatus,
        /// Where the message needs it.
        expected: JobStatus,
    },
    /// Only deterministic jobs can be challenged.
    #[error("job {job} is not deterministic")]
    NotDeterministic {
        /// The job.
        job: JobId,
    },
    /// The claimed output is the one submitted.
    #[error("the claimed output is the submitted one")]
    SameOutput,
    /// The sender is not a verifier of the class: a provider serving it with at least the minimum
    /// bond, other than the parties.
    #[error("{sender} is not an eligible verifier for job {job}")]
    NotAVerifier {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// The verifier has claimed an output for this job already.
    #[error("{verifier} already claimed an output for job {job}")]
    AlreadyClaimed {
        /// The job.
        job: JobId,
        /// The verifier.
        verifier: Address,
    },
    /// The dispute holds as many claims as it may.
    #[error("the dispute of job {job} is full")]
    DisputeFull {
        /// The job.
        job: JobId,
    },
    /// Arithmetic overflowed (an escrow or bond beyond `u128`).
    #[error("amount overflow")]
    Overflow,
    /// Moving funds failed.
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// More than `u64::MAX` jobs or assets.
    #[error("ids exhausted")]
    IdsExhausted,
    /// Paying dataset royalties failed.
    #[error("paying royalties: {0}")]
    Royalties(crate::modules::registry::RegistryError),
    /// Paying a model's vault failed.
    #[error("paying a vault: {0}")]
    Revenue(crate::modules::revenue::RevenueError),
    /// Slashing a provider's stake failed.
    #[error("slashing stake: {0}")]
    Staking(crate::modules::staking::StakingError),
    /// The job's parents break a provenance rule (reported with provenance's code).
    #[error(transparent)]
    Lineage(crate::modules::provenance::ProvenanceError),
    /// The model may not earn: its lineage is unattested or tagged.
    #[error("model {model} is not compliant: {gate}")]
    NotCompliant {
        /// The model.
        model: crate::modules::registry::ModelId,
        /// Why.
        gate: crate::modules::compliance::Gate,
    },
}

impl ComputeError {
    /// The stable numeric code (the compute range is 300–399).
    pub fn code(&self) -> u32 {
        match self {
            ComputeError::UnknownClass { .. } => 301,
            ComputeError::InvalidEndpoint { .. } => 302,
            ComputeError::BondBelowMinimum { .. } => 303,
            ComputeError::AlreadyRegistered { .. } => 304,
            ComputeError::NotAProvider { .. } => 305,
            ComputeError::InvalidCapacities { .. } => 306,
            ComputeError::TooManyProviders { .. } => 307,
            ComputeError::Unbonding { .. } => 308,
            ComputeError::NotUnbonding { .. } => 309,
            ComputeError::StillUnbonding { .. } => 310,
            ComputeError::StillOpen { .. } => 311,
            ComputeError::UnknownModel { .. } => 312,
            ComputeError::InvalidUnits { .. } => 313,
            ComputeError::TipAboveFeeCap { .. } => 314,
            ComputeError::FeeCapBelowBaseFee { .. } => 315,
            ComputeError::QueueFull { .. } => 316,
            ComputeError::UnknownJob { .. } => 317,
            ComputeError::NotRequester { .. } => 318,
            ComputeError::NotAssigned { .. } => 319,
            ComputeError::WrongStatus { .. } => 320,
            ComputeError::NotDeterministic { .. } => 321,
            ComputeError::SameOutput => 322,
            ComputeError::NotAVerifier { .. } => 323,
            ComputeError::AlreadyClaimed { .. } => 324,
            ComputeError::DisputeFull { .. } => 325,
            ComputeError::Overflow => 326,
            ComputeError::Bank(_) => 327,
            ComputeError::IdsExhausted => 328,
            ComputeError::Royalties(_) => 329,
            ComputeError::Revenue(_) => 330,
            ComputeError::Staking(_) => 331,
            ComputeError::NotCompliant { .. } => 332,
            ComputeError::Lineage(e) => e.code(),
        }
    }
}
