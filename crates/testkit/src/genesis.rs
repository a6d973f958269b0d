//! A builder for test genesis files.

use atelier_primitives::{Address, Amount, Denom};
use atelier_protocol::{
    Genesis,
    modules::bank::{AccountBalances, BankGenesis, BankParams, Coin},
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
        let chain_id = TEST_CHAIN_ID.parse().expect("valid chain id");
        GenesisBuilder {
            genesis: Genesis {
                bank: BankGenesis {
                    params: BankParams { stable_issuer: dev_address(0) },
                    balances: Vec::new(),
                    burned: Vec::new(),
                },
                ..Genesis::new(chain_id, TEST_GENESIS_TIME_MS)
            },
        }
    }
}

impl GenesisBuilder {
    /// Starts from the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `address` `amount` more of `denom`.
    pub fn fund(mut self, address: Address, denom: Denom, amount: Amount) -> Self {
        let coin = Coin { denom, amount };
        match self.genesis.bank.balances.iter_mut().find(|a| a.address == address) {
            Some(account) => match account.coins.iter_mut().find(|c| c.denom == denom) {
                Some(held) => held.amount = held.amount.saturating_add(amount),
                None => account.coins.push(coin),
            },
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
    pub fn fees(mut self, fees: atelier_protocol::modules::fees::FeesGenesis) -> Self {
        self.genesis.fees = fees;
        self
    }

    /// Bonds `amount` of `address`'s stake at genesis (held by the staking account; the account
    /// has no reputation yet).
    pub fn stake(self, address: Address, amount: Amount) -> Self {
        use atelier_protocol::modules::staking::{Checkpoint, Standing, genesis::StakerGenesis};
        let mut builder = self.fund(atelier_protocol::modules::staking::account(), Denom::GDC, amount);
        let standing = Standing { bonded: amount, floor: amount, ..Standing::default() };
        let checkpoint = Checkpoint { from_height: atelier_primitives::Height(0), standing };
        builder.genesis.staking.accounts.push(StakerGenesis { address, checkpoint });
        builder
    }

    /// Makes `operator` a validator of genesis: `stake` bonded with `reputation` earned already,
    /// registered as a candidate with `consensus_key`. The candidates of a genesis are its first
    /// validator set.
    pub fn validator(
        self,
        operator: Address,
        consensus_key: atelier_primitives::PublicKey,
        stake: Amount,
        reputation: u128,
    ) -> Self {
        use atelier_protocol::modules::staking::Candidate;
        let mut builder = self.stake(operator, stake);
        let accounts = &mut builder.genesis.staking.accounts;
        if let Some(account) = accounts.iter_mut().rev().find(|a| a.address == operator) {
            account.checkpoint.standing.reputation = reputation;
        }
        let port = 26_700 + builder.genesis.staking.candidates.len();
        builder.genesis.staking.candidates.push(Candidate {
            operator,
            consensus_key,
            p2p_addr: format!("127.0.0.1:{port}"),
            min_self_stake: Amount::ZERO,
        });
        builder
    }

    /// Opens the GDC/uusd pool with these reserves (funding the AMM's account); its LP units, less
    /// the locked minimum, are `holder`'s.
    pub fn pool(self, gdc: Amount, usd: Amount, holder: Address) -> Self {
        use atelier_protocol::modules::amm::{self, Pool, genesis::LpHolding, math};
        let mut builder = self.fund(amm::account(), Denom::GDC, gdc).fund(amm::account(), Denom::USD, usd);
        let supply = math::sqrt_product(gdc.get(), usd.get());
        builder.genesis.amm.pool =
            Pool { reserve_gdc: gdc, reserve_usd: usd, lp_supply: supply, ..Pool::default() };
        builder.genesis.amm.holdings = vec![LpHolding { holder, units: supply - math::MINIMUM_LIQUIDITY }];
        builder
    }

    /// Changes the compute market's params.
    pub fn compute_params(
        mut self,
        change: impl FnOnce(&mut atelier_protocol::modules::compute::ComputeParams),
    ) -> Self {
        change(&mut self.genesis.compute.params);
        self
    }

    /// Adds asset `id` (the next after those added before) owned by `owner`, without parents, as a
    /// settled job would have minted it, with its royalty vault.
    pub fn root_asset(
        mut self,
        owner: Address,
        policy: atelier_protocol::modules::provenance::RoyaltyPolicy,
    ) -> Self {
        use atelier_protocol::modules::{
            provenance::{Asset, AssetId, DigitalSourceType},
            revenue::{Accrual, Holding, HoldingGenesis, SHARE_UNITS, Vault, VaultGenesis, VaultId},
        };
        let id = self.genesis.provenance.next_asset;
        self.genesis.provenance.assets.push(Asset {
            id: AssetId(id),
            owner,
            creator: owner,
            model: None,
            datasets: Vec::new(),
            job: None,
            output_hash: atelier_primitives::Hash::digest("testkit/asset", &[&id.to_be_bytes()]),
            prompt_hash: atelier_primitives::Hash::digest("testkit/prompt", &[&id.to_be_bytes()]),
            prompt_history: Vec::new(),
            parents: Vec::new(),
            ancestors: Vec::new(),
            royalty_stack: Vec::new(),
            policy,
            source_type: DigitalSourceType::TrainedAlgorithmicMedia,
            minted_at: atelier_primitives::Height(0),
        });
        self.genesis.provenance.next_asset = id + 1;
        self.genesis.revenue.vaults.push(VaultGenesis {
            vault: Vault {
                id: VaultId::Asset(AssetId(id)),
                creator: owner,
                gdc: Accrual::default(),
                usd: Accrual::default(),
                holders: 1,
            },
            holdings: vec![HoldingGenesis {
                holder: owner,
                holding: Holding { units: SHARE_UNITS, settled_gdc: 0, settled_usd: 0 },
            }],
        });
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
