//! provenance: every generated work becomes an asset that remembers where it came from — its
//! model and datasets, its job and prompt, and its parents — with a royalty stack fixed at mint
//! that pays its ancestors from everything it earns. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::ProvenanceError;
pub use events::ProvenanceEvent;
pub use genesis::ProvenanceGenesis;
pub use msg::ProvenanceMsg;
pub use params::ProvenanceParams;
pub use state::{
    Asset, AssetId, DigitalSourceType, Edge, MAX_ANCESTORS, MAX_PARENTS, RoyaltyPolicy, StackEntry,
};
