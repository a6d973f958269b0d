//! The fee market's pure arithmetic, tested alone.

use atelier_primitives::Amount;

/// The base fee of the next block after a block with `base_fee` that used `gas_used` of
/// `gas_limit` (spec: DESIGN §4 fees, EIP-1559).
///
/// `target = gas_limit / elasticity`. At the target the fee stays. Above it the fee rises by
/// `max(base * (used - target) / target / denominator, 1)`; below it the fee falls by
/// `base * (target - used) / target / denominator` (which may be 0). Integer floors in that order;
/// rises saturate at `Amount::MAX`; a zero target (or zero elasticity or denominator) leaves the
/// fee unchanged. The caller clamps the result to the minimum base fee.
pub fn next_base_fee(
    base_fee: Amount,
    gas_used: u64,
    gas_limit: u64,
    elasticity: u64,
    denominator: u64,
) -> Amount {
    match gas_limit.checked_div(elasticity) {
        Some(target) => next_base_fee_for_target(base_fee, gas_used, target, denominator),
        None => base_fee,
    }
}

/// The EIP-1559 step toward `target` itself: what [`next_base_fee`] does once it has the target.
/// Every market priced this way (block space, each compute class) moves by this one rule. A zero
/// target or denominator leaves the fee unchanged.
pub fn next_base_fee_for_target(base_fee: Amount, used: u64, target: u64, denominator: u64) -> Amount {
    if target == 0 || denominator == 0 {
        return base_fee;
    }
    let step = |difference: u64| -> Amount {
        // `None` only when the quotient exceeds u128: the change then saturates.
        base_fee
            .mul_div_floor(u128::from(difference), u128::from(target))
            .map(|scaled| Amount::new(scaled.get() / u128::from(denominator)))
            .unwrap_or(Amount::MAX)
    };
    match used.cmp(&target) {
        std::cmp::Ordering::Equal => base_fee,
        std::cmp::Ordering::Greater => base_fee.saturating_add(step(used - target).max(Amount::new(1))),
        std::cmp::Ordering::Less => base_fee.saturating_sub(step(target - used)),
    }
}

/// What one transaction pays per gas: the base fee plus the tip it offers, capped so that the total
/// never exceeds its fee cap. Returns `(base part, tip part)` per gas.
pub fn price_per_gas(base_fee: Amount, max_fee: Amount, max_priority_fee: Amount) -> (Amount, Amount) {
    (base_fee, max_priority_fee.min(max_fee.saturating_sub(base_fee)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Amount = Amount::new(1_000_000_000);

    #[test]
    fn london_examples_from_the_design() {
        let next = |used| next_base_fee(BASE, used, 20_000_000, 2, 8).get();
        assert_eq!(next(10_000_000), 1_000_000_000);
        assert_eq!(next(9_000_000), 987_500_000);
        assert_eq!(next(11_000_000), 1_012_500_000);
        assert_eq!(next(20_000_000), 1_125_000_000);
        assert_eq!(next(0), 875_000_000);
    }

    #[test]
    fn a_tiny_base_fee_still_rises_by_at_least_one_and_may_not_fall() {
        assert_eq!(next_base_fee(Amount::new(1), 11, 20, 2, 8), Amount::new(2));
        assert_eq!(next_base_fee(Amount::new(1), 9, 20, 2, 8), Amount::new(1));
        assert_eq!(next_base_fee(Amount::ZERO, 20, 20, 2, 8), Amount::new(1));
    }

    #[test]
    fn a_zero_target_leaves_the_fee_unchanged_and_the_maximum_saturates() {
        assert_eq!(next_base_fee(BASE, 5, 1, 2, 8), BASE);
        assert_eq!(next_base_fee(BASE, 5, 10, 0, 8), BASE);
        assert_eq!(next_base_fee(BASE, 5, 10, 2, 0), BASE);
        assert_eq!(next_base_fee(Amount::MAX, 20, 20, 2, 8), Amount::MAX);
        assert_eq!(next_base_fee(Amount::MAX, u64::MAX, u64::MAX, 1, 1), Amount::MAX);
    }

    #[test]
    fn the_tip_is_capped_by_what_the_fee_cap_leaves_above_the_base_fee() {
        let b = Amount::new(100);
        assert_eq!(price_per_gas(b, Amount::new(150), Amount::new(10)), (b, Amount::new(10)));
        assert_eq!(price_per_gas(b, Amount::new(105), Amount::new(10)), (b, Amount::new(5)));
        assert_eq!(price_per_gas(b, Amount::new(100), Amount::new(10)), (b, Amount::ZERO));
    }
}
