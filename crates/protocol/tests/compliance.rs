//! Compliance: each message's success and failure codes with state unchanged; only the attester
//! revokes, once; an expired attestation stops new jobs; a revoked dataset stops every model that
//! inherits it, fine-tunes of fine-tunes included, and a job in flight settles the lineage's parts
//! into escrow; upheld and rejected disputes move exactly the bonds, slashes and rewards stated; a
//! tagged model earns nothing afterwards and cannot be fine-tuned, a tagged asset cannot be
//! remixed; conservation over random compliance flows.

use atelier_primitives::{Amount, Bps, Denom, Hash};
use atelier_protocol::{
    ExecutedBlock, Genesis, Msg, TxOutcome,
    event::Event,
    modules::{
        compliance::{
            self, AttestationId, ComplianceEvent, ComplianceMsg, DisputeId, FieldName, Gate, Schema,
            SchemaId, Subject,
        },
        compute::{ComputeMsg, JobId, JobStatus},
        provenance::AssetId,
        registry::{ContributorShares, DatasetId, DatasetWeight, ModelId, RegistryMsg},
        staking::{self, StakingMsg},
        treasury::{self, IncomeSource},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address};
use proptest::prelude::*;

const FUNDS: u128 = 10_000_000_000_000;
const STAKE: u128 = 1_000_000_000;
const BOND: u128 = 1_000_000_000;
const REPORT_BOND: u128 = 200_000_000;
const REWARD: u128 = 50_000_000;
const WINDOW: u64 = 5;
const LOCK: u64 = 100;

const DATA_OWNER: u64 = 1;
const BASE_OWNER: u64 = 2;
const TUNER: u64 = 3;
const ATTESTER: u64 = 4;
const ARBITERS: [u64; 3] = [5, 6, 7];
const REPORTER: u64 = 8;
const STRANGER: u64 = 9;
const PROVIDERS: [u64; 2] = [10, 11];
const ALICE: u64 = 20;

const ETHICAL: SchemaId = SchemaId(1);
const AUDIT: SchemaId = SchemaId(2);
/// Model 1 is a base model on dataset 1; model 2 fine-tunes it; model 3 fine-tunes model 2.
const BASE: ModelId = ModelId(1);
const TUNE: ModelId = ModelId(2);
const TUNE_OF_TUNE: ModelId = ModelId(3);

fn bps(v: u32) -> Bps {
    Bps::new(v).unwrap()
}

fn hash(text: &str) -> Hash {
    Hash::digest("test", &[text.as_bytes()])
}

fn genesis(change: impl FnOnce(&mut Genesis)) -> Genesis {
    let mut genesis = [DATA_OWNER, BASE_OWNER, TUNER]
        .iter()
        .fold(GenesisBuilder::new().fund_dev_accounts(30, Amount::new(FUNDS)), |b, i| {
            b.stake(dev_address(*i), Amount::new(STAKE))
        })
        .fund(treasury::account(), Denom::GDC, Amount::new(10 * REWARD))
        .build();
    genesis.staking.params.epoch_blocks = 10;
    let schema = |id, name: &str, revocable| Schema {
        id,
        name: name.into(),
        fields: vec![FieldName("consent".into()), FieldName("license".into())],
        revocable,
    };
    let section = &mut genesis.compliance;
    section.schemas = vec![schema(ETHICAL, "ethical-sourcing", true), schema(AUDIT, "audit", false)];
    section.next_ids[0] = 3;
    section.attesters = vec![dev_address(ATTESTER)];
    let params = &mut section.params;
    params.ethical_schema = Some(ETHICAL);
    params.min_report_bond = Amount::new(REPORT_BOND);
    params.dispute_window_blocks = WINDOW;
    params.arbiters = ARBITERS.iter().map(|i| dev_address(*i)).collect();
    params.arbiter_quorum = 2;
    params.lock_blocks = LOCK;
    params.reporter_reward = Amount::new(REWARD);
    params.max_attestations_per_subject = 3;
    params.max_open_disputes = 2;
    change(&mut genesis);
    genesis
}

struct World {
    chain: TestChain,
}

impl World {
    /// Dataset 1 attested for a long while, the three models, two image providers.
    fn new() -> World {
        World::with(|_| {})
    }

    fn with(change: impl FnOnce(&mut Genesis)) -> World {
        let mut world = World { chain: TestChain::new(genesis(change)) };
        world.ok(
            DATA_OWNER,
            Msg::Registry(RegistryMsg::RegisterDataset {
                content_hash: hash("images"),
                license: "CC-BY-4.0".into(),
                contributors: vec![ContributorShares { contributor: dev_address(DATA_OWNER), shares: 1 }],
            }),
        );
        let far = world.now() + 1_000_000_000;
        world.ok(ATTESTER, attest(ETHICAL, Subject::Dataset(DatasetId(1)), far));
        let datasets = vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }];
        world.ok(BASE_OWNER, model(None, datasets, 500));
        world.ok(TUNER, model(Some(BASE), Vec::new(), 300));
        world.ok(TUNER, model(Some(TUNE), Vec::new(), 200));
        for provider in PROVIDERS {
            world.ok(
                provider,
                Msg::Compute(ComputeMsg::RegisterProvider {
                    bond: Amount::new(BOND),
                    endpoint: "https://gpu.example".into(),
                    capacities: vec![atelier_protocol::modules::compute::ClassCapacity {
                        class: "image-xl".into(),
                        units: 1_000,
                    }],
                }),
            );
        }
        world
    }

    fn now(&self) -> u64 {
        self.chain.head.time_ms
    }

    fn run(&mut self, sender: u64, msg: Msg) -> (TxOutcome, ExecutedBlock) {
        let executed = self.chain.block_of(vec![(sender, msg)]);
        (executed.receipts[0].outcome.clone(), executed)
    }

    fn ok(&mut self, sender: u64, msg: Msg) -> ExecutedBlock {
        let (outcome, executed) = self.run(sender, msg.clone());
        assert_eq!(outcome, TxOutcome::Applied, "{msg:?}");
        executed
    }

    /// `msg` fails with `code` and leaves the compliance section as it was.
    fn fails(&mut self, sender: u64, msg: Msg, code: u32) {
        let before = self.section();
        match self.run(sender, msg.clone()).0 {
            TxOutcome::Failed { code: got, reason, .. } => assert_eq!(got, code, "{msg:?}: {reason}"),
            TxOutcome::Applied => panic!("{msg:?} applied; expected {code}"),
        }
        assert_eq!(self.section(), before, "{msg:?} changed compliance state");
    }

    fn section(&self) -> compliance::ComplianceGenesis {
        atelier_protocol::genesis::export(&self.chain.store, &self.chain.head).unwrap().compliance
    }

    fn balance(&self, who: u64) -> u128 {
        self.chain.balance(&dev_address(who), Denom::GDC).get()
    }

    fn gate(&self, model: ModelId) -> Gate {
        compliance::query::subject(&self.chain.store, &Subject::Model(model), self.now())
            .unwrap()
            .gate
            .unwrap()
    }

    /// Submits a job for `model` as Alice; the provider answers it. Returns its id.
    fn answered_job(&mut self, model: ModelId) -> u64 {
        self.ok(ALICE, job(model, Vec::new()));
        let id = self.jobs();
        let job =
            atelier_protocol::modules::compute::query::job(&self.chain.store, JobId(id)).unwrap().unwrap();
        let provider = PROVIDERS.into_iter().find(|p| Some(dev_address(*p)) == job.provider).unwrap();
        self.ok(
            provider,
            Msg::Compute(ComputeMsg::SubmitResult { job: JobId(id), output_hash: hash("out") }),
        );
        id
    }

    fn jobs(&self) -> u64 {
        atelier_protocol::genesis::export(&self.chain.store, &self.chain.head).unwrap().compute.next_job - 1
    }

    fn settle(&mut self, id: u64) -> Vec<ExecutedBlock> {
        let blocks: Vec<_> = (0..11).map(|_| self.chain.produce(Vec::new())).collect();
        let job =
            atelier_protocol::modules::compute::query::job(&self.chain.store, JobId(id)).unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Settled);
        blocks
    }

    fn bonded(&self, who: u64) -> u128 {
        staking::query::position(&self.chain.store, &dev_address(who)).unwrap().bonded.get()
    }
}

