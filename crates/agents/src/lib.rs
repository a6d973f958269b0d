//! The daemons that do the work the chain settles (spec: DESIGN §7). Each holds a key, talks to a
//! node only through its public API (reads, the blob store, the event stream, transactions), keeps
//! its progress on disk so that it is safe to kill at any moment, and serves `/health` and
//! Prometheus `/metrics` on its own port.
//!
//! - [`provider`]: a GPU operator's daemon: generates the jobs assigned to it and sends results.
//! - [`verifier`]: re-executes a sample of deterministic results, challenges what it computes
//!   differently, and claims its output in disputes.
//! - [`backend`]: how a model is run: `procedural` (built in), `command`, `http`.

pub mod backend;
pub mod chain;
pub mod follow;
pub mod journal;
pub mod oracle;
pub mod provider;
pub mod record;
pub mod serve;
pub mod verifier;
pub mod work;
