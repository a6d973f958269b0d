//! `atelier tx clusters …` and `atelier query clusters …`: training clusters and reservations of
//! their slots, epoch by epoch.

use anyhow::Result;
use atelier_primitives::Denom;
use atelier_protocol::{
    Msg,
    modules::clusters::{ClusterId, ClustersMsg},
};
use clap::Subcommand;

use crate::{Signing, keys::Keystore, money::Money};

/// A training-cluster message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// Ask for slots of a cluster in a coming epoch; the bid is escrowed.
    #[command(
        after_help = "Example:\n  atelier tx clusters reserve --from alice --cluster 1 --epoch 3 --slots 2 --bid 40GDC"
    )]
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
        bid: Money,
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

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::Reserve { signing, cluster, epoch, slots, bid } => (
            signing,
            ClustersMsg::ReserveSlots {
                cluster: ClusterId(cluster),
                epoch,
                slots,
                bid_per_slot: bid.of(Denom::GDC)?,
            },
        ),
        Tx::Cancel { signing, reservation } => (signing, ClustersMsg::CancelReservation { reservation }),
    };
    Ok((signing, Msg::Clusters(msg)))
}

/// A read of training clusters.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
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

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/clusters/params".into(),
        Query::List => "/clusters".into(),
        Query::Show { id } => format!("/clusters/{id}"),
        Query::Epoch { cluster, epoch } => format!("/clusters/{cluster}/epochs/{epoch}"),
        Query::Reservation { id } => format!("/clusters/reservations/{id}"),
    })
}
