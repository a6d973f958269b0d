//! `atelier tx staking …` and `atelier query staking …`: bonded stake, unbonding, reputation and
//! tiers.

use anyhow::Result;
use atelier_primitives::Denom;
use atelier_protocol::{Msg, modules::staking::StakingMsg};
use clap::Subcommand;

use super::address;
use crate::{Signing, keys::Keystore, money::Money};

/// A staking message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Bond ugdc; it earns reputation from the first whole epoch it is held.
    #[command(after_help = "Example:\n  atelier tx staking stake --from alice --amount 1000GDC")]
    Stake {
        #[command(flatten)]
        signing: Signing,
        /// How much in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        amount: Money,
    },
    /// Start unbonding; the stake stays slashable until withdrawn.
    Unstake {
        #[command(flatten)]
        signing: Signing,
        /// How much in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        amount: Money,
    },
    /// Take back every unbonding entry whose period is over.
    Withdraw {
        #[command(flatten)]
        signing: Signing,
    },
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::Stake { signing, amount } => (signing, StakingMsg::Stake { amount: amount.of(Denom::GDC)? }),
        Tx::Unstake { signing, amount } => (signing, StakingMsg::Unstake { amount: amount.of(Denom::GDC)? }),
        Tx::Withdraw { signing } => (signing, StakingMsg::Withdraw {}),
    };
    Ok((signing, Msg::Staking(msg)))
}

/// A read of stake and reputation.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// Epochs, unbonding, reputation rates and tiers.
    Params,
    /// Bonded and unbonding stake, total reputation, the epoch.
    Totals,
    /// An account's stake, unbonding entries, reputation and tier.
    Position {
        /// A key name, `devN`, or a bech32 address.
        address: String,
    },
    /// An account's reputation after a block (default the latest).
    Reputation {
        /// A key name, `devN`, or a bech32 address.
        address: String,
        /// The height.
        #[arg(long)]
        height: Option<u64>,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/staking/params".into(),
        Query::Totals => "/staking/totals".into(),
        Query::Position { address: text } => format!("/staking/accounts/{}", address(store, &text)?),
        Query::Reputation { address: text, height } => {
            let height = height.map(|h| format!("?height={h}")).unwrap_or_default();
            format!("/staking/accounts/{}/reputation{height}", address(store, &text)?)
        }
    })
}
