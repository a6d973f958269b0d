//! `atelier tx bank …` and `atelier query bank …`: transfers, and the supply of every denomination.

use anyhow::{Context, Result};
use atelier_protocol::{Msg, modules::bank::BankMsg};
use clap::Subcommand;

use crate::{Signing, keys::Keystore, money::Money};

/// A bank message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Send tokens.
    #[command(after_help = "Examples:\n  atelier tx bank transfer --from alice --to dev2 --amount 5GDC\n  \
                            atelier tx bank transfer --from alice --to atelier1… --amount 1.5USD --wait")]
    Transfer {
        #[command(flatten)]
        signing: Signing,
        /// Recipient: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        to: String,
        /// How much: `5GDC`, `0.25GDC`, `1.5USD`, or base units of --denom (1 GDC = 1 000 000 ugdc).
        #[arg(long)]
        amount: Money,
        /// The denomination of a bare --amount.
        #[arg(long, default_value = "ugdc")]
        denom: String,
    },
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(store: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    match command {
        Tx::Transfer { signing, to, amount, denom } => {
            let (denom, amount) = amount.or_denom(denom.parse().context("--denom")?);
            Ok((signing, Msg::Bank(BankMsg::Transfer { to: crate::address(store, &to)?, denom, amount })))
        }
    }
}

/// A read of the bank.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// Supply, minted and burned per denomination.
    Supply,
}

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    match query {
        Query::Supply => Ok("/bank/supply".into()),
    }
}