fn attest(schema: SchemaId, subject: Subject, expiry_ms: u64) -> Msg {
    Msg::Compliance(ComplianceMsg::Attest { schema, subject, data_hash: hash("records"), expiry_ms })
}

fn revoke(id: u64) -> Msg {
    Msg::Compliance(ComplianceMsg::Revoke { attestation: AttestationId(id) })
}

fn report(subject: Subject, bond: u128) -> Msg {
    Msg::Compliance(ComplianceMsg::ReportViolation {
        subject,
        evidence_hash: hash("evidence"),
        bond: Amount::new(bond),
    })
}

fn vote(dispute: u64, uphold: bool) -> Msg {
    Msg::Compliance(ComplianceMsg::VoteDispute { dispute: DisputeId(dispute), uphold })
}

fn model(parent: Option<ModelId>, datasets: Vec<DatasetWeight>, fee: u32) -> Msg {
    Msg::Registry(RegistryMsg::RegisterModel {
        class: "image-xl".into(),
        weights_hash: atelier_primitives::Hash::blob(b"a style file"),
        parent,
        datasets,
        performance_fee: bps(fee),
        style: String::new(),
    })
}

fn job(model: ModelId, parents: Vec<AssetId>) -> Msg {
    Msg::Compute(ComputeMsg::SubmitJob {
        model,
        units: 100,
        max_fee_per_unit: Amount::new(2_000),
        tip_per_unit: Amount::new(100),
        prompt_hash: hash("a red fox"),
        params_hash: hash("seed 7"),
        deterministic: true,
        parents,
        policy: Default::default(),
    })
}

