//! The transactions the TypeScript SDK (`sdk/ts`) is checked against: each as its JSON (what the
//! API and `atelier tx … --generate-only` show), its canonical bytes, its hash and its bytes signed
//! by dev key 0. The file is compared with what is committed; `UPDATE_VECTORS=1` rewrites it.

use std::path::PathBuf;

use atelier_primitives::{Address, Amount, Bps, Denom, Encode, Hash, Height, hash::hex_encode, hd};
use atelier_protocol::{
    Msg, Tx,
    modules::{
        bank::BankMsg,
        compute::ComputeMsg,
        market::{ListingId, MarketMsg},
        provenance::{AssetId, RoyaltyPolicy},
        registry::ModelId,
    },
};
use serde_json::{Value, json};

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

fn vectors() -> Value {
    let to: Address = hd::dev_key(1).public_key().address();
    let transfer = Msg::Bank(BankMsg::Transfer { to, denom: Denom::GDC, amount: Amount::new(5_000_000) });
    let job = Msg::Compute(ComputeMsg::SubmitJob {
        model: ModelId(1),
        units: 100,
        max_fee_per_unit: Amount::new(2_000),
        tip_per_unit: Amount::new(300),
        prompt_hash: Hash::digest("atelier/prompt", &[b"a red fox"]),
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

#[test]
fn the_sdk_transaction_vectors_are_what_the_chain_encodes_hashes_and_signs() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sdk/ts/test/vectors/transactions.json");
    let vectors = sorted(vectors());
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&vectors).unwrap() + "\n").unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    let committed: Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(
        sorted(committed),
        vectors,
        "the SDK's vectors are stale: UPDATE_VECTORS=1 cargo nextest run --workspace -E 'test(sdk)'"
    );
}
