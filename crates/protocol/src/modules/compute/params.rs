//! Compute market parameters: the classes and every limit, deadline and share of the market.

use atelier_primitives::{Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::state::{MAX_CLASSES, valid_class_name};

/// One compute class: a local fee market of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassParams {
    /// Its name: `[a-z0-9-]`, at most 32 bytes (models name it).
    #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
    pub name: String,
    /// The share of the class's capacity its base fee aims to keep in use.
    pub target_utilisation: Bps,
    /// The base fee per compute unit never falls below this.
    pub min_base_fee: Amount,
    /// The base fee moves by at most `1 / base_fee_change_denominator` per block.
    pub base_fee_change_denominator: u64,
}

/// How the base-fee part of a job's price is shared (the provider keeps the rest, and the tip).
/// The model's lineage fees come between the datasets and the burn; all of it sums to at most
/// 10 000 with the registry's `max_lineage_fee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Waterfall {
    /// To the treasury, first.
    pub treasury: Bps,
    /// To the model's datasets, by their lineage weights (to the provider if it has none).
    pub datasets: Bps,
    /// Burned, after the fine-tuners are paid.
    pub burn: Bps,
}

/// Compute market parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComputeParams {
    /// The compute classes, by name.
    #[codec(max = MAX_CLASSES)]
    pub classes: Vec<ClassParams>,
    /// Least bond a provider registers with, and keeps to stay active.
    pub min_provider_bond: Amount,
    /// Blocks between deregistering and withdrawing the bond.
    pub unbonding_blocks: u64,
    /// Most active providers one class may have (the scheduler reads them all each block).
    pub max_providers_per_class: u32,
    /// Most compute units one job may ask for.
    pub max_units_per_job: u64,
    /// Most jobs one class may have waiting.
    pub max_queued_per_class: u32,
    /// Most queued jobs the scheduler looks at per class and block (so also most it admits).
    pub max_admissions_per_class: u32,
    /// Most deadlines (queue timeouts, result deadlines, challenge and dispute windows) handled
    /// per block; the rest wait for the next block.
    pub max_timers_per_block: u32,
    /// Blocks a job may wait in the queue before it is refunded.
    pub queue_timeout_blocks: u64,
    /// Blocks an assigned provider has to submit its result.
    pub result_deadline_blocks: u64,
    /// Blocks after a result during which a verifier may challenge it.
    pub challenge_window_blocks: u64,
    /// Blocks a dispute stays open for verifiers' claims; without a quorum the result stands.
    pub dispute_window_blocks: u64,
    /// Matching claims (the challenger's included) that resolve a dispute.
    pub dispute_quorum: u32,
    /// Share of the loser's bond a dispute moves to the winner (rounded up).
    pub dispute_slash: Bps,
    /// Share of its bond a provider loses for a missed deadline, to the treasury (rounded up).
    pub missed_deadline_penalty: Bps,
    /// Share of its stake (in the staking module) a provider loses when its result is overturned,
    /// besides the dispute share of its bond (rounded up; burned or to the treasury by the staking
    /// params).
    pub wrong_result_stake_slash: Bps,
    /// Shares of the base-fee part.
    pub waterfall: Waterfall,
}

const fn bps(n: u32) -> Bps {
    match Bps::new(n) {
        Ok(bps) => bps,
        Err(_) => Bps::ZERO,
    }
}

impl Default for ComputeParams {
    /// Two classes (`image-xl` from 1 000 and `text-small` from 10 base units per compute unit,
    /// aiming at half their capacity, moving at most 12.5% a block), a 1 000 GDC provider bond
    /// with a 100-block unbonding, 10 000 admissions per class and block, results due within 20
    /// blocks and challengeable for 10, disputes open for 20 blocks and settled by 3 matching
    /// claims, and a waterfall of 10% treasury, 15% datasets and 5% burned.
    fn default() -> Self {
        let class = |name: &str, min_base_fee: u128| ClassParams {
            name: name.into(),
            target_utilisation: bps(5_000),
            min_base_fee: Amount::new(min_base_fee),
            base_fee_change_denominator: 8,
        };
        ComputeParams {
            classes: vec![class("image-xl", 1_000), class("text-small", 10)],
            min_provider_bond: Amount::new(1_000_000_000),
            unbonding_blocks: 100,
            max_providers_per_class: 4_096,
            max_units_per_job: 1_000_000,
            max_queued_per_class: 100_000,
            max_admissions_per_class: 10_000,
            max_timers_per_block: 40_000,
            queue_timeout_blocks: 100,
            result_deadline_blocks: 20,
            challenge_window_blocks: 10,
            dispute_window_blocks: 20,
            dispute_quorum: 3,
            dispute_slash: Bps::ONE,
            missed_deadline_penalty: bps(100),
            wrong_result_stake_slash: bps(1_000),
            waterfall: Waterfall { treasury: bps(1_000), datasets: bps(1_500), burn: bps(500) },
        }
    }
}

