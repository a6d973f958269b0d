//! Fee market parameters, including the gas schedule.

use atelier_primitives::{Amount, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::FeesParamsError;
use crate::tx::Msg;

/// Gas charged per transaction and per message kind. Fixed costs make simulation exact: the gas a
/// transaction uses is known before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GasSchedule {
    /// Every transaction: signature, nonce, fee charge.
    pub tx: u64,
    /// `bank.transfer`.
    pub transfer: u64,
    /// `bank.mint_stable`.
    pub mint_stable: u64,
    /// `bank.burn_stable`.
    pub burn_stable: u64,
    /// `registry.register_dataset` and `registry.add_contributors`, before their contributors.
    pub register_dataset: u64,
    /// Each contributor a registry message registers.
    pub per_contributor: u64,
    /// `registry.register_model`.
    pub register_model: u64,
    /// `registry.claim_royalties`.
    pub claim_royalties: u64,
    /// `compute.register_provider`, `compute.update_provider`, `compute.deregister_provider` and
    /// `compute.withdraw_bond`.
    pub provider: u64,
    /// `compute.submit_job`: the job's whole life, its admission and settlement at block ends
    /// included.
    pub submit_job: u64,
    /// `compute.cancel_job` and `compute.submit_result`.
    pub job_update: u64,
    /// `compute.challenge_result` and `compute.claim_output` (which may resolve the dispute).
    pub dispute: u64,
    /// `revenue.claim_revenue` and `revenue.transfer_shares`.
    pub revenue: u64,
    /// `provenance.register_derivative`.
    pub register_derivative: u64,
    /// `market.list` and `market.cancel`.
    pub listing: u64,
    /// `market.buy`: the whole royalty stack and lineage included.
    pub buy: u64,
    /// `Stake`, `Unstake`, `Withdraw`.
    pub staking: u64,
    /// `Propose` (its actions are validated against every module's params).
    pub propose: u64,
    /// `Vote`, `ClaimGrant`.
    pub vote: u64,
    /// `ReserveSlots`, `CancelReservation`.
    pub clusters: u64,
    /// `AddLiquidity`, `RemoveLiquidity`.
    pub liquidity: u64,
    /// `Swap` (its share of the block's clearing included).
    pub swap: u64,
    /// An oracle message (an observation's share of its round's close included).
    pub oracle: u64,
    /// A compliance message (a report's share of its decision included).
    pub compliance: u64,
}

impl GasSchedule {
    /// Gas of a transaction carrying `msgs`; saturates (and so exceeds any gas limit) instead of
    /// wrapping.
    pub fn tx_gas(&self, msgs: &[Msg]) -> u64 {
        msgs.iter().fold(self.tx, |sum, msg| sum.saturating_add(msg.gas(self)))
    }

    /// The largest fixed cost of a message. A message whose cost grows with its items (a long
    /// contributor list) may exceed a block; it is then refused like any transaction too large for
    /// a block.
    fn largest_msg(&self) -> u64 {
        let one_contributor = self.register_dataset.saturating_add(self.per_contributor);
        [
            self.transfer,
            self.mint_stable,
            self.burn_stable,
            one_contributor,
            self.register_model,
            self.claim_royalties,
            self.provider,
            self.submit_job,
            self.job_update,
            self.dispute,
            self.revenue,
            self.register_derivative,
            self.listing,
            self.buy,
            self.staking,
            self.propose,
            self.vote,
            self.clusters,
            self.liquidity,
            self.swap,
            self.oracle,
            self.compliance,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }
}

/// Fee market parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeeParams {
    /// Most gas one block may use.
    pub block_gas_limit: u64,
    /// `target = block_gas_limit / elasticity_multiplier`.
    pub elasticity_multiplier: u64,
    /// The base fee moves by at most `1 / base_fee_change_denominator` per block.
    pub base_fee_change_denominator: u64,
    /// The base fee never falls below this.
    pub min_base_fee: Amount,
    /// Gas costs.
    pub gas: GasSchedule,
}

impl FeeParams {
    /// Checks the parameters are usable.
    pub fn validate(&self) -> Result<(), FeesParamsError> {
        let nonzero = [
            ("block_gas_limit", self.block_gas_limit),
            ("elasticity_multiplier", self.elasticity_multiplier),
            ("base_fee_change_denominator", self.base_fee_change_denominator),
            ("gas.tx", self.gas.tx),
            ("gas.transfer", self.gas.transfer),
            ("gas.mint_stable", self.gas.mint_stable),
            ("gas.burn_stable", self.gas.burn_stable),
            ("gas.register_dataset", self.gas.register_dataset),
            ("gas.per_contributor", self.gas.per_contributor),
            ("gas.register_model", self.gas.register_model),
            ("gas.claim_royalties", self.gas.claim_royalties),
            ("gas.provider", self.gas.provider),
            ("gas.submit_job", self.gas.submit_job),
            ("gas.job_update", self.gas.job_update),
            ("gas.dispute", self.gas.dispute),
            ("gas.revenue", self.gas.revenue),
            ("gas.register_derivative", self.gas.register_derivative),
            ("gas.listing", self.gas.listing),
            ("gas.buy", self.gas.buy),
            ("gas.staking", self.gas.staking),
            ("gas.propose", self.gas.propose),
            ("gas.vote", self.gas.vote),
            ("gas.clusters", self.gas.clusters),
            ("gas.liquidity", self.gas.liquidity),
            ("gas.swap", self.gas.swap),
            ("gas.oracle", self.gas.oracle),
            ("gas.compliance", self.gas.compliance),
        ];
        if let Some((name, _)) = nonzero.iter().find(|(_, v)| *v == 0) {
            return Err(FeesParamsError::Zero(name));
        }
        if self.block_gas_limit / self.elasticity_multiplier == 0 {
            return Err(FeesParamsError::Zero("block_gas_limit / elasticity_multiplier"));
        }
        let largest = self.gas.largest_msg().saturating_add(self.gas.tx);
        if largest > self.block_gas_limit {
            return Err(FeesParamsError::BlockTooSmall { limit: self.block_gas_limit, largest });
        }
        Ok(())
    }

    /// The gas a block aims to use.
    pub fn gas_target(&self) -> u64 {
        self.block_gas_limit / self.elasticity_multiplier.max(1)
    }
}

impl Default for FeeParams {
    /// 30 million gas per block, target half of it, at most 12.5% change per block, a transfer
    /// costs 1 000 gas in all, and the base fee never drops below 1 base unit per gas.
    fn default() -> Self {
        FeeParams {
            block_gas_limit: 30_000_000,
            elasticity_multiplier: 2,
            base_fee_change_denominator: 8,
            min_base_fee: Amount::new(1),
            gas: GasSchedule {
                tx: 500,
                transfer: 500,
                mint_stable: 1_000,
                burn_stable: 1_000,
                register_dataset: 5_000,
                per_contributor: 200,
                register_model: 5_000,
                claim_royalties: 1_000,
                provider: 2_000,
                submit_job: 2_000,
                job_update: 1_000,
                dispute: 5_000,
                revenue: 1_500,
                register_derivative: 5_000,
                listing: 1_500,
                buy: 10_000,
                staking: 2_000,
                propose: 20_000,
                vote: 2_000,
                clusters: 3_000,
                liquidity: 3_000,
                swap: 4_000,
                oracle: 3_000,
                compliance: 5_000,
            },
        }
    }
}
