//! Laws: conservation over random transaction sequences, determinism of state roots, canonical
//! encodings, decoders that never panic, and genesis export as the inverse of init.

use atelier_primitives::{Amount, Decode, Denom, Encode, Height};
use atelier_protocol::{
    Block, Genesis, Header, Msg, Receipt, SignedTx, Tx, genesis, invariants,
    modules::{
        auth::{AccountNonce, AuthGenesis},
        bank::{AccountBalances, BankMsg, Coin},
    },
};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, seeded_rng, strategies};
use proptest::prelude::*;
use rand_core::RngCore;

const ACCOUNTS: u64 = 6;

/// One random action: `(sender, kind, recipient, amount)`.
fn action() -> impl Strategy<Value = (u64, u8, u64, Amount)> {
    (0..ACCOUNTS, 0u8..4, 0..ACCOUNTS, strategies::amount())
}

fn msg_for(kind: u8, to: u64, amount: Amount) -> Msg {
    let to = dev_address(to);
    match kind {
        0 => Msg::Bank(BankMsg::Transfer { to, denom: Denom::GDC, amount }),
        1 => Msg::Bank(BankMsg::Transfer { to, denom: Denom::USD, amount }),
        2 => Msg::Bank(BankMsg::MintStable { to, amount }),
        _ => Msg::Bank(BankMsg::BurnStable { amount }),
    }
}

fn funded_chain() -> TestChain {
    TestChain::new(GenesisBuilder::new().fund_dev_accounts(ACCOUNTS, Amount::new(10_000_000_000)).build())
}

/// Turns actions into signed transactions with correct nonces, `per_block` per block.
fn blocks_of(chain: &TestChain, actions: &[(u64, u8, u64, Amount)], per_block: usize) -> Vec<Vec<SignedTx>> {
    let factory = chain.factory();
    let mut nonces = [0u64; ACCOUNTS as usize];
    let txs: Vec<SignedTx> = actions
        .iter()
        .map(|&(from, kind, to, amount)| {
            let nonce = &mut nonces[from as usize];
            let tx = factory.tx(&dev_key(from), *nonce, vec![msg_for(kind, to, amount)]);
            *nonce += 1;
            tx
        })
        .collect();
    txs.chunks(per_block.max(1)).map(<[SignedTx]>::to_vec).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn supply_is_conserved_after_every_block_of_random_transactions(
        actions in prop::collection::vec(action(), 1..40),
        per_block in 1usize..8,
    ) {
        let mut chain = funded_chain();
        for txs in blocks_of(&chain, &actions, per_block) {
            let count = txs.len();
            let executed = chain.produce(txs);
            // Every transaction is funded and correctly sequenced, so all are included.
            prop_assert_eq!(executed.block.txs.len(), count, "skipped: {:?}", executed.skipped);
            prop_assert!(invariants::check_all(&chain.store).unwrap().is_empty());
        }
    }

    #[test]
    fn a_validator_applying_the_proposers_blocks_reaches_the_same_roots(
        actions in prop::collection::vec(action(), 1..30),
        per_block in 1usize..6,
    ) {
        let mut proposer = funded_chain();
        let mut validator = funded_chain();
        for txs in blocks_of(&proposer, &actions, per_block) {
            let built = proposer.produce(txs);
            let applied = validator.apply(built.block.clone()).expect("a proposer's block is valid");
            prop_assert_eq!(&applied.receipts, &built.receipts);
            prop_assert_eq!(validator.root(), proposer.root());
        }
    }

    #[test]
    fn encode_then_decode_is_the_identity_for_transactions(tx in strategies::signed_tx()) {
        let bytes = tx.to_bytes();
        let decoded = SignedTx::from_bytes(&bytes).unwrap();
        prop_assert_eq!(decoded.hash(), tx.hash());
        prop_assert_eq!(decoded.hash(), decoded.tx().hash());
        prop_assert_eq!(&decoded, &tx);
        prop_assert_eq!(decoded.to_bytes(), bytes);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = SignedTx::decode(&bytes);
        let _ = Tx::from_bytes(&bytes);
        let _ = Block::from_bytes(&bytes);
        let _ = Header::from_bytes(&bytes);
        let _ = Receipt::from_bytes(&bytes);
    }

    #[test]
    fn decoding_a_mutated_transaction_never_panics(tx in strategies::signed_tx(), position in any::<usize>(), byte in any::<u8>()) {
        let mut bytes = tx.to_bytes();
        let index = position % bytes.len();
        bytes[index] = byte;
        if let Ok(decoded) = SignedTx::decode(&bytes) {
            prop_assert_eq!(decoded.to_bytes(), bytes, "a decoded value has exactly one encoding");
        }
    }

    #[test]
    fn exporting_an_initialized_genesis_gives_it_back(
        balances in prop::collection::btree_map(strategies::address(), (1u64..u64::MAX, 0u64..u64::MAX), 0..20),
        nonces in prop::collection::btree_map(strategies::address(), 1u64..1000, 0..5),
        burned in 0u64..u64::MAX,
        initial_height in 1u64..1_000_000,
    ) {
        let mut genesis = GenesisBuilder::new().build();
        genesis.initial_height = Height(initial_height);
        genesis.bank.balances = balances
            .into_iter()
            .map(|(address, (gdc, usd))| {
                let mut coins = vec![Coin { denom: Denom::GDC, amount: Amount::new(gdc.into()) }];
                if usd > 0 { coins.push(Coin { denom: Denom::USD, amount: Amount::new(usd.into()) }); }
                AccountBalances { address, coins }
            })
            .collect();
        if burned > 0 { genesis.bank.burned = vec![Coin { denom: Denom::GDC, amount: Amount::new(burned.into()) }]; }
        genesis.auth = AuthGenesis { nonces: nonces.into_iter().map(|(address, nonce)| AccountNonce { address, nonce }).collect() };

        let chain = TestChain::new(genesis.clone());
        prop_assert_eq!(genesis::export(&chain.store, &chain.head).unwrap(), genesis.normalize().unwrap());
    }
}

