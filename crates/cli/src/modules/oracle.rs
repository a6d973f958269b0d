//! `atelier tx oracle …` and `atelier query oracle …`: operators, observations, feeds and rounds.

use anyhow::Result;
use atelier_protocol::{
    Msg,
    modules::oracle::{FeedId, OracleMsg},
};
use clap::Subcommand;

use crate::{Signing, keys::Keystore};

/// An oracle message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Become an operator (needs the oracle's minimum stake bonded).
    Register {
        #[command(flatten)]
        signing: Signing,
    },
    /// Stop being an operator.
    Leave {
        #[command(flatten)]
        signing: Signing,
    },
    /// Observe a value for a feed's open round (`atelier query oracle feed ID` shows it).
    #[command(
        after_help = "Example:\n  atelier tx oracle observe --from dev1 --feed gdc_usd --round 4 --value 450000000000"
    )]
    Observe {
        #[command(flatten)]
        signing: Signing,
        /// The feed, e.g. gdc_usd or demand/botanical.
        #[arg(long)]
        feed: String,
        /// The open round.
        #[arg(long)]
        round: u64,
        /// The value, in the feed's unit (gdc_usd: uusd per ugdc × 10^12).
        #[arg(long)]
        value: u128,
    },
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::Register { signing } => (signing, OracleMsg::RegisterOperator),
        Tx::Leave { signing } => (signing, OracleMsg::LeaveOracle),
        Tx::Observe { signing, feed, round, value } => {
            (signing, OracleMsg::SubmitObservation { feed: FeedId(feed), round, value })
        }
    };
    Ok((signing, Msg::Oracle(msg)))
}

/// A read of the oracle.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// Stake, outlier rules and the feeds' specs.
    Params,
    /// Registered operators.
    Operators,
    /// Every feed: open round, value, staleness, closed rounds.
    Feeds,
    /// One feed.
    Feed {
        /// Its id.
        id: String,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/oracle/params".into(),
        Query::Operators => "/oracle/operators".into(),
        Query::Feeds => "/oracle/feeds".into(),
        // A feed id's `/` is one path segment's: sent escaped.
        Query::Feed { id } => format!("/oracle/feeds/{}", id.replace('/', "%2F")),
    })
}
