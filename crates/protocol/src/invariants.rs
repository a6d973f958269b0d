//! Invariants every state reached by the protocol satisfies. Checked after every block in tests
//! and debug builds; a violation is a bug and stops the chain before it commits.

use atelier_state::{StateError, StateRead};

use crate::modules::{
    amm, bank, clusters, compliance, compute, governance, market, registry, revenue, staking, treasury,
};

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The module whose invariant broke.
    pub module: &'static str,
    /// What is wrong.
    pub detail: String,
}

impl Violation {
    pub(crate) fn new(module: &'static str, detail: String) -> Self {
        Violation { module, detail }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.module, self.detail)
    }
}

/// Every violation in `state`; empty when all invariants hold. O(state).
pub fn check_all(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
    let mut violations = bank::invariants::conservation(state)?;
    violations.extend(registry::invariants::vault(state)?);
    violations.extend(compute::invariants::books(state)?);
    violations.extend(revenue::invariants::books(state)?);
    violations.extend(market::invariants::listings(state)?);
    violations.extend(staking::invariants::books(state)?);
    violations.extend(governance::invariants::books(state)?);
    violations.extend(clusters::invariants::books(state)?);
    violations.extend(amm::invariants::books(state)?);
    violations.extend(treasury::invariants::books(state)?);
    violations.extend(compliance::invariants::books(state)?);
    Ok(violations)
}
