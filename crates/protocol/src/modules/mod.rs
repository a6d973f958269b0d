//! The protocol's modules. Each owns a slice of state under its own key prefix, and has the same
//! shape: `params`, `state` (typed keys), `msg`, `handler`, `hooks`, `events`, `error`, `query`,
//! `genesis`, `invariants` and a `README.md` spec; a module has only the parts it needs.

/// A `u64` id newtype with the derives every id needs and a `Display` of the bare number. The
/// expanding module imports `fmt`, `Serialize`, `Deserialize`, `Encode` and `Decode`.
macro_rules! id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Clone,
            Copy,
            Debug,
            Default,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            Serialize,
            Deserialize,
            Encode,
            Decode,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

pub mod accrual;
pub mod amm;
pub mod auth;
pub mod bank;
pub mod clusters;
pub mod compliance;
pub mod compute;
pub mod fees;
pub mod governance;
pub mod market;
pub mod oracle;
pub mod provenance;
pub mod registry;
pub mod revenue;
pub mod staking;
pub mod treasury;

use atelier_state::StateError;

/// Why a handler stopped: the message broke a rule (the transaction fails, its writes are
/// discarded); or something the protocol guarantees did not hold, a bug (the block is refused and
/// the node stops before committing); or storage failed (likewise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure<E> {
    /// The message broke a rule of its module.
    Rule(E),
    /// A step that cannot fail once its checks passed failed: never a user's doing.
    Bug(String),
    /// Storage failed.
    Fatal(StateError),
}

impl<E> From<StateError> for Failure<E> {
    fn from(error: StateError) -> Self {
        Failure::Fatal(error)
    }
}

impl<E> Failure<E> {
    /// Converts the rule error into another module's error type.
    pub fn map_rule<F>(self, f: impl FnOnce(E) -> F) -> Failure<F> {
        match self {
            Failure::Rule(e) => Failure::Rule(f(e)),
            Failure::Bug(what) => Failure::Bug(what),
            Failure::Fatal(e) => Failure::Fatal(e),
        }
    }

    /// For a step past its point of no return: a broken rule there is a bug, named by `step`.
    pub fn into_bug<F>(self, step: &str) -> Failure<F>
    where
        E: std::fmt::Display,
    {
        match self {
            Failure::Rule(e) => Failure::Bug(format!("{step}: {e}")),
            Failure::Bug(what) => Failure::Bug(what),
            Failure::Fatal(e) => Failure::Fatal(e),
        }
    }
}

/// The error code of a bug ([`Failure::Bug`]): the block is refused with it and the node stops.
/// No user error uses it.
pub const BUG_CODE: u32 = 99;
