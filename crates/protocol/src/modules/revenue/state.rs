//! Revenue state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `revenue/vault/{kind:1}{id:8 BE}` | [`Vault`] (kind 0 a model, 1 an asset) |
//! | `revenue/holding/{kind:1}{id:8 BE}{address:20}` | [`Holding`], absent at zero units |
//!
//! Every vault's unclaimed revenue is held by the revenue module's account ([`account`]).
//!
//! An asset's vault has no record until it is first paid or its units move: until then it holds
//! nothing and its one holder is the asset's creator, so [`vault`], [`holding`] and [`holdings`]
//! answer from the asset, and the paths that write a vault first write that state down. Most
//! outputs never earn; each would otherwise add two entries to the state.

use std::fmt;

use atelier_primitives::{Address, Amount, Decode, Denom, Encode, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{RevenueError, RevenueEvent};
use crate::{
    event::Event,
    modules::{
        Failure,
        accrual::{self, Accrual},
        bank,
        provenance::{self, AssetId},
        registry::ModelId,
        rule, staking,
    },
    store::{key, read, write},
};

pub(crate) const VAULT: &[u8] = b"revenue/vault/";
pub(crate) const HOLDING: &[u8] = b"revenue/holding/";

/// Share units of every vault: 100% is 100 000 000 units.
pub const SHARE_UNITS: u64 = 100_000_000;

/// The revenue module's account: every vault's unclaimed revenue.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("revenue"));

/// Whose revenue a vault collects.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Encode, Decode, Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum VaultId {
    /// A model's: its fine-tuner fees.
    Model(ModelId),
    /// An asset's: its share of every descendant's sales and licenses.
    Asset(AssetId),
}

impl fmt::Display for VaultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaultId::Model(id) => write!(f, "model/{id}"),
            VaultId::Asset(id) => write!(f, "asset/{id}"),
        }
    }
}

impl std::str::FromStr for VaultId {
    type Err = String;

    /// `model/ID` or `asset/ID`, as displayed.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("{text:?} is not a vault: expected model/ID or asset/ID");
        let (kind, id) = text.split_once('/').ok_or_else(invalid)?;
        let id: u64 = id.parse().map_err(|_| invalid())?;
        match kind {
            "model" => Ok(VaultId::Model(ModelId(id))),
            "asset" => Ok(VaultId::Asset(AssetId(id))),
            _ => Err(invalid()),
        }
    }
}

impl VaultId {
    fn key_part(&self) -> [u8; 9] {
        let (kind, id) = match self {
            VaultId::Model(id) => (0u8, id.0),
            VaultId::Asset(id) => (1u8, id.0),
        };
        let mut part = [0u8; 9];
        part[0] = kind;
        part[1..].copy_from_slice(&id.to_be_bytes());
        part
    }
}

/// A royalty vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Vault {
    /// Its id.
    pub id: VaultId,
    /// Whose work it rewards (the model's owner, the asset's creator): whatever the holders, the
    /// revenue counts toward this account's reputation.
    pub creator: Address,
    /// Revenue in `ugdc`.
    pub gdc: Accrual,
    /// Revenue in `uusd`.
    pub usd: Accrual,
    /// Accounts holding units.
    pub holders: u64,
}

impl Vault {
    fn accrual(&mut self, denom: &Denom) -> Result<&mut Accrual, RevenueError> {
        accrual::of(&mut self.gdc, &mut self.usd, denom).ok_or(RevenueError::UnknownDenom { denom: *denom })
    }
}

/// An account's units of a vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// Share units.
    pub units: u64,
    /// The `ugdc` accumulator when its earnings were last paid.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub settled_gdc: u128,
    /// The `uusd` accumulator when its earnings were last paid.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub settled_usd: u128,
}

impl Holding {
    /// What it earned in each denomination and not yet claimed: `(ugdc, uusd)`.
    pub fn earned(&self, vault: &Vault) -> Result<(Amount, Amount), atelier_primitives::ArithmeticError> {
        let units = u128::from(self.units);
        Ok((vault.gdc.earned(units, self.settled_gdc)?, vault.usd.earned(units, self.settled_usd)?))
    }
}

type RevenueResult<T> = Result<T, Failure<RevenueError>>;

fn vault_key(id: &VaultId) -> Vec<u8> {
    key(VAULT, &[&id.key_part()])
}

fn holding_key(id: &VaultId, holder: &Address) -> Vec<u8> {
    key(HOLDING, &[&id.key_part(), holder.as_bytes()])
}

/// The vault `id`, recorded or unopened.
pub(crate) fn vault(state: &(impl StateRead + ?Sized), id: &VaultId) -> Result<Option<Vault>, StateError> {
    match read(state, &vault_key(id))? {
        Some(vault) => Ok(Some(vault)),
        None => unopened(state, id),
    }
}

