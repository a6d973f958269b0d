//! revenue: every model and asset has a royalty vault whose revenue belongs to the holders of its
//! 100 000 000 transferable share units, paid pro rata through an accumulator. Spec: `README.md`
//! beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod invariants;
pub mod msg;
pub mod query;
pub(crate) mod state;

pub use crate::modules::accrual::Accrual;
pub use error::RevenueError;
pub use events::RevenueEvent;
pub use genesis::{HoldingGenesis, RevenueGenesis, VaultGenesis};
pub use msg::RevenueMsg;
pub(crate) use state::pay_into;
pub use state::{Holding, SHARE_UNITS, Vault, VaultId, account};
