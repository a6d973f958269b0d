//! The development chain: accounts from the published dev mnemonic, the start-up banner, and the
//! controls of a running one (`atelier dev …`).

use std::{path::Path, time::SystemTime};

use anyhow::{Context, Result, bail};
use atelier_api::{DevHead, StateDump};
use atelier_node::Node;
use atelier_primitives::{Address, Amount, Bps, CoinText, Denom, hash::hex_encode, hd};
use atelier_protocol::{
    Genesis,
    modules::{
        compliance::SchemaId,
        oracle::{FeedId, FeedSpec},
    },
};
use serde::Serialize;

use crate::{
    genesis::{AccountSpec, GenesisSpec, PoolSpec, SchemaSpec, StakerSpec, ValidatorSpec},
    output::Output,
};

/// Dev accounts funded by default.
pub(crate) const DEV_ACCOUNTS: u32 = 10;
/// The dev chain's id.
pub(crate) const DEV_CHAIN_ID: &str = "atelier-dev";
/// Each dev account's balances: 1 000 000 GDC and 1 000 000 USD.
const DEV_BALANCE: CoinText = gdc(1_000_000);
const DEV_STABLE: CoinText = usd(1_000_000);
/// The dev treasury's balance, for governance to spend, and its stable reserve.
const DEV_TREASURY: CoinText = gdc(1_000_000);
const DEV_RESERVE: CoinText = usd(500_000);
/// Each side of the dev pool, provided by the treasury: a price of 1 USD per GDC.
const DEV_POOL_GDC: CoinText = gdc(100_000);
const DEV_POOL_USD: CoinText = usd(100_000);
/// Dev accounts that start staked, with a member's reputation, so that governance can be tried at
/// once.
const DEV_STAKERS: u32 = 4;
/// Each staked dev account's bonded stake.
const DEV_STAKE: CoinText = gdc(100_000);
/// Each staked dev account's starting reputation: the `member` tier (may propose, one cluster slot).
const DEV_REPUTATION: u64 = 2_000_000;

const fn gdc(whole: u128) -> CoinText {
    CoinText { denom: Denom::GDC, amount: Amount::new(whole * 1_000_000) }
}

const fn usd(whole: u128) -> CoinText {
    CoinText { denom: Denom::USD, amount: Amount::new(whole * 1_000_000) }
}

/// A genesis funding `accounts` (at least 1) dev accounts and the treasury, with a pool the
/// treasury's liquidity fills. Dev account 0 is the stablecoin issuer; dev accounts 0–3 start staked
/// and are the oracle operators; dev8 attests and dev5–dev7 arbitrate (the last account stands in
/// when there are fewer). Epochs and governance periods are short, so that a proposal runs its
/// course in about a minute of one-second blocks.
///
/// `validators` are the first epoch's validators of a chain run by validators: each operator is
/// funded and staked like a dev staker, with a member's reputation, so that weight backed by
/// reputation keeps them chosen until others earn more.
pub(crate) fn genesis(chain_id: &str, accounts: u32, validators: &[ValidatorSpec]) -> Result<Genesis> {
    if accounts == 0 {
        bail!("a dev chain needs at least one dev account");
    }
    let now_ms = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let chain_id = chain_id.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let keys = hd::dev_keys(0..accounts);
    // Dev account `i`, or the last one when there are fewer.
    let address = |i: u32| keys[i.min(accounts - 1) as usize].public_key().address();
    let stakers: Vec<Address> = (0..accounts.min(DEV_STAKERS)).map(address).collect();
    let mut arbiters: Vec<Address> = (5..8).map(address).collect();
    arbiters.dedup();
    let mut spec = GenesisSpec::new(chain_id, now_ms, address(0));
    spec.allow_published_keys = true;
    spec.accounts = keys
        .iter()
        .map(|key| AccountSpec {
            address: key.public_key().address(),
            balances: vec![DEV_BALANCE, DEV_STABLE],
        })
        .collect();
    spec.treasury = vec![DEV_TREASURY, DEV_RESERVE];
    spec.pool = Some(PoolSpec { gdc: DEV_POOL_GDC, usd: DEV_POOL_USD });
    spec.stakers = stakers
        .iter()
        .map(|&address| StakerSpec { address, stake: DEV_STAKE, reputation: DEV_REPUTATION })
        .collect();
    for validator in validators {
        spec.accounts
            .push(AccountSpec { address: validator.operator, balances: vec![DEV_BALANCE, DEV_STABLE] });
        spec.stakers.push(StakerSpec {
            address: validator.operator,
            stake: DEV_STAKE,
            reputation: DEV_REPUTATION,
        });
    }
    spec.validators = validators.to_vec();
    spec.oracle_operators = stakers.clone();
    spec.attesters = vec![address(8)];
    spec.arbiters = arbiters.clone();
    spec.schemas = vec![SchemaSpec {
        name: "ethical-sourcing".into(),
        fields: ["consent", "license", "provenance"].map(String::from).to_vec(),
        revocable: true,
    }];
    let mut genesis = spec.build()?;
    let quorum = |wanted: u32, available: usize| wanted.min(u32::try_from(available).unwrap_or(u32::MAX));
    dev_params(&mut genesis, quorum(3, stakers.len()), quorum(2, stakers.len()), quorum(2, arbiters.len()));
    Ok(genesis)
}

