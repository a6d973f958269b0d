//! Genesis: the chain's first state, validated, and its export (`export(init(g)) == g`).

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::{
    block::Header,
    modules::{
        amm::{self, AmmGenesis},
        auth::{self, AuthGenesis},
        bank::{self, BankGenesis},
        clusters::{self, ClustersGenesis},
        compliance::{self, ComplianceGenesis},
        compute::{self, ComputeGenesis},
        fees::{self, FeesGenesis, ParamsError},
        governance::{self, GovernanceGenesis},
        market::{self, MarketGenesis},
        oracle::{self, OracleGenesis},
        provenance::{self, ProvenanceGenesis},
        registry::{self, RegistryGenesis},
        revenue::{self, RevenueGenesis},
        staking::{self, StakingGenesis},
        treasury::{self, TreasuryGenesis},
    },
    tx::ChainId,
};

/// Everything needed to start a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The chain's identity; every transaction names it.
    pub chain_id: ChainId,
    /// Time of the genesis header, in milliseconds since the Unix epoch.
    pub genesis_time_ms: u64,
    /// Height of the first block (1 for a new chain; `H + 1` when restarting from an export at H).
    #[serde(default = "first_height")]
    pub initial_height: Height,
    /// Nonces.
    #[serde(default)]
    pub auth: AuthGenesis,
    /// Balances and bank params.
    pub bank: BankGenesis,
    /// Fee market params and base fee.
    #[serde(default)]
    pub fees: FeesGenesis,
    /// Datasets, models and royalties.
    #[serde(default)]
    pub registry: RegistryGenesis,
    /// Compute classes, providers and jobs.
    #[serde(default)]
    pub compute: ComputeGenesis,
    /// Assets.
    #[serde(default)]
    pub provenance: ProvenanceGenesis,
    /// Royalty vaults and their holders.
    #[serde(default)]
    pub revenue: RevenueGenesis,
    /// Open listings.
    #[serde(default)]
    pub market: MarketGenesis,
    /// Stake, reputation and the relation records.
    #[serde(default)]
    pub staking: StakingGenesis,
    /// Proposals, votes and grants.
    #[serde(default)]
    pub governance: GovernanceGenesis,
    /// Training clusters and their reservations.
    #[serde(default)]
    pub clusters: ClustersGenesis,
    /// The GDC/uusd pool and its LP holdings.
    #[serde(default)]
    pub amm: AmmGenesis,
    /// Oracle operators, feeds and their values.
    #[serde(default)]
    pub oracle: OracleGenesis,
    /// The treasury's params, book and income.
    #[serde(default)]
    pub treasury: TreasuryGenesis,
    /// Schemas, attesters, attestations, tags, disputes and escrows.
    #[serde(default)]
    pub compliance: ComplianceGenesis,
}

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
    FeeParams(ParamsError),
    /// The initial base fee is below the minimum.
    #[error("base fee {base_fee} is below the minimum {min_base_fee}")]
    BaseFeeBelowMinimum {
        /// The base fee.
        base_fee: Amount,
        /// The minimum.
        min_base_fee: Amount,
    },
    /// The registry section is inconsistent.
    #[error("registry: {0}")]
    Registry(String),
    /// The compute section is inconsistent.
    #[error("compute: {0}")]
    Compute(String),
    /// The provenance section is inconsistent.
    #[error("provenance: {0}")]
    Provenance(String),
    /// The revenue section is inconsistent.
    #[error("revenue: {0}")]
    Revenue(String),
    /// The market section is inconsistent.
    #[error("market: {0}")]
    Market(String),
    /// The staking section is inconsistent.
    #[error("staking: {0}")]
    Staking(String),
    /// The governance section is inconsistent.
    #[error("governance: {0}")]
    Governance(String),
    /// The clusters section is inconsistent.
    #[error("clusters: {0}")]
    Clusters(String),
    /// The AMM section is inconsistent.
    #[error("amm: {0}")]
    Amm(String),
    /// The oracle section is inconsistent.
    #[error("oracle: {0}")]
    Oracle(String),
    /// The treasury section is inconsistent.
    #[error("treasury: {0}")]
    Treasury(String),
    /// The compliance section is inconsistent.
    #[error("compliance: {0}")]
    Compliance(String),
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

impl Genesis {
    /// Validates every section and puts lists in canonical order, so that equal chains have equal
    /// genesis values.
    pub fn normalize(self) -> Result<Genesis, GenesisError> {
        if self.initial_height.get() == 0 {
            return Err(GenesisError::InitialHeightZero);
        }
        self.fees.validate()?;
        let registry = self.registry.normalize()?;
        Ok(Genesis {
            auth: self.auth.normalize()?,
            bank: self.bank.normalize()?,
            compute: self.compute.normalize(registry.params.max_lineage_fee)?,
            market: self.market.normalize(
                u32::from(self.provenance.params.max_royalty_stack.get())
                    + u32::from(registry.params.max_lineage_fee.get()),
            )?,
            provenance: self.provenance.normalize()?,
            revenue: self.revenue.normalize()?,
            staking: self.staking.normalize(self.initial_height)?,
            governance: self.governance.normalize()?,
            clusters: self.clusters.normalize()?,
            amm: self.amm.normalize()?,
            oracle: self.oracle.normalize()?,
            treasury: self.treasury.normalize()?,
            compliance: self.compliance.normalize()?,
            registry,
            ..self
        })
    }
}

/// Writes a normalized genesis into empty state.
pub(crate) fn init(state: &mut impl StateWrite, genesis: &Genesis) -> Result<(), GenesisError> {
    auth::state::set_chain_id(state, &genesis.chain_id);
    auth::state::set_height(state, Height(genesis.initial_height.get() - 1));
    auth::genesis::init(state, &genesis.auth);
    bank::genesis::init(state, &genesis.bank)?;
    fees::genesis::init(state, &genesis.fees);
    registry::genesis::init(state, &genesis.registry);
    compute::genesis::init(state, &genesis.compute);
    provenance::genesis::init(state, &genesis.provenance);
    revenue::genesis::init(state, &genesis.revenue);
    market::genesis::init(state, &genesis.market);
    staking::genesis::init(state, &genesis.staking)?;
    governance::genesis::init(state, &genesis.governance);
    clusters::genesis::init(state, &genesis.clusters)?;
    amm::genesis::init(state, &genesis.amm);
    oracle::genesis::init(state, &genesis.oracle)?;
    treasury::genesis::init(state, &genesis.treasury);
    compliance::genesis::init(state, &genesis.compliance)?;
    Ok(())
}

/// The genesis that restarts the chain from `state`, whose last header is `last`.
pub fn export(state: &impl StateRead, last: &Header) -> Result<Genesis, StateError> {
    Ok(Genesis {
        chain_id: auth::state::chain_id(state)?,
        genesis_time_ms: last.time_ms,
        initial_height: Height(last.height.get().saturating_add(1)),
        auth: auth::genesis::export(state)?,
        bank: bank::genesis::export(state)?,
        fees: fees::genesis::export(state)?,
        registry: registry::genesis::export(state)?,
        compute: compute::genesis::export(state)?,
        provenance: provenance::genesis::export(state)?,
        revenue: revenue::genesis::export(state)?,
        market: market::genesis::export(state)?,
        staking: staking::genesis::export(state)?,
        governance: governance::genesis::export(state)?,
        clusters: clusters::genesis::export(state)?,
        amm: amm::genesis::export(state)?,
        oracle: oracle::genesis::export(state)?,
        treasury: treasury::genesis::export(state)?,
        compliance: compliance::genesis::export(state)?,
    })
}
