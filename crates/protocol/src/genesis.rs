//! Genesis: the chain's first state, validated, and its export (`export(init(g)) == g`).

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::{
    block::Header,
    modules::{self, Module, auth, fees::FeesParamsError},
    tx::ChainId,
};

/// Declares [`Genesis`] from the list of modules, with its normalization, initialization and export
/// module by module.
macro_rules! genesis {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// Everything needed to start a chain.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Genesis {
            /// The chain's identity; every transaction names it.
            pub chain_id: ChainId,
            /// Time of the genesis header, in milliseconds since the Unix epoch.
            pub genesis_time_ms: u64,
            /// Height of the first block (1 for a new chain; `H + 1` when restarting from an export at
            /// H).
            #[serde(default = "first_height")]
            pub initial_height: Height,
            $(
                $(#[$section])*
                pub $module: <modules::$module::$Type as Module>::Genesis,
            )*
        }

        impl Genesis {
            /// A genesis for `chain_id` at `genesis_time_ms` with every module's section at its
            /// default: builders change what they need with `..Genesis::new(..)`, so a new module
            /// needs nothing from them.
            pub fn new(chain_id: ChainId, genesis_time_ms: u64) -> Genesis {
                Genesis {
                    chain_id,
                    genesis_time_ms,
                    initial_height: first_height(),
                    $( $module: Default::default(), )*
                }
            }

            /// Validates every section and puts lists in canonical order, so that equal chains have
            /// equal genesis values.
            pub fn normalize(self) -> Result<Genesis, GenesisError> {
                if self.initial_height.get() == 0 {
                    return Err(GenesisError::InitialHeightZero);
                }
                Ok(Genesis {
                    $( $module: <modules::$module::$Type as Module>::normalize(self.$module.clone(), &self)?, )*
                    ..self
                })
            }
        }

        /// Writes a normalized genesis into empty state.
        pub(crate) fn init(state: &mut impl StateWrite, genesis: &Genesis) -> Result<(), GenesisError> {
            auth::set_chain_id(state, &genesis.chain_id);
            auth::set_height(state, Height(genesis.initial_height.get() - 1));
            $( <modules::$module::$Type as Module>::init(state, &genesis.$module)?; )*
            Ok(())
        }

        /// The genesis that restarts the chain from `state`, whose last header is `last`.
        pub fn export(state: &impl StateRead, last: &Header) -> Result<Genesis, StateError> {
            Ok(Genesis {
                chain_id: auth::chain_id(state)?,
                genesis_time_ms: last.time_ms,
                initial_height: Height(last.height.get().saturating_add(1)),
                $( $module: <modules::$module::$Type as Module>::export(state)?, )*
            })
        }
    };
}
modules::for_each_module!(genesis);

fn first_height() -> Height {
    Height(1)
}

/// Why a genesis cannot start a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenesisError {
    /// An account appears twice.
    #[error("account {address} appears twice")]
    DuplicateAccount {
        /// The account.
        address: Address,
    },
    /// A denomination appears twice in one list.
    #[error("denom {denom} appears twice{}", address.map(|a| format!(" for {a}")).unwrap_or_default())]
    DuplicateDenom {
        /// The account, if the list is an account's.
        address: Option<Address>,
        /// The denomination.
        denom: Denom,
    },
    /// A denomination the chain does not know.
    #[error("unknown denom {denom}")]
    UnknownDenom {
        /// The denomination.
        denom: Denom,
    },
    /// The supply of a denomination exceeds the largest amount.
    #[error("total {denom} supply overflows")]
    SupplyOverflow {
        /// The denomination.
        denom: Denom,
    },
    /// Fee parameters are unusable.
    #[error("fee params: {0}")]
    FeeParams(FeesParamsError),
    /// The initial base fee is below the minimum.
    #[error("base fee {base_fee} is below the minimum {min_base_fee}")]
    BaseFeeBelowMinimum {
        /// The base fee.
        base_fee: Amount,
        /// The minimum.
        min_base_fee: Amount,
    },
    /// A module's section is inconsistent.
    #[error("{module}: {reason}")]
    Section {
        /// The module.
        module: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The state the genesis writes breaks an invariant.
    #[error("the genesis breaks invariants: {0}")]
    Invariants(String),
    /// The first block cannot be at height 0.
    #[error("initial height must be at least 1")]
    InitialHeightZero,
    /// The state already holds a chain.
    #[error("state is not empty: a chain was already initialized")]
    AlreadyInitialized,
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StateError),
}

impl GenesisError {
    /// `module`'s section is inconsistent for `reason`.
    pub fn section(module: &'static str, reason: impl Into<String>) -> GenesisError {
        GenesisError::Section { module, reason: reason.into() }
    }
}
