//! The pool's integer math (Uniswap v2) and the batch clearing of a block's swaps at one uniform
//! price (spec: README "Batch clearing"). Pure functions; every product is 256 bits wide.

use atelier_primitives::math::{div_wide, mul_div_floor, mul_wide};

/// Fee numerator: 0.3% of the input stays in the pool.
pub const FEE_KEPT: u128 = 997;
/// Fee denominator.
pub const FEE_SCALE: u128 = 1_000;
/// Liquidity units locked forever at the first mint.
pub const MINIMUM_LIQUIDITY: u128 = 1_000;
/// Prices are `uusd` per `ugdc` scaled by this.
pub const PRICE_SCALE: u128 = 1_000_000_000_000;

/// Why a computation cannot be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// What `amount_in` buys against reserves `(reserve_in, reserve_out)`:
/// `in × 997 × R_out / (R_in × 1000 + in × 997)`, rounded down. Always below `reserve_out`.
pub fn amount_out(amount_in: u128, reserve_in: u128, reserve_out: u128) -> Result<u128, Overflow> {
    if amount_in == 0 || reserve_in == 0 || reserve_out == 0 {
        return Ok(0);
    }
    let in_with_fee = amount_in.checked_mul(FEE_KEPT).ok_or(Overflow)?;
    let denominator =
        reserve_in.checked_mul(FEE_SCALE).and_then(|d| d.checked_add(in_with_fee)).ok_or(Overflow)?;
    mul_div_floor(in_with_fee, reserve_out, denominator).map_err(|_| Overflow)
}

/// `floor(sqrt(a × b))` over the 256-bit product, by bisection (128 steps).
pub fn sqrt_product(a: u128, b: u128) -> u128 {
    let target = mul_wide(a, b);
    let (mut low, mut high) = (0u128, u128::MAX);
    while low < high {
        let mid = low + (high - low) / 2 + 1;
        if mul_wide(mid, mid) <= target { low = mid } else { high = mid - 1 }
    }
    low
}

/// The spot price `uusd` per `ugdc`, scaled by [`PRICE_SCALE`]; 0 for an empty pool.
pub fn price(reserve_gdc: u128, reserve_usd: u128) -> u128 {
    if reserve_gdc == 0 {
        return 0;
    }
    mul_div_floor(reserve_usd, PRICE_SCALE, reserve_gdc).unwrap_or(u128::MAX)
}

/// A 256-bit `(high, low)` times a small factor, or `None` past 256 bits.
fn times(value: (u128, u128), factor: u128) -> Option<(u128, u128)> {
    let (hi_hi, hi_lo) = mul_wide(value.0, factor);
    let (lo_hi, lo_lo) = mul_wide(value.1, factor);
    if hi_hi != 0 {
        return None;
    }
    let high = hi_lo.checked_add(lo_hi)?;
    Some((high, lo_lo))
}

/// Whether selling `sell` of one side at the pool's marginal price after its fee is worth more
/// than `other` of the other side: `997 × reserve_other × sell > 1000 × reserve_sold × other`.
fn net_seller(sell: u128, other: u128, reserve_sold: u128, reserve_other: u128) -> bool {
    let worth = times(mul_wide(reserve_other, sell), FEE_KEPT);
    let against = times(mul_wide(reserve_sold, other), FEE_SCALE);
    match (worth, against) {
        (Some(worth), Some(against)) => worth > against,
        (None, Some(_)) => true,
        _ => false,
    }
}

/// How one block's swaps clear: the flows between the two sides and the pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clearing {
    /// `ugdc` the pool takes in.
    pub pool_gdc_in: u128,
    /// `uusd` the pool takes in.
    pub pool_usd_in: u128,
    /// `ugdc` the pool pays out.
    pub pool_gdc_out: u128,
    /// `uusd` the pool pays out.
    pub pool_usd_out: u128,
    /// `uusd` shared by the GDC sellers, pro rata.
    pub to_gdc_sellers: u128,
    /// `ugdc` shared by the USD sellers, pro rata.
    pub to_usd_sellers: u128,
}

