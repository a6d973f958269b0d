//! The genesis a person writes ([`GenesisSpec`], TOML or JSON) and the chain's [`Genesis`] built
//! from it. `genesis.example.toml` documents every field.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use atelier_primitives::{Address, Amount, CoinText, Denom, Height, PublicKey};
use atelier_protocol::{
    Genesis,
    modules::{
        amm::{self, Pool, genesis::LpHolding},
        bank::{AccountBalances, Coin},
        compliance::{FieldName, Schema, SchemaId},
        oracle::Operator,
        staking::{self, Candidate, Checkpoint, Standing, genesis::StakerGenesis},
        treasury,
    },
    tx::ChainId,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A chain's first state as a person writes it: who holds what and who plays which role; every
/// module's params keep their defaults unless `[params.<module>]` says otherwise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenesisSpec {
    pub(crate) chain_id: ChainId,
    /// Milliseconds since the Unix epoch; every node of the chain starts from the same value.
    pub(crate) genesis_time_ms: u64,
    /// The one account that may mint and burn USD.
    pub(crate) stable_issuer: Address,
    /// Accounts of the published dev mnemonic may appear (development and test chains only).
    #[serde(default)]
    pub(crate) allow_published_keys: bool,
    #[serde(default)]
    pub(crate) accounts: Vec<AccountSpec>,
    /// The treasury's own balances.
    #[serde(default)]
    pub(crate) treasury: Vec<CoinText>,
    /// The GDC/USD pool, its liquidity the treasury's.
    #[serde(default)]
    pub(crate) pool: Option<PoolSpec>,
    #[serde(default)]
    pub(crate) stakers: Vec<StakerSpec>,
    /// The first epoch's validators (stakers registered as candidates); none for a single node.
    #[serde(default)]
    pub(crate) validators: Vec<ValidatorSpec>,
    #[serde(default)]
    pub(crate) oracle_operators: Vec<Address>,
    #[serde(default)]
    pub(crate) attesters: Vec<Address>,
    #[serde(default)]
    pub(crate) arbiters: Vec<Address>,
    /// Attestation schemas, numbered from 1 in this order.
    #[serde(default)]
    pub(crate) schemas: Vec<SchemaSpec>,
    /// Per module, the params that differ from the defaults.
    #[serde(default)]
    pub(crate) params: BTreeMap<String, Value>,
}

/// An account and what it holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountSpec {
    pub(crate) address: Address,
    pub(crate) balances: Vec<CoinText>,
}

/// The pool's two reserves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PoolSpec {
    pub(crate) gdc: CoinText,
    pub(crate) usd: CoinText,
}

/// A staked account (its stake is bonded at genesis, on top of its balances).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StakerSpec {
    pub(crate) address: Address,
    pub(crate) stake: CoinText,
    /// Its starting reputation (the staking tiers say what it may do).
    #[serde(default)]
    pub(crate) reputation: u64,
}

/// A validator of the first epoch: a staked account registered as a candidate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidatorSpec {
    /// Its operator: a staker, whose stake and reputation make its weight.
    pub(crate) operator: Address,
    /// The ed25519 key it signs consensus votes with, 64 hex digits.
    pub(crate) consensus_key: PublicKey,
    /// Where its peers reach it, `host:port`.
    pub(crate) p2p_addr: String,
}

/// An attestation schema.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SchemaSpec {
    pub(crate) name: String,
    pub(crate) fields: Vec<String>,
    #[serde(default)]
    pub(crate) revocable: bool,
}

impl GenesisSpec {
    /// A spec for `chain_id` at `genesis_time_ms` with nothing in it yet.
    pub(crate) fn new(chain_id: ChainId, genesis_time_ms: u64, stable_issuer: Address) -> GenesisSpec {
        GenesisSpec {
            chain_id,
            genesis_time_ms,
            stable_issuer,
            allow_published_keys: false,
            accounts: Vec::new(),
            treasury: Vec::new(),
            pool: None,
            stakers: Vec::new(),
            validators: Vec::new(),
            oracle_operators: Vec::new(),
            attesters: Vec::new(),
            arbiters: Vec::new(),
            schemas: Vec::new(),
            params: BTreeMap::new(),
        }
    }

    /// Reads a spec from TOML, or JSON when `text` starts with `{`.
    pub(crate) fn parse(text: &str) -> Result<GenesisSpec> {
        if text.trim_start().starts_with('{') {
            Ok(serde_json::from_str(text)?)
        } else {
            Ok(toml::from_str(text)?)
        }
    }

