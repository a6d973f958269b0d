//! Offline signing: `--generate-only` writes the unsigned transaction where a node is reachable,
//! `atelier tx sign` signs it where the key is (no node needed), `atelier tx broadcast` sends it.
//! Between them a transaction travels as JSON that shows what it does, with the hex of its
//! canonical bytes, which are what is signed and sent.

use std::{io::Read, path::Path};

use anyhow::{Context, Result, anyhow, bail};
use atelier_primitives::{
    Decode, Encode, PublicKey,
    hash::{hex_decode, hex_decode_vec, hex_encode},
    hd,
};
use atelier_protocol::{SignedTx, Tx};
use serde::Serialize;

use crate::{keys, output::Output};

/// An unsigned transaction, as `--generate-only` prints it.
#[derive(Debug, Serialize)]
pub(crate) struct Unsigned<'a> {
    /// The hash its signature will cover.
    hash: String,
    /// What it does.
    tx: &'a Tx,
    /// Its canonical bytes, hex: what `atelier tx sign` reads.
    unsigned: String,
}

impl<'a> Unsigned<'a> {
    pub(crate) fn new(tx: &'a Tx) -> Unsigned<'a> {
        Unsigned { hash: tx.hash().to_hex(), tx, unsigned: hex_encode(&tx.to_bytes()) }
    }

    pub(crate) fn text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A signed transaction, as `atelier tx sign` prints it.
#[derive(Debug, Serialize)]
struct Signed<'a> {
    hash: String,
    tx: &'a SignedTx,
    /// Its canonical bytes, hex: what `atelier tx broadcast` sends.
    signed: String,
}

/// The public key of `from` (a keystore name or `devN`), without unlocking anything.
pub(crate) fn public_key(store: &keys::Keystore, from: &str) -> Result<PublicKey> {
    if store.contains(from) {
        let file = store.load(from)?;
        let bytes = hex_decode::<32>(&file.public_key).ok_or_else(|| anyhow!("corrupt key file {from:?}"))?;
        return Ok(PublicKey::from_array(bytes));
    }
    match from.strip_prefix("dev").and_then(|n| n.parse::<u32>().ok()) {
        Some(index) => Ok(hd::dev_key(index).public_key()),
        None => bail!("no key named {from:?} (see `atelier keys list`; devN names dev account N)"),
    }
}

/// `atelier tx sign FILE --from KEY`.
pub(crate) fn sign(store: &keys::Keystore, file: &Path, from: &str, output: Output) -> Result<()> {
    let bytes = read(file, "unsigned")?;
    let tx = Tx::from_bytes(&bytes)
        .map_err(|e| anyhow!("{}: not an unsigned transaction: {e}", file.display()))?;
    let key = crate::signer(store, from)?;
    if key.public_key() != tx.sender {
        bail!("{from} is not this transaction's sender ({})", tx.sender.address());
    }
    let signed = tx.sign(&key);
    let view = Signed { hash: signed.hash().to_hex(), tx: &signed, signed: hex_encode(&signed.to_bytes()) };
    output.print(&view, |view| serde_json::to_string_pretty(view).unwrap_or_default())
}

/// The bytes of the signed transaction in `file`, checked to be one.
pub(crate) fn read_signed(file: &Path) -> Result<Vec<u8>> {
    let bytes = read(file, "signed")?;
    SignedTx::decode(&bytes).map_err(|e| anyhow!("{}: not a signed transaction: {e}", file.display()))?;
    Ok(bytes)
}

/// The messages of `atelier tx batch`: a JSON array in `file` (`-`: stdin).
pub(crate) fn read_msgs(file: &Path) -> Result<Vec<atelier_protocol::Msg>> {
    let msgs: Vec<atelier_protocol::Msg> = serde_json::from_str(&read_text(file)?)
        .with_context(|| format!("{}: not a JSON array of messages", file.display()))?;
    if msgs.is_empty() {
        bail!("{}: no messages", file.display());
    }
    if msgs.len() > atelier_protocol::tx::MAX_MSGS_PER_TX {
        bail!(
            "{}: {} messages, a transaction carries at most {}",
            file.display(),
            msgs.len(),
            atelier_protocol::tx::MAX_MSGS_PER_TX
        );
    }
    Ok(msgs)
}

fn read_text(file: &Path) -> Result<String> {
    let mut text = String::new();
    if file == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).context("reading stdin")?;
    } else {
        text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    }
    Ok(text)
}

/// The canonical bytes in `file` (`-`: stdin): the JSON's `field`, or the whole text as hex.
fn read(file: &Path, field: &str) -> Result<Vec<u8>> {
    let text = read_text(file)?;
    let hex = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => json[field]
            .as_str()
            .ok_or_else(|| anyhow!("{}: no \"{field}\" field", file.display()))?
            .to_string(),
        Err(_) => text.trim().to_string(),
    };
    hex_decode_vec(&hex).ok_or_else(|| anyhow!("{}: the transaction is not hex", file.display()))
}

#[cfg(test)]
mod tests {
    use atelier_testkit::{GenesisBuilder, TestChain};

    use super::*;

    fn unsigned_file(dir: &Path) -> std::path::PathBuf {
        let factory = TestChain::new(GenesisBuilder::new().build()).factory();
        // `devN` on the command line is the dev mnemonic's account N.
        let to = hd::dev_key(2).public_key().address();
        let signed = factory.transfer(&hd::dev_key(1), 0, to, atelier_primitives::Amount::new(5));
        let path = dir.join("unsigned.json");
        std::fs::write(&path, Unsigned::new(signed.tx()).text()).unwrap();
        path
    }

    #[test]
    fn only_the_sender_signs_an_unsigned_transaction_and_garbage_is_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = keys::Keystore::new(dir.path().join("keys"));
        let file = unsigned_file(dir.path());
        let refused = sign(&store, &file, "dev2", Output::Json).unwrap_err().to_string();
        assert!(refused.contains("dev2 is not this transaction's sender"), "{refused}");
        sign(&store, &file, "dev1", Output::Json).unwrap();

        let garbage = dir.path().join("garbage.json");
        std::fs::write(&garbage, "{\"unsigned\": \"zz\"}").unwrap();
        assert!(
            read(&garbage, "unsigned")
                .unwrap_err()
                .to_string()
                .contains("garbage.json: the transaction is not hex")
        );
        std::fs::write(&garbage, "{}").unwrap();
        assert!(read(&garbage, "unsigned").unwrap_err().to_string().contains("no \"unsigned\" field"));
        std::fs::write(&garbage, "00ff").unwrap();
        assert!(read_signed(&garbage).unwrap_err().to_string().contains("not a signed transaction"));
    }

    #[test]
    fn a_batch_is_one_to_the_most_messages_a_transaction_carries() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("batch.json");
        let to = hd::dev_key(2).public_key().address();
        let one =
            format!(r#"{{"bank": {{"type": "transfer", "to": "{to}", "denom": "ugdc", "amount": "5"}}}}"#);
        let batch = |count: usize| format!("[{}]", vec![one.as_str(); count].join(","));
        std::fs::write(&file, batch(2)).unwrap();
        assert_eq!(read_msgs(&file).unwrap().len(), 2);
        for (text, refusal) in [
            ("[]".to_string(), "no messages"),
            (batch(atelier_protocol::tx::MAX_MSGS_PER_TX + 1), "at most 64"),
            ("{\"bank\": 1}".to_string(), "not a JSON array of messages"),
        ] {
            std::fs::write(&file, text).unwrap();
            let error = format!("{:#}", read_msgs(&file).unwrap_err());
            assert!(error.contains(refusal), "{error}");
        }
    }
}
