//! compute: the inference market. Providers bond and offer capacity per compute class; jobs are
//! priced per class by EIP-1559, admitted by tip, assigned by free capacity, verified through a
//! challenge window and disputes, and settled to everyone who made them possible. Spec:
//! `README.md` beside this file.

pub mod error;
pub mod events;
pub mod genesis;
pub(crate) mod handler;
pub(crate) mod hooks;
pub mod invariants;
pub mod math;
pub mod msg;
pub mod params;
pub mod query;
pub(crate) mod settle;
pub(crate) mod state;

pub use error::ComputeError;
pub use events::ComputeEvent;
pub use genesis::ComputeGenesis;
pub use msg::ComputeMsg;
pub use params::{ClassParams, ComputeParams, Waterfall};
pub(crate) use settle::Context;
pub use state::{
    ClassCapacity, ClassState, Dispute, Job, JobId, JobStatus, MAX_CLASSES, MAX_DISPUTE_CLAIMS,
    MAX_ENDPOINT_BYTES, OutputClaim, Provider, ProviderStatus, account, jobs_settled, valid_class_name,
};
