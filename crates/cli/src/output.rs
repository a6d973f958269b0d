//! One output layer for every command: `--output json` prints the data alone, as JSON.

use anyhow::Result;
use atelier_api::AccountView;
use serde::Serialize;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Output {
    /// For people.
    Text,
    /// For programs: the data alone on stdout.
    Json,
}

impl Output {
    /// Prints `value` as JSON, or as `text(value)` for people.
    pub(crate) fn print<T: Serialize>(self, value: &T, text: impl Fn(&T) -> String) -> Result<()> {
        match self {
            Output::Json => println!("{}", serde_json::to_string_pretty(value)?),
            Output::Text => println!("{}", text(value)),
        }
        Ok(())
    }
}

/// Pretty JSON, for values with no shorter human form.
pub(crate) fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// An account for people.
pub(crate) fn account_text(account: &AccountView) -> String {
    let mut out = format!("{}\n  nonce {} (next {})", account.address, account.nonce, account.next_nonce);
    for coin in &account.balances {
        let shown = match (coin.denom.parse(), coin.amount.parse()) {
            (Ok(denom), Ok(amount)) => crate::money::human(denom, amount),
            _ => format!("{} {}", coin.amount, coin.denom),
        };
        out.push_str(&format!("\n  {shown}"));
    }
    if account.balances.is_empty() {
        out.push_str("\n  no balances");
    }
    out
}
