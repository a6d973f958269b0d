//! `atelier tx market …` and `atelier query market …`: fixed-price listings of assets and of
//! royalty-vault shares.

use anyhow::{Result, anyhow, bail};
use atelier_primitives::Amount;
use atelier_protocol::{
    Msg,
    modules::{
        market::{Item, ListingId, MarketMsg},
        provenance::AssetId,
        revenue::VaultId,
    },
};
use clap::Subcommand;

use super::Page;
use crate::{Signing, keys::Keystore, money::Money};

/// A market message.
#[derive(Debug, Subcommand)]
pub(crate) enum Tx {
    /// List an asset, or units of a royalty vault, at a fixed price.
    #[command(after_help = "Examples:\n  atelier tx market list --from alice --asset 1 --price 50GDC\n  \
                            atelier tx market list --from alice --vault asset/1 --units 1000000 --price 9USD")]
    List {
        #[command(flatten)]
        signing: Signing,
        /// The asset to sell.
        #[arg(long, conflicts_with = "vault", required_unless_present = "vault")]
        asset: Option<u64>,
        /// The vault whose units to sell (`model/ID` or `asset/ID`), with --units.
        #[arg(long, requires = "units")]
        vault: Option<VaultId>,
        /// Share units to sell.
        #[arg(long)]
        units: Option<u64>,
        /// The price: `50GDC`, `9USD`, or base units of --denom.
        #[arg(long)]
        price: Money,
        /// ugdc or uusd.
        #[arg(long, default_value = "ugdc")]
        denom: String,
        /// Blocks the listing stays open.
        #[arg(long, default_value_t = 1_000)]
        open_for: u64,
    },
    /// Withdraw one of the signer's listings.
    Cancel {
        #[command(flatten)]
        signing: Signing,
        /// The listing.
        #[arg(long)]
        listing: u64,
    },
    /// Buy a listing.
    #[command(after_help = "Example:\n  atelier tx market buy --from bob --listing 1 --max-price 50000000")]
    Buy {
        #[command(flatten)]
        signing: Signing,
        /// The listing.
        #[arg(long)]
        listing: u64,
        /// The most the signer pays, in base units of the listing's denomination.
        #[arg(long)]
        max_price: Amount,
    },
}

/// The message `command` asks for, and who signs it.
pub(crate) fn message(_: &Keystore, command: Tx) -> Result<(Signing, Msg)> {
    let (signing, msg) = match command {
        Tx::List { signing, asset, vault, units, price, denom, open_for } => {
            let item = match (asset, vault, units) {
                (Some(asset), None, _) => Item::Asset { asset: AssetId(asset) },
                (None, Some(vault), Some(units)) => Item::Shares { vault, units },
                _ => bail!("give --asset ID, or --vault VAULT with --units N"),
            };
            let (denom, price) = price.or_denom(denom.parse().map_err(|e| anyhow!("--denom: {e}"))?);
            (signing, MarketMsg::List { item, price, denom, expires_in: open_for })
        }
        Tx::Cancel { signing, listing } => (signing, MarketMsg::Cancel { listing: ListingId(listing) }),
        Tx::Buy { signing, listing, max_price } => {
            (signing, MarketMsg::Buy { listing: ListingId(listing), max_price })
        }
    };
    Ok((signing, Msg::Market(msg)))
}

/// A read of the market.
#[derive(Debug, Subcommand)]
pub(crate) enum Query {
    /// The market's parameters.
    Params,
    /// A listing.
    Listing {
        /// Its id.
        id: u64,
    },
    /// Open listings.
    Listings {
        #[command(flatten)]
        page: Page,
    },
}

/// The API path that answers `query`.
pub(crate) fn path(_: &Keystore, query: Query) -> Result<String> {
    Ok(match query {
        Query::Params => "/market/params".into(),
        Query::Listing { id } => format!("/market/listings/{id}"),
        Query::Listings { page } => format!("/market/listings?{}", page.query()),
    })
}