    /// The chain's genesis. Checks what the spec alone can tell (units, the pool, params that do
    /// not exist); the chain's own rules are checked by initializing it.
    pub(crate) fn build(&self) -> Result<Genesis> {
        if self.params.contains_key("bank") {
            bail!("params.bank: the bank's one param is the top-level stable_issuer");
        }
        let mut balances: Vec<AccountBalances> = self
            .accounts
            .iter()
            .map(|account| AccountBalances { address: account.address, coins: coins(&account.balances) })
            .collect();
        let mut genesis = Genesis::new(self.chain_id.clone(), self.genesis_time_ms);
        genesis.bank.params.stable_issuer = self.stable_issuer;
        let mut treasury_coins = coins(&self.treasury);
        if let Some(pool) = &self.pool {
            let (gdc, usd) =
                (in_denom("pool.gdc", pool.gdc, Denom::GDC)?, in_denom("pool.usd", pool.usd, Denom::USD)?);
            let supply = amm::math::sqrt_product(gdc.get(), usd.get());
            if supply <= amm::math::MINIMUM_LIQUIDITY {
                bail!("pool: {} and {} make too little liquidity to open a pool", pool.gdc, pool.usd);
            }
            genesis.amm.pool =
                Pool { reserve_gdc: gdc, reserve_usd: usd, lp_supply: supply, ..Pool::default() };
            genesis.amm.holdings =
                vec![LpHolding { holder: treasury::account(), units: supply - amm::math::MINIMUM_LIQUIDITY }];
            balances.push(AccountBalances { address: amm::account(), coins: coins(&[pool.gdc, pool.usd]) });
        }
        let mut bonded = Amount::ZERO;
        for staker in &self.stakers {
            let stake = in_denom("stakers.stake", staker.stake, Denom::GDC)?;
            bonded = bonded.checked_add(stake).context("the stakers' stake overflows")?;
            genesis.staking.accounts.push(StakerGenesis {
                address: staker.address,
                checkpoint: Checkpoint {
                    from_height: Height(0),
                    standing: Standing {
                        reputation: u128::from(staker.reputation),
                        bonded: stake,
                        floor: stake,
                        ..Standing::default()
                    },
                },
            });
        }
        genesis.staking.candidates = self
            .validators
            .iter()
            .map(|v| Candidate {
                operator: v.operator,
                consensus_key: v.consensus_key,
                p2p_addr: v.p2p_addr.clone(),
                min_self_stake: Amount::ZERO,
            })
            .collect();
        if !bonded.is_zero() {
            balances.push(AccountBalances {
                address: staking::account(),
                coins: vec![Coin { denom: Denom::GDC, amount: bonded }],
            });
        }
        if !treasury_coins.is_empty() {
            treasury_coins.sort_by_key(|coin| coin.denom);
            balances.push(AccountBalances { address: treasury::account(), coins: treasury_coins });
        }
        genesis.bank.balances = balances;
        genesis.oracle.operators = self
            .oracle_operators
            .iter()
            .map(|&address| Operator { address, since: Height(0), observations: 0, outliers: 0 })
            .collect();
        genesis.compliance.attesters = self.attesters.clone();
        genesis.compliance.schemas = self
            .schemas
            .iter()
            .zip(1..)
            .map(|(schema, id)| Schema {
                id: SchemaId(id),
                name: schema.name.clone(),
                fields: schema.fields.iter().map(|field| FieldName(field.clone())).collect(),
                revocable: schema.revocable,
            })
            .collect();
        genesis.compliance.next_ids[0] = self.schemas.len() as u64 + 1;
        let mut genesis = with_params(genesis, &self.params)?;
        if !self.arbiters.is_empty() {
            if !genesis.compliance.params.arbiters.is_empty() {
                bail!(
                    "arbiters are named twice: keep the top-level `arbiters` and drop params.compliance.arbiters"
                );
            }
            genesis.compliance.params.arbiters = self.arbiters.clone();
        }
        Ok(genesis)
    }
}

fn coins(list: &[CoinText]) -> Vec<Coin> {
    list.iter().map(|coin| Coin { denom: coin.denom, amount: coin.amount }).collect()
}

fn in_denom(field: &str, coin: CoinText, denom: Denom) -> Result<Amount> {
    if coin.denom != denom {
        bail!("{field}: {coin} is not in {denom}");
    }
    Ok(coin.amount)
}

/// `genesis` with each module's params overlaid by `params[module]`, a table of the fields that
/// differ. Amounts may be written with a unit (`"1000GDC"`).
fn with_params(genesis: Genesis, params: &BTreeMap<String, Value>) -> Result<Genesis> {
    let mut value = serde_json::to_value(&genesis)?;
    for (module, overlay) in params {
        let Some(current) = value.get_mut(module).and_then(|section| section.get_mut("params")) else {
            let known = governed_modules(&value);
            bail!("params.{module}: no module named {module:?} has params (modules: {})", known.join(", "));
        };
        merge(current, overlay, &format!("params.{module}"))?;
        // Read back module by module, so that a wrong type is reported where it is.
        serde_json::from_value::<Genesis>(value.clone()).with_context(|| format!("params.{module}"))?;
    }
    Ok(serde_json::from_value(value)?)
}

fn governed_modules(genesis: &Value) -> Vec<String> {
    let sections = genesis.as_object().into_iter().flatten();
    sections.filter(|(_, section)| section.get("params").is_some()).map(|(name, _)| name.clone()).collect()
}

fn merge(current: &mut Value, overlay: &Value, path: &str) -> Result<()> {
    match (current, overlay) {
        (Value::Object(fields), Value::Object(given)) => {
            for (key, value) in given {
                let Some(field) = fields.get_mut(key) else {
                    let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                    bail!("{path}.{key}: no such parameter (parameters: {})", known.join(", "));
                };
                merge(field, value, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (current @ Value::String(_), Value::String(text)) => {
            // An amount with its unit becomes base units, which is how params hold amounts.
            *current = match text.parse::<CoinText>() {
                Ok(coin) => Value::String(coin.amount.to_string()),
                Err(_) => Value::String(text.clone()),
            };
            Ok(())
        }
        (current, value) => {
            *current = value.clone();
            Ok(())
        }
    }
}