/// Why compute parameters are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComputeParamsError {
    /// A limit or window is zero.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// A class is misnamed, named twice, or has a zero parameter.
    #[error("class {name:?}: {reason}")]
    Class {
        /// The class.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// There are more classes than the chain carries.
    #[error("{count} classes, at most {MAX_CLASSES}")]
    TooManyClasses {
        /// How many.
        count: usize,
    },
    /// The waterfall with the largest lineage fee exceeds 10 000 bps.
    #[error("treasury, datasets, burn and the largest lineage fee sum to {0} bps, over 10000")]
    Waterfall(u32),
    /// A quorum needs at least two matching claims.
    #[error("dispute_quorum must be between 2 and {max}")]
    Quorum {
        /// The largest quorum.
        max: u32,
    },
}

impl ComputeParams {
    /// Checks the parameters; `max_lineage_fee` is the registry's cap on what a lineage takes.
    pub fn validate(&self, max_lineage_fee: Bps) -> Result<(), ComputeParamsError> {
        for (name, value) in [
            ("unbonding_blocks", self.unbonding_blocks),
            ("max_providers_per_class", u64::from(self.max_providers_per_class)),
            ("max_units_per_job", self.max_units_per_job),
            ("max_queued_per_class", u64::from(self.max_queued_per_class)),
            ("max_admissions_per_class", u64::from(self.max_admissions_per_class)),
            ("max_timers_per_block", u64::from(self.max_timers_per_block)),
            ("queue_timeout_blocks", self.queue_timeout_blocks),
            ("result_deadline_blocks", self.result_deadline_blocks),
            ("challenge_window_blocks", self.challenge_window_blocks),
            ("dispute_window_blocks", self.dispute_window_blocks),
        ] {
            if value == 0 {
                return Err(ComputeParamsError::Zero(name));
            }
        }
        if self.min_provider_bond.is_zero() {
            return Err(ComputeParamsError::Zero("min_provider_bond"));
        }
        if self.classes.len() > MAX_CLASSES {
            return Err(ComputeParamsError::TooManyClasses { count: self.classes.len() });
        }
        let mut names: Vec<&str> = Vec::with_capacity(self.classes.len());
        for class in &self.classes {
            let reason = if !valid_class_name(&class.name) {
                Some("a name is 1 to 32 bytes of a-z, 0-9 and -")
            } else if names.contains(&class.name.as_str()) {
                Some("named twice")
            } else if class.target_utilisation == Bps::ZERO {
                Some("target_utilisation must be positive")
            } else if class.min_base_fee.is_zero() {
                Some("min_base_fee must be positive")
            } else if class.base_fee_change_denominator == 0 {
                Some("base_fee_change_denominator must be positive")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(ComputeParamsError::Class { name: class.name.clone(), reason });
            }
            names.push(&class.name);
        }
        let w = &self.waterfall;
        let total: u32 =
            [w.treasury, w.datasets, w.burn, max_lineage_fee].iter().map(|b| u32::from(b.get())).sum();
        if total > 10_000 {
            return Err(ComputeParamsError::Waterfall(total));
        }
        let max_quorum = super::state::MAX_DISPUTE_CLAIMS as u32 / 2;
        if self.dispute_quorum < 2 || self.dispute_quorum > max_quorum {
            return Err(ComputeParamsError::Quorum { max: max_quorum });
        }
        Ok(())
    }

    /// The class named `name`, if there is one.
    pub fn class(&self, name: &str) -> Option<&ClassParams> {
        self.classes.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap() -> Bps {
        bps(2_000)
    }

    #[test]
    fn the_defaults_are_valid_and_each_broken_rule_is_named() {
        assert_eq!(ComputeParams::default().validate(cap()), Ok(()));
        let broken = |change: fn(&mut ComputeParams)| {
            let mut params = ComputeParams::default();
            change(&mut params);
            params.validate(cap()).unwrap_err()
        };
        assert_eq!(
            broken(|p| p.result_deadline_blocks = 0),
            ComputeParamsError::Zero("result_deadline_blocks")
        );
        assert_eq!(
            broken(|p| p.min_provider_bond = Amount::ZERO),
            ComputeParamsError::Zero("min_provider_bond")
        );
        assert_eq!(broken(|p| p.dispute_quorum = 1), ComputeParamsError::Quorum { max: 32 });
        assert_eq!(broken(|p| p.waterfall.treasury = bps(6_001)), ComputeParamsError::Waterfall(10_001));
        assert!(matches!(
            broken(|p| p.classes[1].name = "image-xl".into()),
            ComputeParamsError::Class { .. }
        ));
        assert!(matches!(broken(|p| p.classes[0].name = "Image".into()), ComputeParamsError::Class { .. }));
        assert!(matches!(
            broken(|p| p.classes[0].min_base_fee = Amount::ZERO),
            ComputeParamsError::Class { .. }
        ));
    }
}
