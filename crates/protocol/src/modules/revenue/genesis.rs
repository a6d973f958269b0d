//! revenue genesis: vaults and their holdings.

use atelier_primitives::Address;
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Holding, SHARE_UNITS, Vault, state};
use crate::genesis::GenesisError;

/// One holder's units, at genesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoldingGenesis {
    /// The holder.
    pub holder: Address,
    /// Its holding.
    pub holding: Holding,
}

/// A vault and its holders, at genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VaultGenesis {
    /// The vault.
    pub vault: Vault,
    /// Its holders, by address.
    pub holdings: Vec<HoldingGenesis>,
}

/// The revenue part of genesis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevenueGenesis {
    /// Vaults, by id.
    #[serde(default)]
    pub vaults: Vec<VaultGenesis>,
}

impl RevenueGenesis {
    /// Checks that every vault's units sum to 100 000 000 and its holder count is right, and sorts
    /// the section.
    pub fn normalize(mut self) -> Result<RevenueGenesis, GenesisError> {
        let invalid = |reason: String| GenesisError::Section { module: "revenue", reason };
        self.vaults.sort_by_key(|v| v.vault.id);
        if self.vaults.windows(2).any(|w| w[0].vault.id == w[1].vault.id) {
            return Err(invalid("a vault appears twice".into()));
        }
        for entry in &mut self.vaults {
            entry.holdings.sort_by_key(|h| h.holder);
            if entry.holdings.windows(2).any(|w| w[0].holder == w[1].holder) {
                return Err(invalid(format!("a holder of vault {} appears twice", entry.vault.id)));
            }
            let units: u128 = entry.holdings.iter().map(|h| u128::from(h.holding.units)).sum();
            if units != u128::from(SHARE_UNITS) || entry.holdings.iter().any(|h| h.holding.units == 0) {
                return Err(invalid(format!(
                    "vault {} holdings are not {SHARE_UNITS} positive units",
                    entry.vault.id
                )));
            }
            if entry.vault.holders != entry.holdings.len() as u64 {
                return Err(invalid(format!(
                    "vault {} counts {} holders",
                    entry.vault.id, entry.vault.holders
                )));
            }
        }
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &RevenueGenesis) {
    for entry in &genesis.vaults {
        state::put_vault(state, &entry.vault);
        for h in &entry.holdings {
            state::put_holding(state, &entry.vault.id, &h.holder, &h.holding);
        }
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<RevenueGenesis, StateError> {
    let mut vaults = Vec::new();
    for vault in state::vaults(state)? {
        let holdings = state::holdings(state, &vault.id)?
            .into_iter()
            .map(|(holder, holding)| HoldingGenesis { holder, holding })
            .collect();
        vaults.push(VaultGenesis { vault, holdings });
    }
    Ok(RevenueGenesis { vaults })
}
