//! [`Bps`]: a share in basis points, the one scale for every percentage.

use serde::{Deserialize, Serialize};

use crate::amount::{Amount, ArithmeticError};

/// Why a number is not a valid share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a share is at most 10000 bps (100%), found {0}")]
pub struct BpsError(pub u32);

/// A share in basis points: 10 000 is 100%. Never more than 10 000.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Bps(u16);

impl Bps {
    /// 0%.
    pub const ZERO: Bps = Bps(0);
    /// 100%.
    pub const ONE: Bps = Bps(10_000);
    /// The denominator of the scale.
    pub const SCALE: u128 = 10_000;

    /// A share of `basis_points`, or an error above 10 000.
    pub const fn new(basis_points: u32) -> Result<Bps, BpsError> {
        if basis_points <= 10_000 { Ok(Bps(basis_points as u16)) } else { Err(BpsError(basis_points)) }
    }

    /// The share in basis points.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// `floor(amount * self)`: the share paid out.
    pub fn of_floor(self, amount: Amount) -> Amount {
        // Cannot fail: the factor is at most 1.
        amount.mul_div_floor(u128::from(self.0), Self::SCALE).unwrap_or(amount)
    }

    /// `ceil(amount * self)`: the share charged.
    pub fn of_ceil(self, amount: Amount) -> Result<Amount, ArithmeticError> {
        amount.mul_div_ceil(u128::from(self.0), Self::SCALE)
    }

    /// `self + other`, or an error above 100%.
    pub fn checked_add(self, other: Bps) -> Result<Bps, BpsError> {
        Bps::new(u32::from(self.0) + u32::from(other.0))
    }
}

impl TryFrom<u32> for Bps {
    type Error = BpsError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Bps::new(value)
    }
}

impl From<Bps> for u32 {
    fn from(value: Bps) -> u32 {
        u32::from(value.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_share_above_one_hundred_percent_is_refused() {
        assert_eq!(Bps::new(10_001), Err(BpsError(10_001)));
        assert!(serde_json::from_str::<Bps>("10001").is_err());
        assert_eq!(serde_json::from_str::<Bps>("2500").unwrap(), Bps::new(2500).unwrap());
    }

    proptest! {
        #[test]
        fn floor_and_ceil_shares_bracket_the_exact_value(raw in any::<u128>(), bps in 0u32..=10_000) {
            let share = Bps::new(bps).unwrap();
            let amount = Amount::new(raw);
            let floor = share.of_floor(amount);
            let ceil = share.of_ceil(amount).unwrap();
            prop_assert!(floor <= amount && ceil <= amount);
            prop_assert!(ceil.get() - floor.get() <= 1);
        }
    }
}
