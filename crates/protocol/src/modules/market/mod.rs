//! market: fixed-price listings of assets and of royalty-vault shares, in `ugdc` or `uusd`. The
//! only way an asset changes hands; every asset sale pays the treasury, the asset's royalty stack,
//! its model's datasets and fine-tuners, then the seller. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::MarketError;
pub use events::MarketEvent;
pub use genesis::MarketGenesis;
pub use msg::MarketMsg;
pub use params::MarketParams;
pub use state::{Item, Listing, ListingId};
