//! What the oracle agents' reports steer (spec: `README.md` "Steering by the community's
//! measures"): the prudence that engagement's trend moves, and the style incentive's split. Pure
//! arithmetic: every input is passed in.

use atelier_primitives::{Bps, math::mul_div_floor};

use crate::modules::registry::ModelId;

/// Basis points in one, signed.
const ONE: i64 = Bps::SCALE as i64;

/// Engagement's change since the last epoch, in basis points of the last value, within ±100%:
/// `None` without both values or when the last was 0.
pub fn trend(before: Option<u128>, now: Option<u128>) -> Option<i32> {
    let (before, now) = (before?, now?);
    if before == 0 {
        return None;
    }
    let change = mul_div_floor(now.abs_diff(before), Bps::SCALE, before).unwrap_or(Bps::SCALE);
    let change = i64::try_from(change.min(Bps::SCALE)).unwrap_or(ONE);
    i32::try_from(if now < before { -change } else { change }).ok()
}

/// The prudence after an epoch whose engagement trend was `trend`: a falling trend raises it, a
/// rising one lowers it, by at most `step` an epoch and within ±`max`. Without a trend (a stale or
/// missing feed) it steps back towards 0, the base policy, by at most `step`.
pub fn next_prudence(prudence: i32, trend: Option<i32>, step: Bps, max: Bps) -> i32 {
    let (step, max) = (i64::from(step.get()), i64::from(max.get()));
    let prudence = i64::from(prudence);
    let moved = match trend {
        Some(trend) => prudence + (-i64::from(trend)).clamp(-step, step),
        None => prudence - prudence.clamp(-step, step),
    };
    i32::try_from(moved.clamp(-max, max)).unwrap_or(0)
}

/// `value` scaled by `1 + prudence` (rounded up: a larger reserve target is the prudent side).
pub fn raised(value: u128, prudence: i32) -> u128 {
    let factor = u128::try_from(ONE + i64::from(prudence)).unwrap_or(0);
    atelier_primitives::math::mul_div_ceil(value, factor, Bps::SCALE).unwrap_or(u128::MAX)
}

/// `share` scaled by `1 − prudence`, within [0, 100%] (rounded down).
pub fn lowered(share: Bps, prudence: i32) -> Bps {
    let factor = u128::try_from(ONE - i64::from(prudence)).unwrap_or(0);
    let scaled = mul_div_floor(u128::from(share.get()), factor, Bps::SCALE).unwrap_or(0);
    Bps::new(u32::try_from(scaled.min(Bps::SCALE)).unwrap_or(0)).unwrap_or(Bps::ONE)
}

/// Most units of forecast demand a style counts for: keeps every weight, and their sum over the
/// most candidates, far inside `u128`.
pub const MAX_DEMAND: u128 = u64::MAX as u128;

/// A model the style incentive may pay: its style's forecast demand and its quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The model.
    pub model: ModelId,
    /// Its style's place among the styles weighed (what [`cap_styles`] caps by).
    pub style: usize,
    /// Its style's forecast demand, in units (at most [`MAX_DEMAND`] counts).
    pub demand: u128,
    /// Its quality.
    pub quality: Bps,
}

impl Candidate {
    /// Its weight: demand times quality.
    pub fn weight(&self) -> u128 {
        self.demand.min(MAX_DEMAND) * u128::from(self.quality.get())
    }
}

/// Splits `budget` across the `most` heaviest candidates in proportion to their weights, each
/// share rounded down (the remainder stays in the treasury): `(candidate, amount)` by weight, then
/// by model id. Nothing when no candidate weighs anything.
pub fn split(mut candidates: Vec<Candidate>, budget: u128, most: usize) -> Vec<(Candidate, u128)> {
    candidates.retain(|c| c.weight() > 0);
    candidates.sort_by(|a, b| b.weight().cmp(&a.weight()).then(a.model.cmp(&b.model)));
    candidates.truncate(most);
    let total: u128 = candidates.iter().map(Candidate::weight).sum();
    candidates.into_iter().map(|c| (c, mul_div_floor(budget, c.weight(), total).unwrap_or(0))).collect()
}

