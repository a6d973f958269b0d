//! `atelier tx stake|gov|cluster …` and `atelier query stake|gov|cluster …`: stake and reputation,
//! governance proposals, votes and grants, and training-cluster reservations.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use atelier_primitives::Denom;
use atelier_protocol::{
    Msg,
    modules::{
        clusters::{ClusterId, ClustersMsg},
        governance::{Action, Choice, GovernanceMsg, ProposalId},
        staking::StakingMsg,
    },
};
use clap::Subcommand;

use crate::{Signing, keys::Keystore};

/// A staking message.
#[derive(Debug, Subcommand)]
pub(crate) enum StakeTx {
    /// Bond ugdc; it earns reputation from the first whole epoch it is held.
    Stake {
        #[command(flatten)]
        signing: Signing,
        /// How much in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        amount: crate::money::Money,
    },
    /// Start unbonding; the stake stays slashable until withdrawn.
    Unstake {
        #[command(flatten)]
        signing: Signing,
        /// How much in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        amount: crate::money::Money,
    },
    /// Take back every unbonding entry whose period is over.
    Withdraw {
        #[command(flatten)]
        signing: Signing,
    },
}

/// A governance message.
#[derive(Debug, Subcommand)]
pub(crate) enum GovTx {
    /// Open a proposal, paying the deposit. Actions come from --actions (a JSON array in the API's
    /// encoding, e.g. `[{"set_params":{"market":{...}}}]`) and the shorthand flags, in that order.
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

/// A training-cluster message.
#[derive(Debug, Subcommand)]
pub(crate) enum ClusterTx {
    /// Ask for slots of a cluster in a coming epoch; the bid is escrowed.
    Reserve {
        #[command(flatten)]
        signing: Signing,
        /// The cluster.
        #[arg(long)]
        cluster: u64,
        /// The epoch.
        #[arg(long)]
        epoch: u64,
        /// Slots, all or nothing.
        #[arg(long, default_value_t = 1)]
        slots: u32,
        /// Offered per slot in GDC: `5GDC`, `0.5GDC`, or base units (ugdc).
        #[arg(long)]
        bid: crate::money::Money,
    },
    /// Withdraw a request (full refund) or give up allocated slots (partial refund).
    Cancel {
        #[command(flatten)]
        signing: Signing,
        /// The reservation.
        #[arg(long)]
        reservation: u64,
    },
}

fn pair<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    text.split_once('=').ok_or_else(|| anyhow!("{what} {text:?}: expected KEY=VALUE"))
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

/// The message a staking, governance or cluster command asks for, and who signs it.
pub(crate) fn stake_message(command: StakeTx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        StakeTx::Stake { signing, amount } => (signing, StakingMsg::Stake { amount: amount.of(Denom::GDC)? }),
        StakeTx::Unstake { signing, amount } => {
            (signing, StakingMsg::Unstake { amount: amount.of(Denom::GDC)? })
        }
        StakeTx::Withdraw { signing } => (signing, StakingMsg::Withdraw {}),
    };
    Ok((signing, Msg::Staking(msg)))
}

/// The message a governance command asks for, and who signs it.
pub(crate) fn gov_message(store: &Keystore, command: GovTx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        GovTx::Propose { signing, summary, actions, spends, recoveries } => {
            let actions = proposal_actions(store, actions, &spends, &recoveries)?;
            (signing, GovernanceMsg::Propose { summary, actions })
        }
        GovTx::Vote { signing, proposal, choice } => {
            let choice = match choice {
                ChoiceArg::For => Choice::For,
                ChoiceArg::Against => Choice::Against,
                ChoiceArg::Abstain => Choice::Abstain,
            };
            (signing, GovernanceMsg::Vote { proposal: ProposalId(proposal), choice })
        }
        GovTx::ClaimGrant { signing, grant } => (signing, GovernanceMsg::ClaimGrant { grant }),
    };
    Ok((signing, Msg::Governance(msg)))
}

/// The message a cluster command asks for, and who signs it.
pub(crate) fn cluster_message(command: ClusterTx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        ClusterTx::Reserve { signing, cluster, epoch, slots, bid } => (
            signing,
            ClustersMsg::ReserveSlots {
                cluster: ClusterId(cluster),
                epoch,
                slots,
                bid_per_slot: bid.of(Denom::GDC)?,
            },
        ),
        ClusterTx::Cancel { signing, reservation } => {
            (signing, ClustersMsg::CancelReservation { reservation })
        }
    };
    Ok((signing, Msg::Clusters(msg)))
}

/// A read of stake and reputation.
#[derive(Debug, Subcommand)]
pub(crate) enum StakeQuery {
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

/// A read of governance.
#[derive(Debug, Subcommand)]
pub(crate) enum GovQuery {
    /// Deposit, delays, quorum.
    Params,
    /// A proposal with its tally and status now.
    Proposal {
        /// Its id.
        id: u64,
    },
    /// Proposals by id.
    Proposals {
        /// Only ids above this one.
        #[arg(long)]
        after: Option<u64>,
        /// Most proposals.
        #[arg(long, default_value_t = 100)]
        limit: usize,
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

/// A read of training clusters.
#[derive(Debug, Subcommand)]
pub(crate) enum ClusterQuery {
    /// Limits and the late-cancellation refund.
    Params,
    /// Every cluster.
    List,
    /// A cluster.
    Show {
        /// Its id.
        id: u64,
    },
    /// A cluster's reservations for an epoch.
    Epoch {
        /// The cluster.
        #[arg(long)]
        cluster: u64,
        /// The epoch.
        #[arg(long)]
        epoch: u64,
    },
    /// A reservation.
    Reservation {
        /// Its id.
        id: u64,
    },
}

/// The API path that answers a staking query.
pub(crate) fn stake_path(store: &Keystore, query: StakeQuery) -> Result<String> {
    Ok(match query {
        StakeQuery::Params => "/staking/params".into(),
        StakeQuery::Totals => "/staking/totals".into(),
        StakeQuery::Position { address } => format!("/staking/accounts/{}", crate::address(store, &address)?),
        StakeQuery::Reputation { address, height } => {
            let height = height.map(|h| format!("?height={h}")).unwrap_or_default();
            format!("/staking/accounts/{}/reputation{height}", crate::address(store, &address)?)
        }
    })
}

/// The API path that answers a governance query.
pub(crate) fn gov_path(store: &Keystore, query: GovQuery) -> Result<String> {
    Ok(match query {
        GovQuery::Params => "/governance/params".into(),
        GovQuery::Proposal { id } => format!("/governance/proposals/{id}"),
        GovQuery::Proposals { after, limit } => {
            let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
            format!("/governance/proposals?limit={limit}{after}")
        }
        GovQuery::Vote { proposal, voter } => {
            format!("/governance/proposals/{proposal}/votes/{}", crate::address(store, &voter)?)
        }
        GovQuery::Grants => "/governance/grants".into(),
    })
}

/// The API path that answers a cluster query.
pub(crate) fn cluster_path(query: ClusterQuery) -> String {
    match query {
        ClusterQuery::Params => "/clusters/params".into(),
        ClusterQuery::List => "/clusters".into(),
        ClusterQuery::Show { id } => format!("/clusters/{id}"),
        ClusterQuery::Epoch { cluster, epoch } => format!("/clusters/{cluster}/epochs/{epoch}"),
        ClusterQuery::Reservation { id } => format!("/clusters/reservations/{id}"),
    }
}
