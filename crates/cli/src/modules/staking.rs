//! `atelier tx staking …` and `atelier query staking …`: bonded stake, unbonding, reputation and
//! tiers; `atelier tx validator …` and `atelier query validators`: validator candidacy and sets.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use atelier_primitives::{Denom, PublicKey};
use atelier_protocol::{Msg, modules::staking::StakingMsg};
use clap::Subcommand;

use super::{Prove, address};
use crate::{Signing, keys::Keystore, money::Money, proof::Rederive};

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

/// A validator candidacy message.
#[derive(Debug, Subcommand)]
pub(crate) enum ValidatorTx {
    /// Become a validator candidate: chosen into an epoch's set by Proof-of-Creation weight (stake
    /// backed by reputation) while the self-stake stays bonded.
    #[command(after_help = "Example:
  atelier tx validator register --from alice \
                            --validator-home .localnet/validator-4 --p2p-addr 127.0.0.1:26704")]
    Register {
        #[command(flatten)]
        signing: Signing,
        #[command(flatten)]
        key: ConsensusKey,
        /// Where its peers reach it, `host:port`.
        #[arg(long)]
        p2p_addr: String,
        /// Least stake it keeps bonded, in GDC (the chain's minimum applies too).
        #[arg(long, default_value = "0")]
        min_self_stake: Money,
    },
    /// Change the signer's candidacy, from the next selection on.
    Update {
        #[command(flatten)]
        signing: Signing,
        #[command(flatten)]
        key: ConsensusKey,
        /// A new p2p address.
        #[arg(long, default_value = "")]
        p2p_addr: String,
        /// A new least self-stake in GDC.
        #[arg(long)]
        min_self_stake: Option<Money>,
    },
    /// Stop being a candidate; a set the signer is in already runs its epoch out.
    Leave {
        #[command(flatten)]
        signing: Signing,
    },
}

/// Which consensus key: given, or read from a validator's home.
#[derive(Debug, clap::Args)]
pub(crate) struct ConsensusKey {
    /// The consensus public key, 64 hex digits.
    #[arg(long, conflicts_with = "validator_home")]
    consensus_key: Option<String>,
    /// A validator home whose key to use (its `validator_key.json`).
    #[arg(long)]
    validator_home: Option<PathBuf>,
}

impl ConsensusKey {
    fn key(&self) -> Result<Option<PublicKey>> {
        if let Some(home) = &self.validator_home {
            return crate::validator::public_key_in(home).map(Some);
        }
        self.consensus_key
            .as_deref()
            .map(|text| text.parse::<PublicKey>().with_context(|| format!("--consensus-key {text}")))
            .transpose()
    }
}

/// The message a validator command asks for, and who signs it.
pub(crate) fn validator_message(command: ValidatorTx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        ValidatorTx::Register { signing, key, p2p_addr, min_self_stake } => {
            let Some(consensus_key) = key.key()? else {
                bail!("name the consensus key: --consensus-key HEX or --validator-home DIR");
            };
            let min_self_stake = min_self_stake.of(Denom::GDC)?;
            (signing, StakingMsg::RegisterValidator { consensus_key, p2p_addr, min_self_stake })
        }
        ValidatorTx::Update { signing, key, p2p_addr, min_self_stake } => {
            let min_self_stake = min_self_stake.map(|m| m.of(Denom::GDC)).transpose()?;
            (signing, StakingMsg::UpdateValidator { consensus_key: key.key()?, p2p_addr, min_self_stake })
        }
        ValidatorTx::Leave { signing } => (signing, StakingMsg::LeaveValidators {}),
    };
    Ok((signing, Msg::Staking(msg)))
}

/// The API path of `atelier query validators`: the current and next sets and every candidate, or
/// one epoch's set.
pub(crate) fn validators_path(epoch: Option<u64>) -> String {
    match epoch {
        Some(epoch) => format!("/staking/validators/{epoch}"),
        None => "/staking/validators".into(),
    }
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
        #[command(flatten)]
        prove: Prove,
    },
    /// An account's reputation after a block (default the latest).
    Reputation {
        /// A key name, `devN`, or a bech32 address.
        address: String,
        /// The height.
        #[arg(long)]
        height: Option<u64>,
        #[command(flatten)]
        prove: Prove,
    },
}

/// How the answer is checked against its proof, when asked for one.
pub(crate) fn rederive<'a>(store: &Keystore, query: &'a Query) -> Result<Option<(Rederive, &'a Prove)>> {
    Ok(match query {
        Query::Position { address: text, prove } if prove.prove => {
            Some((Rederive::Stake(crate::address(store, text)?), prove))
        }
        Query::Reputation { address: text, prove, .. } if prove.prove => {
            Some((Rederive::Reputation(crate::address(store, text)?), prove))
        }
        _ => None,
    })
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/staking/params".into(),
        Query::Totals => "/staking/totals".into(),
        Query::Position { address: text, prove } => {
            format!("/staking/accounts/{}{}", address(store, &text)?, prove.query(""))
        }
        Query::Reputation { address: text, height, prove } => {
            let height = height.map(|h| format!("height={h}")).unwrap_or_default();
            format!("/staking/accounts/{}/reputation{}", address(store, &text)?, prove.query(&height))
        }
    })
}
