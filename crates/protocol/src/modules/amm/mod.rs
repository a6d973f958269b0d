//! amm: the protocol-owned constant-product pool GDC/uusd (Uniswap v2 integer math, 0.3% fee,
//! 1 000 LP units locked at the first mint). Liquidity moves at once; swaps wait for the block's
//! end and clear together at one uniform price, so no ordering inside a block carries value. A
//! TWAP accumulator follows the price block by block. Spec: `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub mod hooks;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use error::AmmError;
pub use events::AmmEvent;
pub use genesis::AmmGenesis;
pub use msg::AmmMsg;
pub use params::AmmParams;
pub use state::{Order, OrderId, Pool, Side, account};
