//! The development chain: accounts from the published dev mnemonic, and the start-up banner.

use std::{net::SocketAddr, path::Path, time::SystemTime};

use anyhow::Result;
use atelier_node::Node;
use atelier_primitives::{Amount, Denom, Height, hash::hex_encode, hd};
use atelier_protocol::{
    Genesis,
    modules::{
        amm::{AmmGenesis, Pool, genesis::LpHolding},
        bank::{AccountBalances, BankGenesis, BankParams, Coin},
        compliance::{ComplianceGenesis, FieldName, Schema, SchemaId},
        governance::GovernanceGenesis,
        oracle::{FeedId, FeedSpec, Operator, OracleGenesis},
        staking::{Checkpoint, StakingGenesis, Standing, genesis::StakerGenesis},
        treasury::{self, TreasuryGenesis},
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

/// The dev treasury's starting balance, for governance to spend: 1 000 000 GDC.
const DEV_TREASURY: Amount = Amount::new(1_000_000 * 1_000_000);
/// The dev treasury's stable reserve: 500 000 USD.
const DEV_RESERVE: Amount = Amount::new(500_000 * 1_000_000);
/// Each side of the dev pool, provided by the treasury: 100 000 GDC against 100 000 USD.
const DEV_POOL_SIDE: Amount = Amount::new(100_000 * 1_000_000);
/// Dev accounts that start staked, with a member's reputation, so that governance can be tried at
/// once.
const DEV_STAKERS: u32 = 4;
/// Each staked dev account's bonded stake: 100 000 GDC.
const DEV_STAKE: Amount = Amount::new(100_000 * 1_000_000);
/// Each staked dev account's starting reputation: the `member` tier (may propose, one cluster slot).
const DEV_REPUTATION: u128 = 2_000_000;

/// A genesis funding `accounts` dev accounts and the treasury, with a pool the treasury's liquidity
/// fills; dev account 0 is the stablecoin issuer and dev accounts 0–3 start staked. Epochs and governance periods are short, so that a proposal runs
/// its course in about a minute of one-second blocks.
pub(crate) fn genesis(chain_id: &str, accounts: u32) -> Result<Genesis> {
    let now_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let mut balances: Vec<AccountBalances> = hd::dev_keys(0..accounts)
        .iter()
        .map(|key| AccountBalances {
            address: key.public_key().address(),
            coins: vec![
                Coin { denom: Denom::GDC, amount: DEV_BALANCE },
                Coin { denom: Denom::USD, amount: DEV_STABLE },
            ],
        })
        .collect();
    let (staking, bonded) = dev_staking(accounts.min(DEV_STAKERS));
    if !bonded.is_zero() {
        let coins = vec![Coin { denom: Denom::GDC, amount: bonded }];
        balances.push(AccountBalances { address: atelier_protocol::modules::staking::account(), coins });
    }
    let treasury = vec![
        Coin { denom: Denom::GDC, amount: DEV_TREASURY },
        Coin { denom: Denom::USD, amount: DEV_RESERVE },
    ];
    balances.push(AccountBalances { address: treasury::account(), coins: treasury });
    let pool = vec![
        Coin { denom: Denom::GDC, amount: DEV_POOL_SIDE },
        Coin { denom: Denom::USD, amount: DEV_POOL_SIDE },
    ];
    balances.push(AccountBalances { address: atelier_protocol::modules::amm::account(), coins: pool });
    let chain_id = chain_id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Genesis {
        bank: BankGenesis {
            params: BankParams { stable_issuer: hd::dev_key(0).public_key().address() },
            balances,
            burned: Vec::new(),
        },
        staking,
        governance: dev_governance(),
        amm: dev_pool(),
        oracle: dev_oracle(accounts.min(DEV_STAKERS)),
        treasury: dev_treasury(),
        compliance: dev_compliance(accounts),
        ..Genesis::new(chain_id, now_ms)
    })
}

/// Dev accounts `0..stakers` bonded with a member's reputation; 60-block epochs. Returns the
/// section and the stake the staking account must hold.
fn dev_staking(stakers: u32) -> (StakingGenesis, Amount) {
    let mut genesis = StakingGenesis::default();
    genesis.params.epoch_blocks = 60;
    genesis.accounts = hd::dev_keys(0..stakers)
        .iter()
        .map(|key| StakerGenesis {
            address: key.public_key().address(),
            checkpoint: Checkpoint {
                from_height: Height(0),
                standing: Standing {
                    reputation: DEV_REPUTATION,
                    bonded: DEV_STAKE,
                    floor: DEV_STAKE,
                    ..Standing::default()
                },
            },
        })
        .collect();
    let bonded = Amount::new(DEV_STAKE.get() * u128::from(stakers));
    (genesis, bonded)
}

/// The GDC/uusd pool at a price of 1 uusd per ugdc, its liquidity the treasury's.
fn dev_pool() -> AmmGenesis {
    let supply = atelier_protocol::modules::amm::math::sqrt_product(DEV_POOL_SIDE.get(), DEV_POOL_SIDE.get());
    let treasury = treasury::account();
    AmmGenesis {
        pool: Pool {
            reserve_gdc: DEV_POOL_SIDE,
            reserve_usd: DEV_POOL_SIDE,
            lp_supply: supply,
            ..Pool::default()
        },
        holdings: vec![LpHolding {
            holder: treasury,
            units: supply - atelier_protocol::modules::amm::math::MINIMUM_LIQUIDITY,
        }],
        ..AmmGenesis::default()
    }
}

/// Governance with short periods: voting opens 5 blocks after a proposal and lasts 30, then 10
/// blocks of timelock.
fn dev_governance() -> GovernanceGenesis {
    let mut genesis = GovernanceGenesis::default();
    genesis.params.voting_delay_blocks = 5;
    genesis.params.voting_period_blocks = 30;
    genesis.params.timelock_blocks = 10;
    genesis.params.grace_period_blocks = 100;
    genesis
}

/// The staked dev accounts are oracle operators; feeds for the GDC price (quorum 3, published at
/// least every epoch), engagement and demand for one style (quorum 2).
fn dev_oracle(stakers: u32) -> OracleGenesis {
    let mut genesis = OracleGenesis::default();
    let feed = |id: &str, quorum| FeedSpec {
        id: FeedId(id.into()),
        quorum,
        heartbeat_blocks: 60,
        deviation: atelier_primitives::Bps::new(50).unwrap_or(atelier_primitives::Bps::ZERO),
        staleness_blocks: 120,
        round_blocks: 10,
    };
    genesis.params.feeds = vec![
        feed("gdc_usd", 3.min(stakers.max(1))),
        feed("engagement", 2.min(stakers.max(1))),
        feed("demand/portrait", 2.min(stakers.max(1))),
    ];
    genesis.operators = hd::dev_keys(0..stakers)
        .iter()
        .map(|key| Operator {
            address: key.public_key().address(),
            since: Height(0),
            observations: 0,
            outliers: 0,
        })
        .collect();
    genesis
}

/// A treasury whose infrastructure costs 1 000 USD an epoch, steered to 100 epochs of runway, with
/// buy-backs never taking the reserve under 20 epochs, and 10% of the value as pool liquidity.
fn dev_treasury() -> TreasuryGenesis {
    let mut genesis = TreasuryGenesis::default();
    genesis.params.infra_cost_per_epoch = Amount::new(1_000 * 1_000_000);
    genesis.params.runway_target_epochs = 100;
    genesis.params.reserve_floor_epochs = 20;
    genesis.params.pol_target = atelier_primitives::Bps::new(1_000).unwrap_or(atelier_primitives::Bps::ZERO);
    genesis.params.max_pol_add_per_epoch = Amount::new(10_000 * 1_000_000);
    genesis.params.grants_share =
        atelier_primitives::Bps::new(1_000).unwrap_or(atelier_primitives::Bps::ZERO);
    genesis
}

/// The ethical-sourcing schema (1, revocable) gates monetisation; dev8 is an approved attester
/// and dev5–dev7 are arbiters (2 votes uphold) with a 30-block window.
fn dev_compliance(accounts: u32) -> ComplianceGenesis {
    let mut genesis = ComplianceGenesis::default();
    let fields = ["consent", "license", "provenance"].map(|f| FieldName(f.into())).to_vec();
    genesis.schemas =
        vec![Schema { id: SchemaId(1), name: "ethical-sourcing".into(), fields, revocable: true }];
    genesis.next_ids[0] = 2;
    genesis.params.ethical_schema = Some(SchemaId(1));
    genesis.params.dispute_window_blocks = 30;
    let address = |i: u32| hd::dev_key(i).public_key().address();
    if accounts > 8 {
        genesis.attesters = vec![address(8)];
    }
    if accounts > 7 {
        genesis.params.arbiters = (5..8).map(address).collect();
        genesis.params.arbiter_quorum = 2;
    }
    genesis
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
