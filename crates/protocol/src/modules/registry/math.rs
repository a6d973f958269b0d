//! The registry's pure arithmetic, tested alone: the reward-per-share accumulator (Batog et al.
//! 2018, as in MasterChef) and exact splits by weight.
//!
//! A payment of `amount` to a dataset with `total_shares` raises its accumulator by
//! `floor(amount * SCALE / total_shares)`; a contributor holding `shares` is owed
//! `floor(shares * (acc - settled) / SCALE)`. Both floors favour the vault: what contributors are
//! owed never exceeds what was paid in, and the difference is the dataset's dust.

use atelier_primitives::{Amount, ArithmeticError, Bps};

/// Fixed-point scale of the accumulator. With supply near 10^15 base units, paid-in totals stay
/// below 10^26 over any plausible life of the chain, so the accumulator stays below 10^38.
pub const SCALE: u128 = 1_000_000_000_000;

/// The accumulator after paying `amount` to `total_shares` shares.
pub fn accrue(acc: u128, amount: Amount, total_shares: u128) -> Result<u128, ArithmeticError> {
    let delta = amount.mul_div_floor(SCALE, total_shares)?.get();
    acc.checked_add(delta).ok_or(ArithmeticError::Overflow)
}

/// What `shares` earned while the accumulator rose from `settled` to `acc`.
pub fn earned(shares: u128, acc: u128, settled: u128) -> Result<Amount, ArithmeticError> {
    Amount::new(shares).mul_div_floor(acc.saturating_sub(settled), SCALE)
}

/// `amount` split by `weights` (in bps of the whole, summing to at most 10 000): each part is its
/// floor, and the rounding remainder goes to the first part, so the parts sum to
/// `amount * sum(weights) / 10 000` rounded down — to `amount` exactly when the weights sum to
/// 10 000.
pub fn split(amount: Amount, weights: &[Bps]) -> Vec<Amount> {
    let total: u128 = weights.iter().map(|w| u128::from(w.get())).sum();
    let whole = amount.mul_div_floor(total.min(Bps::SCALE), Bps::SCALE).unwrap_or(Amount::ZERO);
    let mut parts: Vec<Amount> = weights.iter().map(|w| w.of_floor(amount)).collect();
    let given = parts.iter().fold(Amount::ZERO, |sum, part| sum.saturating_add(*part));
    if let Some(first) = parts.first_mut() {
        *first = first.saturating_add(whole.saturating_sub(given));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bps(n: u32) -> Bps {
        Bps::new(n).unwrap()
    }

    #[test]
    fn a_payment_is_shared_by_shares_and_the_floor_stays_in_the_vault() {
        let acc = accrue(0, Amount::new(100), 3).unwrap();
        let owed: Vec<Amount> = [1u128, 2].iter().map(|&s| earned(s, acc, 0).unwrap()).collect();
        assert_eq!(owed, vec![Amount::new(33), Amount::new(66)]);
    }

    #[test]
    fn a_split_sums_exactly_and_the_remainder_goes_to_the_first_part() {
        assert_eq!(
            split(Amount::new(10), &[bps(3_333), bps(3_333), bps(3_334)]),
            vec![Amount::new(4), Amount::new(3), Amount::new(3)]
        );
        assert_eq!(split(Amount::new(10), &[]), Vec::<Amount>::new());
        assert_eq!(split(Amount::new(7), &[bps(5_000)]), vec![Amount::new(3)]);
    }

    proptest! {
        #[test]
        fn contributors_are_never_owed_more_than_was_paid_in(
            shares in proptest::collection::vec(1u128..1_000_000, 1..20),
            payments in proptest::collection::vec(0u128..1_000_000_000_000, 1..20),
        ) {
            let total: u128 = shares.iter().sum();
            let mut acc = 0;
            let mut paid = 0u128;
            for payment in &payments {
                acc = accrue(acc, Amount::new(*payment), total).unwrap();
                paid += payment;
            }
            let owed: u128 = shares.iter().map(|&s| earned(s, acc, 0).unwrap().get()).sum();
            prop_assert!(owed <= paid);
            // The dust is at most one unit per payment and per contributor.
            prop_assert!(paid - owed <= (payments.len() + shares.len()) as u128);
        }

        #[test]
        fn splits_by_full_weights_sum_to_the_amount(
            amount in 0u128..u128::MAX / 2,
            cuts in proptest::collection::vec(0u32..10_000, 0..8),
        ) {
            let mut points: Vec<u32> = cuts;
            points.sort_unstable();
            let mut weights = Vec::new();
            let mut last = 0;
            for point in points.iter().chain(std::iter::once(&10_000)) {
                weights.push(bps(point - last));
                last = *point;
            }
            let parts = split(Amount::new(amount), &weights);
            prop_assert_eq!(parts.iter().map(|p| p.get()).sum::<u128>(), amount);
        }
    }
}