fn failed_with(outcome: &TxOutcome) -> u32 {
    match outcome {
        TxOutcome::Failed { code, .. } => *code,
        TxOutcome::Applied => 0,
    }
}

fn compliance_events(blocks: &[ExecutedBlock]) -> Vec<ComplianceEvent> {
    blocks
        .iter()
        .flat_map(|b| b.receipts.iter().flat_map(|r| r.events.iter()).chain(b.end_block_events.iter()))
        .filter_map(|e| match e {
            Event::Compliance(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_compliance_message_fails_with_its_code_and_changes_nothing() {
    let mut world = World::with(|g| g.compliance.params.dispute_window_blocks = 50);
    let dataset = Subject::Dataset(DatasetId(1));
    let later = world.now() + 1_000_000;
    world.fails(ATTESTER, attest(SchemaId(9), dataset, later), 1201);
    world.fails(STRANGER, attest(ETHICAL, dataset, later), 1202);
    world.fails(ATTESTER, attest(ETHICAL, Subject::Dataset(DatasetId(99)), later), 1203);
    world.fails(ATTESTER, attest(ETHICAL, Subject::Asset(AssetId(1)), later), 1203);
    let now = world.now();
    // The next block is one interval later: an expiry at or before it has already passed.
    world.fails(ATTESTER, attest(ETHICAL, dataset, now + 1), 1204);
    world.ok(ATTESTER, attest(AUDIT, dataset, later));
    world.ok(ATTESTER, attest(AUDIT, dataset, later));
    world.fails(ATTESTER, attest(AUDIT, dataset, later), 1205);
    world.fails(ATTESTER, revoke(99), 1206);
    world.fails(STRANGER, revoke(1), 1207);
    world.fails(ATTESTER, revoke(2), 1209);
    world.fails(REPORTER, report(Subject::Model(ModelId(99)), REPORT_BOND), 1203);
    world.fails(REPORTER, report(Subject::Model(BASE), REPORT_BOND - 1), 1210);
    world.ok(REPORTER, report(Subject::Model(BASE), REPORT_BOND));
    world.fails(REPORTER, report(Subject::Model(BASE), REPORT_BOND), 1211);
    world.fails(REPORTER, report(Subject::Dataset(DatasetId(1)), FUNDS * 2), 101);
    world.ok(REPORTER, report(Subject::Model(TUNE), REPORT_BOND));
    world.fails(REPORTER, report(Subject::Model(TUNE_OF_TUNE), REPORT_BOND), 1218);
    world.fails(STRANGER, vote(1, true), 1213);
    world.fails(ARBITERS[0], vote(9, true), 1214);
    world.ok(ARBITERS[0], vote(1, false));
    world.fails(ARBITERS[0], vote(1, true), 1216);
    world.chain.idle(50);
    world.fails(ARBITERS[1], vote(1, true), 1215);
    let mut none = World::with(|g| g.compliance.params.arbiters.clear());
    none.fails(REPORTER, report(Subject::Model(BASE), REPORT_BOND), 1217);
}

#[test]
fn only_the_attester_revokes_an_attestation_and_only_once() {
    let mut world = World::new();
    world.fails(STRANGER, revoke(1), 1207);
    world.fails(DATA_OWNER, revoke(1), 1207);
    let executed = world.ok(ATTESTER, revoke(1));
    assert_eq!(
        compliance_events(&[executed]),
        vec![ComplianceEvent::Revoked { attestation: AttestationId(1) }]
    );
    world.fails(ATTESTER, revoke(1), 1208);
    let view = compliance::query::attestation(&world.chain.store, AttestationId(1)).unwrap().unwrap();
    assert!(view.revoked && !view.is_valid(world.now()));
}

#[test]
fn an_expired_attestation_stops_new_jobs() {
    let mut world = World::new();
    world.ok(
        DATA_OWNER,
        Msg::Registry(RegistryMsg::RegisterDataset {
            content_hash: hash("sketches"),
            license: "CC0".into(),
            contributors: vec![ContributorShares { contributor: dev_address(DATA_OWNER), shares: 1 }],
        }),
    );
    world.ok(BASE_OWNER, model(None, vec![DatasetWeight { dataset: DatasetId(2), weight: Bps::ONE }], 0));
    // Valid for the next two blocks.
    let expiry = world.now() + 3 * 1_000;
    world.ok(ATTESTER, attest(ETHICAL, Subject::Dataset(DatasetId(2)), expiry));
    let sketches = ModelId(4);
    world.ok(ALICE, job(sketches, Vec::new()));
    while world.now() + 1_000 < expiry {
        world.chain.idle(1);
    }
    // The next block's time is the expiry: the attestation no longer holds in it.
    let (outcome, _) = world.run(ALICE, job(sketches, Vec::new()));
    assert_eq!(failed_with(&outcome), 332, "{outcome:?}");
    assert_eq!(world.gate(sketches), Gate::Unattested(DatasetId(2)));
    assert_eq!(world.gate(BASE), Gate::Compliant, "other models are untouched");
    // A new attestation lets it earn again.
    let later = world.now() + 1_000_000;
    world.ok(ATTESTER, attest(ETHICAL, Subject::Dataset(DatasetId(2)), later));
    world.ok(ALICE, job(sketches, Vec::new()));
}

#[test]
fn a_revoked_dataset_stops_every_model_that_inherits_it_and_jobs_in_flight_settle_into_escrow() {
    let mut world = World::new();
    let in_flight = world.answered_job(TUNE_OF_TUNE);
    let dataset_before =
        atelier_protocol::modules::registry::query::dataset(&world.chain.store, DatasetId(1))
            .unwrap()
            .unwrap()
            .gdc
            .paid_in;
    world.ok(ATTESTER, revoke(1));
    for model in [BASE, TUNE, TUNE_OF_TUNE] {
        let (outcome, _) = world.run(ALICE, job(model, Vec::new()));
        assert_eq!(failed_with(&outcome), 332, "model {model}: {outcome:?}");
        assert_eq!(world.gate(model), Gate::Unattested(DatasetId(1)));
    }
    let provider_before: Vec<u128> = PROVIDERS.iter().map(|p| world.balance(*p)).collect();
    let blocks = world.settle(in_flight);
    let withheld: Vec<_> = compliance_events(&blocks)
        .into_iter()
        .filter_map(|e| match e {
            ComplianceEvent::Withheld { model, amount, remediated, .. } => {
                Some((model, amount.get(), remediated))
            }
            _ => None,
        })
        .collect();
    // 100 units at the base fee 1 000 (and a tip the provider keeps): the datasets' 15% and the
    // lineage's 5% + 3% + 2% of the base part.
    let base = 100 * 1_000;
    assert_eq!(withheld, vec![(TUNE_OF_TUNE, base * 15 / 100 + base * 10 / 100, false)]);
    let dataset_after = atelier_protocol::modules::registry::query::dataset(&world.chain.store, DatasetId(1))
        .unwrap()
        .unwrap()
        .gdc
        .paid_in;
    assert_eq!(dataset_after, dataset_before, "the dataset earned nothing");
    let view =
        compliance::query::subject(&world.chain.store, &Subject::Model(TUNE_OF_TUNE), world.now()).unwrap();
    assert_eq!(view.escrow, vec![(Denom::GDC, Amount::new(withheld[0].1))]);
    let paid: u128 =
        PROVIDERS.iter().zip(&provider_before).map(|(p, before)| world.balance(*p) - before).sum();
    assert!(paid > 0, "the provider is paid for its work");
}

#[test]
fn an_upheld_dispute_tags_the_model_slashes_and_locks_its_owner_and_repays_the_reporter_with_a_reward() {
    let mut world = World::new();
    let in_flight = world.answered_job(TUNE);
    let reporter_before = world.balance(REPORTER);
    let treasury_before = world.chain.balance(&treasury::account(), Denom::GDC).get();
    let stake_before = world.bonded(TUNER);
    let (_, reported) = world.run(REPORTER, report(Subject::Model(TUNE), REPORT_BOND));
    let fees = reported.receipts[0].fee.get();
    world.ok(ARBITERS[0], vote(1, true));
    world.ok(ARBITERS[1], vote(1, true));
    world.ok(ARBITERS[2], vote(1, false));
    let mut decided = Vec::new();
    while compliance::query::dispute(&world.chain.store, DisputeId(1)).unwrap().unwrap().dispute.status
        == compliance::DisputeStatus::Open
    {
        decided.push(world.chain.produce(Vec::new()));
    }
    let upheld: Vec<_> = compliance_events(&decided)
        .into_iter()
        .filter(|e| matches!(e, ComplianceEvent::Upheld { .. }))
        .collect();
    let slash = STAKE.div_ceil(10);
    assert_eq!(
        upheld,
        vec![ComplianceEvent::Upheld {
            dispute: DisputeId(1),
            subject: Subject::Model(TUNE),
            owner: dev_address(TUNER),
            slashed: Amount::new(slash),
            reward: Amount::new(REWARD),
            remediated: Amount::ZERO,
        }]
    );
    assert_eq!(world.balance(REPORTER), reporter_before - fees + REWARD, "bond back plus the reward");
    assert_eq!(world.chain.balance(&treasury::account(), Denom::GDC).get(), treasury_before - REWARD);
    assert_eq!(world.bonded(TUNER), stake_before - slash);
    let unstake = Msg::Staking(StakingMsg::Unstake { amount: Amount::new(1) });
    assert_eq!(failed_with(&world.run(TUNER, unstake.clone()).0), 707, "the rest is locked");
    // The tagged model, and the fine-tune of it, earn nothing; its in-flight job goes to remediation.
    assert_eq!(world.gate(TUNE), Gate::Tagged(Subject::Model(TUNE)));
    assert_eq!(world.gate(TUNE_OF_TUNE), Gate::Tagged(Subject::Model(TUNE)));
    assert_eq!(world.gate(BASE), Gate::Compliant);
    assert_eq!(failed_with(&world.run(ALICE, job(TUNE, Vec::new())).0), 332);
    assert_eq!(failed_with(&world.run(ALICE, job(TUNE_OF_TUNE, Vec::new())).0), 332);
    let remediation_before = world.chain.balance(&compliance::remediation(), Denom::GDC).get();
    world.settle(in_flight);
    let remediated = world.chain.balance(&compliance::remediation(), Denom::GDC).get() - remediation_before;
    assert_eq!(remediated, 100 * 1_000 * 15 / 100 + 100 * 1_000 * 8 / 100, "datasets' share and both fees");
    // It cannot be fine-tuned.
    assert_eq!(failed_with(&world.run(TUNER, model(Some(TUNE), Vec::new(), 0)).0), 219);
    // After the lock the rest of the stake moves again.
    world.chain.idle(LOCK);
    assert_eq!(world.run(TUNER, unstake).0, TxOutcome::Applied);
    world.fails(REPORTER, report(Subject::Model(TUNE), REPORT_BOND), 1212);
}

#[test]
fn a_rejected_dispute_sends_exactly_the_bond_to_the_treasury_and_nothing_else_moves() {
    let mut world = World::new();
    let reporter_before = world.balance(REPORTER);
    let treasury_before = world.chain.balance(&treasury::account(), Denom::GDC).get();
    let stake_before = world.bonded(BASE_OWNER);
    let fee = world.ok(REPORTER, report(Subject::Model(BASE), REPORT_BOND)).receipts[0].fee.get();
    world.ok(ARBITERS[0], vote(1, true));
    world.chain.idle(WINDOW);
    let dispute = compliance::query::dispute(&world.chain.store, DisputeId(1)).unwrap().unwrap();
    assert_eq!(
        dispute.dispute.status,
        compliance::DisputeStatus::Rejected,
        "one uphold vote is under the quorum"
    );
    assert_eq!(world.balance(REPORTER), reporter_before - fee - REPORT_BOND);
    assert_eq!(world.chain.balance(&treasury::account(), Denom::GDC).get(), treasury_before + REPORT_BOND);
    let income = treasury::query::income(&world.chain.store).unwrap();
    assert_eq!(
        income.iter().find(|(s, _)| *s == IncomeSource::DisputeBonds).unwrap().1.ugdc.get(),
        REPORT_BOND
    );
    assert_eq!(world.bonded(BASE_OWNER), stake_before);
    assert_eq!(world.gate(BASE), Gate::Compliant);
    world.ok(ALICE, job(BASE, Vec::new()));
}

#[test]
fn a_tagged_asset_cannot_be_remixed_and_its_creator_answers_for_it() {
    let mut world = World::new();
    let id = world.answered_job(BASE);
    world.settle(id);
    world.ok(ALICE, Msg::Staking(StakingMsg::Stake { amount: Amount::new(STAKE) }));
    world.ok(REPORTER, report(Subject::Asset(AssetId(1)), REPORT_BOND));
    world.ok(ARBITERS[0], vote(1, true));
    world.ok(ARBITERS[2], vote(1, true));
    world.chain.idle(WINDOW);
    assert_eq!(world.bonded(ALICE), STAKE - STAKE.div_ceil(10));
    assert_eq!(failed_with(&world.run(ALICE, job(BASE, vec![AssetId(1)])).0), 409);
    world.ok(ALICE, job(BASE, Vec::new()));
}

#[derive(Debug, Clone)]
enum Step {
    /// A job for the model, answered in the next block if admitted.
    Job(ModelId),
    Attest(u64),
    Revoke(u64),
    Report(u8),
    Vote(u64, bool),
    Idle(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => prop::sample::select(vec![BASE, TUNE, TUNE_OF_TUNE]).prop_map(Step::Job),
        1 => (1u64..20).prop_map(Step::Attest),
        2 => (1u64..4).prop_map(Step::Revoke),
        2 => (0u8..5).prop_map(Step::Report),
        3 => (0u64..3, prop::bool::weighted(0.8)).prop_map(|(a, u)| Step::Vote(a, u)),
        3 => (1u64..14).prop_map(Step::Idle),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Over random jobs, attestations, revocations, reports and votes — every block checked for
    /// conservation and the compliance books — what was withheld is exactly what the escrows and
    /// the remediation account received.
    #[test]
    fn withheld_revenue_is_exactly_escrowed_or_remediated_over_random_flows(steps in proptest::collection::vec(step(), 1..50)) {
        let mut world = World::new();
        let mut blocks = Vec::new();
        let subjects = [Subject::Model(BASE), Subject::Model(TUNE), Subject::Model(TUNE_OF_TUNE), Subject::Dataset(DatasetId(1)), Subject::Asset(AssetId(1))];
        for step in steps {
            let msgs: Vec<(u64, Msg)> = match step {
                Step::Job(model) => {
                    blocks.push(world.chain.block_of(vec![(ALICE, job(model, Vec::new()))]));
                    let id = world.jobs();
                    match atelier_protocol::modules::compute::query::job(&world.chain.store, JobId(id)).unwrap() {
                        Some(job) if job.status == JobStatus::Admitted => {
                            let provider = PROVIDERS.into_iter().find(|p| Some(dev_address(*p)) == job.provider).unwrap();
                            vec![(provider, Msg::Compute(ComputeMsg::SubmitResult { job: JobId(id), output_hash: hash("out") }))]
                        }
                        _ => Vec::new(),
                    }
                }
                Step::Attest(blocks_valid) => vec![(ATTESTER, attest(ETHICAL, Subject::Dataset(DatasetId(1)), world.now() + blocks_valid * 1_000))],
                Step::Revoke(id) => vec![(ATTESTER, revoke(id))],
                Step::Report(which) => vec![(REPORTER, report(subjects[which as usize], REPORT_BOND))],
                Step::Vote(arbiter, uphold) => {
                    let last = atelier_protocol::genesis::export(&world.chain.store, &world.chain.head).unwrap().compliance.next_ids[2] - 1;
                    vec![(ARBITERS[arbiter as usize], vote(last.max(1), uphold))]
                }
                Step::Idle(n) => {
                    for _ in 0..n { blocks.push(world.chain.produce(Vec::new())); }
                    Vec::new()
                }
            };
            if !msgs.is_empty() {
                blocks.push(world.chain.block_of(msgs));
            }
        }
        let mut escrowed = 0u128;
        let mut remediated_directly = 0u128;
        let mut moved_to_remediation = 0u128;
        for event in compliance_events(&blocks) {
            match event {
                ComplianceEvent::Withheld { amount, remediated: true, .. } => remediated_directly += amount.get(),
                ComplianceEvent::Withheld { amount, remediated: false, .. } => escrowed += amount.get(),
                ComplianceEvent::Upheld { remediated, .. } => moved_to_remediation += remediated.get(),
                _ => {}
            }
        }
        let section = world.section();
        let still_escrowed: u128 = section.escrows.iter().map(|e| e.amount.get()).sum();
        prop_assert_eq!(still_escrowed + moved_to_remediation, escrowed);
        let remediation = world.chain.balance(&compliance::remediation(), Denom::GDC).get();
        prop_assert_eq!(remediation, remediated_directly + moved_to_remediation);
    }
}
