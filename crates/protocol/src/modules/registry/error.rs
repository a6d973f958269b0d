//! Why a registry operation failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, Amount, Bps, ErrorCode};

use super::{DatasetId, ModelId};

/// A broken registry rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
// Wrapped errors once had codes of their own; they now keep the inner error's.
#[code(retired(214))]
pub enum RegistryError {
    /// No dataset has this id.
    #[code(201)]
    #[error("no dataset {dataset}")]
    UnknownDataset {
        /// The id named.
        dataset: DatasetId,
    },
    /// No model has this id.
    #[code(202)]
    #[error("no model {model}")]
    UnknownModel {
        /// The id named.
        model: ModelId,
    },
    /// Only the dataset's owner may add contributors.
    #[code(203)]
    #[error("{sender} does not own dataset {dataset}")]
    NotDatasetOwner {
        /// The dataset.
        dataset: DatasetId,
        /// Who tried.
        sender: Address,
    },
    /// A contributor list is empty, too long, names someone twice or already registered, or
    /// gives someone no shares.
    #[code(204)]
    #[error("invalid contributors: {reason}")]
    InvalidContributors {
        /// What is wrong.
        reason: String,
    },
    /// The total shares of a dataset would exceed `u128::MAX`.
    #[code(205)]
    #[error("dataset {dataset}'s shares would overflow")]
    SharesOverflow {
        /// The dataset.
        dataset: DatasetId,
    },
    /// A license or compute class is empty, too long, or not `[a-z0-9-]` (classes).
    #[code(206)]
    #[error("invalid {field}: {reason}")]
    InvalidText {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A model's dataset weights are not as the rules require.
    #[code(207)]
    #[error("invalid dataset weights: {reason}")]
    InvalidWeights {
        /// What is wrong.
        reason: String,
    },
    /// A fine-tune would be deeper than allowed.
    #[code(208)]
    #[error("lineage depth {depth} exceeds the maximum {max}")]
    LineageTooDeep {
        /// The depth the model would have.
        depth: u32,
        /// The maximum.
        max: u32,
    },
    /// A lineage would reach more datasets than allowed.
    #[code(209)]
    #[error("lineage reaches {count} datasets, more than the maximum {max}")]
    TooManyLineageDatasets {
        /// How many it would reach.
        count: usize,
        /// The maximum.
        max: u32,
    },
    /// A performance fee, or the sum along the lineage, exceeds its cap.
    #[code(210)]
    #[error("performance fee {} bps exceeds the cap {} bps", fee.get(), cap.get())]
    FeeTooHigh {
        /// The fee (or the lineage's sum).
        fee: Bps,
        /// The cap.
        cap: Bps,
    },
    /// The fine-tune's parent serves another compute class.
    #[code(211)]
    #[error("parent model {parent} serves class {parent_class}, not {class}")]
    ClassMismatch {
        /// The parent.
        parent: ModelId,
        /// The parent's class.
        parent_class: String,
        /// The class asked for.
        class: String,
    },
    /// There is nothing to claim.
    #[code(212)]
    #[error("{contributor} has no royalties to claim from dataset {dataset}")]
    NothingToClaim {
        /// The dataset.
        dataset: DatasetId,
        /// Who asked.
        contributor: Address,
    },
    /// An accumulator or total would overflow.
    #[code(213)]
    #[error("royalty arithmetic overflowed")]
    Overflow,
    /// Moving the royalty funds failed.
    #[code(inner)]
    #[error("moving royalties: {0}")]
    Bank(#[from] crate::modules::bank::BankError),
    /// More than `u64::MAX` datasets or models.
    #[code(215)]
    #[error("ids exhausted")]
    IdsExhausted,
    /// Royalties in a denomination the chain does not carry (a bug guard).
    #[code(218)]
    #[error("unknown denomination {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: atelier_primitives::Denom,
    },
    /// The compute market has no class of this name.
    #[code(217)]
    #[error("no compute class {class:?}")]
    UnknownClass {
        /// The name given.
        class: String,
    },
    /// Paid royalties leave the vault short (a bug: caught before anything is written).
    #[code(216)]
    #[error("vault of dataset {dataset} is short: {available} available, {needed} needed")]
    VaultShort {
        /// The dataset.
        dataset: DatasetId,
        /// What the vault holds for it.
        available: Amount,
        /// What the claim needs.
        needed: Amount,
    },
    /// The base model is tagged for a violation: it cannot be fine-tuned.
    #[code(219)]
    #[error("model {model} is tagged for a violation and cannot be a parent")]
    TaggedParent {
        /// The base model.
        model: ModelId,
    },
}