/// Clears `gdc_in` sold for `uusd` and `usd_in` sold for `ugdc` against each other and the pool
/// `(reserve_gdc, reserve_usd)` at one price (spec: README "Batch clearing"). When one side
/// outweighs the other at the pool's price after fee, only a net `d` of it trades against the
/// curve: the largest `d` whose exact average price `out*(d) / d` (the curve before rounding) still
/// pays the crossing part, `out*(d) × (sold − d) ≥ other × d`. Within the fee band the two sides
/// cross entirely at `usd_in / gdc_in` and the pool is not touched. `None` when nothing can clear
/// (one side only, and no liquidity).
pub fn clear(
    reserve_gdc: u128,
    reserve_usd: u128,
    gdc_in: u128,
    usd_in: u128,
) -> Result<Option<Clearing>, Overflow> {
    if gdc_in == 0 && usd_in == 0 {
        return Ok(Some(Clearing::default()));
    }
    if net_seller(gdc_in, usd_in, reserve_gdc, reserve_usd) {
        let (d, out) = net(gdc_in, usd_in, reserve_gdc, reserve_usd)?;
        return Ok(Some(Clearing {
            pool_gdc_in: d,
            pool_usd_out: out,
            to_gdc_sellers: usd_in.checked_add(out).ok_or(Overflow)?,
            to_usd_sellers: gdc_in - d,
            ..Clearing::default()
        }));
    }
    if net_seller(usd_in, gdc_in, reserve_usd, reserve_gdc) {
        let (d, out) = net(usd_in, gdc_in, reserve_usd, reserve_gdc)?;
        return Ok(Some(Clearing {
            pool_usd_in: d,
            pool_gdc_out: out,
            to_usd_sellers: gdc_in.checked_add(out).ok_or(Overflow)?,
            to_gdc_sellers: usd_in - d,
            ..Clearing::default()
        }));
    }
    if gdc_in == 0 || usd_in == 0 {
        return Ok(None);
    }
    Ok(Some(Clearing { to_gdc_sellers: usd_in, to_usd_sellers: gdc_in, ..Clearing::default() }))
}

/// The net amount `d` of the heavier side traded against the pool, and what it buys. On the exact
/// curve `out*(d) = 997 × d × R_out / (1000 × R_in + 997 × d)`, the rule
/// `out*(d) × (sold − d) ≥ other × d` is linear in `d` once `d` is divided out:
/// `997 × R_out × (sold − d) ≥ other × (1000 × R_in + 997 × d)`, so its largest `d` is
/// `floor((997 × R_out × sold − 1000 × R_in × other) / (997 × (R_out + other)))`. (The rounded curve
/// would not do: `out(d) × (sold − d) ≥ other × d` is not monotone in `d` — at a price near one unit
/// per unit `out(1) = 0` — so its largest solution has no bounded search.)
fn net(sold: u128, other: u128, reserve_in: u128, reserve_out: u128) -> Result<(u128, u128), Overflow> {
    let worth = times(mul_wide(reserve_out, sold), FEE_KEPT).ok_or(Overflow)?;
    let against = times(mul_wide(reserve_in, other), FEE_SCALE).ok_or(Overflow)?;
    let numerator = minus(worth, against).ok_or(Overflow)?;
    let denominator = reserve_out.checked_add(other).and_then(|r| r.checked_mul(FEE_KEPT)).ok_or(Overflow)?;
    let (d, _) = div_wide(numerator.0, numerator.1, denominator).map_err(|_| Overflow)?;
    let d = d.min(sold);
    Ok((d, amount_out(d, reserve_in, reserve_out)?))
}

