//! The compute market: each message's success and failure codes (a failed message changes
//! nothing), pricing by tip and base fee per class, the settlement waterfall, verification and
//! disputes, deadlines, and conservation over random job flows.

use atelier_primitives::{Address, Amount, Bps, Hash};
use atelier_protocol::{
    ExecutedBlock, Genesis, Msg, TxOutcome,
    event::Event,
    modules::{
        compute::{
            ClassCapacity, ComputeEvent, ComputeMsg, ComputeParams, Job, JobId, JobStatus, ProviderStatus,
            account, query,
        },
        provenance,
        registry::{self, ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        revenue,
        treasury::account as treasury,
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};
use proptest::prelude::*;

const FUNDS: u128 = 10_000_000_000_000;
const BOND: u128 = 1_000_000_000;

const DATA_OWNER: u64 = 1;
const BASE_OWNER: u64 = 2;
const TUNER: u64 = 3;
const PROVIDERS: [u64; 4] = [10, 11, 12, 13];
const ALICE: u64 = 20;
const BOB: u64 = 21;
const CONTRIBUTORS: [(u64, u128); 2] = [(30, 3), (31, 1)];

/// The image model: a fine-tune (owner `TUNER`, 3%) of a base model (owner `BASE_OWNER`, 5%)
/// trained on one dataset of two contributors.
const IMAGE_MODEL: ModelId = ModelId(2);
/// A base model of class `text-small`, which has no providers.
const TEXT_MODEL: ModelId = ModelId(3);

fn bps(n: u32) -> Bps {
    Bps::new(n).unwrap()
}

fn hash(text: &str) -> Hash {
    Hash::digest("test", &[text.as_bytes()])
}

struct Market {
    chain: TestChain,
    /// Transaction fees each test account paid.
    fees: std::collections::BTreeMap<u64, u128>,
}

impl Market {
    fn new() -> Market {
        Market::with(|_| {}, |_| {})
    }

    /// A market whose params and genesis the test adjusts; the datasets, models and the first two
    /// image providers are registered.
    fn with(params: impl FnOnce(&mut ComputeParams), genesis: impl FnOnce(&mut Genesis)) -> Market {
        let mut built =
            GenesisBuilder::new().fund_dev_accounts(100, Amount::new(FUNDS)).compute_params(params).build();
        genesis(&mut built);
        let mut market = Market { chain: TestChain::new(built), fees: Default::default() };
        let contributors = CONTRIBUTORS
            .iter()
            .map(|&(i, shares)| ContributorShares { contributor: dev_address(i), shares })
            .collect();
        market.registry(
            DATA_OWNER,
            RegistryMsg::RegisterDataset {
                content_hash: hash("images"),
                license: "CC-BY-4.0".into(),
                contributors,
            },
        );
        let all_of_dataset_1 = vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }];
        market.registry(BASE_OWNER, model("image-xl", None, all_of_dataset_1.clone(), 500, "botanical"));
        market.registry(TUNER, model("image-xl", Some(ModelId(1)), Vec::new(), 300, ""));
        market.registry(BASE_OWNER, model("text-small", None, all_of_dataset_1, 0, ""));
        for provider in &PROVIDERS[..2] {
            market.ok(*provider, register(BOND, &[("image-xl", 1_000)]));
        }
        market
    }

    fn registry(&mut self, sender: u64, msg: RegistryMsg) {
        let outcome = self.block(vec![(sender, Msg::Registry(msg))]).receipts[0].outcome.clone();
        assert_eq!(outcome, TxOutcome::Applied);
    }

    /// One block with one transaction per entry.
    fn block(&mut self, msgs: Vec<(u64, Msg)>) -> ExecutedBlock {
        let factory = self.chain.factory();
        let mut nonces = std::collections::BTreeMap::new();
        let senders: Vec<u64> = msgs.iter().map(|(sender, _)| *sender).collect();
        let txs = msgs
            .into_iter()
            .map(|(sender, msg)| {
                let nonce = nonces.entry(sender).or_insert_with(|| self.chain.nonce(&dev_address(sender)));
                let tx = factory.tx(&dev_key(sender), *nonce, vec![msg]);
                *nonce += 1;
                tx
            })
            .collect::<Vec<_>>();
        let count = txs.len();
        let executed = self.chain.produce(txs);
        assert_eq!(executed.receipts.len(), count, "skipped: {:?}", executed.skipped);
        for (sender, receipt) in senders.iter().zip(&executed.receipts) {
            *self.fees.entry(*sender).or_default() += receipt.fee.get();
        }
        executed
    }

    fn fees_paid(&self, who: u64) -> u128 {
        self.fees.get(&who).copied().unwrap_or(0)
    }

    fn run(&mut self, sender: u64, msg: ComputeMsg) -> (TxOutcome, ExecutedBlock) {
        let executed = self.block(vec![(sender, Msg::Compute(msg))]);
        (executed.receipts[0].outcome.clone(), executed)
    }

    fn ok(&mut self, sender: u64, msg: ComputeMsg) -> ExecutedBlock {
        let (outcome, executed) = self.run(sender, msg);
        assert_eq!(outcome, TxOutcome::Applied);
        executed
    }

    /// Runs `msg`, expects `code`, and checks that the market, the registry and the assets are
    /// as an empty block would have left them.
    fn fails(&mut self, sender: u64, msg: ComputeMsg, code: u32) {
        let mut without = self.chain.clone();
        without.produce(Vec::new());
        match self.run(sender, msg.clone()).0 {
            TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{msg:?}: {reason}"),
            TxOutcome::Applied => panic!("{msg:?} applied; expected failure {code}"),
        }
        assert_eq!(sections(&self.chain), sections(&without), "a failed {msg:?} changed state");
    }

    fn idle(&mut self, blocks: u64) -> Vec<ExecutedBlock> {
        (0..blocks).map(|_| self.chain.produce(Vec::new())).collect()
    }

    fn job(&self, id: u64) -> Job {
        query::job(&self.chain.store, JobId(id)).unwrap().unwrap()
    }

    fn class(&self, name: &str) -> query::ClassView {
        query::classes(&self.chain.store).unwrap().into_iter().find(|c| c.name == name).unwrap()
    }

    fn balance(&self, who: u64) -> u128 {
        self.chain.balance(&dev_address(who), atelier_primitives::Denom::GDC).get()
    }

    fn height(&self) -> u64 {
        self.chain.head.height.0
    }
}

