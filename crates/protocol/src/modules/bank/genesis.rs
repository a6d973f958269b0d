//! Bank genesis: params, balances and burned totals. Minted totals are derived.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, Decode, Denom};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{BankParams, DENOMS, state};
use crate::{genesis::GenesisError, store};

/// An amount of one denomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coin {
    /// The denomination.
    pub denom: Denom,
    /// How much.
    pub amount: Amount,
}

/// The balances of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountBalances {
    /// The account.
    pub address: Address,
    /// Its holdings, one per denomination.
    pub coins: Vec<Coin>,
}

/// The bank's part of genesis. Its default has no balances and names no stablecoin issuer (the
/// zero address, which no key controls); a genesis file must give the section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BankGenesis {
    /// Parameters.
    pub params: BankParams,
    /// Balances; zero coins are dropped, accounts are sorted by address.
    pub balances: Vec<AccountBalances>,
    /// Supply burned before this genesis (non-zero only when re-starting from an export).
    #[serde(default)]
    pub burned: Vec<Coin>,
}

impl BankGenesis {
    /// Checks the section and puts it in canonical order (accounts by address, coins by denom, no
    /// zero coins, no empty accounts).
    pub fn normalize(mut self) -> Result<Self, GenesisError> {
        let mut seen = std::collections::BTreeSet::new();
        for account in &mut self.balances {
            if !seen.insert(account.address) {
                return Err(GenesisError::DuplicateAccount { address: account.address });
            }
            normalize_coins(&mut account.coins, Some(account.address))?;
        }
        self.balances.retain(|a| !a.coins.is_empty());
        self.balances.sort_by_key(|a| a.address);
        normalize_coins(&mut self.burned, None)?;
        self.minted()?;
        Ok(self)
    }

    /// Total minted per denom: all balances plus everything burned.
    fn minted(&self) -> Result<BTreeMap<Denom, Amount>, GenesisError> {
        let mut minted = BTreeMap::new();
        let coins = self.balances.iter().flat_map(|a| &a.coins).chain(&self.burned);
        for coin in coins {
            let total: &mut Amount = minted.entry(coin.denom).or_default();
            *total = total
                .checked_add(coin.amount)
                .map_err(|_| GenesisError::SupplyOverflow { denom: coin.denom })?;
        }
        Ok(minted)
    }
}

fn normalize_coins(coins: &mut Vec<Coin>, owner: Option<Address>) -> Result<(), GenesisError> {
    coins.retain(|c| !c.amount.is_zero());
    coins.sort_by_key(|c| c.denom);
    for pair in coins.windows(2) {
        if pair[0].denom == pair[1].denom {
            return Err(GenesisError::DuplicateDenom { address: owner, denom: pair[0].denom });
        }
    }
    match coins.iter().find(|c| !DENOMS.contains(&c.denom)) {
        Some(coin) => Err(GenesisError::UnknownDenom { denom: coin.denom }),
        None => Ok(()),
    }
}

/// Writes a normalized section into empty state.
pub(crate) fn init(state: &mut impl StateWrite, genesis: &BankGenesis) -> Result<(), GenesisError> {
    store::write(state, state::PARAMS.to_vec(), &genesis.params);
    for account in &genesis.balances {
        for coin in &account.coins {
            state::init_balance(state, &account.address, &coin.denom, coin.amount);
        }
    }
    let burned: BTreeMap<Denom, Amount> = genesis.burned.iter().map(|c| (c.denom, c.amount)).collect();
    for (denom, minted) in genesis.minted()? {
        state::init_supply(state, &denom, minted, burned.get(&denom).copied().unwrap_or_default());
    }
    Ok(())
}

/// Reads the section back from state, in canonical order.
pub(crate) fn export(state: &impl StateRead) -> Result<BankGenesis, StateError> {
    let mut balances: Vec<AccountBalances> = Vec::new();
    for (key, amount) in store::scan::<Amount>(state, state::BALANCE)? {
        let rest = &key[state::BALANCE.len()..];
        let (address, denom) =
            rest.split_at_checked(20).ok_or_else(|| StateError::corrupt(&key, "short balance key"))?;
        let address = Address::from_bytes(address).map_err(|e| StateError::corrupt(&key, e))?;
        let denom = Denom::parse_bytes(denom).ok_or_else(|| StateError::corrupt(&key, "bad denom"))?;
        match balances.last_mut() {
            Some(last) if last.address == address => last.coins.push(Coin { denom, amount }),
            _ => balances.push(AccountBalances { address, coins: vec![Coin { denom, amount }] }),
        }
    }
    let mut burned = Vec::new();
    for denom in DENOMS {
        let amount = state::burned(state, &denom)?;
        if !amount.is_zero() {
            burned.push(Coin { denom, amount });
        }
    }
    burned.sort_by_key(|c| c.denom);
    Ok(BankGenesis { params: state::params(state)?, balances, burned })
}
