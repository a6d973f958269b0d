//! The treasury's pure arithmetic: the capped moving average, the bands, and the rebalancing
//! controller's targets (spec: `README.md` "Controller"). No state: every input is passed in.

use atelier_primitives::{Amount, Bps, Decode, Encode, math::mul_div_floor};
use serde::{Deserialize, Serialize};

use super::{TreasuryParams, steering};
use crate::modules::amm::math::PRICE_SCALE;

/// `share` of `value`, rounded down; saturates (a valuation, not a payment).
fn share_of(value: u128, share: Bps) -> u128 {
    mul_div_floor(value, u128::from(share.get()), Bps::SCALE).unwrap_or(u128::MAX)
}

/// The moving average after an epoch whose TWAP was `twap`: the exponential average with weight
/// `weight`, kept within `cap` of the previous average. The first TWAP starts the average; an
/// epoch without a TWAP (an empty pool) leaves it.
pub fn next_average(average: u128, twap: Option<u128>, weight: Bps, cap: Bps) -> u128 {
    let Some(twap) = twap else {
        return average;
    };
    if average == 0 {
        return twap;
    }
    let kept = share_of(average, Bps::new(u32::from(Bps::ONE.get() - weight.get())).unwrap_or(Bps::ZERO));
    let blended = kept.saturating_add(share_of(twap, weight));
    let step = share_of(average, cap);
    blended.clamp(average.saturating_sub(step), average.saturating_add(step))
}

/// The band `distance` under `average`, rounded down.
pub fn band_under(average: u128, distance: Bps) -> u128 {
    average.saturating_sub(mul_div_floor(average, u128::from(distance.get()), Bps::SCALE).unwrap_or(average))
}

/// `ugdc` valued in `uusd` at `price` ([`PRICE_SCALE`]), rounded down.
pub fn value_of(gdc: u128, price: u128) -> u128 {
    mul_div_floor(gdc, price, PRICE_SCALE).unwrap_or(u128::MAX)
}

/// What the controller reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The moving average price: every valuation uses it.
    pub average: u128,
    /// `ugdc` the treasury holds.
    pub gdc: u128,
    /// `uusd` the treasury holds: the stable reserve.
    pub reserve: u128,
    /// The treasury's share of the pool's `ugdc`.
    pub pol_gdc: u128,
    /// The treasury's share of the pool's `uusd`.
    pub pol_usd: u128,
    /// The prudence engagement's trend set (basis points, signed): the reserve target is raised
    /// and the grants share lowered by it (see [`super::steering`]).
    pub prudence: i32,
}

/// The controller's targets for the coming epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Epochs of infrastructure cost the reserve pays for; `None` when it costs nothing.
    pub runway_epochs: Option<u64>,
    /// Whether the runway is under its target.
    pub shortfall: bool,
    /// The reserve the runway target asks for, in `uusd`.
    pub reserve_target: Amount,
    /// The treasury's value at the moving average, in `uusd` (GDC, reserve and pool share).
    pub value: Amount,
    /// The reserve's target share of the value.
    pub reserve_ratio: Bps,
    /// The pool liquidity's target share of the value.
    pub pol_share: Bps,
    /// Share of the next epoch's GDC income to convert.
    pub conversion_share: Bps,
    /// `ugdc` grants may draw in the coming epoch.
    pub grants_gdc: Amount,
    /// `uusd` grants may draw in the coming epoch.
    pub grants_usd: Amount,
}

