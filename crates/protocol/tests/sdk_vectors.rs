//! What the TypeScript SDK (`sdk/ts`) is built from and checked against, as the chain computes it:
//! keys derived from the dev mnemonic, addresses, domain-tagged hashes, a signature and amounts
//! (`primitives.json`); transactions as their JSON (what the API and `--generate-only` show),
//! canonical bytes, hash and bytes signed by dev key 0 (`transactions.json`); the layout of every
//! message (`src/generated/layout.ts`), the TypeScript types it implies (`src/generated/types.ts`),
//! and a message of every kind — every variant of every enum a message reaches — as JSON, bytes and
//! signature (`messages.json`); a state answer with proofs as `GET /state/{keys}?prove=true` gives
//! it, for a present key, an absent one ending in another key's leaf and one ending empty, on a
//! chain's head after a block (`state.json`). Each file is compared with what is committed;
//! `UPDATE_VECTORS=1` rewrites them.

#[path = "sdk_vectors/layout.rs"]
mod layout;

use std::path::PathBuf;

use atelier_primitives::{
    Address, Amount, Bps, CoinText, Decode, Denom, Encode, Hash, Height,
    hash::hex_encode,
    hd::{self, DEV_MNEMONIC},
};
use atelier_protocol::{
    Msg, Tx,
    modules::{
        auth,
        bank::{self, BankMsg},
        compute::ComputeMsg,
        market::{ListingId, MarketMsg},
        provenance::{AssetId, RoyaltyPolicy},
        registry::ModelId,
    },
};
use serde_json::{Value, json};

/// Keys, addresses, digests, a signature and amounts (`primitives.json`).
fn primitive_vectors() -> Value {
    let seed = hd::seed_from_mnemonic(DEV_MNEMONIC, "").unwrap();
    let keys: Vec<Value> = (0..3)
        .map(|index| {
            let path = hd::account_path(index);
            let key = hd::derive(&seed, &path).unwrap();
            json!({
                "index": index,
                "path": path,
                "secret": hex_encode(&key.to_seed()),
                "public_key": hex_encode(key.public_key().as_bytes()),
                "address": key.public_key().address().to_string(),
            })
        })
        .collect();
    let other =
        hd::derive(&hd::seed_from_mnemonic(DEV_MNEMONIC, "a passphrase").unwrap(), "m/44'/7771'/3'/0'/9'")
            .unwrap();
    let digests: Vec<Value> = [
        ("atelier/tx/v1", vec![b"".to_vec()]),
        ("atelier/tx/v1", vec![vec![1, 2, 3], vec![4, 5]]),
        ("atelier/blob", vec![b"a red fox".to_vec()]),
        ("atelier/address/ed25519", vec![vec![7; 32]]),
    ]
    .into_iter()
    .map(|(domain, parts)| {
        let slices: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        json!({
            "domain": domain,
            "parts": parts.iter().map(|part| hex_encode(part)).collect::<Vec<_>>(),
            "hash": Hash::digest(domain, &slices).to_hex(),
        })
    })
    .collect();
    let dev0 = hd::dev_key(0);
    let message = Hash::digest("atelier/tx/v1", &[b"a transaction's bytes"]);
    let written = [
        "5GDC",
        "0.25GDC",
        ".5 gdc",
        "1_000GDC",
        "5000000ugdc",
        "0.000001GDC",
        "1.5USD",
        "7ufoo",
        "1234567.891GDC",
    ];
    let coins: Vec<Value> = written
        .into_iter()
        .map(|text| {
            let coin: CoinText = text.parse().unwrap();
            json!({
                "text": text,
                "denom": coin.denom.to_string(),
                "amount": coin.amount.to_string(),
                "written": coin.to_string(),
            })
        })
        .collect();
    let refused = [
        " ",
        "5",
        ".",
        "1.2.3GDC",
        "-5GDC",
        "5EUR€",
        "0.0000001GDC",
        "1.5ugdc",
        "340282366920938463463374607431768211456ugdc",
    ];
    for text in refused {
        assert!(text.parse::<CoinText>().is_err(), "{text} is refused");
    }
    json!({
        "mnemonic": DEV_MNEMONIC,
        "keys": keys,
        "other_key": {
            "passphrase": "a passphrase",
            "path": "m/44'/7771'/3'/0'/9'",
            "address": other.public_key().address().to_string(),
        },
        "digests": digests,
        "signature": {
            "index": 0,
            "message": message.to_hex(),
            "signature": hex_encode(dev0.sign(&message).as_bytes()),
        },
        "coins": coins,
        "refused": refused,
    })
}

