//! Everything the chain reports, one enum over every module's events.

use atelier_primitives::{Decode, Encode};
use serde::{Deserialize, Serialize};

use crate::modules::{bank::BankEvent, fees::FeeEvent};

/// An event, tagged with its module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(tag = "module", content = "event", rename_all = "snake_case")]
pub enum Event {
    /// From the bank.
    Bank(BankEvent),
    /// From the fee market.
    Fees(FeeEvent),
    /// From the registry.
    Registry(crate::modules::registry::RegistryEvent),
    /// From the compute market.
    Compute(crate::modules::compute::ComputeEvent),
    /// From provenance.
    Provenance(crate::modules::provenance::ProvenanceEvent),
    /// From the royalty vaults.
    Revenue(crate::modules::revenue::RevenueEvent),
    /// From the market.
    Market(crate::modules::market::MarketEvent),
    /// From staking.
    Staking(crate::modules::staking::StakingEvent),
    /// From governance.
    Governance(crate::modules::governance::GovernanceEvent),
    /// From the training clusters.
    Clusters(crate::modules::clusters::ClustersEvent),
    /// From the AMM.
    Amm(crate::modules::amm::AmmEvent),
    /// From the oracle.
    Oracle(crate::modules::oracle::OracleEvent),
    /// From the treasury.
    Treasury(crate::modules::treasury::TreasuryEvent),
    /// From compliance.
    Compliance(crate::modules::compliance::ComplianceEvent),
}
