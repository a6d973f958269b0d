//! Read-only views of revenue state.

use atelier_primitives::{Address, Amount};
use atelier_state::{StateError, StateRead};
use serde::{Deserialize, Serialize};

use super::{Vault, VaultId, state};

/// A vault, if open.
pub fn vault(state: &impl StateRead, id: &VaultId) -> Result<Option<Vault>, StateError> {
    state::vault(state, id)
}

/// A holder's units of a vault and what it can claim now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VaultPosition))]
pub struct Position {
    /// Share units held.
    pub units: u64,
    /// Claimable `ugdc`.
    pub claimable_gdc: Amount,
    /// Claimable `uusd`.
    pub claimable_usd: Amount,
}

/// `holder`'s position in `id`, if it holds units.
pub fn position(
    state: &impl StateRead,
    id: &VaultId,
    holder: &Address,
) -> Result<Option<Position>, StateError> {
    let Some(vault) = state::vault(state, id)? else { return Ok(None) };
    let Some(holding) = state::holding(state, id, holder)? else { return Ok(None) };
    let (claimable_gdc, claimable_usd) =
        holding.earned(&vault).map_err(|_| StateError::corrupt(b"revenue/holding", "earnings overflow"))?;
    Ok(Some(Position { units: holding.units, claimable_gdc, claimable_usd }))
}

/// A page of `id`'s holders with their positions, by address: holders after `after`, at most
/// `limit`; `None` when there is no such vault. Reads only the page.
pub fn holders(
    state: &impl StateRead,
    id: &VaultId,
    after: Option<&Address>,
    limit: usize,
) -> Result<Option<Vec<(Address, Position)>>, StateError> {
    let Some(vault) = state::vault(state, id)? else { return Ok(None) };
    let page = state::holdings_page(state, id, after, limit)?;
    page.into_iter()
        .map(|(holder, holding)| {
            let (claimable_gdc, claimable_usd) = holding
                .earned(&vault)
                .map_err(|_| StateError::corrupt(b"revenue/holding", "earnings overflow"))?;
            Ok((holder, Position { units: holding.units, claimable_gdc, claimable_usd }))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// What `id`'s holders are owed in all per denomination, `(ugdc, uusd)`. O(holders).
pub fn owed(state: &impl StateRead, id: &VaultId) -> Result<Option<(Amount, Amount)>, StateError> {
    let Some(vault) = state::vault(state, id)? else { return Ok(None) };
    let mut owed = (Amount::ZERO, Amount::ZERO);
    for (_, holding) in state::holdings(state, id)? {
        let (gdc, usd) = holding
            .earned(&vault)
            .map_err(|_| StateError::corrupt(b"revenue/holding", "earnings overflow"))?;
        owed = (owed.0.saturating_add(gdc), owed.1.saturating_add(usd));
    }
    Ok(Some(owed))
}
