//! Governance parameters. A proposal copies the ones that judge it when it opens.

use atelier_primitives::{Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::GovernanceParamsError;

/// Governance parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GovParams {
    /// `ugdc` a proposer deposits; back when voting ends with quorum, to the treasury otherwise.
    pub deposit: Amount,
    /// Blocks from the proposal to the first voting height.
    pub voting_delay_blocks: u64,
    /// Blocks voting lasts.
    pub voting_period_blocks: u64,
    /// Blocks from the end of voting to execution.
    pub timelock_blocks: u64,
    /// Blocks after the planned execution during which a delayed execution may still happen.
    pub grace_period_blocks: u64,
    /// Share of the total reputation at the snapshot that For and Abstain must reach together.
    pub quorum: Bps,
    /// Most actions per proposal.
    pub max_actions: u32,
    /// Most proposal steps (tallies, executions, expiries) per block; the rest wait a block.
    pub max_steps_per_block: u32,
}

impl Default for GovParams {
    /// A 100 GDC deposit; voting opens after 100 blocks and lasts 600; 200 blocks of timelock and
    /// 1 000 of grace; a 10% quorum; 16 actions; 8 steps per block.
    fn default() -> Self {
        GovParams {
            deposit: Amount::new(100_000_000),
            voting_delay_blocks: 100,
            voting_period_blocks: 600,
            timelock_blocks: 200,
            grace_period_blocks: 1_000,
            quorum: Bps::new(1_000).unwrap_or(Bps::ZERO),
            max_actions: 16,
            max_steps_per_block: 8,
        }
    }
}

impl GovParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), GovernanceParamsError> {
        if self.voting_period_blocks == 0 || self.timelock_blocks == 0 || self.max_steps_per_block == 0 {
            return Err(GovernanceParamsError::Zero);
        }
        if self.max_actions == 0 || self.max_actions as usize > super::MAX_ACTIONS {
            return Err(GovernanceParamsError::MaxActions { max: super::MAX_ACTIONS });
        }
        if self.quorum == Bps::ZERO {
            return Err(GovernanceParamsError::NoQuorum);
        }
        Ok(())
    }
}
