//! `atelier tx amm …` and `atelier query amm …`: liquidity and swaps on the GDC/uusd pool.

use anyhow::Result;
use atelier_primitives::Denom;
use atelier_protocol::{
    Msg,
    modules::amm::{AmmMsg, Side},
};
use clap::Subcommand;

use super::address;
use crate::{Signing, keys::Keystore, money::Money};

/// An AMM message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Deposit both sides at the pool's ratio (the first deposit sets the price).
    AddLiquidity {
        #[command(flatten)]
        signing: Signing,
        /// Most GDC deposited: `5GDC`, or base units (ugdc).
        #[arg(long)]
        max_gdc: Money,
        /// Most USD deposited: `5USD`, or base units (uusd).
        #[arg(long)]
        max_usd: Money,
        /// Least LP units received.
        #[arg(long, default_value_t = 0)]
        min_lp: u128,
    },
    /// Burn LP units for their share of both reserves.
    RemoveLiquidity {
        #[command(flatten)]
        signing: Signing,
        /// LP units burned.
        #[arg(long)]
        lp: u128,
        /// Least GDC received: `5GDC`, or base units (ugdc).
        #[arg(long, default_value = "0")]
        min_gdc: Money,
        /// Least USD received: `5USD`, or base units (uusd).
        #[arg(long, default_value = "0")]
        min_usd: Money,
    },
    /// Swap at the block's one clearing price; refunded at the block's end if under --min-out.
    #[command(
        after_help = "Example:\n  atelier tx amm swap --from alice --side sell-gdc --amount 100GDC --min-out 40USD"
    )]
    Swap {
        #[command(flatten)]
        signing: Signing,
        /// sell-gdc or sell-usd.
        #[arg(long, value_enum)]
        side: SideArg,
        /// The input, in the unit of the side sold (`5GDC`, `5USD`) or its base units.
        #[arg(long)]
        amount: Money,
        /// Least output, in the unit of the side bought or its base units.
        #[arg(long, default_value = "0")]
        min_out: Money,
    },
}

/// Which way a swap goes, on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum SideArg {
    /// Sell ugdc for uusd.
    SellGdc,
    /// Sell uusd for ugdc.
    SellUsd,
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::AddLiquidity { signing, max_gdc, max_usd, min_lp } => (
            signing,
            AmmMsg::AddLiquidity {
                max_gdc: max_gdc.of(Denom::GDC)?,
                max_usd: max_usd.of(Denom::USD)?,
                min_lp,
            },
        ),
        Tx::RemoveLiquidity { signing, lp, min_gdc, min_usd } => (
            signing,
            AmmMsg::RemoveLiquidity {
                lp,
                min_gdc: min_gdc.of(Denom::GDC)?,
                min_usd: min_usd.of(Denom::USD)?,
            },
        ),
        Tx::Swap { signing, side, amount, min_out } => {
            let (side, sold, bought) = match side {
                SideArg::SellGdc => (Side::SellGdc, Denom::GDC, Denom::USD),
                SideArg::SellUsd => (Side::SellUsd, Denom::USD, Denom::GDC),
            };
            (signing, AmmMsg::Swap { side, amount_in: amount.of(sold)?, min_out: min_out.of(bought)? })
        }
    };
    Ok((signing, Msg::Amm(msg)))
}

/// A read of the AMM.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// The pool's limits.
    Params,
    /// Reserves, LP supply, closing price and price accumulator.
    Pool,
    /// An account's LP units and their share of the reserves.
    Lp {
        /// A key name, `devN`, or a bech32 address.
        address: String,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/amm/params".into(),
        Query::Pool => "/amm/pool".into(),
        Query::Lp { address: text } => format!("/amm/lp/{}", address(store, &text)?),
    })
}