/// Short periods: 60-block epochs; voting opens 5 blocks after a proposal and lasts 30, then 10
/// blocks of timelock; a dispute window of 30 blocks. Feeds for the GDC price, engagement, demand
/// for the dev economy's two styles (`botanical`, `ink`), its two models' quality and convergence. A treasury whose infrastructure costs 1 000 USD an epoch, steered to 100 epochs of
/// runway, with buy-backs never taking the reserve under 20 epochs, and 10% of the value as pool
/// liquidity.
fn dev_params(genesis: &mut Genesis, price_quorum: u32, feed_quorum: u32, arbiter_quorum: u32) {
    let bps = |v| Bps::new(v).unwrap_or(Bps::ZERO);
    genesis.staking.params.epoch_blocks = 60;
    let governance = &mut genesis.governance.params;
    governance.voting_delay_blocks = 5;
    governance.voting_period_blocks = 30;
    governance.timelock_blocks = 10;
    governance.grace_period_blocks = 100;
    let feed = |id: &str, quorum| FeedSpec {
        id: FeedId(id.into()),
        quorum,
        heartbeat_blocks: 60,
        deviation: bps(50),
        staleness_blocks: 120,
        round_blocks: 10,
    };
    genesis.oracle.params.feeds = vec![
        feed("gdc_usd", price_quorum),
        feed("engagement", feed_quorum),
        feed("demand/botanical", feed_quorum),
        feed("demand/ink", feed_quorum),
        feed("quality/1", feed_quorum),
        feed("quality/2", feed_quorum),
        feed("convergence/1", feed_quorum),
        feed("convergence/2", feed_quorum),
    ];
    let treasury = &mut genesis.treasury.params;
    treasury.infra_cost_per_epoch = Amount::new(1_000 * 1_000_000);
    treasury.runway_target_epochs = 100;
    treasury.reserve_floor_epochs = 20;
    treasury.pol_target = bps(1_000);
    treasury.max_pol_add_per_epoch = Amount::new(10_000 * 1_000_000);
    treasury.grants_share = bps(1_000);
    let compliance = &mut genesis.compliance.params;
    compliance.ethical_schema = Some(SchemaId(1));
    compliance.dispute_window_blocks = 30;
    compliance.arbiter_quorum = arbiter_quorum;
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
    #[serde(skip_serializing_if = "Option::is_none")]
    economy: Option<crate::economy::DevEconomy>,
}

/// Dev account `i`'s name.
fn dev_name(i: u32) -> String {
    format!("dev{i}")
}

/// The first `count` dev accounts by name, for the node's `GET /dev/accounts`.
pub(crate) fn named_accounts(count: u32) -> Vec<(String, atelier_primitives::Address)> {
    hd::dev_keys(0..count)
        .iter()
        .zip(0u32..)
        .map(|(key, i)| (dev_name(i), key.public_key().address()))
        .collect()
}