fn sections(chain: &TestChain) -> String {
    let genesis = atelier_protocol::genesis::export(&chain.store, &chain.head).unwrap();
    serde_json::to_string(&(genesis.compute, genesis.registry, genesis.provenance)).unwrap()
}

/// A model of `class` registered with `style` (empty: its parent's, or `general`).
fn model(
    class: &str,
    parent: Option<ModelId>,
    datasets: Vec<DatasetWeight>,
    fee: u32,
    style: &str,
) -> RegistryMsg {
    RegistryMsg::RegisterModel {
        class: class.into(),
        weights_hash: atelier_primitives::Hash::blob(format!("{class} {style}").as_bytes()),
        parent,
        datasets,
        performance_fee: bps(fee),
        style: style.into(),
    }
}

fn register(bond: u128, capacities: &[(&str, u64)]) -> ComputeMsg {
    ComputeMsg::RegisterProvider {
        bond: Amount::new(bond),
        endpoint: "https://gpu.example".into(),
        capacities: capacities
            .iter()
            .map(|&(class, units)| ClassCapacity { class: class.into(), units })
            .collect(),
    }
}

fn job(model: ModelId, units: u64, max_fee: u128, tip: u128) -> ComputeMsg {
    ComputeMsg::SubmitJob {
        model,
        units,
        max_fee_per_unit: Amount::new(max_fee),
        tip_per_unit: Amount::new(tip),
        prompt_hash: hash("a red fox"),
        params_hash: hash("seed 7"),
        deterministic: true,
        parents: Vec::new(),
        policy: Default::default(),
    }
}

fn result(id: u64, output: &str) -> ComputeMsg {
    ComputeMsg::SubmitResult { job: JobId(id), output_hash: hash(output) }
}

fn provider_index(address: Address) -> u64 {
    (0..100).find(|&p| dev_address(p) == address).expect("a test account")
}

