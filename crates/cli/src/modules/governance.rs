//! `atelier tx governance …` and `atelier query governance …`: proposals, votes and grants.

use std::path::PathBuf;

use anyhow::{Context, Result};
use atelier_primitives::Denom;
use atelier_protocol::{
    Msg,
    modules::governance::{Action, Choice, GovernanceMsg, ProposalId},
};
use clap::Subcommand;

use super::{Page, address, pair};
use crate::{Signing, keys::Keystore};

/// A governance message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Open a proposal, paying the deposit. Actions come from --actions (a JSON array in the API's
    /// encoding, e.g. `[{"set_params":{"market":{...}}}]`) and the shorthand flags, in that order.
    #[command(
        after_help = "Examples:\n  atelier tx governance propose --from alice --summary \"Fund the archive\" \
                            --spend dev5=25000000000\n  \
                            atelier tx governance propose --from alice --summary \"Lower the fee\" --actions actions.json"
    )]
    Propose {
        #[command(flatten)]
        signing: Signing,
        /// What it is about.
        #[arg(long)]
        summary: String,
        /// A JSON file holding an array of actions.
        #[arg(long)]
        actions: Option<PathBuf>,
        /// Pay from the treasury, TO=AMOUNT in ugdc (repeat).
        #[arg(long = "spend")]
        spends: Vec<String>,
        /// Move a lost account's reputation, LOST=NEW (repeat).
        #[arg(long = "recover")]
        recoveries: Vec<String>,
    },
    /// Vote with the reputation held at the proposal's snapshot.
    #[command(after_help = "Example:\n  atelier tx governance vote --from alice --proposal 1 --choice for")]
    Vote {
        #[command(flatten)]
        signing: Signing,
        /// The proposal.
        #[arg(long)]
        proposal: u64,
        /// for, against or abstain.
        #[arg(long, value_enum)]
        choice: ChoiceArg,
    },
    /// Take what a grant to the signer has streamed so far.
    ClaimGrant {
        #[command(flatten)]
        signing: Signing,
        /// The grant.
        #[arg(long)]
        grant: u64,
    },
}

/// A vote, on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ChoiceArg {
    /// For.
    For,
    /// Against.
    Against,
    /// Counts toward quorum only.
    Abstain,
}

fn proposal_actions(
    store: &Keystore,
    file: Option<PathBuf>,
    spends: &[String],
    recoveries: &[String],
) -> Result<Vec<Action>> {
    let mut actions: Vec<Action> = match file {
        Some(path) => {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{}: not a JSON array of actions", path.display()))?
        }
        None => Vec::new(),
    };
    for text in spends {
        let (to, amount) = pair(text, "--spend")?;
        let amount = amount.parse().with_context(|| format!("--spend {text}"))?;
        actions.push(Action::TreasurySpend { to: crate::address(store, to)?, denom: Denom::GDC, amount });
    }
    for text in recoveries {
        let (lost, to) = pair(text, "--recover")?;
        actions.push(Action::RecoverReputation {
            lost: crate::address(store, lost)?,
            to: crate::address(store, to)?,
        });
    }
    Ok(actions)
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(store: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::Propose { signing, summary, actions, spends, recoveries } => {
            let actions = proposal_actions(store, actions, &spends, &recoveries)?;
            (signing, GovernanceMsg::Propose { summary, actions })
        }
        Tx::Vote { signing, proposal, choice } => {
            let choice = match choice {
                ChoiceArg::For => Choice::For,
                ChoiceArg::Against => Choice::Against,
                ChoiceArg::Abstain => Choice::Abstain,
            };
            (signing, GovernanceMsg::Vote { proposal: ProposalId(proposal), choice })
        }
        Tx::ClaimGrant { signing, grant } => (signing, GovernanceMsg::ClaimGrant { grant }),
    };
    Ok((signing, Msg::Governance(msg)))
}

/// A read of governance.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// Deposit, delays, quorum.
    Params,
    /// A proposal with its tally and status now.
    Proposal {
        /// Its id.
        id: u64,
    },
    /// Proposals by id.
    Proposals {
        #[command(flatten)]
        page: Page,
    },
    /// An account's vote on a proposal.
    Vote {
        /// The proposal.
        #[arg(long)]
        proposal: u64,
        /// The voter: a key name, `devN`, or a bech32 address.
        #[arg(long)]
        voter: String,
    },
    /// Open grants.
    Grants,
}

/// The API path that answers `query`.
pub(crate) fn path(store: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/governance/params".into(),
        Query::Proposal { id } => format!("/governance/proposals/{id}"),
        Query::Proposals { page } => format!("/governance/proposals?{}", page.query()),
        Query::Vote { proposal, voter } => {
            format!("/governance/proposals/{proposal}/votes/{}", address(store, &voter)?)
        }
        Query::Grants => "/governance/grants".into(),
    })
}
