//! Invariants every state reached by the protocol satisfies. Checked after every block in tests
//! and debug builds; a violation is a bug and stops the chain before it commits.

use atelier_state::{StateError, StateRead};

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
    };
}
modules::for_each_module!(check_all);