fn compute_events(blocks: &[ExecutedBlock]) -> Vec<ComputeEvent> {
    blocks
        .iter()
        .flat_map(|b| b.receipts.iter().flat_map(|r| r.events.iter()).chain(b.end_block_events.iter()))
        .filter_map(|e| match e {
            Event::Compute(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_job_is_escrowed_admitted_answered_and_settled_through_the_waterfall() {
    let mut market = Market::new();
    let before = market.balance(ALICE);
    let submitted = market.ok(ALICE, job(IMAGE_MODEL, 100, 2_000, 300));
    let fee = submitted.receipts[0].fee.get();
    // Admitted in the block it was submitted in, at the minimum base fee of 1 000 per unit: the
    // price is 100 * (1 000 + 300); the rest of the 200 000 escrow came back.
    let admitted = market.job(1);
    assert_eq!(admitted.status, JobStatus::Admitted);
    assert_eq!(admitted.held, Amount::new(130_000));
    assert_eq!(before - market.balance(ALICE), 130_000 + fee);
    let provider = admitted.provider.unwrap();
    let provider_before = market.chain.balance(&provider, atelier_primitives::Denom::GDC).get();
    let answer = market.ok(provider_index(provider), result(1, "fox.png"));
    let answer_fee = answer.receipts[0].fee.get();
    let treasury_before = market.chain.balance(&treasury(), atelier_primitives::Denom::GDC).get();
    let blocks = market.idle(10);
    let settled = market.job(1);
    assert_eq!(settled.status, JobStatus::Settled);
    assert_eq!(settled.held, Amount::ZERO);
    // Base part 100 000: treasury 10%, datasets 15%, fine-tuner 3% and its parent 5%, burn 5%;
    // the provider keeps the other 62% and the whole 30 000 tip.
    let settlement =
        compute_events(&blocks).into_iter().find(|e| matches!(e, ComputeEvent::JobSettled { .. })).unwrap();
    let ComputeEvent::JobSettled { treasury: t, datasets, fine_tuners, burned, provider_paid, asset, .. } =
        settlement
    else {
        unreachable!()
    };
    assert_eq!(
        [t, datasets, fine_tuners, burned, provider_paid].map(|a| a.get()),
        [10_000, 15_000, 8_000, 5_000, 92_000]
    );
    assert_eq!(
        market.chain.balance(&treasury(), atelier_primitives::Denom::GDC).get() - treasury_before,
        10_000
    );
    // The fine-tuner fees went into the models' royalty vaults, held by their owners.

    assert_eq!((vault_claimable(&market, 2, TUNER), vault_claimable(&market, 1, BASE_OWNER)), (3_000, 5_000));
    // The fine-tuner sells half its model's vault; the next job's fee is split by the units held.
    let half = revenue::SHARE_UNITS / 2;
    let vault = revenue::VaultId::Model(IMAGE_MODEL);
    let sell = revenue::RevenueMsg::TransferShares { vault, to: dev_address(BOB), units: half };
    let tuner_before = market.balance(TUNER);
    let fee = market.block(vec![(TUNER, Msg::Revenue(sell))]).receipts[0].fee.get();
    assert_eq!(market.balance(TUNER), tuner_before - fee + 3_000, "paid out before the transfer");
    assert_eq!(vault_claimable(&market, 2, BOB), 0);
    let claim = revenue::RevenueMsg::ClaimRevenue { vault };
    assert!(matches!(
        market.block(vec![(BOB, Msg::Revenue(claim))]).receipts[0].outcome,
        TxOutcome::Failed { code: 502, .. }
    ));
    assert_eq!(
        market.chain.balance(&provider, atelier_primitives::Denom::GDC).get(),
        provider_before - answer_fee + 92_000
    );
    let stake = registry::query::stake(&market.chain.store, DatasetId(1), &dev_address(30)).unwrap().unwrap();
    assert_eq!(stake.claimable_gdc, Amount::new(11_250), "3 of 4 shares of 15 000");
    let minted = provenance::query::asset(&market.chain.store, asset).unwrap().unwrap();
    assert_eq!(
        (minted.owner, minted.model, minted.job, minted.output_hash),
        (dev_address(ALICE), Some(IMAGE_MODEL), Some(JobId(1)), hash("fox.png"))
    );
    assert_eq!(settled.asset, Some(asset));
}

/// What `owner` can claim in `ugdc` from model `model`'s royalty vault.
fn vault_claimable(market: &Market, model: u64, owner: u64) -> u128 {
    let vault = revenue::VaultId::Model(ModelId(model));
    let position = revenue::query::position(&market.chain.store, &vault, &dev_address(owner)).unwrap();
    position.map_or(0, |p| p.claimable_gdc.get())
}

/// Registers the other two image providers.
fn four_providers(market: &mut Market) {
    for provider in &PROVIDERS[2..] {
        market.ok(*provider, register(BOND, &[("image-xl", 1_000)]));
    }
}

#[test]
fn a_provider_registers_updates_deregisters_and_withdraws_its_bond_after_unbonding() {
    let mut market = Market::with(|p| p.unbonding_blocks = 3, |_| {});
    assert_eq!(market.class("image-xl").capacity, 2_000);
    let before = market.balance(12);
    let fee = market.ok(12, register(BOND, &[("image-xl", 500), ("text-small", 50)])).receipts[0].fee.get();
    assert_eq!(before - market.balance(12), BOND + fee);
    assert_eq!((market.class("image-xl").capacity, market.class("text-small").capacity), (2_500, 50));
    let update = ComputeMsg::UpdateProvider {
        endpoint: String::new(),
        capacities: vec![ClassCapacity { class: "text-small".into(), units: 80 }],
        add_bond: Amount::new(5),
    };
    market.ok(12, update);
    let provider = query::provider(&market.chain.store, &dev_address(12)).unwrap().unwrap();
    assert_eq!((provider.bond, provider.endpoint.as_str()), (Amount::new(BOND + 5), "https://gpu.example"));
    assert_eq!((market.class("image-xl").capacity, market.class("text-small").capacity), (2_000, 80));
    market.ok(12, ComputeMsg::DeregisterProvider);
    assert_eq!(market.class("text-small").capacity, 0);
    let until = market.height() + 3;
    assert_eq!(
        query::provider(&market.chain.store, &dev_address(12)).unwrap().unwrap().status,
        ProviderStatus::Unbonding { until: atelier_primitives::Height(until) }
    );
    market.fails(12, ComputeMsg::WithdrawBond, 310);
    market.idle(1);
    let before = market.balance(12);
    let fee = market.ok(12, ComputeMsg::WithdrawBond).receipts[0].fee.get();
    assert_eq!(market.balance(12) - before + fee, BOND + 5);
    assert_eq!(query::provider(&market.chain.store, &dev_address(12)).unwrap(), None);
}

#[test]
fn each_provider_message_fails_with_its_code_and_changes_nothing() {
    let mut market = Market::with(|p| p.unbonding_blocks = 2, |_| {});
    market.fails(12, register(BOND, &[("no-such-class", 1)]), 301);
    let no_endpoint = ComputeMsg::RegisterProvider {
        bond: Amount::new(BOND),
        endpoint: String::new(),
        capacities: vec![ClassCapacity { class: "image-xl".into(), units: 1 }],
    };
    market.fails(12, no_endpoint, 302);
    market.fails(12, register(BOND - 1, &[("image-xl", 1)]), 303);
    market.fails(10, register(BOND, &[("image-xl", 1)]), 304);
    market.fails(12, ComputeMsg::DeregisterProvider, 305);
    market.fails(12, register(BOND, &[]), 306);
    market.fails(12, register(BOND, &[("image-xl", 1), ("image-xl", 2)]), 306);
    market.fails(12, register(BOND, &[("image-xl", 0)]), 306);
    market.fails(12, register(FUNDS * 2, &[("image-xl", 1)]), 101);
    let overflow =
        ComputeMsg::UpdateProvider { endpoint: String::new(), capacities: Vec::new(), add_bond: Amount::MAX };
    market.fails(10, overflow, 326);
    market.fails(10, ComputeMsg::WithdrawBond, 309);
    // Provider 10 takes a job, deregisters, and cannot leave while the job is open.
    let both = (0..2).map(|_| (ALICE, Msg::Compute(job(IMAGE_MODEL, 1_000, 1_000, 0)))).collect();
    market.block(both);
    assert!(market.job(1).provider != market.job(2).provider, "each provider has room for one a block");
    market.ok(10, ComputeMsg::DeregisterProvider);
    let keep = ComputeMsg::UpdateProvider {
        endpoint: String::new(),
        capacities: Vec::new(),
        add_bond: Amount::ZERO,
    };
    market.fails(10, keep, 308);
    market.fails(10, ComputeMsg::DeregisterProvider, 308);
    market.idle(2);
    market.fails(10, ComputeMsg::WithdrawBond, 311);
}

#[test]
fn a_class_takes_no_more_providers_than_its_limit() {
    let mut market = Market::with(|p| p.max_providers_per_class = 2, |_| {});
    market.fails(12, register(BOND, &[("image-xl", 1)]), 307);
    market.ok(12, register(BOND, &[("text-small", 1)]));
}

#[test]
fn each_job_message_fails_with_its_code_and_changes_nothing() {
    let mut market = Market::with(|p| p.max_queued_per_class = 2, |_| {});
    four_providers(&mut market);
    market.fails(ALICE, job(ModelId(99), 1, 1_000, 0), 312);
    market.fails(ALICE, job(IMAGE_MODEL, 0, 1_000, 0), 313);
    market.fails(ALICE, job(IMAGE_MODEL, 1_000_001, 1_000, 0), 313);
    market.fails(ALICE, job(IMAGE_MODEL, 1, 1_000, 1_001), 314);
    market.fails(ALICE, job(IMAGE_MODEL, 1, 999, 0), 315);
    market.fails(ALICE, job(IMAGE_MODEL, 2, u128::MAX, 0), 326);
    market.fails(ALICE, job(IMAGE_MODEL, 1, FUNDS, 0), 101);
    // text-small has no providers: its jobs wait.
    market.ok(ALICE, job(TEXT_MODEL, 1, 10, 0));
    market.ok(ALICE, job(TEXT_MODEL, 1, 10, 0));
    market.fails(ALICE, job(TEXT_MODEL, 1, 10, 0), 316);
    market.fails(ALICE, ComputeMsg::CancelJob { job: JobId(99) }, 317);
    market.fails(BOB, ComputeMsg::CancelJob { job: JobId(1) }, 318);
    market.ok(ALICE, job(IMAGE_MODEL, 10, 1_000, 0));
    let assigned = provider_index(market.job(3).provider.unwrap());
    let other = *PROVIDERS.iter().find(|&&p| p != assigned).unwrap();
    market.fails(ALICE, ComputeMsg::CancelJob { job: JobId(3) }, 320);
    market.fails(other, result(3, "out"), 319);
    market.fails(other, ComputeMsg::ChallengeResult { job: JobId(3), output_hash: hash("x") }, 320);
    market.ok(assigned, result(3, "out"));
    market.fails(assigned, result(3, "again"), 320);
    market.fails(other, ComputeMsg::ChallengeResult { job: JobId(3), output_hash: hash("out") }, 322);
    market.fails(ALICE, ComputeMsg::ChallengeResult { job: JobId(3), output_hash: hash("x") }, 323);
    market.fails(assigned, ComputeMsg::ChallengeResult { job: JobId(3), output_hash: hash("x") }, 323);
    market.fails(other, ComputeMsg::ClaimOutput { job: JobId(3), output_hash: hash("x") }, 320);
    market.ok(other, ComputeMsg::ChallengeResult { job: JobId(3), output_hash: hash("x") });
    market.fails(other, ComputeMsg::ClaimOutput { job: JobId(3), output_hash: hash("x") }, 323);
    let third = *PROVIDERS.iter().find(|&&p| p != assigned && p != other).unwrap();
    market.ok(third, ComputeMsg::ClaimOutput { job: JobId(3), output_hash: hash("y") });
    market.fails(third, ComputeMsg::ClaimOutput { job: JobId(3), output_hash: hash("y") }, 324);
    // A job that is not deterministic cannot be challenged.
    let mut creative = job(IMAGE_MODEL, 10, 1_000, 0);
    if let ComputeMsg::SubmitJob { deterministic, .. } = &mut creative {
        *deterministic = false;
    }
    market.ok(ALICE, creative);
    let assigned = provider_index(market.job(4).provider.unwrap());
    let other = *PROVIDERS.iter().find(|&&p| p != assigned).unwrap();
    market.ok(assigned, result(4, "out"));
    market.fails(other, ComputeMsg::ChallengeResult { job: JobId(4), output_hash: hash("x") }, 321);
}

#[test]
fn a_dispute_holds_at_most_sixty_four_claims() {
    let mut market = Market::new();
    let verifiers: Vec<u64> = (34..100).collect();
    market.block(verifiers.iter().map(|&v| (v, Msg::Compute(register(BOND, &[("image-xl", 1)])))).collect());
    market.ok(ALICE, job(IMAGE_MODEL, 10, 1_000, 0));
    let assigned = provider_index(market.job(1).provider.unwrap());
    market.ok(assigned, result(1, "out"));
    market.ok(verifiers[0], ComputeMsg::ChallengeResult { job: JobId(1), output_hash: hash("claim 0") });
    let claims = verifiers[1..64]
        .iter()
        .map(|&v| {
            (
                v,
                Msg::Compute(ComputeMsg::ClaimOutput {
                    job: JobId(1),
                    output_hash: hash(&format!("claim {v}")),
                }),
            )
        })
        .collect();
    market.block(claims);
    assert_eq!(market.job(1).dispute.unwrap().claims.len(), 64);
    market.fails(verifiers[64], ComputeMsg::ClaimOutput { job: JobId(1), output_hash: hash("late") }, 325);
}

#[test]
fn job_ids_that_would_run_out_are_refused() {
    let mut market = Market::with(|_| {}, |g| g.compute.next_job = u64::MAX);
    market.fails(ALICE, job(IMAGE_MODEL, 1, 1_000, 0), 328);
}

#[test]
fn demand_above_capacity_admits_the_highest_tips_first_at_base_plus_capped_tip() {
    let mut market = Market::new();
    // 30 jobs of 100 units against 2 000 units of capacity, tips 1..=30, fee cap 1 020.
    let jobs = (1..=30u128).map(|tip| (ALICE, Msg::Compute(job(IMAGE_MODEL, 100, 1_020, tip)))).collect();
    market.block(jobs);
    for id in 1..=30u64 {
        let job = market.job(id);
        let tip = u128::from(id);
        if tip > 10 {
            assert_eq!(job.status, JobStatus::Admitted, "tip {tip}");
            assert_eq!(job.held, Amount::new(100 * (1_000 + tip.min(20))), "base plus the capped tip");
        } else {
            assert_eq!((job.status, job.held), (JobStatus::Queued, Amount::new(100 * 1_020)), "tip {tip}");
        }
    }
    // Full capacity against a target of half: the fee rises by an eighth.
    assert_eq!(market.class("image-xl").base_fee, Amount::new(1_125));
    // The waiting jobs' cap is below the new fee: they wait while it decays back to the minimum.
    market.idle(1);
    assert_eq!(market.job(1).status, JobStatus::Queued);
    assert_eq!(market.class("image-xl").base_fee, Amount::new(1_000));
    market.idle(1);
    assert!((1..=10).all(|id| market.job(id).status == JobStatus::Admitted));
}

#[test]
fn ties_in_tip_are_admitted_by_age_then_by_id() {
    let mut market = Market::new();
    market.ok(ALICE, job(TEXT_MODEL, 60, 20, 5));
    market.block(vec![
        (BOB, Msg::Compute(job(TEXT_MODEL, 60, 20, 5))),
        (ALICE, Msg::Compute(job(TEXT_MODEL, 60, 20, 5))),
    ]);
    // text-small gets room for one job a block: the oldest job first, then the lowest id.
    market.ok(12, register(BOND, &[("text-small", 60)]));
    assert_eq!(market.job(1).status, JobStatus::Admitted);
    market.idle(1);
    assert_eq!((market.job(2).status, market.job(3).status), (JobStatus::Admitted, JobStatus::Queued));
}

#[test]
fn a_hot_class_raises_only_its_own_base_fee_and_an_idle_class_decays() {
    let mut market = Market::new();
    market.ok(12, register(BOND, &[("text-small", 100)]));
    market.block((0..20).map(|_| (ALICE, Msg::Compute(job(IMAGE_MODEL, 100, 2_000, 0)))).collect());
    assert_eq!(
        (market.class("image-xl").base_fee, market.class("text-small").base_fee),
        (Amount::new(1_125), Amount::new(10))
    );
    market.ok(BOB, job(TEXT_MODEL, 100, 20, 0));
    assert_eq!(market.class("text-small").base_fee, Amount::new(11));
    assert_eq!(
        market.class("image-xl").base_fee,
        Amount::new(1_000),
        "idle: 1 125 - 1 125/8, floored at the minimum"
    );
    market.idle(1);
    assert_eq!(market.class("text-small").base_fee, Amount::new(10));
}

/// A market of four image providers with a job of Alice's answered with `output`; returns the
/// assigned provider and the three others.
fn answered(market: &mut Market, output: &str) -> (u64, Vec<u64>) {
    four_providers(market);
    market.ok(ALICE, job(IMAGE_MODEL, 100, 2_000, 300));
    let assigned = provider_index(market.job(1).provider.unwrap());
    market.ok(assigned, result(1, output));
    (assigned, PROVIDERS.iter().copied().filter(|&p| p != assigned).collect())
}

fn bond(market: &Market, who: u64) -> u128 {
    query::provider(&market.chain.store, &dev_address(who)).unwrap().unwrap().bond.get()
}

fn claim(job: u64, output: &str) -> Msg {
    Msg::Compute(ComputeMsg::ClaimOutput { job: JobId(job), output_hash: hash(output) })
}

#[test]
fn a_wrong_result_challenged_by_verifiers_costs_the_provider_its_bond_and_refunds_the_requester() {
    let mut market = Market::new();
    let alice_before = market.balance(ALICE);
    let (cheat, verifiers) = answered(&mut market, "wrong.png");
    let challenger_before = market.balance(verifiers[0]);
    let fee = market
        .ok(verifiers[0], ComputeMsg::ChallengeResult { job: JobId(1), output_hash: hash("right.png") })
        .receipts[0]
        .fee
        .get();
    assert_eq!(market.job(1).status, JobStatus::Disputed);
    let resolved =
        market.block(vec![(verifiers[1], claim(1, "right.png")), (verifiers[2], claim(1, "right.png"))]);
    assert_eq!(market.job(1).status, JobStatus::Overturned);
    assert_eq!(bond(&market, cheat), 0, "the whole bond");
    let slashed = query::provider(&market.chain.store, &dev_address(cheat)).unwrap().unwrap();
    assert_eq!(slashed.status, ProviderStatus::Suspended);
    assert_eq!(market.class("image-xl").capacity, 3_000, "a suspended provider takes no jobs");
    assert_eq!(market.balance(verifiers[0]), challenger_before - fee + BOND, "the bond goes to the winner");
    // Alice paid only her transaction fees: everything held for the job came back.
    assert_eq!(market.balance(ALICE), alice_before - market.fees_paid(ALICE));
    let events = compute_events(&[resolved]);
    assert!(events.contains(&ComputeEvent::DisputeResolved {
        job: JobId(1),
        upheld: false,
        loser: Some(dev_address(cheat))
    }));
}

#[test]
fn a_challenge_the_verifiers_reject_costs_the_challenger_and_the_job_settles() {
    let mut market = Market::with(|p| p.dispute_quorum = 2, |_| {});
    let (honest, verifiers) = answered(&mut market, "right.png");
    market.ok(verifiers[0], ComputeMsg::ChallengeResult { job: JobId(1), output_hash: hash("other.png") });
    let honest_before = market.balance(honest);
    market.block(vec![(verifiers[1], claim(1, "right.png")), (verifiers[2], claim(1, "right.png"))]);
    assert_eq!(market.job(1).status, JobStatus::Settled);
    assert_eq!(bond(&market, verifiers[0]), 0);
    assert_eq!(bond(&market, honest), BOND);
    // The honest provider got the challenger's bond and its pay for the job.
    assert_eq!(market.balance(honest) - honest_before, BOND + 92_000);
}

#[test]
fn a_dispute_without_a_quorum_lets_the_result_stand_and_slashes_nobody() {
    let mut market = Market::new();
    let (provider, verifiers) = answered(&mut market, "out.png");
    market.ok(verifiers[0], ComputeMsg::ChallengeResult { job: JobId(1), output_hash: hash("other.png") });
    market.block(vec![(verifiers[1], claim(1, "third.png"))]);
    market.idle(18);
    assert_eq!(market.job(1).status, JobStatus::Disputed);
    market.idle(1);
    assert_eq!(market.job(1).status, JobStatus::Settled);
    assert_eq!((bond(&market, provider), bond(&market, verifiers[0])), (BOND, BOND));
    let challenger = query::provider(&market.chain.store, &dev_address(verifiers[0])).unwrap().unwrap();
    assert_eq!(challenger.open, 0, "the dispute no longer holds the challenger's bond");
}

#[test]
fn a_missed_deadline_refunds_the_requester_in_full_and_penalises_the_provider() {
    let mut market = Market::new();
    let before = market.balance(ALICE);
    market.ok(ALICE, job(IMAGE_MODEL, 100, 2_000, 300));
    let late = provider_index(market.job(1).provider.unwrap());
    let treasury_before = market.chain.balance(&treasury(), atelier_primitives::Denom::GDC).get();
    market.idle(19);
    assert_eq!(market.job(1).status, JobStatus::Admitted);
    market.idle(1);
    assert_eq!(market.job(1).status, JobStatus::Missed);
    market.fails(late, result(1, "too late"), 320);
    assert_eq!(market.balance(ALICE), before - market.fees_paid(ALICE));
    // 1% of the bond, to the treasury; still above the minimum? No: 99% of the minimum is below
    // it, so the provider is suspended until it tops its bond up.
    assert_eq!(bond(&market, late), BOND - BOND / 100);
    assert_eq!(
        market.chain.balance(&treasury(), atelier_primitives::Denom::GDC).get() - treasury_before,
        BOND / 100
    );
    let provider = query::provider(&market.chain.store, &dev_address(late)).unwrap().unwrap();
    assert_eq!(provider.status, ProviderStatus::Suspended);
    let top_up = ComputeMsg::UpdateProvider {
        endpoint: String::new(),
        capacities: Vec::new(),
        add_bond: Amount::new(BOND / 100),
    };
    market.ok(late, top_up);
    assert_eq!(
        query::provider(&market.chain.store, &dev_address(late)).unwrap().unwrap().status,
        ProviderStatus::Active
    );
    assert_eq!(market.class("image-xl").capacity, 2_000);
}

#[test]
fn a_queued_job_can_be_cancelled_or_expires_and_either_way_is_refunded_in_full() {
    let mut market = Market::with(|p| p.queue_timeout_blocks = 5, |_| {});
    let before = market.balance(ALICE);
    market.ok(ALICE, job(TEXT_MODEL, 10, 50, 1));
    market.ok(ALICE, job(TEXT_MODEL, 10, 50, 1));
    assert_eq!(market.class("text-small").queued, 2);
    market.ok(ALICE, ComputeMsg::CancelJob { job: JobId(1) });
    assert_eq!(market.job(1).status, JobStatus::Cancelled);
    market.idle(3);
    assert_eq!(market.job(2).status, JobStatus::Queued);
    market.idle(1);
    assert_eq!(market.job(2).status, JobStatus::Expired);
    assert_eq!(market.class("text-small").queued, 0);
    assert_eq!(market.balance(ALICE), before - market.fees_paid(ALICE));
}

/// Adds `count` contributors of one share each to dataset 1, a thousand per transaction.
fn add_contributors(market: &mut Market, count: u64) {
    let batches: Vec<(u64, Msg)> = (0..count.div_ceil(1_000))
        .map(|batch| {
            let contributors = (batch * 1_000..((batch + 1) * 1_000).min(count))
                .map(|i| {
                    let mut bytes = [0u8; 20];
                    bytes[..8].copy_from_slice(&i.to_be_bytes());
                    bytes[19] = 0xC0;
                    ContributorShares { contributor: Address(bytes), shares: 1 }
                })
                .collect();
            (DATA_OWNER, Msg::Registry(RegistryMsg::AddContributors { dataset: DatasetId(1), contributors }))
        })
        .collect();
    for chunk in batches.chunks(100) {
        market.block(chunk.to_vec());
    }
}

/// Runs one job to settlement; returns the gas its messages used and the number of state writes
/// of the block that settled it.
fn settle_one_job(market: &mut Market) -> (Vec<u64>, usize) {
    let submitted = market.ok(ALICE, job(IMAGE_MODEL, 100, 2_000, 300));
    let id = market.job_count();
    let provider = provider_index(market.job(id).provider.unwrap());
    let answered = market.ok(provider, result(id, "out"));
    let mut blocks = market.idle(10);
    let settling = blocks.pop().unwrap();
    assert_eq!(market.job(id).status, JobStatus::Settled);
    // A provider's first reputation checkpoint of an epoch also bumps its checkpoint counter; which
    // provider the draw picks is not what this compares, so the counters are left out.
    let writes = settling
        .commit
        .changes
        .sorted()
        .iter()
        .filter(|(key, _)| !key.starts_with(b"staking/checkpoints/"))
        .count();
    (vec![submitted.receipts[0].gas_used, answered.receipts[0].gas_used], writes)
}

impl Market {
    fn job_count(&self) -> u64 {
        atelier_protocol::genesis::export(&self.chain.store, &self.chain.head).unwrap().compute.next_job - 1
    }
}

#[test]
fn a_job_for_a_model_with_a_hundred_thousand_contributors_costs_what_one_with_two_costs() {
    let mut few = Market::new();
    let mut many = Market::new();
    add_contributors(&mut many, 100_000);
    // Settle once in each first, so that both settlements below touch existing balances alike.
    settle_one_job(&mut few);
    settle_one_job(&mut many);
    let (few_gas, few_writes) = settle_one_job(&mut few);
    let (many_gas, many_writes) = settle_one_job(&mut many);
    assert_eq!(few_gas, many_gas, "gas");
    assert_eq!(few_writes, many_writes, "state writes of the settling block");
    let dataset = registry::query::dataset(&many.chain.store, DatasetId(1)).unwrap().unwrap();
    assert_eq!(dataset.contributors, 100_002);
    let (owed, dust) =
        registry::query::owed_and_dust(&many.chain.store, DatasetId(1), &atelier_primitives::Denom::GDC)
            .unwrap()
            .unwrap();
    assert_eq!(
        owed.get() + dust.get(),
        dataset.gdc.paid_in.get(),
        "everything paid is owed to someone or dust"
    );
}

#[test]
fn every_contributor_claims_its_share_and_claims_plus_dust_equal_what_jobs_paid() {
    let mut market = Market::new();
    add_contributors(&mut market, 998);
    for _ in 0..3 {
        settle_one_job(&mut market);
    }
    let paid =
        registry::query::dataset(&market.chain.store, DatasetId(1)).unwrap().unwrap().gdc.paid_in.get();
    assert_eq!(paid, 3 * 15_000);
    let (_, dust) =
        registry::query::owed_and_dust(&market.chain.store, DatasetId(1), &atelier_primitives::Denom::GDC)
            .unwrap()
            .unwrap();
    // The two named contributors claim by transaction; the thousand others are test addresses
    // without keys, so their claimable amounts are what a claim would pay.
    let mut claimed = 0;
    for (contributor, _) in CONTRIBUTORS {
        let before = market.balance(contributor);
        let claim = RegistryMsg::ClaimRoyalties { dataset: DatasetId(1) };
        let fee = market.block(vec![(contributor, Msg::Registry(claim))]).receipts[0].fee.get();
        claimed += market.balance(contributor) + fee - before;
    }
    let (owed_to_others, _) =
        registry::query::owed_and_dust(&market.chain.store, DatasetId(1), &atelier_primitives::Denom::GDC)
            .unwrap()
            .unwrap();
    assert_eq!(claimed + owed_to_others.get() + dust.get(), paid);
    assert!(dust.get() <= 3 + 1_000, "at most a unit per payment and per contributor");
}

/// One step of a random job flow.
#[derive(Debug, Clone)]
enum Step {
    Submit { requester: u64, text: bool, units: u64, max_fee: u128, tip: u128, deterministic: bool },
    Answer { pick: usize, honest: bool },
    Challenge { pick: usize, verifier: usize },
    Claim { pick: usize, verifier: usize, honest: bool },
    Cancel { pick: usize },
    Idle,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (prop::sample::select(vec![ALICE, BOB]), any::<bool>(), 1u64..1_500, 900u128..1_600, 0u128..400, prop::bool::weighted(0.85))
            .prop_map(|(requester, text, units, max_fee, tip, deterministic)| Step::Submit {
                requester, text, units, max_fee: if text { max_fee / 50 } else { max_fee }, tip: tip.min(max_fee / 50), deterministic
            }),
        4 => (any::<usize>(), any::<bool>()).prop_map(|(pick, honest)| Step::Answer { pick, honest }),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(pick, verifier)| Step::Challenge { pick, verifier }),
        3 => (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(pick, verifier, honest)| Step::Claim { pick, verifier, honest }),
        1 => any::<usize>().prop_map(|pick| Step::Cancel { pick }),
        2 => Just(Step::Idle),
    ]
}

/// The image providers that may verify `job`: not its provider, nor `challenger`.
fn verifiers(job: &Job, challenger: Option<Address>) -> Vec<u64> {
    let party = |p: u64| job.provider == Some(dev_address(p)) || challenger == Some(dev_address(p));
    PROVIDERS.iter().copied().filter(|&p| !party(p)).collect()
}

/// Plays `steps` (each a block, whose messages may fail: that is part of the flow), then lets
/// every deadline pass. Returns the state roots.
fn play(steps: &[Step]) -> Vec<Hash> {
    let mut market = Market::with(
        |p| {
            p.dispute_quorum = 2;
            p.queue_timeout_blocks = 8;
            p.result_deadline_blocks = 4;
            p.challenge_window_blocks = 6;
            p.dispute_window_blocks = 4;
        },
        |_| {},
    );
    four_providers(&mut market);
    market.ok(14, register(BOND, &[("text-small", 3_000)]));
    let mut roots = Vec::new();
    let mut blocks = Vec::new();
    let with_status = |market: &Market, status: JobStatus, pick: usize| -> Option<Job> {
        let jobs: Vec<Job> =
            (1..=market.job_count()).map(|id| market.job(id)).filter(|j| j.status == status).collect();
        (!jobs.is_empty()).then(|| jobs[pick % jobs.len()].clone())
    };
    for step in steps {
        let msg: Option<(u64, ComputeMsg)> = match *step {
            Step::Submit { requester, text, units, max_fee, tip, deterministic } => {
                let mut msg = job(if text { TEXT_MODEL } else { IMAGE_MODEL }, units, max_fee, tip);
                if let ComputeMsg::SubmitJob { deterministic: d, .. } = &mut msg {
                    *d = deterministic;
                }
                Some((requester, msg))
            }
            Step::Answer { pick, honest } => with_status(&market, JobStatus::Admitted, pick).map(|j| {
                let output = if honest { "right" } else { "wrong" };
                (provider_index(j.provider.unwrap()), result(j.id.0, output))
            }),
            Step::Challenge { pick, verifier } => with_status(&market, JobStatus::Submitted, pick).map(|j| {
                let others = verifiers(&j, None);
                let challenge = ComputeMsg::ChallengeResult { job: j.id, output_hash: hash("right") };
                (others[verifier % others.len()], challenge)
            }),
            Step::Claim { pick, verifier, honest } => {
                with_status(&market, JobStatus::Disputed, pick).map(|j| {
                    let others = verifiers(&j, j.dispute.as_ref().map(|d| d.challenger));
                    let output = if honest { "right" } else { "wrong" };
                    (
                        others[verifier % others.len()],
                        ComputeMsg::ClaimOutput { job: j.id, output_hash: hash(output) },
                    )
                })
            }
            Step::Cancel { pick } => with_status(&market, JobStatus::Queued, pick).map(|j| {
                (
                    if j.requester == dev_address(ALICE) { ALICE } else { BOB },
                    ComputeMsg::CancelJob { job: j.id },
                )
            }),
            Step::Idle => None,
        };
        let block = match msg {
            Some((sender, msg)) => market.block(vec![(sender, Msg::Compute(msg))]),
            None => market.chain.produce(Vec::new()),
        };
        roots.push(block.block.header.state_root);
        blocks.push(block);
    }
    blocks.extend(market.idle(30));
    let jobs: Vec<Job> = (1..=market.job_count()).map(|id| market.job(id)).collect();
    // Every settlement's parts sum exactly to the job's price.
    for event in compute_events(&blocks) {
        if let ComputeEvent::JobSettled {
            job, treasury, datasets, fine_tuners, burned, provider_paid, ..
        } = event
        {
            let job = &jobs[job.0 as usize - 1];
            let price = u128::from(job.units) * (job.base_fee_per_unit.get() + job.tip_paid_per_unit.get());
            let parts = [treasury, datasets, fine_tuners, burned, provider_paid]
                .iter()
                .map(|a| a.get())
                .sum::<u128>();
            assert_eq!(parts, price, "job {}", job.id);
        }
    }
    assert!(
        jobs.iter().all(|j| j.status.is_final() || j.status == JobStatus::Queued),
        "every deadline passed"
    );
    let settled = jobs.iter().filter(|j| j.status == JobStatus::Settled).count() as u64;
    let assets = atelier_protocol::genesis::export(&market.chain.store, &market.chain.head)
        .unwrap()
        .provenance
        .next_asset
        - 1;
    assert_eq!(settled, assets, "one asset per settled job");
    let held: u128 = jobs.iter().map(|j| j.held.get()).sum::<u128>()
        + query::providers(&market.chain.store, None, usize::MAX)
            .unwrap()
            .iter()
            .map(|p| p.bond.get())
            .sum::<u128>();
    assert_eq!(market.chain.balance(&account(), atelier_primitives::Denom::GDC).get(), held);
    roots.push(market.chain.root());
    roots
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Conservation, the compute books and the registry's vault are checked after every block by
    /// the test chain; this drives them through random flows and replays each one.
    #[test]
    fn conservation_holds_over_random_job_flows_and_a_replay_reaches_the_same_roots(
        steps in prop::collection::vec(step(), 1..40),
    ) {
        let first = play(&steps);
        prop_assert_eq!(play(&steps), first);
    }
}

fn with_lineage(msg: ComputeMsg, parents: &[u64], share: u32, license_fee: u128) -> ComputeMsg {
    let mut msg = msg;
    if let ComputeMsg::SubmitJob { parents: p, policy, .. } = &mut msg {
        *p = parents.iter().copied().map(provenance::AssetId).collect();
        *policy = provenance::RoyaltyPolicy { share: bps(share), license_fee: Amount::new(license_fee) };
    }
    msg
}

#[test]
fn a_remix_job_pays_its_parents_license_fee_and_its_asset_remembers_where_it_came_from() {
    let mut market = Market::new();
    market.fails(BOB, with_lineage(job(IMAGE_MODEL, 100, 2_000, 0), &[7], 0, 0), 401);
    market.ok(ALICE, with_lineage(job(IMAGE_MODEL, 100, 2_000, 0), &[], 500, 2_000));
    let provider = provider_index(market.job(1).provider.unwrap());
    market.ok(provider, result(1, "fox.png"));
    market.idle(10);
    let original = market.job(1).asset.unwrap();
    market.ok(BOB, with_lineage(job(IMAGE_MODEL, 100, 2_000, 0), &[original.0], 0, 0));
    let vault = revenue::VaultId::Asset(original);
    let paid = revenue::query::position(&market.chain.store, &vault, &dev_address(ALICE)).unwrap().unwrap();
    assert_eq!(paid.claimable_gdc, Amount::new(2_000), "the license fee, paid at submission");
    let provider = provider_index(market.job(2).provider.unwrap());
    market.ok(provider, result(2, "fox-remix.png"));
    market.idle(10);
    let remix = provenance::query::asset(&market.chain.store, market.job(2).asset.unwrap()).unwrap().unwrap();
    assert_eq!(remix.parents, vec![provenance::Edge { parent: original, share: bps(500) }]);
    assert_eq!(remix.source_type, provenance::DigitalSourceType::CompositeWithTrainedAlgorithmicMedia);
    assert_eq!(remix.prompt_history, vec![hash("a red fox")]);
    assert_eq!(remix.datasets, vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }]);
    assert_eq!(remix.stack_total(), bps(500));
}