/// The vault of an asset that has no record: nothing paid in, every unit with its creator.
fn unopened(state: &(impl StateRead + ?Sized), id: &VaultId) -> Result<Option<Vault>, StateError> {
    let VaultId::Asset(asset) = id else { return Ok(None) };
    Ok(provenance::asset(state, *asset)?.map(|asset| fresh(*id, asset.creator)))
}

fn fresh(id: VaultId, creator: Address) -> Vault {
    Vault { id, creator, gdc: Accrual::default(), usd: Accrual::default(), holders: 1 }
}

const WHOLE: Holding = Holding { units: SHARE_UNITS, settled_gdc: 0, settled_usd: 0 };

/// The vault `id` for a change: an unopened one is recorded first, with its creator's holding.
pub(crate) fn vault_to_change(
    state: &mut impl StateWrite,
    id: &VaultId,
) -> Result<Option<Vault>, StateError> {
    if let Some(vault) = read(state, &vault_key(id))? {
        return Ok(Some(vault));
    }
    let vault = unopened(state, id)?;
    if let Some(vault) = &vault {
        put_vault(state, vault);
        put_holding(state, id, &vault.creator, &WHOLE);
    }
    Ok(vault)
}

pub(crate) fn put_vault(state: &mut impl StateWrite, vault: &Vault) {
    write(state, vault_key(&vault.id), vault);
}

pub(crate) fn holding(
    state: &(impl StateRead + ?Sized),
    id: &VaultId,
    holder: &Address,
) -> Result<Option<Holding>, StateError> {
    if let Some(holding) = read(state, &holding_key(id, holder))? {
        return Ok(Some(holding));
    }
    Ok(unopened_creator(state, id)?.filter(|creator| creator == holder).map(|_| WHOLE))
}

/// The creator of `id` if it is an unopened vault: its one holder.
fn unopened_creator(state: &(impl StateRead + ?Sized), id: &VaultId) -> Result<Option<Address>, StateError> {
    if state.get(&vault_key(id))?.is_some() {
        return Ok(None);
    }
    Ok(unopened(state, id)?.map(|vault| vault.creator))
}

pub(crate) fn put_holding(state: &mut impl StateWrite, id: &VaultId, holder: &Address, holding: &Holding) {
    if holding.units == 0 {
        state.delete(holding_key(id, holder));
    } else {
        write(state, holding_key(id, holder), holding);
    }
}

/// Every recorded vault (unopened ones hold nothing). O(vaults): export, invariants.
pub(crate) fn vaults(state: &(impl StateRead + ?Sized)) -> Result<Vec<Vault>, StateError> {
    Ok(crate::store::scan(state, VAULT)?.into_iter().map(|(_, v)| v).collect())
}

/// Every holding of `id`, by holder. O(holders): export, invariants, queries.
pub(crate) fn holdings(
    state: &(impl StateRead + ?Sized),
    id: &VaultId,
) -> Result<Vec<(Address, Holding)>, StateError> {
    if let Some(creator) = unopened_creator(state, id)? {
        return Ok(vec![(creator, WHOLE)]);
    }
    let prefix = key(HOLDING, &[&id.key_part()]);
    crate::store::scan::<Holding>(state, &prefix)?
        .into_iter()
        .map(|(key, holding)| Ok((holder_of(&prefix, &key)?, holding)))
        .collect()
}

/// A page of `id`'s holdings by holder: holders after `after`, at most `limit`. Reads only the
/// page.
pub(crate) fn holdings_page(
    state: &(impl StateRead + ?Sized),
    id: &VaultId,
    after: Option<&Address>,
    limit: usize,
) -> Result<Vec<(Address, Holding)>, StateError> {
    if let Some(creator) = unopened_creator(state, id)? {
        let before_it = after.is_none_or(|after| *after < creator);
        return Ok(if before_it && limit > 0 { vec![(creator, WHOLE)] } else { Vec::new() });
    }
    let prefix = key(HOLDING, &[&id.key_part()]);
    let start = match after {
        Some(after) => atelier_state::key_after(&key(&prefix, &[after.as_bytes()])),
        None => prefix.clone(),
    };
    state
        .scan_from(&prefix, &start, limit)?
        .into_iter()
        .map(|(key, bytes)| {
            let holding = Holding::from_bytes(&bytes).map_err(|e| StateError::corrupt(&key, e))?;
            Ok((holder_of(&prefix, &key)?, holding))
        })
        .collect()
}

/// The holder a holding's key names after its vault's prefix.
fn holder_of(prefix: &[u8], key: &[u8]) -> Result<Address, StateError> {
    key.get(prefix.len()..)
        .and_then(|bytes| <[u8; 20]>::try_from(bytes).ok())
        .map(Address)
        .ok_or_else(|| StateError::corrupt(key, "holding key is not an address after its prefix"))
}

