//! A builder for test genesis files.

use atelier_primitives::{Address, Amount, Denom};
use atelier_protocol::{
    Genesis,
    modules::{
        auth::AuthGenesis,
        bank::{AccountBalances, BankGenesis, BankParams, Coin},
        fees::FeesGenesis,
    },
};

use crate::keys::dev_address;

/// The chain id of test chains.
pub const TEST_CHAIN_ID: &str = "atelier-test";
/// Genesis time of test chains: 2026-01-01T00:00:00Z.
pub const TEST_GENESIS_TIME_MS: u64 = 1_767_225_600_000;

/// Builds a [`Genesis`] with sensible test defaults: chain `atelier-test`, default fee params,
/// stablecoin issuer = test key 0.
#[derive(Debug, Clone)]
pub struct GenesisBuilder {
    genesis: Genesis,
}

impl Default for GenesisBuilder {
    fn default() -> Self {
        GenesisBuilder {
            genesis: Genesis {
                chain_id: TEST_CHAIN_ID.parse().expect("valid chain id"),
                genesis_time_ms: TEST_GENESIS_TIME_MS,
                initial_height: atelier_primitives::Height(1),
                auth: AuthGenesis::default(),
                bank: BankGenesis {
                    params: BankParams { stable_issuer: dev_address(0) },
                    balances: Vec::new(),
                    burned: Vec::new(),
                },
                fees: FeesGenesis::default(),
                registry: atelier_protocol::modules::registry::RegistryGenesis::default(),
                compute: atelier_protocol::modules::compute::ComputeGenesis::default(),
                provenance: atelier_protocol::modules::provenance::ProvenanceGenesis::default(),
                revenue: atelier_protocol::modules::revenue::RevenueGenesis::default(),
            },
        }
    }
}

impl GenesisBuilder {
    /// Starts from the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `address` `amount` of `denom`.
    pub fn fund(mut self, address: Address, denom: Denom, amount: Amount) -> Self {
        let coin = Coin { denom, amount };
        match self.genesis.bank.balances.iter_mut().find(|a| a.address == address) {
            Some(account) => account.coins.push(coin),
            None => self.genesis.bank.balances.push(AccountBalances { address, coins: vec![coin] }),
        }
        self
    }

    /// Gives test keys `0..count` `amount` of `ugdc` each.
    pub fn fund_dev_accounts(mut self, count: u64, amount: Amount) -> Self {
        self.genesis.bank.balances.extend((0..count).map(|i| AccountBalances {
            address: dev_address(i),
            coins: vec![Coin { denom: Denom::GDC, amount }],
        }));
        self
    }

    /// Replaces the fee market section.
    pub fn fees(mut self, fees: FeesGenesis) -> Self {
        self.genesis.fees = fees;
        self
    }

    /// Changes the compute market's params.
    pub fn compute_params(
        mut self,
        change: impl FnOnce(&mut atelier_protocol::modules::compute::ComputeParams),
    ) -> Self {
        change(&mut self.genesis.compute.params);
        self
    }

    /// Sets the chain id.
    pub fn chain_id(mut self, chain_id: &str) -> Self {
        self.genesis.chain_id = chain_id.parse().expect("valid chain id");
        self
    }

    /// The genesis.
    pub fn build(self) -> Genesis {
        self.genesis
    }
}
