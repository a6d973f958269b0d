//! Invariants every state reached by the protocol satisfies. [`check_block`] checks them from
//! what a block changed — O(changes): a module's account moved as the records it backs did, its
//! counters as its entries, and every changed record is sound — after every block on every node;
//! it catches every violation the full scan would that the block introduced, except an excess of
//! total reputation (every account's decays lazily). The full scan ([`check_all`], O(state)) runs
//! after every block in tests and debug builds, on a genesis, and in a node at an interval and on
//! start. A violation is a bug and stops the chain before it commits.

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

// --- checking from what a block changed -----------------------------------------------------------
//
// A block's checks assume the books balanced before it (the genesis is scanned whole, and every
// block is checked), so they only need what the block changed: an account that backs the entries
// under a prefix must have moved by exactly what the changed entries moved by.

/// An entry under a prefix that a block wrote: its key, and its value before and after the block
/// (`None`: absent).
pub(crate) struct Changed<T> {
    /// The entry's key.
    pub(crate) key: Vec<u8>,
    /// Before the block.
    pub(crate) before: Option<T>,
    /// After the block.
    pub(crate) after: Option<T>,
}

/// The entries under `prefix` that `changes` wrote, decoded before and after, in key order.
/// O(changed entries).
pub(crate) fn changed<T: atelier_primitives::Decode>(
    before: &(impl StateRead + ?Sized),
    changes: &ChangeSet,
    prefix: &[u8],
) -> Result<Vec<Changed<T>>, StateError> {
    let mut all = Vec::new();
    for (key, value) in changes.with_prefix(prefix) {
        let after = match value {
            Some(bytes) => Some(T::from_bytes(bytes).map_err(|e| StateError::corrupt(key, e))?),
            None => None,
        };
        all.push(Changed { key: key.clone(), before: crate::store::read(before, key)?, after });
    }
    // In key order, so that the violations found come in the same order on every node.
    all.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    Ok(all)
}

/// Sums of a quantity over some changed entries, before and after the block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Moved {
    /// Their sum before the block.
    pub(crate) before: u128,
    /// Their sum after it.
    pub(crate) after: u128,
}

impl Moved {
    /// `f` summed over `entries` before and after (saturating: books that large broke already).
    pub(crate) fn of<'a, T: 'a>(
        entries: impl IntoIterator<Item = &'a Changed<T>>,
        f: impl Fn(&T) -> u128,
    ) -> Moved {
        entries.into_iter().fold(Moved::default(), |sum, entry| Moved {
            before: sum.before.saturating_add(entry.before.as_ref().map_or(0, &f)),
            after: sum.after.saturating_add(entry.after.as_ref().map_or(0, &f)),
        })
    }

    /// Both sums added.
    pub(crate) fn plus(self, other: Moved) -> Moved {
        Moved {
            before: self.before.saturating_add(other.before),
            after: self.after.saturating_add(other.after),
        }
    }

    /// Whether a total that was `total_before` and is `total_after` moved as these entries did,
    /// the entries the block left alone being the same on both sides:
    /// `total_after + before == total_before + after`.
    pub(crate) fn matches(self, total_before: u128, total_after: u128) -> bool {
        total_after.checked_add(self.before) == total_before.checked_add(self.after)
    }

    /// Whether what `account` holds of `denom` moved from `before` to `after` as these entries
    /// did: the account backs them.
    pub(crate) fn matches_balance(
        self,
        before: &(impl StateRead + ?Sized),
        after: &(impl StateRead + ?Sized),
        account: &atelier_primitives::Address,
        denom: &atelier_primitives::Denom,
    ) -> Result<bool, StateError> {
        let (was, now) =
            (modules::bank::balance(before, account, denom)?, modules::bank::balance(after, account, denom)?);
        Ok(self.matches(was.get(), now.get()))
    }
}

/// How many of the keys under `prefix` that `changes` wrote were present before the block and are
/// after it: the change in the number of entries under `prefix`. O(changed entries).
pub(crate) fn presence(
    before: &(impl StateRead + ?Sized),
    changes: &ChangeSet,
    prefix: &[u8],
) -> Result<Moved, StateError> {
    let mut moved = Moved::default();
    for (key, value) in changes.with_prefix(prefix) {
        moved.before += u128::from(before.get(key)?.is_some());
        moved.after += u128::from(value.is_some());
    }
    Ok(moved)
}
