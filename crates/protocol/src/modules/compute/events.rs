//! What the compute market reports, in the past tense.

use atelier_primitives::{Address, Amount, Decode, Encode, Hash};
use serde::{Deserialize, Serialize};

use super::{JobId, JobStatus};
use crate::modules::{provenance::AssetId, registry::ModelId};

/// A compute event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ComputeEvent {
    /// A provider registered.
    ProviderRegistered {
        /// The provider.
        provider: Address,
        /// Its bond.
        bond: Amount,
    },
    /// A provider changed its endpoint, capacities or bond.
    ProviderUpdated {
        /// The provider.
        provider: Address,
        /// Its bond now.
        bond: Amount,
        /// Whether it takes jobs now.
        active: bool,
    },
    /// A provider deregistered; its bond unbonds.
    ProviderDeregistered {
        /// The provider.
        provider: Address,
        /// First height it may withdraw at.
        until: u64,
    },
    /// A provider withdrew its bond and left.
    BondWithdrawn {
        /// The provider.
        provider: Address,
        /// The bond returned.
        amount: Amount,
    },
    /// A provider's bond was slashed.
    ProviderSlashed {
        /// The provider.
        provider: Address,
        /// How much.
        amount: Amount,
        /// Who received it.
        to: Address,
        /// Whether it was suspended for it (its bond fell below the minimum).
        suspended: bool,
    },
    /// A job was submitted; its escrow is held.
    JobSubmitted {
        /// The job.
        job: JobId,
        /// Who asked.
        requester: Address,
        /// The model.
        model: ModelId,
        /// Units.
        units: u64,
        /// The escrow.
        escrow: Amount,
    },
    /// A job was admitted and assigned; the rest of its escrow was refunded.
    JobAdmitted {
        /// The job.
        job: JobId,
        /// The provider it was assigned to.
        provider: Address,
        /// The base-fee part of its price.
        base: Amount,
        /// The tip part.
        tip: Amount,
        /// Refunded to the requester.
        refund: Amount,
    },
    /// A job ended without running: cancelled, expired in the queue, missed by its provider, or
    /// overturned by a dispute; everything held for it went back to the requester.
    JobRefunded {
        /// The job.
        job: JobId,
        /// How it ended.
        status: JobStatus,
        /// What the requester got back.
        refund: Amount,
    },
    /// The assigned provider submitted its result.
    ResultSubmitted {
        /// The job.
        job: JobId,
        /// Hash of the output.
        output_hash: Hash,
    },
    /// A verifier challenged a result.
    ResultChallenged {
        /// The job.
        job: JobId,
        /// The verifier.
        challenger: Address,
        /// The output it claims.
        output_hash: Hash,
    },
    /// A verifier claimed an output in a dispute.
    OutputClaimed {
        /// The job.
        job: JobId,
        /// The verifier.
        verifier: Address,
        /// The output it claims.
        output_hash: Hash,
    },
    /// A dispute ended.
    DisputeResolved {
        /// The job.
        job: JobId,
        /// Whether the provider's result stood.
        upheld: bool,
        /// The party whose bond paid (none when the window closed without a quorum).
        loser: Option<Address>,
    },
    /// A job was paid out. Parts of its base fee in waterfall order; they and the tip sum to its
    /// price.
    JobSettled {
        /// The job.
        job: JobId,
        /// The provider.
        provider: Address,
        /// To the treasury.
        treasury: Amount,
        /// To the model's datasets.
        datasets: Amount,
        /// To the model's fine-tuners.
        fine_tuners: Amount,
        /// Burned.
        burned: Amount,
        /// To the provider: the rest of the base fee and the whole tip.
        provider_paid: Amount,
        /// The asset minted for the requester.
        asset: AssetId,
    },
    /// A class's base fee moved at the end of a block.
    ClassFeeUpdated {
        /// The class.
        #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
        class: String,
        /// The base fee the block used.
        previous: Amount,
        /// The base fee of the next block.
        next: Amount,
        /// Units admitted.
        units: u64,
        /// Units the class aims at.
        target: u64,
    },
}
