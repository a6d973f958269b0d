//! Why a compute operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, ErrorCode};

use super::{JobId, JobStatus};
use crate::modules::registry::ModelId;

/// A broken compute rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// 327 (moving funds) now keeps the bank's code; 329–331 (royalties, vaults, slashing at
// settlement) could only fail by a bug, which now refuses the block (`Failure::Bug`).
#[code(retired(327, 329, 330, 331))]
pub enum ComputeError {
    /// No compute class has this name.
    #[code(301)]
    #[error("no compute class {class:?}")]
    UnknownClass {
        /// The name given.
        class: String,
    },
    /// An endpoint is empty or too long.
    #[code(302)]
    #[error("invalid endpoint: {reason}")]
    InvalidEndpoint {
        /// What is wrong.
        reason: &'static str,
    },
    /// A bond is below the minimum.
    #[code(303)]
    #[error("bond {bond} is below the minimum {min}")]
    BondBelowMinimum {
        /// The bond.
        bond: Amount,
        /// The minimum.
        min: Amount,
    },
    /// The sender is a provider already.
    #[code(304)]
    #[error("{provider} is already a provider")]
    AlreadyRegistered {
        /// The sender.
        provider: Address,
    },
    /// The sender is not a provider.
    #[code(305)]
    #[error("{sender} is not a provider")]
    NotAProvider {
        /// The sender.
        sender: Address,
    },
    /// A capacity list is empty, names a class twice, or offers no units.
    #[code(306)]
    #[error("invalid capacities: {reason}")]
    InvalidCapacities {
        /// What is wrong.
        reason: String,
    },
    /// A class has as many active providers as it may.
    #[code(307)]
    #[error("class {class} has its maximum of {max} providers")]
    TooManyProviders {
        /// The class.
        class: String,
        /// The maximum.
        max: u32,
    },
    /// The provider is unbonding: it can only withdraw.
    #[code(308)]
    #[error("{provider} is unbonding")]
    Unbonding {
        /// The provider.
        provider: Address,
    },
    /// The provider has not deregistered.
    #[code(309)]
    #[error("{provider} has not deregistered")]
    NotUnbonding {
        /// The provider.
        provider: Address,
    },
    /// The unbonding period has not passed.
    #[code(310)]
    #[error("the bond unbonds until height {until}")]
    StillUnbonding {
        /// First height of the withdrawal.
        until: u64,
    },
    /// The provider still has jobs or disputes open.
    #[code(311)]
    #[error("{open} jobs or disputes are still open")]
    StillOpen {
        /// How many.
        open: u32,
    },
    /// No model has this id.
    #[code(312)]
    #[error("no model {model}")]
    UnknownModel {
        /// The id named.
        model: ModelId,
    },
    /// A job's units are zero or above the maximum.
    #[code(313)]
    #[error("{units} units; a job asks for 1 to {max}")]
    InvalidUnits {
        /// Units asked for.
        units: u64,
        /// The maximum.
        max: u64,
    },
    /// The tip exceeds the fee cap.
    #[code(314)]
    #[error("tip {tip} per unit exceeds the fee cap {max_fee} per unit")]
    TipAboveFeeCap {
        /// The tip.
        tip: Amount,
        /// The fee cap.
        max_fee: Amount,
    },
    /// The fee cap is below the class's base fee.
    #[code(315)]
    #[error("fee cap {max_fee} per unit is below the base fee {base_fee}")]
    FeeCapBelowBaseFee {
        /// The fee cap.
        max_fee: Amount,
        /// The class's base fee.
        base_fee: Amount,
    },
    /// The class's queue is full.
    #[code(316)]
    #[error("the queue of class {class} is full ({max} jobs)")]
    QueueFull {
        /// The class.
        class: String,
        /// Its limit.
        max: u32,
    },
    /// No job has this id.
    #[code(317)]
    #[error("no job {job}")]
    UnknownJob {
        /// The id named.
        job: JobId,
    },
    /// Only the job's requester may do this.
    #[code(318)]
    #[error("{sender} did not submit job {job}")]
    NotRequester {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// Only the assigned provider may submit the result.
    #[code(319)]
    #[error("{sender} is not the provider assigned to job {job}")]
    NotAssigned {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// The job is not where the message needs it.
    #[code(320)]
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
    #[code(321)]
    #[error("job {job} is not deterministic")]
    NotDeterministic {
        /// The job.
        job: JobId,
    },
    /// The claimed output is the one submitted.
    #[code(322)]
    #[error("the claimed output is the submitted one")]
    SameOutput,
    /// The sender is not a verifier of the class: a provider serving it with at least the minimum
    /// bond, other than the parties.
    #[code(323)]
    #[error("{sender} is not an eligible verifier for job {job}")]
    NotAVerifier {
        /// The job.
        job: JobId,
        /// Who tried.
        sender: Address,
    },
    /// The verifier has claimed an output for this job already.
    #[code(324)]
    #[error("{verifier} already claimed an output for job {job}")]
    AlreadyClaimed {
        /// The job.
        job: JobId,
        /// The verifier.
        verifier: Address,
    },
    /// The dispute holds as many claims as it may.
    #[code(325)]
    #[error("the dispute of job {job} is full")]
    DisputeFull {
        /// The job.
        job: JobId,
    },
    /// Arithmetic overflowed (an escrow or bond beyond `u128`).
    #[code(326)]
    #[error("amount overflow")]
    Overflow,
    /// Moving funds failed.
    #[code(inner)]
    #[error("moving funds: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// More than `u64::MAX` jobs or assets.
    #[code(328)]
    #[error("ids exhausted")]
    IdsExhausted,
    /// The job's parents break a provenance rule (reported with provenance's code).
    #[code(inner)]
    #[error(transparent)]
    Lineage(crate::modules::provenance::ProvenanceError),
    /// The model may not earn: its lineage is unattested or tagged.
    #[code(332)]
    #[error("model {model} is not compliant: {gate}")]
    NotCompliant {
        /// The model.
        model: crate::modules::registry::ModelId,
        /// Why.
        gate: crate::modules::compliance::Gate,
    },
}
