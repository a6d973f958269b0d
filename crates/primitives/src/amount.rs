//! [`Amount`]: a quantity of one denomination in integer base units.

use std::{fmt, str::FromStr};

use crate::math;

/// Why a checked money operation refused to produce a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ArithmeticError {
    /// The result would exceed the largest representable amount.
    #[error("arithmetic overflow")]
    Overflow,
    /// The result would be negative.
    #[error("arithmetic underflow")]
    Underflow,
    /// A division by zero was requested.
    #[error("division by zero")]
    DivisionByZero,
}

/// A non-negative quantity of base units (for `ugdc`, one millionth of a GDC).
///
/// There are deliberately no `+`/`-` operators: every operation is checked and returns an
/// [`ArithmeticError`] instead of wrapping or panicking. In JSON an amount is a decimal string, so
/// that values above 2^53 survive JavaScript clients.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u128);

impl Amount {
    /// Zero base units.
    pub const ZERO: Amount = Amount(0);
    /// The largest representable amount.
    pub const MAX: Amount = Amount(u128::MAX);

    /// An amount of `base_units`.
    pub const fn new(base_units: u128) -> Self {
        Amount(base_units)
    }

    /// The number of base units.
    pub const fn get(self) -> u128 {
        self.0
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or [`ArithmeticError::Overflow`].
    pub fn checked_add(self, other: Amount) -> Result<Amount, ArithmeticError> {
        self.0.checked_add(other.0).map(Amount).ok_or(ArithmeticError::Overflow)
    }

    /// `self - other`, or [`ArithmeticError::Underflow`].
    pub fn checked_sub(self, other: Amount) -> Result<Amount, ArithmeticError> {
        self.0.checked_sub(other.0).map(Amount).ok_or(ArithmeticError::Underflow)
    }

    /// `self * factor`, or [`ArithmeticError::Overflow`].
    pub fn checked_mul(self, factor: u128) -> Result<Amount, ArithmeticError> {
        self.0.checked_mul(factor).map(Amount).ok_or(ArithmeticError::Overflow)
    }

    /// `floor(self * numerator / denominator)` over a 256-bit intermediate: for payouts.
    pub fn mul_div_floor(self, numerator: u128, denominator: u128) -> Result<Amount, ArithmeticError> {
        math::mul_div_floor(self.0, numerator, denominator).map(Amount)
    }

    /// `ceil(self * numerator / denominator)` over a 256-bit intermediate: for charges.
    pub fn mul_div_ceil(self, numerator: u128, denominator: u128) -> Result<Amount, ArithmeticError> {
        math::mul_div_ceil(self.0, numerator, denominator).map(Amount)
    }

    /// `self + other`, clamped at [`Amount::MAX`]; only for quantities that are prices, never balances.
    pub fn saturating_add(self, other: Amount) -> Amount {
        Amount(self.0.saturating_add(other.0))
    }

    /// `self - other`, clamped at zero; only for quantities that are prices, never balances.
    pub fn saturating_sub(self, other: Amount) -> Amount {
        Amount(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

/// Why a decimal string is not an [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountParseError {
    /// The string was empty.
    #[error("amount is empty")]
    Empty,
    /// The string held something other than ASCII digits.
    #[error("amount must be a decimal integer of base units, found {0:?}")]
    NotDecimal(String),
    /// The number exceeds the largest amount.
    #[error("amount exceeds {max}", max = u128::MAX)]
    TooLarge,
}

impl FromStr for Amount {
    type Err = AmountParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.is_empty() {
            return Err(AmountParseError::Empty);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountParseError::NotDecimal(text.chars().take(48).collect()));
        }
        text.parse::<u128>().map(Amount).map_err(|_| AmountParseError::TooLarge)
    }
}

serde_as_text!(Amount);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_decimal_strings_in_json() {
        let max = Amount::MAX;
        let json = serde_json::to_string(&max).unwrap();
        assert_eq!(json, "\"340282366920938463463374607431768211455\"");
        assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), max);
        assert!(serde_json::from_str::<Amount>("12").is_err(), "a JSON number is refused");
        assert!(serde_json::from_str::<Amount>("\"-1\"").is_err());
        assert!(serde_json::from_str::<Amount>("\"1.5\"").is_err());
        assert!(serde_json::from_str::<Amount>("\"340282366920938463463374607431768211456\"").is_err());
    }

    #[test]
    fn checked_operations_refuse_to_wrap() {
        assert_eq!(Amount::MAX.checked_add(Amount::new(1)), Err(ArithmeticError::Overflow));
        assert_eq!(Amount::ZERO.checked_sub(Amount::new(1)), Err(ArithmeticError::Underflow));
        assert_eq!(Amount::MAX.checked_mul(2), Err(ArithmeticError::Overflow));
        assert_eq!(Amount::new(7).checked_sub(Amount::new(7)), Ok(Amount::ZERO));
    }
}
