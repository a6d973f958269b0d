//! Amounts as typed on the command line, and as printed for people.
//!
//! An option takes `5GDC`, `0.25GDC`, `1.5USD`, base units with their denomination (`5000000ugdc`),
//! or bare base units of the denomination the option names (`5000000`). Text output shows GDC and
//! USD with their decimals; JSON output keeps base units.

use std::{fmt, str::FromStr};

use anyhow::{Result, bail};
use atelier_primitives::{Amount, CoinText, CoinTextError, Denom, Unit};

/// An amount from the command line, with its unit if one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Money {
    denom: Option<Denom>,
    amount: Amount,
}

impl FromStr for Money {
    type Err = CoinTextError;

    fn from_str(text: &str) -> Result<Money, CoinTextError> {
        let bare = text.trim().replace('_', "");
        if !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()) {
            let amount =
                bare.parse().map_err(|_| CoinTextError::TooLarge(text.chars().take(48).collect()))?;
            return Ok(Money { denom: None, amount });
        }
        let coin: CoinText = text.parse()?;
        Ok(Money { denom: Some(coin.denom), amount: coin.amount })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.denom {
            Some(denom) => write!(f, "{}", CoinText { denom, amount: self.amount }),
            None => write!(f, "{}", self.amount),
        }
    }
}

impl Money {
    /// Base units of `denom`: bare numbers are, and a written unit must be `denom`'s.
    pub(crate) fn of(self, denom: Denom) -> Result<Amount> {
        match self.denom {
            Some(written) if written != denom => bail!("{self} is not in {}", shown(denom)),
            _ => Ok(self.amount),
        }
    }

    /// The denomination written, else `default`, with the base units.
    pub(crate) fn or_denom(self, default: Denom) -> (Denom, Amount) {
        (self.denom.unwrap_or(default), self.amount)
    }
}

/// How people name a denomination: its unit (`GDC`), else itself.
fn shown(denom: Denom) -> String {
    Unit::of(denom).map_or_else(|| denom.to_string(), |unit| unit.symbol.to_string())
}

/// `amount` of `denom` for people: `1 234.5 GDC`, or base units of a denomination without a unit.
pub(crate) fn human(denom: Denom, amount: Amount) -> String {
    let text = CoinText { denom, amount }.to_string();
    match Unit::of(denom) {
        Some(unit) => {
            let number = text.trim_end_matches(unit.symbol);
            let (whole, fraction) = number.split_once('.').map_or((number, None), |(w, f)| (w, Some(f)));
            let mut grouped = String::new();
            for (i, digit) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    grouped.push(' ');
                }
                grouped.push(digit);
            }
            match fraction {
                Some(fraction) => format!("{grouped}.{fraction} {}", unit.symbol),
                None => format!("{grouped} {}", unit.symbol),
            }
        }
        None => format!("{amount} {denom}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_takes_units_or_bare_base_units_of_its_own_denomination() {
        let money = |text: &str| text.parse::<Money>().unwrap();
        assert_eq!(money("5GDC").of(Denom::GDC).unwrap(), Amount::new(5_000_000));
        assert_eq!(money("0.25GDC").of(Denom::GDC).unwrap(), Amount::new(250_000));
        assert_eq!(
            money("5000000").of(Denom::USD).unwrap(),
            Amount::new(5_000_000),
            "bare: the option's own"
        );
        assert_eq!(money("1.5USD").or_denom(Denom::GDC), (Denom::USD, Amount::new(1_500_000)));
        assert_eq!(money("7").or_denom(Denom::GDC), (Denom::GDC, Amount::new(7)));
        let refused = money("1.5USD").of(Denom::GDC).unwrap_err().to_string();
        assert_eq!(refused, "1.5USD is not in GDC");
        assert!("5 EUR".parse::<Money>().is_err());
        assert!("".parse::<Money>().is_err());
    }

    #[test]
    fn people_read_units_with_grouped_thousands_and_decimals() {
        assert_eq!(human(Denom::GDC, Amount::new(1_234_500_000)), "1 234.5 GDC");
        assert_eq!(human(Denom::USD, Amount::new(1_000_000_000_000)), "1 000 000 USD");
        assert_eq!(human(Denom::GDC, Amount::new(1)), "0.000001 GDC");
        assert_eq!(human(Denom::from_static("ufoo"), Amount::new(12)), "12 ufoo");
    }
}