fn tx(nonce: u64, msgs: Vec<Msg>) -> Tx {
    Tx {
        chain_id: "atelier-dev".parse().unwrap(),
        sender: hd::dev_key(0).public_key(),
        nonce,
        expiry_height: Height(1_000),
        gas_limit: 25_000,
        max_fee_per_gas: Amount::new(3),
        max_priority_fee_per_gas: Amount::new(1),
        msgs,
    }
}

/// Transactions as JSON, bytes, hash and signed bytes (`transactions.json`).
fn transaction_vectors() -> Value {
    let to: Address = hd::dev_key(1).public_key().address();
    let transfer = Msg::Bank(BankMsg::Transfer { to, denom: Denom::GDC, amount: Amount::new(5_000_000) });
    let job = Msg::Compute(ComputeMsg::SubmitJob {
        model: ModelId(1),
        units: 100,
        max_fee_per_unit: Amount::new(2_000),
        tip_per_unit: Amount::new(300),
        prompt_hash: Hash::blob(b"a red fox"),
        params_hash: Hash::ZERO,
        deterministic: true,
        parents: vec![AssetId(3), AssetId(7)],
        policy: RoyaltyPolicy { share: Bps::new(500).unwrap(), license_fee: Amount::new(1_000) },
    });
    let buy = Msg::Market(MarketMsg::Buy { listing: ListingId(12), max_price: Amount::new(50_000_000) });
    let key = hd::dev_key(0);
    let named = [
        ("transfer", tx(0, vec![transfer.clone()])),
        ("submit_job", tx(1, vec![job.clone()])),
        ("buy", tx(2, vec![buy.clone()])),
        ("batch", tx(4_294_967_297, vec![transfer, job, buy])),
    ];
    let vectors: Vec<Value> = named
        .into_iter()
        .map(|(name, tx)| {
            let json = serde_json::to_value(&tx).unwrap();
            let bytes = tx.to_bytes();
            let hash = tx.hash();
            let signed = tx.sign(&key).to_bytes();
            json!({
                "name": name,
                "tx": json,
                "bytes": hex_encode(&bytes),
                "hash": hash.to_hex(),
                "signed": hex_encode(&signed),
            })
        })
        .collect();
    json!({ "signer": 0, "transactions": vectors })
}