/// `a − b` over 256 bits, or `None` below zero.
fn minus(a: (u128, u128), b: (u128, u128)) -> Option<(u128, u128)> {
    let (low, borrow) = a.1.overflowing_sub(b.1);
    let high = a.0.checked_sub(b.0)?.checked_sub(u128::from(borrow))?;
    Some((high, low))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_out_follows_the_integer_formula() {
        // 1 000 in against 1 000 000 / 2 000 000: 1000×997×2 000 000 / (1 000 000×1000 + 997 000).
        assert_eq!(amount_out(1_000, 1_000_000, 2_000_000), Ok(1_992));
        // Exactly 1 994 009 970 000 000 / 1 000 997 000 = 1 992.0159…
        assert_eq!(amount_out(1, 1_000_000, 2_000_000), Ok(1));
        assert_eq!(amount_out(0, 1_000_000, 2_000_000), Ok(0));
        // Half the reserve in: 500 000×997×1 000 000 / (1 000 000 000 000 + 498 500 000).
        assert_eq!(amount_out(500_000, 1_000_000, 1_000_000), Ok(332_665));
    }

    #[test]
    fn sqrt_of_the_product_rounds_down() {
        assert_eq!(sqrt_product(1_000_000, 4_000_000), 2_000_000);
        assert_eq!(sqrt_product(2, 4), 2);
        assert_eq!(sqrt_product(u128::MAX, u128::MAX), u128::MAX);
    }

    #[test]
    fn one_sided_flow_trades_entirely_against_the_pool() {
        let c = clear(1_000_000, 2_000_000, 1_000, 0).unwrap().unwrap();
        assert_eq!((c.pool_gdc_in, c.pool_usd_out, c.to_gdc_sellers), (1_000, 1_992, 1_992));
    }

    #[test]
    fn balanced_flows_cross_without_touching_the_pool() {
        // 1 000 GDC against 2 000 USD at the pool's price 2: inside the fee band.
        let c = clear(1_000_000, 2_000_000, 1_000, 2_000).unwrap().unwrap();
        assert_eq!(c, Clearing { to_gdc_sellers: 2_000, to_usd_sellers: 1_000, ..Clearing::default() });
    }

    #[test]
    fn the_net_of_two_sides_clears_both_at_the_pools_average_price() {
        let (x, y) = (1_000_000_000u128, 2_000_000_000u128);
        let c = clear(x, y, 10_000_000, 4_000_000).unwrap().unwrap();
        // GDC sellers get U for A = 10 000 000; USD sellers pay B = 4 000 000 for G: the same
        // price when U × G = A × B (to one part in a million, the rounding of `d` and of the output).
        let (a, b) = (10_000_000u128, 4_000_000u128);
        assert!((c.to_gdc_sellers * c.to_usd_sellers).abs_diff(a * b) * 1_000_000 <= a * b);
        assert!(c.pool_gdc_in < 10_000_000 && c.pool_gdc_in > 7_000_000);
        assert_eq!(c.to_usd_sellers + c.pool_gdc_in, 10_000_000);
    }

    #[test]
    fn a_large_sell_against_a_dust_buy_at_a_price_of_one_still_gets_the_curves_price() {
        let (x, y) = (100_000_000_000u128, 100_000_000_000u128);
        let c = clear(x, y, 1_000_000, 1).unwrap().unwrap();
        // What selling 1 000 000 alone gets (996 990), to the unit of rounding — not the dust
        // buyer's 1.
        assert!(c.to_gdc_sellers + 1 >= amount_out(1_000_000, x, y).unwrap(), "{c:?}");
        assert_eq!(c.to_usd_sellers + c.pool_gdc_in, 1_000_000);
    }

    #[test]
    fn nothing_clears_on_one_side_without_liquidity() {
        assert_eq!(clear(0, 0, 1_000, 0), Ok(None));
        assert_eq!(clear(0, 0, 1_000, 5_000).unwrap().unwrap().to_gdc_sellers, 5_000);
    }
    #[test]
    fn the_crossed_amount_is_the_largest_the_exact_curve_pays_for() {
        // Two opposite swaps where the rounded curve and the exact one part: the USD side
        // outweighs, and the exact curve's largest `d` is 2 930 616 uusd (the rounded one's would
        // be 2 930 449, see `net`).
        let (x, y) = (105_126_498_423u128, 103_984_920_717u128);
        let (gdc_in, usd_in) = (1_000_000_000, 995_075_759);
        let c = clear(x, y, gdc_in, usd_in).unwrap().unwrap();
        assert_eq!((c.pool_gdc_in, c.pool_usd_in), (0, 2_930_616));
        assert!(pays_the_crossing_part(c.pool_usd_in, usd_in, gdc_in, y, x));
        assert!(!pays_the_crossing_part(c.pool_usd_in + 1, usd_in, gdc_in, y, x));
        assert_eq!(c.to_gdc_sellers, usd_in - 2_930_616);
    }

    /// The rule, in exact arithmetic: `out*(d) × (sold − d) ≥ other × d` on the unrounded curve,
    /// multiplied out: `997 × d × R_out × (sold − d) ≥ other × d × (1000 × R_in + 997 × d)`.
    fn pays_the_crossing_part(d: u128, sold: u128, other: u128, reserve_in: u128, reserve_out: u128) -> bool {
        use num_bigint::BigUint;
        if d > sold {
            return false;
        }
        let big = BigUint::from;
        let pool_pays = big(997u128) * big(d) * big(reserve_out) * big(sold - d);
        let crossing_pays = big(other) * big(d) * (big(1000u128) * big(reserve_in) + big(997u128) * big(d));
        pool_pays >= crossing_pays
    }

    proptest::proptest! {
        /// spec: amm §Batch clearing — the heavier side crosses the largest `d` the rule allows
        /// (so the crossing side is never paid less than the rule gives: one unit more of `d` would
        /// break it), the pool pays `out(d)` for it, and every unit sold reaches someone.
        #[test]
        fn two_sided_batches_cross_the_rules_amount_and_conserve_value(
            reserve_gdc in 1_000u128..1_000_000_000_000_000,
            reserve_usd in 1_000u128..1_000_000_000_000_000,
            gdc_in in 1u128..10_000_000_000_000,
            usd_in in 1u128..10_000_000_000_000,
        ) {
            let c = clear(reserve_gdc, reserve_usd, gdc_in, usd_in).unwrap().unwrap();
            proptest::prop_assert_eq!(c.to_usd_sellers + c.pool_gdc_in, gdc_in + c.pool_gdc_out);
            proptest::prop_assert_eq!(c.to_gdc_sellers + c.pool_usd_in, usd_in + c.pool_usd_out);
            proptest::prop_assert!(c.pool_gdc_in == 0 || c.pool_usd_in == 0, "{c:?}");
            if c.pool_gdc_in > 0 {
                proptest::prop_assert!(pays_the_crossing_part(c.pool_gdc_in, gdc_in, usd_in, reserve_gdc, reserve_usd));
                proptest::prop_assert!(!pays_the_crossing_part(c.pool_gdc_in + 1, gdc_in, usd_in, reserve_gdc, reserve_usd));
                proptest::prop_assert_eq!(c.pool_usd_out, amount_out(c.pool_gdc_in, reserve_gdc, reserve_usd).unwrap());
            }
            if c.pool_usd_in > 0 {
                proptest::prop_assert!(pays_the_crossing_part(c.pool_usd_in, usd_in, gdc_in, reserve_usd, reserve_gdc));
                proptest::prop_assert!(!pays_the_crossing_part(c.pool_usd_in + 1, usd_in, gdc_in, reserve_usd, reserve_gdc));
                proptest::prop_assert_eq!(c.pool_gdc_out, amount_out(c.pool_usd_in, reserve_usd, reserve_gdc).unwrap());
            }
        }
    }
}