/// Opens `id`'s vault with every unit held by `owner`. A vault opens once: the caller mints or
/// registers what it belongs to. A model's vault is recorded now; an asset's, minted by `owner`,
/// stays unopened until it is first changed.
pub(crate) fn open(state: &mut impl StateWrite, events: &mut Vec<Event>, id: VaultId, owner: &Address) {
    if let VaultId::Model(_) = id {
        put_vault(state, &fresh(id, *owner));
        put_holding(state, &id, owner, &WHOLE);
    }
    events.push(Event::Revenue(RevenueEvent::VaultOpened { vault: id, owner: *owner }));
}

/// Pays `amount` of `denom` from `payer` into `id`'s vault: O(1), whatever the number of holders.
/// The work it pays for is the vault's creator's, whose reputation counts it as paid by
/// `origin.payer`.
pub(crate) fn pay_into(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    payer: &Address,
    origin: &staking::Origin,
    id: VaultId,
    denom: &Denom,
    amount: Amount,
) -> RevenueResult<()> {
    if amount.is_zero() {
        return Ok(());
    }
    let Some(mut vault) = vault_to_change(state, &id)? else {
        return rule(RevenueError::UnknownVault { vault: id });
    };
    vault
        .accrual(denom)
        .map_err(Failure::Rule)?
        .pay(amount, u128::from(SHARE_UNITS))
        .map_err(|_| Failure::Rule(RevenueError::Overflow))?;
    bank::send(state, events, payer, &account(), denom, amount)
        .map_err(|f| f.map_rule(RevenueError::Bank))?;
    // Point of no return.
    put_vault(state, &vault);
    events.push(Event::Revenue(RevenueEvent::RevenuePaid { vault: id, denom: *denom, amount }));
    staking::credit(state, origin, &vault.creator, denom, amount)?;
    Ok(())
}

/// Pays `holder` what its holding earned (in both denominations) and marks it settled; writes
/// the holding and the vault. Returns the amounts paid.
pub(crate) fn settle_holding(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    vault: &mut Vault,
    holder: &Address,
    holding: &mut Holding,
) -> RevenueResult<(Amount, Amount)> {
    let (gdc, usd) = holding.earned(vault).map_err(|_| Failure::Rule(RevenueError::Overflow))?;
    for (denom, amount) in [(Denom::GDC, gdc), (Denom::USD, usd)] {
        if amount.is_zero() {
            continue;
        }
        vault
            .accrual(&denom)
            .map_err(Failure::Rule)?
            .record_claim(amount)
            .map_err(|_| Failure::Rule(RevenueError::Overflow))?;
        bank::send(state, events, &account(), holder, &denom, amount)
            .map_err(|f| f.map_rule(RevenueError::Bank))?;
        events.push(Event::Revenue(RevenueEvent::RevenueClaimed {
            vault: vault.id,
            holder: *holder,
            denom,
            amount,
        }));
    }
    holding.settled_gdc = vault.gdc.acc_per_unit;
    holding.settled_usd = vault.usd.acc_per_unit;
    Ok((gdc, usd))
}

/// Moves `units` of `id` from `sender` to `to`, paying both sides what they earned first, so
/// revenue follows the units held when it arrived.
pub(crate) fn transfer_shares(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    id: VaultId,
    sender: &Address,
    to: &Address,
    units: u64,
) -> RevenueResult<()> {
    let Some(mut vault) = vault_to_change(state, &id)? else {
        return rule(RevenueError::UnknownVault { vault: id });
    };
    if sender == to {
        return rule(RevenueError::SelfTransfer);
    }
    let mut from_holding =
        holding(state, &id, sender)?.unwrap_or(Holding { units: 0, settled_gdc: 0, settled_usd: 0 });
    if units == 0 || from_holding.units < units {
        return rule(RevenueError::InsufficientShares {
            vault: id,
            holder: *sender,
            held: from_holding.units,
            units,
        });
    }
    let mut to_holding = holding(state, &id, to)?;
    let was_holder = to_holding.is_some();
    let mut to_holding = to_holding.take().unwrap_or(Holding {
        units: 0,
        settled_gdc: vault.gdc.acc_per_unit,
        settled_usd: vault.usd.acc_per_unit,
    });
    // Both sides are paid what they earned so far: revenue follows the units held when it came.
    settle_holding(state, events, &mut vault, sender, &mut from_holding)?;
    settle_holding(state, events, &mut vault, to, &mut to_holding)?;
    from_holding.units -= units;
    to_holding.units = to_holding.units.checked_add(units).ok_or(Failure::Rule(RevenueError::Overflow))?;
    if !was_holder {
        vault.holders += 1;
    }
    if from_holding.units == 0 {
        vault.holders = vault.holders.saturating_sub(1);
    }
    put_holding(state, &id, sender, &from_holding);
    put_holding(state, &id, to, &to_holding);
    put_vault(state, &vault);
    events.push(Event::Revenue(RevenueEvent::SharesTransferred { vault: id, from: *sender, to: *to, units }));
    Ok(())
}
