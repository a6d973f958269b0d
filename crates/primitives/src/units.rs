//! Amounts as people write them: `5GDC`, `0.25GDC`, `1.5USD`, or base units with their denomination
//! (`5000000ugdc`). The chain itself only ever sees base units.

use std::{fmt, str::FromStr};

use crate::{Amount, Denom};

/// A display unit: `10^decimals` base units of `denom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// What people write and read: `GDC`.
    pub symbol: &'static str,
    /// The denomination it counts.
    pub denom: Denom,
    /// Base units per unit, as a power of ten.
    pub decimals: u32,
}

/// The units the chain's own denominations are shown in.
pub const UNITS: [Unit; 2] = [
    Unit { symbol: "GDC", denom: Denom::GDC, decimals: 6 },
    Unit { symbol: "USD", denom: Denom::USD, decimals: 6 },
];

impl Unit {
    /// The unit `denom` is shown in, if it has one.
    pub fn of(denom: Denom) -> Option<Unit> {
        UNITS.into_iter().find(|unit| unit.denom == denom)
    }

    /// The unit named `symbol`, in any case.
    pub fn named(symbol: &str) -> Option<Unit> {
        UNITS.into_iter().find(|unit| unit.symbol.eq_ignore_ascii_case(symbol))
    }

    fn scale(self) -> u128 {
        10u128.pow(self.decimals)
    }
}

/// Why a text is not an amount with its denomination.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoinTextError {
    /// Nothing was given.
    #[error("the amount is empty")]
    Empty,
    /// No unit or denomination follows the number.
    #[error("{0:?} has no unit: write 5GDC, 0.25GDC, 1.5USD or base units such as 5000000ugdc")]
    NoUnit(String),
    /// The number is not a decimal number.
    #[error("{0:?} is not a decimal number")]
    NotANumber(String),
    /// The unit is neither a display unit nor a denomination.
    #[error("{0:?} is not a unit (GDC, USD) or a denomination (such as ugdc)")]
    UnknownUnit(String),
    /// More decimals than the unit has.
    #[error("{text:?}: {symbol} has {decimals} decimals")]
    TooPrecise {
        /// What was given.
        text: String,
        /// The unit.
        symbol: &'static str,
        /// Its decimals.
        decimals: u32,
    },
    /// A fraction of a base unit.
    #[error("{0:?}: base units have no fractions")]
    FractionOfBaseUnit(String),
    /// Larger than any amount.
    #[error("{0:?} is larger than any amount")]
    TooLarge(String),
}

/// An amount of one denomination, read from and written as text people use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoinText {
    /// The denomination.
    pub denom: Denom,
    /// How many base units.
    pub amount: Amount,
}

impl FromStr for CoinText {
    type Err = CoinTextError;

    /// `5GDC`, `0.25 gdc`, `1.5USD`, `1_000GDC`, `5000000ugdc`.
    fn from_str(text: &str) -> Result<CoinText, CoinTextError> {
        let shown = || text.chars().take(48).collect::<String>();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(CoinTextError::Empty);
        }
        let split =
            trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(trimmed.len());
        let (number, unit) = (trimmed[..split].replace('_', ""), trimmed[split..].trim());
        let (whole, fraction) = match number.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (number.as_str(), ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(CoinTextError::NotANumber(shown()));
        }
        if unit.is_empty() {
            return Err(CoinTextError::NoUnit(shown()));
        }
        let parse = |part: &str| -> Result<u128, CoinTextError> {
            if part.is_empty() { Ok(0) } else { part.parse().map_err(|_| CoinTextError::TooLarge(shown())) }
        };
        if let Some(unit) = Unit::named(unit) {
            let places = u32::try_from(fraction.len()).unwrap_or(u32::MAX);
            if places > unit.decimals {
                return Err(CoinTextError::TooPrecise {
                    text: shown(),
                    symbol: unit.symbol,
                    decimals: unit.decimals,
                });
            }
            let fraction_units = parse(fraction)?
                .checked_mul(10u128.pow(unit.decimals - places))
                .ok_or_else(|| CoinTextError::TooLarge(shown()))?;
            let base = parse(whole)?
                .checked_mul(unit.scale())
                .and_then(|units| units.checked_add(fraction_units))
                .ok_or_else(|| CoinTextError::TooLarge(shown()))?;
            return Ok(CoinText { denom: unit.denom, amount: Amount::new(base) });
        }
        let denom: Denom =
            unit.parse().map_err(|_| CoinTextError::UnknownUnit(unit.chars().take(32).collect()))?;
        if number.contains('.') {
            return Err(CoinTextError::FractionOfBaseUnit(shown()));
        }
        Ok(CoinText { denom, amount: Amount::new(parse(whole)?) })
    }
}

