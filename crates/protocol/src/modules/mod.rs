//! The protocol's modules. Each owns a slice of state under its own key prefix, and has the same
//! shape (spec: DESIGN §4): `msg`, `events`, `error`, `params`, `state` (typed keys), `handler`,
//! `hooks`, `query`, `genesis`, `invariants` and a `README.md` spec. A module is one folder plus
//! one line in `for_each_module!`, which drives the transaction's message enum, the event enum,
//! the error codes, the genesis sections, gas, `SetParams` and the invariant checks.
//!
//! Every handler and hook gets one [`Ctx`]: the block's height and time, who acts, and the
//! capabilities its module holds — values only the app can create ([`crate::app::caps`]). A
//! module changes another module's state only through that module's functions.

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
            atelier_primitives::Layout,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

use atelier_primitives::{Address, Amount, Denom, Hash, Height};
use atelier_state::{ChangeSet, StateError, StateRead, StateWrite};

use crate::{
    app::caps::Capabilities,
    event::Event,
    genesis::{Genesis, GenesisError},
    invariants::Violation,
};

/// Calls `$callback!` with the list of modules: one line each, in genesis order, naming its folder
/// and its type (which implements [`Module`]), with the tags its message, event and params take in
/// the canonical encoding of [`crate::Msg`], [`crate::Event`] and [`ParamsChange`] (fixed forever:
/// signed transactions, receipts and stored proposals carry them) and the attributes of its genesis
/// section.
macro_rules! for_each_module {
    ($callback:ident) => {
        $callback! {
            /// Nonces.
            #[serde(default)]
            auth: Auth {},
            /// Balances and bank params.
            bank: Bank { msg: 0, event: 0, },
            /// Fee market params and base fee.
            #[serde(default)]
            fees: Fees { event: 1, params: 0, },
            /// Datasets, models and royalties.
            #[serde(default)]
            registry: Registry { msg: 1, event: 2, params: 1, },
            /// Compute classes, providers and jobs.
            #[serde(default)]
            compute: Compute { msg: 2, event: 3, params: 2, },
            /// Assets.
            #[serde(default)]
            provenance: Provenance { msg: 4, event: 4, params: 3, },
            /// Royalty vaults and their holders.
            #[serde(default)]
            revenue: Revenue { msg: 3, event: 5, },
            /// Open listings.
            #[serde(default)]
            market: Market { msg: 5, event: 6, params: 4, },
            /// Stake, reputation and the relation records.
            #[serde(default)]
            staking: Staking { msg: 6, event: 7, params: 5, },
            /// Proposals, votes and grants.
            #[serde(default)]
            governance: Governance { msg: 7, event: 8, params: 6, },
            /// Training clusters and their reservations.
            #[serde(default)]
            clusters: Clusters { msg: 8, event: 9, params: 7, },
            /// The GDC/uusd pool and its LP holdings.
            #[serde(default)]
            amm: Amm { msg: 9, event: 10, params: 8, },
            /// Oracle operators, feeds and their values.
            #[serde(default)]
            oracle: Oracle { msg: 10, event: 11, params: 10, },
            /// The treasury's params, book and income.
            #[serde(default)]
            treasury: Treasury { event: 12, params: 11, },
            /// Schemas, attesters, attestations, tags, disputes and escrows.
            #[serde(default)]
            compliance: Compliance { msg: 11, event: 13, params: 9, },
        }
    };
}
pub(crate) use for_each_module;

/// The block a handler or hook runs in, who acts, and the capabilities its module holds.
#[derive(Debug)]
pub struct Ctx<C> {
    /// The block's height.
    pub height: Height,
    /// The block's time, in milliseconds since the Unix epoch (from its header: the only clock).
    pub time_ms: u64,
    /// The parent block's hash: the block's only entropy.
    pub parent_hash: Hash,
    /// Who acts: a message's sender; in a hook, the block's proposer.
    pub sender: Address,
    /// What the module may do beyond its own state (mint, burn, slash).
    pub caps: C,
}