impl Banner {
    pub(crate) fn new(
        node: &Node,
        api_url: &str,
        home: &Path,
        ephemeral: bool,
        dev_accounts: Option<u32>,
        economy: Option<crate::economy::DevEconomy>,
    ) -> Banner {
        let head = node.head();
        let accounts = hd::dev_keys(0..dev_accounts.unwrap_or(0))
            .iter()
            .zip(0u32..)
            .map(|(key, i)| DevAccount {
                name: dev_name(i),
                address: key.public_key().address().to_string(),
                secret_key: hex_encode(&key.to_seed()),
                path: hd::account_path(i),
            })
            .collect();
        Banner {
            chain_id: head.chain_id.to_string(),
            api_url: api_url.to_owned(),
            height: head.height.get(),
            home: home.display().to_string(),
            ephemeral,
            mnemonic: dev_accounts.map(|_| hd::DEV_MNEMONIC),
            accounts,
            economy,
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
        if let Some(economy) = &self.economy {
            let models: Vec<String> =
                economy.models.iter().map(|(id, name)| format!("{id} {name}")).collect();
            out.push_str(&format!(
                "\nDev economy: models {}; a provider ({}) and a verifier ({}) are running, and oracle \
                 agents ({}) observe {} (--no-provider leaves them out).\n\
                 Try:  atelier prompt --model 1 \"a red fox\" --out fox.png\n",
                models.join(", "),
                economy.provider,
                economy.verifier,
                economy.oracle_agents.join(", "),
                economy.oracle_feeds.join(", ")
            ));
        }
        out
    }
}

/// `atelier dev …`: the controls of a running dev chain.
pub(crate) async fn run(
    client: atelier_client::Client,
    store: &crate::keys::Keystore,
    command: crate::DevCommand,
    output: Output,
) -> Result<()> {
    use crate::DevCommand;
    let head = |head: &DevHead| format!("head at height {} (state root {})", head.height, head.state_root);
    match command {
        DevCommand::Mine { blocks } => {
            let mined = client.dev_mine(blocks).await?;
            output.print(&mined, |m| format!("mined blocks {} to {}", m.from_height, m.to_height))
        }
        DevCommand::Snapshot => output.print(&client.dev_snapshot().await?, |s| {
            format!("snapshot {} at height {} (state root {})", s.id, s.height, s.state_root)
        }),
        DevCommand::Revert { id } => output.print(&client.dev_revert(id).await?, head),
        DevCommand::SetBalance { account, amount, denom } => {
            let (denom, amount) = amount.or_denom(denom.parse().context("--denom")?);
            let address = crate::address(store, &account)?.to_string();
            let wanted =
                atelier_api::SetBalance { address, denom: denom.to_string(), amount: amount.to_string() };
            let now = client.dev_set_balance(&wanted).await?;
            output.print(&now, |coin| match (coin.denom.parse(), coin.amount.parse()) {
                (Ok(denom), Ok(amount)) => format!("{account} holds {}", crate::money::human(denom, amount)),
                _ => format!("{account} holds {} {}", coin.amount, coin.denom),
            })
        }
        DevCommand::Dump { file } => {
            let dump = client.dev_dump().await?;
            let text = serde_json::to_string(&dump)?;
            if file.as_os_str() == "-" {
                println!("{text}");
            } else {
                std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
                eprintln!(
                    "state at height {} written to {} ({} entries)",
                    dump.height,
                    file.display(),
                    dump.entries.len()
                );
            }
            Ok(())
        }
        DevCommand::Load { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?
            };
            let dump: StateDump = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a state dump (from `atelier dev dump`)", file.display()))?;
            output.print(&client.dev_load(&dump).await?, head)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dev_genesis_fills_every_role_whatever_its_number_of_accounts() {
        for accounts in 1..=DEV_ACCOUNTS {
            let genesis = genesis(DEV_CHAIN_ID, accounts, &[]).unwrap();
            assert_eq!(crate::genesis::problems(&genesis, true), Vec::<String>::new(), "{accounts} accounts");
        }
        assert!(genesis(DEV_CHAIN_ID, 0, &[]).is_err());
    }
}