/// The policy (spec: README "Controller"): the reserve target is `runway_target_epochs` of
/// infrastructure cost, raised by the prudence (and the grants share lowered by it); under it, conversion runs at its shortfall share, pool top-ups stop,
/// stable grants stop and GDC grants halve; at or above it, conversion runs at its base share, the
/// pool is topped up to `pol_target` of the value, and grants draw `grants_share` of the GDC and
/// of the reserve above target. Every ratio is clamped to [0, 100%].
pub fn targets(params: &TreasuryParams, inputs: &Inputs) -> Targets {
    let cost = params.infra_cost_per_epoch.get();
    let runway_epochs = (cost > 0).then(|| u64::try_from(inputs.reserve / cost).unwrap_or(u64::MAX));
    let reserve_target =
        steering::raised(cost.saturating_mul(u128::from(params.runway_target_epochs)), inputs.prudence);
    let grants_share = steering::lowered(params.grants_share, inputs.prudence);
    let shortfall = inputs.reserve < reserve_target;
    let value = value_of(inputs.gdc.saturating_add(inputs.pol_gdc), inputs.average)
        .saturating_add(inputs.reserve)
        .saturating_add(inputs.pol_usd);
    let ratio = |part: u128| {
        let bps = if value == 0 { 0 } else { mul_div_floor(part, Bps::SCALE, value).unwrap_or(Bps::SCALE) };
        Bps::new(bps.min(Bps::SCALE) as u32).unwrap_or(Bps::ONE)
    };
    let grants_gdc = share_of(inputs.gdc, grants_share);
    Targets {
        runway_epochs,
        shortfall,
        reserve_target: Amount::new(reserve_target),
        value: Amount::new(value),
        reserve_ratio: ratio(reserve_target),
        pol_share: if shortfall { Bps::ZERO } else { params.pol_target },
        conversion_share: if shortfall { params.shortfall_conversion_share } else { params.conversion_share },
        grants_gdc: Amount::new(if shortfall { grants_gdc / 2 } else { grants_gdc }),
        grants_usd: Amount::new(if shortfall {
            0
        } else {
            share_of(inputs.reserve - reserve_target, grants_share)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bps(v: u32) -> Bps {
        Bps::new(v).unwrap()
    }

    #[test]
    fn the_average_moves_at_most_its_cap_whatever_the_twap() {
        let average = 1_000_000;
        for twap in [0, 1, 500_000, 999_999, 1_000_001, 2_000_000, 1_000_000_000_000] {
            let next = next_average(average, Some(twap), bps(10_000), bps(500));
            assert!(next.abs_diff(average) <= 50_000, "twap {twap} moved it to {next}");
        }
        assert_eq!(next_average(average, Some(1_000_000_000), bps(2_000), bps(500)), 1_050_000);
        assert_eq!(next_average(average, Some(1_100_000), bps(2_000), bps(500)), 1_020_000);
        assert_eq!(next_average(average, None, bps(2_000), bps(500)), average);
        assert_eq!(next_average(0, Some(7), bps(2_000), bps(500)), 7);
    }

    #[test]
    fn bands_sit_their_distance_under_the_average() {
        assert_eq!(band_under(1_000_000, bps(1_000)), 900_000);
        assert_eq!(band_under(1_000_000, bps(2_000)), 800_000);
        assert_eq!(band_under(9, bps(1_000)), 9);
    }

    #[test]
    fn a_short_runway_turns_the_controller_to_the_reserve() {
        let params = TreasuryParams {
            infra_cost_per_epoch: Amount::new(1_000),
            runway_target_epochs: 10,
            pol_target: bps(2_000),
            grants_share: bps(1_000),
            ..TreasuryParams::default()
        };
        let inputs = |reserve| Inputs {
            average: PRICE_SCALE,
            gdc: 100_000,
            reserve,
            pol_gdc: 0,
            pol_usd: 0,
            prudence: 0,
        };
        let short = targets(&params, &inputs(5_000));
        assert_eq!(short.runway_epochs, Some(5));
        assert!(short.shortfall);
        assert_eq!(short.conversion_share, params.shortfall_conversion_share);
        assert_eq!(
            (short.pol_share, short.grants_usd, short.grants_gdc),
            (Bps::ZERO, Amount::ZERO, Amount::new(5_000))
        );
        let ample = targets(&params, &inputs(30_000));
        assert_eq!(ample.runway_epochs, Some(30));
        assert!(!ample.shortfall);
        assert_eq!(ample.conversion_share, params.conversion_share);
        assert_eq!(ample.pol_share, bps(2_000));
        assert_eq!(ample.grants_usd, Amount::new(2_000), "10% of the 20 000 above the 10 000 target");
        assert_eq!(ample.grants_gdc, Amount::new(10_000));
        assert_eq!(ample.value, Amount::new(130_000));
        assert_eq!(ample.reserve_ratio, bps(769), "10 000 / 130 000, rounded down");
        // Falling engagement's prudence of 20%: a 12 000 target, and grants at 8% instead of 10%.
        let prudent = targets(&params, &Inputs { prudence: 2_000, ..inputs(30_000) });
        assert_eq!(prudent.reserve_target, Amount::new(12_000));
        assert_eq!(prudent.grants_gdc, Amount::new(8_000));
        assert_eq!(prudent.grants_usd, Amount::new(1_440), "8% of the 18 000 above the target");
        assert!(targets(&params, &Inputs { prudence: 2_000, ..inputs(11_000) }).shortfall);
    }
}
