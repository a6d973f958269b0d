//! bank: multi-denom balances, transfers, module accounts, supply, and capability-gated
//! mint and burn. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod invariants;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::BankError;
pub use events::BankEvent;
pub use genesis::{AccountBalances, BankGenesis, Coin};
pub use msg::BankMsg;
pub use params::BankParams;
pub(crate) use state::{Burner, credit, debit, send};

use atelier_primitives::Denom;

/// The denominations the chain knows: the native token and the bridged stablecoin.
pub const DENOMS: [Denom; 2] = [Denom::GDC, Denom::USD];