/// Caps what each style's models are paid in all at `caps[style]`, scaling its models' shares
/// down in proportion (rounded down) when they sum to more.
pub fn cap_styles(mut paid: Vec<(Candidate, u128)>, caps: &[u128]) -> Vec<(Candidate, u128)> {
    for (style, cap) in caps.iter().enumerate() {
        let total: u128 = paid.iter().filter(|(c, _)| c.style == style).map(|(_, a)| a).sum();
        if total > *cap {
            for (_, amount) in paid.iter_mut().filter(|(c, _)| c.style == style) {
                *amount = mul_div_floor(*amount, *cap, total).unwrap_or(0);
            }
        }
    }
    paid
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bps(v: u32) -> Bps {
        Bps::new(v).unwrap()
    }

    #[test]
    fn the_trend_is_the_change_against_the_last_value_within_a_hundred_percent() {
        assert_eq!(trend(Some(100), Some(90)), Some(-1_000));
        assert_eq!(trend(Some(100), Some(125)), Some(2_500));
        assert_eq!(trend(Some(100), Some(1_000_000)), Some(10_000));
        assert_eq!(trend(Some(100), Some(0)), Some(-10_000));
        assert_eq!(trend(None, Some(100)), None);
        assert_eq!(trend(Some(100), None), None);
        assert_eq!(trend(Some(0), Some(100)), None);
    }

    #[test]
    fn falling_engagement_raises_prudence_and_rising_engagement_lowers_it_by_a_step_at_most() {
        assert_eq!(next_prudence(0, Some(-300), bps(500), bps(2_500)), 300);
        assert_eq!(next_prudence(0, Some(-5_000), bps(500), bps(2_500)), 500);
        assert_eq!(next_prudence(0, Some(5_000), bps(500), bps(2_500)), -500);
        assert_eq!(next_prudence(2_400, Some(-5_000), bps(500), bps(2_500)), 2_500);
        assert_eq!(next_prudence(800, None, bps(500), bps(2_500)), 300, "a stale feed steps back");
        assert_eq!(next_prudence(-200, None, bps(500), bps(2_500)), 0);
        assert_eq!(next_prudence(0, None, bps(500), bps(2_500)), 0, "and is neutral at rest");
    }

    #[test]
    fn prudence_raises_the_reserve_target_and_lowers_the_grants_share() {
        assert_eq!(raised(1_000, 2_000), 1_200);
        assert_eq!(raised(1_000, -2_000), 800);
        assert_eq!(raised(3, 1), 4, "rounded up");
        assert_eq!(lowered(bps(1_000), 2_000), bps(800));
        assert_eq!(lowered(bps(1_000), -2_000), bps(1_200));
        assert_eq!(lowered(Bps::ONE, -2_000), Bps::ONE, "never past 100%");
    }

    #[test]
    fn a_style_is_paid_at_most_its_cap_and_its_models_keep_their_proportions() {
        let c = |model, style| Candidate { model: ModelId(model), style, demand: 1, quality: Bps::ONE };
        let paid = vec![(c(1, 0), 600), (c(2, 0), 300), (c(3, 1), 100)];
        let capped = cap_styles(paid, &[450, 1_000]);
        assert_eq!(
            capped.iter().map(|(c, a)| (c.model.0, *a)).collect::<Vec<_>>(),
            vec![(1, 300), (2, 150), (3, 100)]
        );
    }

    #[test]
    fn the_incentive_follows_demand_times_quality_and_rounds_down() {
        let c = |model, demand, quality| Candidate {
            model: ModelId(model),
            style: 0,
            demand,
            quality: bps(quality),
        };
        let paid =
            split(vec![c(1, 100, 10_000), c(2, 300, 10_000), c(3, 300, 5_000), c(4, 0, 10_000)], 1_000, 64);
        let amounts: Vec<(u64, u128)> = paid.iter().map(|(c, a)| (c.model.0, *a)).collect();
        assert_eq!(amounts, vec![(2, 545), (3, 272), (1, 181)], "of 550 weighed: 300, 150, 100");
        assert_eq!(split(vec![c(1, 100, 0)], 1_000, 64), vec![]);
        let capped = split(vec![c(1, 100, 10_000), c(2, 300, 10_000)], 1_000, 1);
        assert_eq!(capped.iter().map(|(c, a)| (c.model.0, *a)).collect::<Vec<_>>(), vec![(2, 1_000)]);
    }

    proptest! {
        /// Whatever the engagement values an adversary reports, prudence moves at most a step an
        /// epoch and stays within its bound, and so do the reserve target and the grants share.
        #[test]
        fn engagement_moves_the_policy_a_bounded_step_per_epoch(
            values in prop::collection::vec(prop::option::of(any::<u128>()), 1..60),
            step in 0u32..=2_000,
            extra in 0u32..=5_000,
        ) {
            let (step_bps, max_bps) = (bps(step), bps(step + extra));
            let base_target = 1_000_000_000u128;
            let base_share = bps(1_000);
            let (mut prudence, mut last) = (0i32, None);
            for now in values {
                let next = next_prudence(prudence, trend(last, now), step_bps, max_bps);
                prop_assert!((i64::from(next) - i64::from(prudence)).abs() <= i64::from(step));
                prop_assert!(next.unsigned_abs() <= step + extra);
                let (before_target, after_target) = (raised(base_target, prudence), raised(base_target, next));
                prop_assert!(after_target.abs_diff(before_target) <= base_target * u128::from(step) / 10_000 + 1);
                let share = lowered(base_share, next);
                prop_assert!(u32::from(share.get()).abs_diff(1_000) <= 1_000 * (step + extra) / 10_000 + 1);
                prudence = next;
                last = now.or(last);
            }
        }

        /// The incentive never pays more than its budget, whatever the weights.
        #[test]
        fn the_incentive_never_pays_more_than_its_budget(
            weights in prop::collection::vec((any::<u128>(), 0u32..=10_000), 0..100),
            budget in any::<u64>(),
        ) {
            let candidates = weights
                .iter()
                .enumerate()
                .map(|(i, (demand, quality))| Candidate {
                    model: ModelId(i as u64 + 1),
                    style: i % 3,
                    demand: *demand,
                    quality: bps(*quality),
                })
                .collect();
            let paid = split(candidates, u128::from(budget), 64);
            prop_assert!(paid.len() <= 64);
            prop_assert!(paid.iter().map(|(_, a)| a).sum::<u128>() <= u128::from(budget));
            let caps = [u128::from(budget) / 2, u128::from(budget) / 10, 0];
            let capped = cap_styles(paid, &caps);
            for (style, cap) in caps.iter().enumerate() {
                let total: u128 = capped.iter().filter(|(c, _)| c.style == style).map(|(_, a)| a).sum();
                prop_assert!(total <= *cap, "style {style} got {total} over its cap {cap}");
            }
        }
    }
}
