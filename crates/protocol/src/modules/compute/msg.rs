//! What an account can ask of the compute market.

use atelier_primitives::{Amount, Decode, Encode, Hash, Layout};
use serde::{Deserialize, Serialize};

use super::{ClassCapacity, JobId, state};
use crate::modules::{
    provenance::{AssetId, RoyaltyPolicy},
    registry::ModelId,
};

/// A compute message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComputeMsg {
    /// Become a provider: post a bond and offer capacity in some classes.
    RegisterProvider {
        /// The bond, at least the minimum.
        bond: Amount,
        /// Where the provider is reached.
        #[codec(max = state::MAX_ENDPOINT_BYTES)]
        endpoint: String,
        /// Units per block in each class it serves.
        #[codec(max = state::MAX_CLASSES)]
        capacities: Vec<ClassCapacity>,
    },
    /// Change the sender's endpoint or capacities, or add to its bond (which reactivates a
    /// suspended provider once the bond is back at the minimum).
    UpdateProvider {
        /// A new endpoint; empty keeps the current one.
        #[codec(max = state::MAX_ENDPOINT_BYTES)]
        endpoint: String,
        /// New capacities, replacing the old; empty keeps the current ones.
        #[codec(max = state::MAX_CLASSES)]
        capacities: Vec<ClassCapacity>,
        /// Added to the bond.
        add_bond: Amount,
    },
    /// Stop taking jobs; the bond unbonds.
    DeregisterProvider,
    /// After unbonding, with no job open: take the bond back and leave.
    WithdrawBond,
    /// Ask `model` for a job, escrowing `units * max_fee_per_unit`.
    SubmitJob {
        /// The model.
        model: ModelId,
        /// Compute units.
        units: u64,
        /// Most it pays per unit, tip included.
        max_fee_per_unit: Amount,
        /// Tip per unit offered to the provider.
        tip_per_unit: Amount,
        /// Hash of the prompt.
        prompt_hash: Hash,
        /// Hash of the generation parameters.
        params_hash: Hash,
        /// Whether re-running it gives the same output (then its result can be challenged).
        deterministic: bool,
        /// Assets it remixes: each is paid its license fee now and takes its share of the new
        /// asset's revenue.
        #[codec(max = crate::modules::provenance::MAX_PARENTS)]
        parents: Vec<AssetId>,
        /// What the new asset will ask of its own descendants.
        policy: RoyaltyPolicy,
    },
    /// The requester withdraws a job still queued; its escrow is refunded.
    CancelJob {
        /// The job.
        job: JobId,
    },
    /// The assigned provider's result.
    SubmitResult {
        /// The job.
        job: JobId,
        /// Hash of the output.
        output_hash: Hash,
    },
    /// A bonded verifier claims another output for a deterministic job: a dispute opens.
    ChallengeResult {
        /// The job.
        job: JobId,
        /// The output the verifier computed.
        output_hash: Hash,
    },
    /// A bonded verifier's re-execution claim in an open dispute.
    ClaimOutput {
        /// The job.
        job: JobId,
        /// The output the verifier computed.
        output_hash: Hash,
    },
}

impl ComputeMsg {
    /// Its gas (spec: fees §Gas).
    pub fn gas(&self, schedule: &crate::modules::fees::GasSchedule) -> u64 {
        match self {
            ComputeMsg::RegisterProvider { .. }
            | ComputeMsg::UpdateProvider { .. }
            | ComputeMsg::DeregisterProvider
            | ComputeMsg::WithdrawBond => schedule.provider,
            ComputeMsg::SubmitJob { .. } => schedule.submit_job,
            ComputeMsg::CancelJob { .. } | ComputeMsg::SubmitResult { .. } => schedule.job_update,
            ComputeMsg::ChallengeResult { .. } | ComputeMsg::ClaimOutput { .. } => schedule.dispute,
        }
    }
}
