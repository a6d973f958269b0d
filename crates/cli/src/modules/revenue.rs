//! `atelier tx revenue …` and `atelier query revenue …`: royalty vaults, their holders' share
//! units and claimable revenue.

use anyhow::Result;
use atelier_protocol::{
    Msg,
    modules::revenue::{RevenueMsg, VaultId},
};
use clap::Subcommand;

use super::{Prove, address};
use crate::{Signing, keys::Keystore, proof::Rederive};

/// A revenue message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Claim the signer's revenue from a royalty vault (`model/ID` or `asset/ID`).
    ClaimRevenue {
        #[command(flatten)]
        signing: Signing,
        /// The vault.
        #[arg(long)]
        vault: VaultId,
    },
    /// Transfer share units of a royalty vault; both sides' revenue so far is paid first.
    TransferShares {
        #[command(flatten)]
        signing: Signing,
        /// The vault (`model/ID` or `asset/ID`).
        #[arg(long)]
        vault: VaultId,
        /// The recipient: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        to: String,
        /// Share units (100 000 000 are the whole vault).
        #[arg(long)]
        units: u64,
    },
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(store: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::ClaimRevenue { signing, vault } => (signing, RevenueMsg::ClaimRevenue { vault }),
        Tx::TransferShares { signing, vault, to, units } => {
            (signing, RevenueMsg::TransferShares { vault, to: crate::address(store, &to)?, units })
        }
    };
    Ok((signing, Msg::Revenue(msg)))
}

/// A read of royalty vaults.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// A royalty vault (`model/ID` or `asset/ID`).
    Vault {
        /// The vault.
        vault: VaultId,
        #[command(flatten)]
        prove: Prove,
    },
    /// A holder's share units of a vault and its claimable revenue.
    Position {
        /// The vault (`model/ID` or `asset/ID`).
        #[arg(long)]
        vault: VaultId,
        /// The holder: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        holder: String,
        #[command(flatten)]
        prove: Prove,
    },
}

/// How the answer is checked against its proof, when asked for one.
pub(crate) fn rederive<'a>(store: &Keystore, query: &'a Query) -> Result<Option<(Rederive, &'a Prove)>> {
    Ok(match query {
        Query::Vault { vault, prove } if prove.prove => Some((Rederive::Vault(*vault), prove)),
        Query::Position { vault, holder, prove } if prove.prove => {
            Some((Rederive::VaultPosition(*vault, crate::address(store, holder)?), prove))
        }
        _ => None,
    })
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Vault { vault, prove } => format!("/vaults/{vault}{}", prove.query("")),
        Query::Position { vault, holder, prove } => {
            format!("/vaults/{vault}/holders/{}{}", address(store, &holder)?, prove.query(""))
        }
    })
}
