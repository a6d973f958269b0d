//! fees: the block-space fee market (EIP-1559). A fixed gas cost per message kind, a base fee per
//! gas that follows demand block by block and is burned, and a capped priority tip paid to the
//! block's proposer. Spec: `README.md` beside this file.

pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod math;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use events::FeeEvent;
pub use genesis::FeesGenesis;
pub use params::{FeeParams, GasSchedule, ParamsError};
