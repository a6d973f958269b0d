//! Widening integer arithmetic: `a * b / d` over a 256-bit intermediate product.
//!
//! The rounding direction is part of every name, so a reader sees at the call site who the
//! remainder favours (spec: DESIGN §3 "Money").

use crate::amount::ArithmeticError;

const LOW_64: u128 = u64::MAX as u128;

/// The full 256-bit product `a * b`, as `(high, low)` halves.
pub fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let (a_hi, a_lo) = (a >> 64, a & LOW_64);
    let (b_hi, b_lo) = (b >> 64, b & LOW_64);
    let lo_lo = a_lo * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_lo = a_hi * b_lo;
    let hi_hi = a_hi * b_hi;
    // At most 3 * (2^64 - 1): cannot overflow.
    let middle = (lo_lo >> 64) + (lo_hi & LOW_64) + (hi_lo & LOW_64);
    let low = (lo_lo & LOW_64) | (middle << 64);
    let high = hi_hi + (lo_hi >> 64) + (hi_lo >> 64) + (middle >> 64);
    (high, low)
}

/// Divides the 256-bit number `(high, low)` by `divisor`, returning `(quotient, remainder)`.
///
/// Fails when the divisor is zero or the quotient does not fit in 128 bits.
pub fn div_wide(high: u128, low: u128, divisor: u128) -> Result<(u128, u128), ArithmeticError> {
    if divisor == 0 {
        return Err(ArithmeticError::DivisionByZero);
    }
    if high == 0 {
        return Ok((low / divisor, low % divisor));
    }
    if high >= divisor {
        return Err(ArithmeticError::Overflow);
    }
    // Restoring long division, one bit of `low` at a time. `remainder < divisor` holds between
    // steps; the shifted-out top bit stands for 2^128, which always exceeds the divisor.
    let mut remainder = high;
    let mut quotient = 0u128;
    for bit in (0..128).rev() {
        let carry = remainder >> 127;
        remainder = (remainder << 1) | ((low >> bit) & 1);
        if carry == 1 || remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1 << bit;
        }
    }
    Ok((quotient, remainder))
}

/// `floor(a * b / d)`: rounds toward zero, for payouts.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> Result<u128, ArithmeticError> {
    let (high, low) = mul_wide(a, b);
    div_wide(high, low, d).map(|(quotient, _)| quotient)
}

/// `ceil(a * b / d)`: rounds away from zero, for charges.
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> Result<u128, ArithmeticError> {
    let (high, low) = mul_wide(a, b);
    let (quotient, remainder) = div_wide(high, low, d)?;
    if remainder == 0 { Ok(quotient) } else { quotient.checked_add(1).ok_or(ArithmeticError::Overflow) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn reference(a: u128, b: u128, d: u128) -> (BigUint, BigUint) {
        let product = BigUint::from(a) * BigUint::from(b);
        (&product / BigUint::from(d), &product % BigUint::from(d))
    }

    fn any_magnitude() -> impl Strategy<Value = u128> {
        prop_oneof![any::<u128>(), any::<u64>().prop_map(u128::from), 0u128..4, Just(u128::MAX)]
    }

    proptest! {
        #[test]
        fn mul_div_matches_arbitrary_precision_reference(
            a in any_magnitude(), b in any_magnitude(), d in any_magnitude()
        ) {
            prop_assume!(d != 0);
            let (quotient, remainder) = reference(a, b, d);
            let fits = quotient <= BigUint::from(u128::MAX);
            match mul_div_floor(a, b, d) {
                Ok(q) => prop_assert_eq!(BigUint::from(q), quotient.clone()),
                Err(e) => { prop_assert!(!fits); prop_assert_eq!(e, ArithmeticError::Overflow) }
            }
            let ceil = if remainder == BigUint::from(0u8) { quotient } else { quotient + 1u8 };
            match mul_div_ceil(a, b, d) {
                Ok(q) => prop_assert_eq!(BigUint::from(q), ceil),
                Err(_) => prop_assert!(ceil > BigUint::from(u128::MAX)),
            }
        }

        #[test]
        fn ceil_exceeds_floor_by_at_most_one(a in any::<u64>(), b in any::<u64>(), d in 1u128..) {
            let floor = mul_div_floor(a.into(), b.into(), d).unwrap();
            let ceil = mul_div_ceil(a.into(), b.into(), d).unwrap();
            prop_assert!(ceil == floor || ceil == floor + 1);
        }
    }

    #[test]
    fn division_by_zero_is_an_error_not_a_panic() {
        assert_eq!(mul_div_floor(1, 1, 0), Err(ArithmeticError::DivisionByZero));
        assert_eq!(mul_div_ceil(u128::MAX, u128::MAX, 0), Err(ArithmeticError::DivisionByZero));
    }

    #[test]
    fn max_times_max_over_max_is_max() {
        assert_eq!(mul_div_floor(u128::MAX, u128::MAX, u128::MAX), Ok(u128::MAX));
        assert_eq!(mul_div_ceil(u128::MAX, u128::MAX, u128::MAX), Ok(u128::MAX));
        assert_eq!(mul_div_floor(u128::MAX, 2, 1), Err(ArithmeticError::Overflow));
    }
}
