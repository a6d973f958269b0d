//! Invariants every state reached by the protocol satisfies. The cheap ones ([`check_block`]:
//! conservation from the block's changes, the books of accounts that are empty between blocks)
//! run after every block on every node; the full scan ([`check_all`], O(state)) runs after every
//! block in tests and debug builds, on a genesis, and in a node at an interval and on start. A
//! violation is a bug and stops the chain before it commits.

use atelier_state::{ChangeSet, StateError, StateRead};

use crate::modules::{self, Module};

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

/// The violations in one line, `module: detail; …`, or `None` when there are none.
pub fn describe(violations: &[Violation]) -> Option<String> {
    if violations.is_empty() {
        return None;
    }
    Some(violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
}

/// Declares [`check_all`] over the list of modules.
macro_rules! check_all {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// Every violation in `state`, module by module; empty when all invariants hold. O(state).
        pub fn check_all(state: &impl StateRead) -> Result<Vec<Violation>, StateError> {
            let mut violations = Vec::new();
            $( violations.extend(<modules::$module::$Type as Module>::invariants(state)?); )*
            Ok(violations)
        }

        /// The violations a block's `changes` from `before` to `after` show, module by module,
        /// checking only the cheap invariants: O(changes). Run after every block on every node.
        pub fn check_block(
            before: &impl StateRead,
            after: &impl StateRead,
            changes: &ChangeSet,
        ) -> Result<Vec<Violation>, StateError> {
            let mut violations = Vec::new();
            $(
                violations.extend(<modules::$module::$Type as Module>::block_invariants(before, after, changes)?);
            )*
            Ok(violations)
        }
    };
}
modules::for_each_module!(check_all);