/// `value` with every object's fields sorted, so that the file reads the same whatever order
/// `serde_json` keeps.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let fields: std::collections::BTreeMap<String, Value> =
                fields.into_iter().map(|(key, value)| (key, sorted(value))).collect();
            Value::Object(fields.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Checks `vectors` against `sdk/ts/test/vectors/NAME`, or writes it there with `UPDATE_VECTORS`.
fn check(name: &str, vectors: Value) {
    let vectors = sorted(vectors);
    check_text(&format!("test/vectors/{name}"), &(serde_json::to_string_pretty(&vectors).unwrap() + "\n"));
}

/// Checks `text` against `sdk/ts/PATH`, or writes it there with `UPDATE_VECTORS`.
fn check_text(path: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sdk/ts").join(path);
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    assert!(
        committed == text,
        "the SDK's {} is stale: UPDATE_VECTORS=1 cargo nextest run --workspace -E 'test(sdk)'",
        path.display()
    );
}

/// `GET /state/{keys}?prove=true` and `GET /accounts/{address}?prove=true` on a scripted chain
/// after one block, and the chain's denominations (`state.json`).
fn state_vectors() -> Value {
    use atelier_state::{StateRead, TrieRead};
    let mut chain = atelier_testkit::TestChain::new(
        atelier_testkit::GenesisBuilder::new().fund_dev_accounts(3, Amount::new(1_000_000)).build(),
    );
    let tx = chain.factory().transfer(
        &atelier_testkit::dev_key(1),
        0,
        atelier_testkit::dev_address(2),
        Amount::new(12_345),
    );
    chain.produce(vec![tx]);
    let balance = |index: u64, denom: &[u8]| {
        [b"bank/balance/".as_slice(), atelier_testkit::dev_address(index).as_bytes(), denom].concat()
    };
    // A held balance; an unheld denomination; and absent keys until one path ends empty and one
    // ends in another key's leaf.
    let mut keys = vec![balance(2, b"ugdc"), b"auth/height".to_vec(), balance(1, b"none")];
    let ends = |key: &[u8]| {
        chain.store.prove(key).unwrap().end.is_some_and(|leaf| leaf.key != atelier_state::trie::key_hash(key))
    };
    let empty = (0u32..)
        .map(|i| format!("absent/{i}").into_bytes())
        .find(|key| chain.store.prove(key).unwrap().end.is_none())
        .unwrap();
    let elsewhere = (0u32..).map(|i| format!("absent/{i}").into_bytes()).find(|key| ends(key)).unwrap();
    keys.extend([empty, elsewhere]);
    let view = |keys: &[Vec<u8>]| {
        let entries: Vec<Value> = keys
            .iter()
            .map(|key| {
                let proof = chain.store.prove(key).unwrap();
                json!({
                    "key": hex_encode(key),
                    "value": chain.store.get(key).unwrap().map(|value| hex_encode(&value)),
                    "proof": {
                        "siblings": proof.siblings.iter().map(Hash::to_hex).collect::<Vec<_>>(),
                        "end": proof.end.map(|leaf| json!({"key_hash": leaf.key.to_hex(), "value_hash": leaf.value.to_hex()})),
                    },
                })
            })
            .collect();
        let head = &chain.head;
        json!({
            "height": head.height.get(),
            "block_hash": head.hash().to_hex(),
            "header_hex": hex_encode(&head.to_bytes()),
            "header": serde_json::to_value(head).unwrap(),
            "state_root": head.state_root.to_hex(),
            "entries": entries,
        })
    };
    // `GET /accounts/{dev 2}?prove=true`: what the account's query read, proven.
    let holder = atelier_testkit::dev_address(2);
    let recorder = atelier_state::Recorder::new(&chain.store);
    let nonce = auth::query::nonce(&recorder, &holder).unwrap();
    let balances: Vec<Value> = bank::query::balances(&recorder, &holder)
        .unwrap()
        .iter()
        .map(|coin| json!({"denom": coin.denom.to_string(), "amount": coin.amount.to_string()}))
        .collect();
    let read: Vec<Vec<u8>> = recorder.keys().unwrap().into_iter().collect();
    json!({
        "view": view(&keys),
        "account": {
            "address": holder.to_string(),
            "nonce": nonce,
            "next_nonce": nonce,
            "balances": balances,
            "proof": view(&read),
        },
        "denoms": bank::DENOMS.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "trie_keys": {
            "leaf": String::from_utf8(atelier_state::trie::LEAF_KEY.to_vec()).unwrap(),
            "branch": String::from_utf8(atelier_state::trie::BRANCH_KEY.to_vec()).unwrap(),
            "key": String::from_utf8(atelier_state::trie::KEY_HASH_KEY.to_vec()).unwrap(),
            "value": String::from_utf8(atelier_state::trie::VALUE_HASH_KEY.to_vec()).unwrap(),
        },
    })
}

#[test]
fn the_sdk_state_vectors_are_what_a_node_answers_with_proofs() {
    check("state.json", state_vectors());
}

#[test]
fn the_sdk_vectors_are_what_the_chain_computes() {
    check("primitives.json", primitive_vectors());
}

#[test]
fn the_sdk_transaction_vectors_are_what_the_chain_encodes_hashes_and_signs() {
    check("transactions.json", transaction_vectors());
}

#[test]
fn the_sdk_layout_and_types_are_the_chains_encoding() {
    let registry = layout::registry();
    check_text("src/generated/layout.ts", &layout::layout_module(&registry));
    check_text("src/generated/types.ts", &layout::types_module(&registry));
}

#[test]
fn the_sdk_message_vectors_cover_every_variant_of_every_message() {
    let key = hd::dev_key(0);
    let samples = layout::samples(&layout::registry());
    let messages: Vec<Value> = samples
        .into_iter()
        .enumerate()
        .map(|(index, sample)| {
            let msg = Msg::from_bytes(&sample.bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.kind));
            assert_eq!(msg.to_bytes(), sample.bytes, "{} re-encodes to its bytes", sample.kind);
            let json = serde_json::to_value(&msg).unwrap();
            let parsed: Msg = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(parsed, msg, "{} reads back from its JSON", sample.kind);
            let tx = tx(index as u64, vec![msg]);
            let hash = tx.hash();
            json!({
                "module": sample.module,
                "kind": sample.kind,
                "msg": json,
                "bytes": hex_encode(&sample.bytes),
                "hash": hash.to_hex(),
                "signature": hex_encode(key.sign(&hash).as_bytes()),
            })
        })
        .collect();
    let header = serde_json::to_value(tx(0, vec![])).unwrap();
    check("messages.json", json!({ "signer": 0, "tx": header, "messages": messages }));
}
