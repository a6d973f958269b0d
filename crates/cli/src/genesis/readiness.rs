//! What a genesis needs besides being valid: someone in every role the chain cannot run without,
//! and no key whose secret is published.

use std::collections::BTreeMap;

use atelier_primitives::{Address, Amount, hd};
use atelier_protocol::Genesis;
use serde_json::Value;

/// Accounts of the published dev mnemonic looked for: far more than any dev chain funds.
const PUBLISHED_ACCOUNTS: u32 = 1_000;

/// The roles `genesis` leaves empty or too thin for the chain to work, one sentence each.
pub(crate) fn missing_roles(genesis: &Genesis) -> Vec<String> {
    let mut problems = Vec::new();
    if genesis.bank.params.stable_issuer == Address::default() {
        problems.push("stable_issuer: no account may mint or redeem USD".to_string());
    }
    let staking = &genesis.staking;
    let bonded: BTreeMap<Address, Amount> =
        staking.accounts.iter().map(|a| (a.address, a.checkpoint.standing.bonded)).collect();
    let proposers = staking
        .accounts
        .iter()
        .filter(|a| staking.params.tier(a.checkpoint.standing.reputation).is_some_and(|tier| tier.propose))
        .count();
    if proposers == 0 {
        let least = staking.params.tiers.iter().find(|tier| tier.propose).map(|tier| tier.min_reputation);
        problems.push(format!(
            "stakers: no staker has the reputation to propose ({}), so governance could never change anything",
            least.map_or("no tier may propose".to_string(), |min| format!("at least {min}"))
        ));
    }
    let oracle = &genesis.oracle;
    let staked_operators = oracle
        .operators
        .iter()
        .filter(|o| bonded.get(&o.address).is_some_and(|&stake| stake >= oracle.params.min_stake))
        .count();
    for feed in &oracle.params.feeds {
        if (staked_operators as u64) < u64::from(feed.quorum) {
            problems.push(format!(
                "oracle_operators: feed {} needs {} operators staking at least {}; genesis has {staked_operators}",
                feed.id.0, feed.quorum, oracle.params.min_stake
            ));
        }
    }
    let compliance = &genesis.compliance;
    if compliance.params.ethical_schema.is_some() && compliance.attesters.is_empty() {
        problems.push(
            "attesters: monetisation needs an ethical-sourcing attestation and nobody may attest".to_string(),
        );
    }
    if compliance.params.arbiters.is_empty() {
        problems.push("arbiters: nobody may decide a dispute".to_string());
    }
    problems
}

/// Where `genesis` names an account of the published dev mnemonic: `(devN, address)`.
pub(crate) fn published_keys(genesis: &Genesis) -> Vec<(String, Address)> {
    let published: BTreeMap<String, (u32, Address)> = hd::dev_keys(0..PUBLISHED_ACCOUNTS)
        .iter()
        .zip(0..)
        .map(|(key, index)| {
            let address = key.public_key().address();
            (address.to_string(), (index, address))
        })
        .collect();
    let mut found = BTreeMap::new();
    let value = serde_json::to_value(genesis).unwrap_or(Value::Null);
    visit_strings(&value, &mut |text| {
        if let Some(&(index, address)) = published.get(text) {
            found.insert(index, address);
        }
    });
    found.into_iter().map(|(index, address)| (format!("dev{index}"), address)).collect()
}

fn visit_strings(value: &Value, on_string: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => on_string(text),
        Value::Array(items) => items.iter().for_each(|item| visit_strings(item, on_string)),
        Value::Object(fields) => fields.values().for_each(|field| visit_strings(field, on_string)),
        _ => {}
    }
}
