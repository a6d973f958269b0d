//! Custom agents: a `custom` population's decisions come from a [`Policy`] the caller supplies by
//! name (from Python, a callable: `atelier_sim.run(..., agents={name: callable})`). Each block
//! the policy sees what any participant could observe — the last block's metrics and its own
//! agents' balances — and returns the messages its agents send; the world signs them into
//! transactions like every other agent's, so a policy acts only through transactions, and the
//! protocol refuses what it would refuse from anyone.

use std::{collections::BTreeMap, fmt, sync::Arc};

use atelier_primitives::Address;
use atelier_protocol::Msg;

use crate::metrics::Row;

/// What a custom population's policy sees in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The policy's name, as the scenario gives it.
    pub policy: String,
    /// The block being built (from 1).
    pub block: u64,
    /// The sweep point.
    pub point: u64,
    /// The run.
    pub run: u64,
    /// A seed for the policy's own randomness, from (batch seed, point, run, block, population):
    /// a policy that draws only from it keeps the run reproducible.
    pub seed: u64,
    /// The metrics of the last block (all zero before the first).
    pub last: Row,
    /// The population's agents, by rank.
    pub agents: Vec<AgentView>,
}

/// One of a custom population's agents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentView {
    /// Its rank in the population (what a decision names it by).
    pub rank: u64,
    /// Its address.
    pub address: Address,
    /// Its liquid `ugdc`.
    pub ugdc: u128,
    /// Its liquid `uusd`.
    pub uusd: u128,
}

/// Decides what a custom population's agents send: `(rank, message)` pairs, in order.
pub trait Policy: Send + Sync {
    /// The messages for `view`'s block; an error stops the run (the batch records it).
    fn decide(&self, view: &View) -> Result<Vec<(u64, Msg)>, String>;
}

/// Policies by name.
#[derive(Clone, Default)]
pub struct Policies(BTreeMap<String, Arc<dyn Policy>>);

impl Policies {
    /// Adds (or replaces) the policy named `name`.
    pub fn insert(&mut self, name: impl Into<String>, policy: Arc<dyn Policy>) {
        self.0.insert(name.into(), policy);
    }

    /// The policy named `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Policy>> {
        self.0.get(name)
    }
}

impl fmt::Debug for Policies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}