impl fmt::Display for CoinText {
    /// In its display unit without trailing zeros (`1.5GDC`), else base units (`12ufoo`); reads back
    /// as the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Unit::of(self.denom) {
            Some(unit) => {
                let (whole, fraction) = (self.amount.get() / unit.scale(), self.amount.get() % unit.scale());
                if fraction == 0 {
                    return write!(f, "{whole}{}", unit.symbol);
                }
                let width = unit.decimals as usize;
                let fraction = format!("{fraction:0width$}");
                write!(f, "{whole}.{}{}", fraction.trim_end_matches('0'), unit.symbol)
            }
            None => write!(f, "{}{}", self.amount, self.denom),
        }
    }
}

serde_as_text!(CoinText);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn coin(text: &str) -> Result<CoinText, CoinTextError> {
        text.parse()
    }

    #[test]
    fn units_and_base_units_read_as_base_units() {
        let gdc = |n| Ok(CoinText { denom: Denom::GDC, amount: Amount::new(n) });
        assert_eq!(coin("5GDC"), gdc(5_000_000));
        assert_eq!(coin("0.25GDC"), gdc(250_000));
        assert_eq!(coin(".5 gdc"), gdc(500_000));
        assert_eq!(coin("1_000GDC"), gdc(1_000_000_000));
        assert_eq!(coin("5000000ugdc"), gdc(5_000_000));
        assert_eq!(coin("0.000001GDC"), gdc(1));
        assert_eq!(coin("1.5USD"), Ok(CoinText { denom: Denom::USD, amount: Amount::new(1_500_000) }));
        assert_eq!(coin("7ufoo").map(|c| c.denom.to_string()), Ok("ufoo".to_string()));
    }

    #[test]
    fn unclear_amounts_are_refused_with_their_reason() {
        assert_eq!(coin(" "), Err(CoinTextError::Empty));
        assert!(matches!(coin("5"), Err(CoinTextError::NoUnit(_))));
        assert!(matches!(coin("."), Err(CoinTextError::NotANumber(_))));
        assert!(matches!(coin("1.2.3GDC"), Err(CoinTextError::NotANumber(_))));
        assert!(matches!(coin("-5GDC"), Err(CoinTextError::NotANumber(_))));
        assert!(matches!(coin("5EUR€"), Err(CoinTextError::UnknownUnit(_))));
        assert!(matches!(coin("0.0000001GDC"), Err(CoinTextError::TooPrecise { decimals: 6, .. })));
        assert!(matches!(coin("1.5ugdc"), Err(CoinTextError::FractionOfBaseUnit(_))));
        assert!(matches!(
            coin("340282366920938463463374607431768211455GDC"),
            Err(CoinTextError::TooLarge(_))
        ));
    }

    #[test]
    fn amounts_are_written_in_their_unit_without_trailing_zeros() {
        let text = |denom, n| CoinText { denom, amount: Amount::new(n) }.to_string();
        assert_eq!(text(Denom::GDC, 5_000_000), "5GDC");
        assert_eq!(text(Denom::GDC, 250_000), "0.25GDC");
        assert_eq!(text(Denom::USD, 1), "0.000001USD");
        assert_eq!(text(Denom::from_static("ufoo"), 12), "12ufoo");
    }

    proptest! {
        #[test]
        fn every_amount_reads_back_as_itself(n in any::<u128>(), usd in any::<bool>()) {
            let denom = if usd { Denom::USD } else { Denom::GDC };
            let coin = CoinText { denom, amount: Amount::new(n) };
            prop_assert_eq!(coin.to_string().parse::<CoinText>(), Ok(coin));
        }
    }
}
