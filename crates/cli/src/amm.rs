//! `atelier tx amm …` and `atelier query amm …`: liquidity and swaps on the GDC/uusd pool.

use atelier_primitives::Amount;
use atelier_protocol::{
    Msg,
    modules::amm::{AmmMsg, Side},
};
use clap::Subcommand;

use crate::{Signing, keys::Keystore};

/// An AMM message.
#[derive(Debug, Subcommand)]
pub(crate) enum AmmTx {
    /// Deposit both sides at the pool's ratio (the first deposit sets the price).
    AddLiquidity {
        #[command(flatten)]
        signing: Signing,
        /// Most ugdc deposited.
        #[arg(long)]
        max_gdc: Amount,
        /// Most uusd deposited.
        #[arg(long)]
        max_usd: Amount,
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
        /// Least ugdc received.
        #[arg(long, default_value = "0")]
        min_gdc: Amount,
        /// Least uusd received.
        #[arg(long, default_value = "0")]
        min_usd: Amount,
    },
    /// Swap at the block's one clearing price; refunded at the block's end if under --min-out.
    Swap {
        #[command(flatten)]
        signing: Signing,
        /// sell-gdc or sell-usd.
        #[arg(long, value_enum)]
        side: SideArg,
        /// The input, in base units of the side sold.
        #[arg(long)]
        amount: Amount,
        /// Least output.
        #[arg(long, default_value = "0")]
        min_out: Amount,
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

/// The message an AMM command asks for, and who signs it.
pub(crate) fn amm_message(command: AmmTx) -> (Signing, Msg) {
    let (signing, msg) = match command {
        AmmTx::AddLiquidity { signing, max_gdc, max_usd, min_lp } => {
            (signing, AmmMsg::AddLiquidity { max_gdc, max_usd, min_lp })
        }
        AmmTx::RemoveLiquidity { signing, lp, min_gdc, min_usd } => {
            (signing, AmmMsg::RemoveLiquidity { lp, min_gdc, min_usd })
        }
        AmmTx::Swap { signing, side, amount, min_out } => {
            let side = match side {
                SideArg::SellGdc => Side::SellGdc,
                SideArg::SellUsd => Side::SellUsd,
            };
            (signing, AmmMsg::Swap { side, amount_in: amount, min_out })
        }
    };
    (signing, Msg::Amm(msg))
}

/// A read of the AMM.
#[derive(Debug, Subcommand)]
pub(crate) enum AmmQuery {
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

/// The API path that answers an AMM query.
pub(crate) fn amm_path(store: &Keystore, query: AmmQuery) -> anyhow::Result<String> {
    Ok(match query {
        AmmQuery::Params => "/amm/params".into(),
        AmmQuery::Pool => "/amm/pool".into(),
        AmmQuery::Lp { address } => format!("/amm/lp/{}", crate::address(store, &address)?),
    })
}