#[test]
fn two_runs_of_the_same_seed_give_the_same_root_at_every_height() {
    fn run(seed: u64) -> Vec<atelier_primitives::Hash> {
        let mut rng = seeded_rng(seed);
        let mut chain = funded_chain();
        let actions: Vec<_> = (0..200)
            .map(|_| {
                let from = rng.next_u64() % ACCOUNTS;
                let kind = (rng.next_u64() % 4) as u8;
                let to = rng.next_u64() % ACCOUNTS;
                (from, kind, to, Amount::new(u128::from(rng.next_u64() % 1_000_000)))
            })
            .collect();
        blocks_of(&chain, &actions, 7)
            .into_iter()
            .map(|txs| chain.produce(txs).block.header.state_root)
            .collect()
    }
    let seed = 20_261_122;
    let first = run(seed);
    assert_eq!(first, run(seed), "seed {seed} diverged");
    assert_ne!(first, run(seed + 1));
}

#[test]
fn a_genesis_exported_mid_chain_restarts_the_same_state() {
    let mut chain = funded_chain();
    let actions: Vec<_> =
        (0..12).map(|i| (i % ACCOUNTS, (i % 3) as u8, (i + 1) % ACCOUNTS, Amount::new(1_000))).collect();
    for txs in blocks_of(&chain, &actions, 4) {
        chain.produce(txs);
    }
    let exported = genesis::export(&chain.store, &chain.head).unwrap();
    assert_eq!(exported.initial_height, Height(chain.head.height.get() + 1));
    let restarted = TestChain::new(exported.clone());
    assert_eq!(genesis::export(&restarted.store, &restarted.head).unwrap(), exported);
    for address in (0..ACCOUNTS).map(dev_address) {
        assert_eq!(restarted.nonce(&address), chain.nonce(&address));
        assert_eq!(restarted.balance(&address, Denom::USD), chain.balance(&address, Denom::USD));
    }
    assert_eq!(restarted.root(), chain.root(), "same state, same root");
}

#[test]
fn genesis_round_trips_through_json() {
    let genesis = GenesisBuilder::new().fund_dev_accounts(3, Amount::new(5)).build().normalize().unwrap();
    let json = serde_json::to_string_pretty(&genesis).unwrap();
    assert!(json.contains("\"amount\": \"5\""), "amounts are decimal strings:\n{json}");
    assert_eq!(serde_json::from_str::<Genesis>(&json).unwrap(), genesis);
}

#[test]
fn a_genesis_whose_sections_disagree_is_refused_with_the_broken_invariant() {
    // A pool whose reserves nobody deposited: the AMM account holds nothing.
    let mut genesis = GenesisBuilder::new().fund_dev_accounts(3, Amount::new(5_000_000)).build();
    genesis.amm.pool.reserve_gdc = Amount::new(2_000_000);
    genesis.amm.pool.reserve_usd = Amount::new(2_000_000);
    genesis.amm.pool.lp_supply = 2_000_000;
    genesis.amm.holdings =
        vec![atelier_protocol::modules::amm::genesis::LpHolding { holder: dev_address(0), units: 1_999_000 }];
    let store = atelier_state::MemoryStore::new();
    match atelier_protocol::init_chain(&store, genesis) {
        Err(atelier_protocol::GenesisError::Invariants(detail)) => {
            assert!(detail.contains("amm"), "{detail}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