/// A model declares its style, or a fine-tune keeps its parent's; each admitted job counts under
/// its model's style in its epoch (jobs, units, what admission charged), and the epoch's report
/// lists the same when the epoch closes.
#[test]
fn demand_is_counted_per_style_per_epoch_and_reported_when_the_epoch_closes() {
    let mut market = Market::new();
    market.registry(TUNER, model("image-xl", Some(ModelId(1)), Vec::new(), 100, "ink"));
    let style = |id: u64| {
        atelier_protocol::modules::registry::query::model(&market.chain.store, ModelId(id))
            .unwrap()
            .unwrap()
            .style
    };
    assert_eq!([style(1), style(2), style(3), style(4)], ["botanical", "botanical", "general", "ink"]);

    let submitted = market.block(vec![
        (ALICE, Msg::Compute(job(ModelId(1), 10, 2_000, 0))),
        (ALICE, Msg::Compute(job(ModelId(2), 20, 2_000, 5))),
        (ALICE, Msg::Compute(job(ModelId(4), 5, 2_000, 0))),
    ]);
    let admitted: Vec<(u128, u64)> = [submitted]
        .iter()
        .chain(&market.idle(2))
        .flat_map(|block| {
            block.end_block_events.iter().filter_map(|event| match event {
                Event::Compute(ComputeEvent::JobAdmitted { job, base, tip, .. }) => {
                    Some((base.get() + tip.get(), job.0))
                }
                _ => None,
            })
        })
        .collect();
    assert_eq!(admitted.len(), 3, "every job admitted");
    let paid = |jobs: &[u64]| {
        admitted.iter().filter(|(_, job)| jobs.contains(job)).map(|(fee, _)| fee).sum::<u128>()
    };
    let staking = atelier_protocol::modules::staking::query::params(&market.chain.store).unwrap();
    let epoch = market.height() / staking.epoch_blocks;
    let demand =
        atelier_protocol::modules::registry::query::style_demand(&market.chain.store, epoch).unwrap();
    let seen: Vec<(&str, u64, u64, u128)> =
        demand.iter().map(|d| (d.style.as_str(), d.jobs, d.units, d.fees.get())).collect();
    assert_eq!(seen, vec![("botanical", 2, 30, paid(&[1, 2])), ("ink", 1, 5, paid(&[3]))]);
    assert!(
        atelier_protocol::modules::registry::query::style_demand(&market.chain.store, epoch + 1)
            .unwrap()
            .is_empty()
    );

    let left = staking.epoch_blocks - market.height() % staking.epoch_blocks;
    market.idle(left);
    let report =
        atelier_protocol::modules::treasury::query::report(&market.chain.store, epoch).unwrap().unwrap();
    assert_eq!(report.styles, demand);
}
