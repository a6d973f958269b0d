//! treasury: income accounted by source; at each epoch's end the pool's TWAP, a capped moving
//! average and its floor bands, token velocity and the oracle's GDC/USD drive a paced conversion
//! of GDC income into the stable reserve, buy-backs that defend the floor and burn what they buy,
//! pool top-ups and the grants budget, all through the batch AMM. No messages: governance spends
//! and grants; everything else is the block's end. Spec: `README.md` beside this file.

pub mod controller;
pub mod events;
pub mod genesis;
pub(crate) mod hooks;
pub mod invariants;
pub mod params;
pub mod query;
pub(crate) mod state;

pub use controller::Targets;
pub use events::TreasuryEvent;
pub use genesis::TreasuryGenesis;
pub use params::TreasuryParams;
pub use state::{
    Book, ClassJobs, EpochReport, Income, IncomeSource, Pending, PendingKind, account, operations,
};
