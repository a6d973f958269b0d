//! `atelier tx oracle …`, `atelier query oracle …` and `atelier query treasury …`: observations,
//! feeds and rounds; the treasury's reserve, runway, bands, targets, income and epoch reports.

use atelier_protocol::{
    Msg,
    modules::oracle::{FeedId, OracleMsg},
};
use clap::Subcommand;

use crate::Signing;

/// An oracle message.
#[derive(Debug, Subcommand)]
pub(crate) enum OracleTx {
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
    Observe {
        #[command(flatten)]
        signing: Signing,
        /// The feed, e.g. gdc_usd or demand/portrait.
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

/// The message an oracle command asks for, and who signs it.
pub(crate) fn oracle_message(command: OracleTx) -> (Signing, Msg) {
    let (signing, msg) = match command {
        OracleTx::Register { signing } => (signing, OracleMsg::RegisterOperator),
        OracleTx::Leave { signing } => (signing, OracleMsg::LeaveOracle),
        OracleTx::Observe { signing, feed, round, value } => {
            (signing, OracleMsg::SubmitObservation { feed: FeedId(feed), round, value })
        }
    };
    (signing, Msg::Oracle(msg))
}

/// A read of the oracle.
#[derive(Debug, Subcommand)]
pub(crate) enum OracleQuery {
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

/// The API path that answers an oracle query.
pub(crate) fn oracle_path(query: OracleQuery) -> String {
    match query {
        OracleQuery::Params => "/oracle/params".into(),
        OracleQuery::Operators => "/oracle/operators".into(),
        OracleQuery::Feeds => "/oracle/feeds".into(),
        OracleQuery::Feed { id } => format!("/oracle/feeds/{id}"),
    }
}

/// A read of the treasury.
#[derive(Debug, Subcommand)]
pub(crate) enum TreasuryQuery {
    /// GDC, reserve and its floor, pool share, moving average, defence, grants budget, the
    /// controller's targets (runway, reserve ratio, POL share) and the last epoch's report.
    Status,
    /// Pacing, bands, runway and the controller's clamps.
    Params,
    /// Income since genesis, by source.
    Income,
    /// Epoch reports: TWAP, bands, velocity, the oracle's price, defence, targets, jobs per class.
    Epochs,
}

/// The API path that answers a treasury query.
pub(crate) fn treasury_path(query: TreasuryQuery) -> &'static str {
    match query {
        TreasuryQuery::Status => "/treasury",
        TreasuryQuery::Params => "/treasury/params",
        TreasuryQuery::Income => "/treasury/income",
        TreasuryQuery::Epochs => "/treasury/epochs",
    }
}
