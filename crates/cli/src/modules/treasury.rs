//! `atelier query treasury …`: the treasury's reserve, runway, bands, targets, income and epoch
//! reports. The treasury takes no messages: governance spends from it.

use anyhow::Result;
use clap::Subcommand;

use crate::keys::Keystore;

/// A read of the treasury.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
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

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Status => "/treasury",
        Query::Params => "/treasury/params",
        Query::Income => "/treasury/income",
        Query::Epochs => "/treasury/epochs",
    }
    .into())
}
