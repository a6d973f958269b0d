//! Compliance parameters.

use atelier_primitives::{Address, Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::{ComplianceParamsError, SchemaId};

/// Most arbiters.
pub const MAX_ARBITERS: usize = 32;

/// Compliance parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplianceParams {
    /// The ethical-sourcing schema: a model earns only while every dataset of its lineage holds a
    /// valid attestation under it. None: no attestation is required (tags still gate).
    pub ethical_schema: Option<SchemaId>,
    /// Least bond of a report, in `ugdc`.
    pub min_report_bond: Amount,
    /// Blocks arbiters have to vote; the dispute is decided at the end of the last one.
    pub dispute_window_blocks: u64,
    /// The arbiters.
    #[codec(max = MAX_ARBITERS)]
    pub arbiters: Vec<Address>,
    /// Uphold votes a dispute needs (and more than reject votes).
    pub arbiter_quorum: u32,
    /// Share of an upheld subject's owner's stake burned.
    pub violation_slash: Bps,
    /// Blocks the rest of that stake stays locked.
    pub lock_blocks: u64,
    /// `ugdc` the treasury pays a reporter whose report is upheld, as far as it holds it.
    pub reporter_reward: Amount,
    /// Most valid attestations one subject holds.
    pub max_attestations_per_subject: u32,
    /// Most disputes open at once.
    pub max_open_disputes: u32,
}

impl Default for ComplianceParams {
    /// No gate until governance names the schema; bonds of at least 100 GDC, 100 blocks to vote,
    /// no arbiters, a quorum of 1, 10% slashed, 1 000 blocks locked, 50 GDC reward, 16
    /// attestations per subject, 64 open disputes.
    fn default() -> Self {
        ComplianceParams {
            ethical_schema: None,
            min_report_bond: Amount::new(100_000_000),
            dispute_window_blocks: 100,
            arbiters: Vec::new(),
            arbiter_quorum: 1,
            violation_slash: Bps::new(1_000).unwrap_or(Bps::ZERO),
            lock_blocks: 1_000,
            reporter_reward: Amount::new(50_000_000),
            max_attestations_per_subject: 16,
            max_open_disputes: 64,
        }
    }
}

impl ComplianceParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), ComplianceParamsError> {
        if self.dispute_window_blocks == 0 {
            return Err(ComplianceParamsError::NoDisputeWindow);
        }
        if self.arbiter_quorum == 0
            || (!self.arbiters.is_empty() && self.arbiter_quorum as usize > self.arbiters.len())
        {
            return Err(ComplianceParamsError::Quorum);
        }
        let mut sorted = self.arbiters.clone();
        sorted.sort();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(ComplianceParamsError::DuplicateArbiter);
        }
        if self.max_attestations_per_subject == 0 || self.max_attestations_per_subject > 64 {
            return Err(ComplianceParamsError::AttestationsOutOfRange);
        }
        if self.max_open_disputes == 0 || self.max_open_disputes > 1_024 {
            return Err(ComplianceParamsError::OpenDisputesOutOfRange);
        }
        Ok(())
    }
}