impl<C: Capabilities> Ctx<C> {
    /// A message's context for a module's own unit tests: `sender` at `height`, at time 0.
    #[cfg(test)]
    pub(crate) fn for_tests(height: Height, sender: Address) -> Ctx<C> {
        Ctx { height, time_ms: 0, parent_hash: Hash::ZERO, sender, caps: crate::app::caps::for_tests() }
    }
}

/// A module: its genesis section, its events and its invariants. Every module implements it.
pub trait Module {
    /// Its name: its key prefix, its genesis section and its API path.
    const NAME: &'static str;
    /// Its genesis section.
    type Genesis;
    /// What it reports.
    type Event;
    /// Checks its section and puts its lists in canonical order; `genesis` is the whole file, for
    /// the rules that span modules.
    fn normalize(section: Self::Genesis, genesis: &Genesis) -> Result<Self::Genesis, GenesisError>;
    /// Writes its section into empty state.
    fn init(state: &mut impl StateWrite, section: &Self::Genesis) -> Result<(), GenesisError>;
    /// Its section as the state holds it (`export(init(g)) == g`).
    fn export(state: &impl StateRead) -> Result<Self::Genesis, StateError>;
    /// Every broken invariant of its state, over the whole state: O(its state).
    fn invariants(state: &impl StateRead) -> Result<Vec<Violation>, StateError>;

    /// The invariants cheap enough for every block on every node: O(what the block changed, or
    /// 1). `before` is the state the block started from, `after` the state it leads to, `changes`
    /// what it wrote. None unless a module has some.
    fn block_invariants(
        _before: &impl StateRead,
        _after: &impl StateRead,
        _changes: &ChangeSet,
    ) -> Result<Vec<Violation>, StateError> {
        Ok(Vec::new())
    }
}

/// A module that takes messages.
pub trait Handler: Module {
    /// Its messages.
    type Msg;
    /// Why one fails.
    type Error: std::fmt::Display + atelier_primitives::ErrorCode;
    /// What the app hands it with every message.
    type Caps: Capabilities;
    /// Runs `msg`: checks everything, then writes (spec: STYLE "Control flow reads top-down").
    fn handle(
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        ctx: &Ctx<Self::Caps>,
        msg: &Self::Msg,
    ) -> Result<(), Failure<Self::Error>>;
    /// Its gas, fixed by its kind (and, for lists, its length) so that simulation is exact.
    fn gas(msg: &Self::Msg, schedule: &fees::GasSchedule) -> u64;
    /// What can be told of `msg` without reading state (a zero amount, an unknown denomination):
    /// admission refuses a transaction with such a message and charges nothing. `handle` must
    /// refuse the same messages with the same error.
    fn check(msg: &Self::Msg) -> Result<(), Self::Error> {
        let _ = msg;
        Ok(())
    }
    /// What `msg` certainly takes from its sender's balance, if anything: admission refuses a
    /// transaction whose sender cannot cover it besides the fee and its pending transactions.
    fn debit(msg: &Self::Msg) -> Option<(Denom, Amount)> {
        let _ = msg;
        None
    }
}

/// A module whose params governance sets through the one `SetParams` path.
pub trait Governed: Module {
    /// Its params.
    type Params;
    /// Writes new params at `height` (the caller validates every module's afterwards).
    fn set_params(
        state: &mut impl StateWrite,
        height: Height,
        params: &Self::Params,
    ) -> Result<(), Failure<String>>;
    /// Checks the params in `state`, with other modules' where a rule spans them.
    fn validate_params(state: &impl StateRead) -> Result<(), Failure<String>>;
}

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

/// A type with no values: the events of a module that reports none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Never {}

/// Fails a message with `error`: the one way handlers refuse.
pub(crate) fn rule<T, E>(error: E) -> Result<T, Failure<E>> {
    Err(Failure::Rule(error))
}

/// The error code of a bug ([`Failure::Bug`]): the block is refused with it and the node stops.
/// No user error uses it.
pub const BUG_CODE: u32 = 99;
