//! The compute market: each message's success and failure codes (a failed message changes
//! nothing), pricing by tip and base fee per class, the settlement waterfall, verification and
//! disputes, deadlines, and conservation over random job flows.

use atelier_primitives::{Address, Amount, Bps, Hash};
use atelier_protocol::{
    ExecutedBlock, Genesis, Msg, TxOutcome,
    event::Event,
    modules::{
        compute::{
            ClassCapacity, ComputeEvent, ComputeMsg, ComputeParams, Job, JobId, JobStatus, ProviderStatus, account,
            query, treasury,
        },
        provenance,
        registry::{self, ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
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
}

impl Market {
    fn new() -> Market {
        Market::with(|_| {}, |_| {})
    }

    /// A market whose params and genesis the test adjusts; the datasets, models and the first two
    /// image providers are registered.
    fn with(params: impl FnOnce(&mut ComputeParams), genesis: impl FnOnce(&mut Genesis)) -> Market {
        let mut built = GenesisBuilder::new().fund_dev_accounts(100, Amount::new(FUNDS)).compute_params(params).build();
        genesis(&mut built);
        let mut market = Market { chain: TestChain::new(built) };
        let contributors =
            CONTRIBUTORS.iter().map(|&(i, shares)| ContributorShares { contributor: dev_address(i), shares }).collect();
        market.registry(DATA_OWNER, RegistryMsg::RegisterDataset {
            content_hash: hash("images"),
            license: "CC-BY-4.0".into(),
            contributors,
        });
        let model = |class: &str, parent: Option<ModelId>, datasets: Vec<DatasetWeight>, fee: u32| RegistryMsg::RegisterModel {
            class: class.into(),
            parent,
            datasets,
            performance_fee: bps(fee),
        };
        let all_of_dataset_1 = vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }];
        market.registry(BASE_OWNER, model("image-xl", None, all_of_dataset_1.clone(), 500));
        market.registry(TUNER, model("image-xl", Some(ModelId(1)), Vec::new(), 300));
        market.registry(BASE_OWNER, model("text-small", None, all_of_dataset_1, 0));
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
        executed
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

    /// Runs `msg`, expects `code`, and checks that the market, the registry and the assets did
    /// not change (the block's end still runs: nothing else is due in these tests).
    fn fails(&mut self, sender: u64, msg: ComputeMsg, code: u32) {
        let before = self.sections();
        match self.run(sender, msg.clone()).0 {
            TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{msg:?}: {reason}"),
            TxOutcome::Applied => panic!("{msg:?} applied; expected failure {code}"),
        }
        assert_eq!(self.sections(), before, "a failed {msg:?} changed state");
    }

    fn sections(&self) -> String {
        let genesis = atelier_protocol::genesis::export(&self.chain.store, &self.chain.head).unwrap();
        serde_json::to_string(&(genesis.compute, genesis.registry, genesis.provenance)).unwrap()
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

fn register(bond: u128, capacities: &[(&str, u64)]) -> ComputeMsg {
    ComputeMsg::RegisterProvider {
        bond: Amount::new(bond),
        endpoint: "https://gpu.example".into(),
        capacities: capacities.iter().map(|&(class, units)| ClassCapacity { class: class.into(), units }).collect(),
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
    }
}

fn result(id: u64, output: &str) -> ComputeMsg {
    ComputeMsg::SubmitResult { job: JobId(id), output_hash: hash(output) }
}

fn provider_index(address: Address) -> u64 {
    *PROVIDERS.iter().find(|&&p| dev_address(p) == address).expect("a test provider")
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
    let (tuner_before, base_owner_before) = (market.balance(TUNER), market.balance(BASE_OWNER));
    let blocks = market.idle(10);
    let settled = market.job(1);
    assert_eq!(settled.status, JobStatus::Settled);
    assert_eq!(settled.held, Amount::ZERO);
    // Base part 100 000: treasury 10%, datasets 15%, fine-tuner 3% and its parent 5%, burn 5%;
    // the provider keeps the other 62% and the whole 30 000 tip.
    let settlement = compute_events(&blocks).into_iter().find(|e| matches!(e, ComputeEvent::JobSettled { .. })).unwrap();
    let ComputeEvent::JobSettled { treasury: t, datasets, fine_tuners, burned, provider_paid, asset, .. } = settlement else {
        unreachable!()
    };
    assert_eq!(
        [t, datasets, fine_tuners, burned, provider_paid].map(|a| a.get()),
        [10_000, 15_000, 8_000, 5_000, 92_000]
    );
    assert_eq!(market.chain.balance(&treasury(), atelier_primitives::Denom::GDC).get() - treasury_before, 10_000);
    assert_eq!((market.balance(TUNER) - tuner_before, market.balance(BASE_OWNER) - base_owner_before), (3_000, 5_000));
    assert_eq!(
        market.chain.balance(&provider, atelier_primitives::Denom::GDC).get(),
        provider_before - answer_fee + 92_000
    );
    let stake = registry::query::stake(&market.chain.store, DatasetId(1), &dev_address(30)).unwrap().unwrap();
    assert_eq!(stake.claimable, Amount::new(11_250), "3 of 4 shares of 15 000");
    let minted = provenance::query::asset(&market.chain.store, asset).unwrap().unwrap();
    assert_eq!((minted.owner, minted.model, minted.job, minted.output_hash), (dev_address(ALICE), IMAGE_MODEL, JobId(1), hash("fox.png")));
    assert_eq!(settled.asset, Some(asset));
}
