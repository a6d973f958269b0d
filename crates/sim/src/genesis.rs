//! The simulation's genesis, built from the scenario: it does not use the test kit, so release
//! binaries carry none of it.

use atelier_primitives::{Address, Amount, Bps, Denom, Height};
use atelier_protocol::{
    Genesis,
    modules::{
        amm::{self, AmmGenesis, genesis::LpHolding},
        bank::{AccountBalances, BankGenesis, BankParams, Coin},
        compute::ComputeGenesis,
        fees::FeesGenesis,
        governance::GovernanceGenesis,
        oracle::{FeedId, FeedSpec, Operator, OracleGenesis},
        staking::{self, Checkpoint, StakingGenesis, Standing, genesis::StakerGenesis},
        treasury::{self, TreasuryGenesis},
    },
};

use crate::{
    scenario::{Population, Scenario},
    world::RunError,
};

/// Genesis time of simulated chains: 2026-01-01T00:00:00Z.
const GENESIS_TIME_MS: u64 = 1_767_225_600_000;

/// The simulation's genesis: every account funded in both denoms, the pool and the treasury
/// funded, the pool's liquidity the treasury's, oracle operators staked and registered, the
/// scenario's epoch length and infrastructure cost; module defaults otherwise.
pub(crate) fn genesis(
    scenario: &Scenario,
    accounts: &[Address],
    issuer: Address,
    operators: &[Address],
) -> Result<Genesis, RunError> {
    let g = &scenario.genesis;
    let both = |amount: u64| {
        [Denom::GDC, Denom::USD].map(|denom| Coin { denom, amount: Amount::new(u128::from(amount)) }).to_vec()
    };
    let mut balances: Vec<AccountBalances> = accounts
        .iter()
        .map(|address| AccountBalances { address: *address, coins: both(g.balance) })
        .collect();
    balances.push(AccountBalances { address: treasury::account(), coins: both(g.treasury) });
    balances.push(AccountBalances { address: amm::account(), coins: both(g.pool_side) });
    let side = Amount::new(u128::from(g.pool_side));
    let supply = amm::math::sqrt_product(side.get(), side.get());
    if supply <= amm::math::MINIMUM_LIQUIDITY {
        return Err(RunError::Genesis("genesis.pool_side is too small for the pool's first mint".into()));
    }
    let holdings =
        vec![LpHolding { holder: treasury::account(), units: supply - amm::math::MINIMUM_LIQUIDITY }];
    let mut staking = StakingGenesis::default();
    staking.params.epoch_blocks = g.epoch_blocks;
    // Oracle operators start staked at the oracle's minimum and registered.
    let mut oracle = OracleGenesis::default();
    let stake = oracle.params.min_stake;
    for address in operators {
        let standing = Standing { bonded: stake, floor: stake, ..Standing::default() };
        let checkpoint = Checkpoint { from_height: Height(0), standing };
        staking.accounts.push(StakerGenesis { address: *address, checkpoint });
        oracle.operators.push(Operator { address: *address, since: Height(0), observations: 0, outliers: 0 });
    }
    if !operators.is_empty() {
        let bonded = Amount::new(stake.get().saturating_mul(operators.len() as u128));
        balances.push(AccountBalances {
            address: staking::account(),
            coins: vec![Coin { denom: Denom::GDC, amount: bonded }],
        });
    }
    oracle.params.max_operators = oracle.params.max_operators.max(operators.len().min(64) as u32);
    for feed in &mut oracle.params.feeds {
        feed.quorum = feed.quorum.min(operators.len().max(1) as u32);
        feed.heartbeat_blocks = 20;
        feed.staleness_blocks = 2 * g.epoch_blocks.max(20);
        feed.round_blocks = 10;
    }
    // Each style's demand feed, when style oracles serve them: values change once an epoch.
    let style_oracles: u64 = scenario
        .agents
        .iter()
        .filter(|p| matches!(p, Population::StyleOracle { .. }))
        .map(Population::count)
        .sum();
    if style_oracles > 0 {
        for style in scenario.styles() {
            oracle.params.feeds.push(FeedSpec {
                id: FeedId(format!("demand/{style}")),
                quorum: (style_oracles / 2 + 1) as u32,
                heartbeat_blocks: g.epoch_blocks.max(1),
                deviation: Bps::new(50).unwrap_or(Bps::ZERO),
                staleness_blocks: 2 * g.epoch_blocks.max(1),
                round_blocks: 10,
            });
        }
    }
    let chain_id = "atelier-sim".parse().map_err(|e| RunError::Genesis(format!("{e}")))?;
    Ok(Genesis {
        bank: BankGenesis { params: BankParams { stable_issuer: issuer }, balances, burned: Vec::new() },
        compute: {
            let mut compute = ComputeGenesis::default();
            let waterfall = &mut compute.params.waterfall;
            set_bps(&mut waterfall.treasury, g.treasury_share_bps)?;
            set_bps(&mut waterfall.datasets, g.dataset_share_bps)?;
            set_bps(&mut waterfall.burn, g.burn_bps)?;
            compute
        },
        fees: {
            let mut fees = FeesGenesis::default();
            fees.params.block_gas_limit = g.block_gas_limit.unwrap_or(fees.params.block_gas_limit);
            fees.params.validate().map_err(|e| RunError::Genesis(format!("genesis.block_gas_limit: {e}")))?;
            fees
        },
        staking,
        governance: {
            let mut governance = GovernanceGenesis::default();
            let params = &mut governance.params;
            params.voting_delay_blocks = g.voting_delay_blocks.unwrap_or(params.voting_delay_blocks);
            params.voting_period_blocks = g.voting_period_blocks.unwrap_or(params.voting_period_blocks);
            params.timelock_blocks = g.timelock_blocks.unwrap_or(params.timelock_blocks);
            governance
        },
        amm: AmmGenesis {
            pool: amm::Pool {
                reserve_gdc: side,
                reserve_usd: side,
                lp_supply: supply,
                ..amm::Pool::default()
            },
            holdings,
            ..AmmGenesis::default()
        },
        oracle,
        treasury: {
            let mut treasury = TreasuryGenesis::default();
            treasury.params.infra_cost_per_epoch = Amount::new(u128::from(g.infra_cost));
            set_bps(&mut treasury.params.cushion, g.cushion_bps)?;
            set_bps(&mut treasury.params.wall, g.wall_bps)?;
            treasury.params.wall = treasury.params.wall.max(treasury.params.cushion);
            treasury
        },
        ..Genesis::new(chain_id, GENESIS_TIME_MS)
    })
}

/// Sets `field` to `value` in basis points, if the scenario gives one.
fn set_bps(field: &mut Bps, value: Option<u16>) -> Result<(), RunError> {
    if let Some(value) = value {
        *field = Bps::new(u32::from(value))
            .map_err(|_| RunError::Genesis(format!("{value} basis points is more than 10 000")))?;
    }
    Ok(())
}
