//! The development chain: accounts from the published dev mnemonic, and the start-up banner.

use std::{net::SocketAddr, path::Path, time::SystemTime};

use anyhow::Result;
use atelier_node::Node;
use atelier_primitives::{Amount, Denom, hash::hex_encode, hd};
use atelier_protocol::{
    Genesis,
    modules::{
        auth::AuthGenesis,
        bank::{AccountBalances, BankGenesis, BankParams, Coin},
        fees::FeesGenesis,
    },
};
use serde::Serialize;

/// Dev accounts funded by default.
pub(crate) const DEV_ACCOUNTS: u32 = 10;
/// The dev chain's id.
pub(crate) const DEV_CHAIN_ID: &str = "atelier-dev";
/// Each dev account's native balance: 1 000 000 GDC.
const DEV_BALANCE: Amount = Amount::new(1_000_000 * 1_000_000);
/// Each dev account's stablecoin balance: 1 000 000 USD.
const DEV_STABLE: Amount = Amount::new(1_000_000 * 1_000_000);

/// A genesis funding `accounts` dev accounts; dev account 0 is the stablecoin issuer.
pub(crate) fn genesis(chain_id: &str, accounts: u32) -> Result<Genesis> {
    let now_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let balances = hd::dev_keys(0..accounts)
        .iter()
        .map(|key| AccountBalances {
            address: key.public_key().address(),
            coins: vec![
                Coin { denom: Denom::GDC, amount: DEV_BALANCE },
                Coin { denom: Denom::USD, amount: DEV_STABLE },
            ],
        })
        .collect();
    Ok(Genesis {
        chain_id: chain_id.parse().map_err(|e| anyhow::anyhow!("{e}"))?,
        genesis_time_ms: now_ms,
        initial_height: atelier_primitives::Height(1),
        auth: AuthGenesis::default(),
        bank: BankGenesis {
            params: BankParams { stable_issuer: hd::dev_key(0).public_key().address() },
            balances,
            burned: Vec::new(),
        },
        fees: FeesGenesis::default(),
        registry: atelier_protocol::modules::registry::RegistryGenesis::default(),
        compute: atelier_protocol::modules::compute::ComputeGenesis::default(),
        provenance: atelier_protocol::modules::provenance::ProvenanceGenesis::default(),
        revenue: atelier_protocol::modules::revenue::RevenueGenesis::default(),
        market: atelier_protocol::modules::market::MarketGenesis::default(),
        staking: atelier_protocol::modules::staking::StakingGenesis::default(),
        governance: atelier_protocol::modules::governance::GovernanceGenesis::default(),
        clusters: atelier_protocol::modules::clusters::ClustersGenesis::default(),
    })
}

#[derive(Debug, Serialize)]
struct DevAccount {
    name: String,
    address: String,
    /// The ed25519 secret seed, hex: dev chains only.
    secret_key: String,
    path: String,
}

/// What the node prints when it starts.
#[derive(Debug, Serialize)]
pub(crate) struct Banner {
    chain_id: String,
    api_url: String,
    height: u64,
    home: String,
    ephemeral: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    mnemonic: Option<&'static str>,
    accounts: Vec<DevAccount>,
}

impl Banner {
    pub(crate) fn new(
        node: &Node,
        api: SocketAddr,
        home: &Path,
        ephemeral: bool,
        dev_accounts: Option<u32>,
    ) -> Banner {
        let head = node.head();
        let accounts = hd::dev_keys(0..dev_accounts.unwrap_or(0))
            .iter()
            .zip(0u32..)
            .map(|(key, i)| DevAccount {
                name: format!("dev{i}"),
                address: key.public_key().address().to_string(),
                secret_key: hex_encode(&key.to_seed()),
                path: hd::account_path(i),
            })
            .collect();
        Banner {
            chain_id: head.chain_id.to_string(),
            api_url: format!("http://{api}"),
            height: head.height.get(),
            home: home.display().to_string(),
            ephemeral,
            mnemonic: dev_accounts.map(|_| hd::DEV_MNEMONIC),
            accounts,
        }
    }

    pub(crate) fn text(&self) -> String {
        let mut out = String::from("\nAtelier node\n============\n");
        out.push_str(&format!(
            "chain id   {}\napi        {}\nheight     {}\n",
            self.chain_id, self.api_url, self.height
        ));
        let kept = if self.ephemeral { " (temporary: deleted on exit; use --home to keep)" } else { "" };
        out.push_str(&format!("data       {}{kept}\n", self.home));
        if let Some(mnemonic) = self.mnemonic {
            out.push_str(&format!(
                "\nDev accounts (each 1 000 000 GDC and 1 000 000 USD), mnemonic:\n  {mnemonic}\n\n"
            ));
            for account in &self.accounts {
                out.push_str(&format!("  {:<6} {}  {}\n", account.name, account.address, account.path));
            }
            out.push_str(
                "\nSecret keys: `atelier node --dev --output json`. Never use these keys for value.\n",
            );
        }
        out
    }
}
