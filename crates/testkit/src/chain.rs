//! [`TestChain`]: a chain in one process over the in-memory store.

use atelier_primitives::{Address, Amount, Denom, Hash, crypto::BatchVerifier};
use atelier_protocol::{
    Block, BlockError, BlockEvidence, ExecutedBlock, Genesis, Header, Msg, SignatureCheck, SignedTx,
    apply_block, build_block, init_chain, invariants,
    modules::{auth, bank},
};
use atelier_state::MemoryStore;

use crate::{
    factory::TxFactory,
    keys::{dev_address, dev_key},
};

/// Milliseconds between test blocks.
pub const BLOCK_INTERVAL_MS: u64 = 1_000;

/// A chain over [`MemoryStore`] that checks every invariant after every block it commits.
#[derive(Debug, Clone)]
pub struct TestChain {
    /// The state.
    pub store: MemoryStore,
    /// The last committed header.
    pub head: Header,
    /// Who proposes blocks built here.
    pub proposer: Address,
}

impl TestChain {
    /// Starts a chain from `genesis`; panics if the genesis is invalid (tests build valid ones).
    pub fn new(genesis: Genesis) -> TestChain {
        let mut store = MemoryStore::new();
        let state = init_chain(&store, genesis).expect("valid test genesis");
        store.commit(state.commit);
        TestChain { store, head: state.header, proposer: Address::module("test-proposer") }
    }

    /// A factory for this chain's transactions.
    pub fn factory(&self) -> TxFactory {
        let params = atelier_protocol::modules::fees::query::params(&self.store).expect("fee params");
        TxFactory::new(self.head.chain_id.clone(), params.gas)
    }

    /// Builds, commits and checks the next block from `candidates`, verifying signatures.
    pub fn produce(&mut self, candidates: Vec<SignedTx>) -> ExecutedBlock {
        let executed = self.build(candidates);
        self.commit(&executed);
        executed
    }

    /// Produces the next block from `msgs`, each `(dev key index, message)` signed as its own
    /// transaction with the sender's next nonces, in order.
    pub fn block_of(&mut self, msgs: Vec<(u64, Msg)>) -> ExecutedBlock {
        let factory = self.factory();
        let mut nonces = std::collections::BTreeMap::new();
        let txs = msgs
            .into_iter()
            .map(|(sender, msg)| {
                let nonce = nonces.entry(sender).or_insert_with(|| self.nonce(&dev_address(sender)));
                let tx = factory.tx(&dev_key(sender), *nonce, vec![msg]);
                *nonce += 1;
                tx
            })
            .collect();
        self.produce(txs)
    }

    /// Produces `count` empty blocks.
    pub fn idle(&mut self, count: u64) {
        for _ in 0..count {
            self.produce(Vec::new());
        }
    }

    /// Builds the next block, one interval after the head, without committing it.
    pub fn build(&self, candidates: Vec<SignedTx>) -> ExecutedBlock {
        self.build_with_evidence(candidates, Vec::new())
    }

    /// Builds the next block carrying `evidence` of validators' misbehavior and participation,
    /// without committing it.
    pub fn build_with_evidence(
        &self,
        candidates: Vec<SignedTx>,
        evidence: impl Into<BlockEvidence>,
    ) -> ExecutedBlock {
        let time = self.head.time_ms + BLOCK_INTERVAL_MS;
        let signatures = SignatureCheck::Verify(&BatchVerifier);
        build_block(&self.store, &self.head, time, self.proposer, candidates, evidence.into(), signatures)
            .expect("building a block never fails on valid state")
    }

    /// Builds the next block from `candidates` without checking signatures or committing it: a
    /// benchmark's fixture, timed with [`TestChain::replay`].
    pub fn build_unchecked(&self, candidates: Vec<SignedTx>) -> ExecutedBlock {
        let time = self.head.time_ms + BLOCK_INTERVAL_MS;
        build_block(
            &self.store,
            &self.head,
            time,
            self.proposer,
            candidates,
            BlockEvidence::default(),
            SignatureCheck::Skip,
        )
        .expect("building a block never fails on valid state")
    }

    /// Applies `block` on the head again, without checking signatures or committing it, and
    /// returns the state root it leads to: what a benchmark times.
    pub fn replay(&self, block: &Block) -> Hash {
        apply_block(&self.store, &self.head, block.clone(), SignatureCheck::Skip)
            .expect("the block applies")
            .commit
            .root
    }

    /// Builds, commits and checks the next block, carrying `evidence`.
    pub fn produce_with_evidence(&mut self, evidence: impl Into<BlockEvidence>) -> ExecutedBlock {
        let executed = self.build_with_evidence(Vec::new(), evidence);
        self.commit(&executed);
        executed
    }

    /// Applies a block built elsewhere; commits only if it is valid.
    pub fn apply(&mut self, block: Block) -> Result<ExecutedBlock, BlockError> {
        let executed = apply_block(&self.store, &self.head, block, SignatureCheck::Verify(&BatchVerifier))?;
        self.commit(&executed);
        Ok(executed)
    }

    fn commit(&mut self, executed: &ExecutedBlock) {
        self.store.commit(executed.commit.clone());
        self.head = executed.block.header.clone();
        let violations = invariants::check_all(&self.store).expect("state readable");
        assert!(violations.is_empty(), "invariants broken at height {}: {violations:?}", self.head.height);
        assert_eq!(self.store.root(), self.head.state_root);
    }

    /// What `address` holds of `denom`.
    pub fn balance(&self, address: &Address, denom: Denom) -> Amount {
        bank::query::balance(&self.store, address, &denom).expect("state readable")
    }

    /// The next nonce of `address`.
    pub fn nonce(&self, address: &Address) -> u64 {
        auth::query::nonce(&self.store, address).expect("state readable")
    }

    /// The current state root.
    pub fn root(&self) -> Hash {
        self.store.root()
    }
}
