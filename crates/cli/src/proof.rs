//! Checking what a node answers with proofs: the header it names, and each value (or absence)
//! against the header's state root: a node that lies about a value cannot make its answer
//! hold, and one that lies about the block is caught by a block hash trusted from elsewhere.

use atelier_api::{StateProofView, StateView};
use atelier_primitives::{Decode, Hash, hash::hex_decode, hash::hex_decode_vec};
use atelier_protocol::Header;
use atelier_state::{Proof, ProofError, trie::Leaf};

/// Why an answer does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum VerifyError {
    /// A field is not what it should be (hex of the right length, a header).
    #[error("the answer is malformed: {0}")]
    Malformed(String),
    /// The header does not hash to the block hash given (or trusted).
    #[error("the header hashes to {computed}, not to the block {expected}")]
    WrongHeader {
        /// What the header bytes hash to.
        computed: Hash,
        /// The block hash it should be.
        expected: Hash,
    },
    /// The answer names a state root other than its header's.
    #[error("the answer's state root {answered} is not its header's {header}")]
    WrongRoot {
        /// The root in the answer.
        answered: Hash,
        /// The root in the header.
        header: Hash,
    },
    /// An entry came without a proof.
    #[error("key {key} has no proof")]
    Unproven {
        /// The key, hex.
        key: String,
    },
    /// An entry's proof fails.
    #[error("key {key}: {error}")]
    Proof {
        /// The key, hex.
        key: String,
        /// Why its proof fails.
        error: ProofError,
    },
}

/// Checks a [`StateView`] asked with `prove=true`: its header hashes to its `block_hash` (and to
/// `trusted`, when the caller knows which block it wants, from a finality certificate or its own
/// records), and every entry's value or absence is proven against the header's state root.
pub(crate) fn verify_state(view: &StateView, trusted: Option<&Hash>) -> Result<Header, VerifyError> {
    let bytes = hex_decode_vec(&view.header_hex).ok_or_else(|| malformed("header_hex is not hex"))?;
    let header = Header::from_bytes(&bytes)
        .map_err(|error| malformed(format!("the header does not decode: {error}")))?;
    let computed = header.hash();
    for expected in [Some(hash(&view.block_hash, "block_hash")?), trusted.copied()].into_iter().flatten() {
        if computed != expected {
            return Err(VerifyError::WrongHeader { computed, expected });
        }
    }
    let answered = hash(&view.state_root, "state_root")?;
    if answered != header.state_root {
        return Err(VerifyError::WrongRoot { answered, header: header.state_root });
    }
    for entry in &view.entries {
        let key =
            hex_decode_vec(&entry.key).ok_or_else(|| malformed(format!("key {:?} is not hex", entry.key)))?;
        let value = match &entry.value {
            Some(value) => Some(
                hex_decode_vec(value)
                    .ok_or_else(|| malformed(format!("the value of {} is not hex", entry.key)))?,
            ),
            None => None,
        };
        let proof = entry.proof.as_ref().ok_or_else(|| VerifyError::Unproven { key: entry.key.clone() })?;
        proof_of(proof)?
            .verify(&header.state_root, &key, value.as_deref())
            .map_err(|error| VerifyError::Proof { key: entry.key.clone(), error })?;
    }
    Ok(header)
}

/// The trie proof a [`StateProofView`] carries.
fn proof_of(view: &StateProofView) -> Result<Proof, VerifyError> {
    let siblings = view.siblings.iter().map(|sibling| hash(sibling, "sibling")).collect::<Result<_, _>>()?;
    let end = match &view.end {
        Some(leaf) => Some(Leaf {
            key: hash(&leaf.key_hash, "key_hash")?,
            value: hash(&leaf.value_hash, "value_hash")?,
        }),
        None => None,
    };
    Ok(Proof { siblings, end })
}

fn hash(text: &str, what: &str) -> Result<Hash, VerifyError> {
    hex_decode::<32>(text)
        .map(Hash)
        .ok_or_else(|| malformed(format!("{what} is not 32 bytes of hex: {text:?}")))
}

fn malformed(reason: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(reason.into())
}

/// What `atelier query state` prints: the node's answer, and what was checked.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Answer {
    /// Whether every value and absence was proven against the header's state root.
    verified: bool,
    #[serde(flatten)]
    view: StateView,
}

impl Answer {
    pub(crate) fn new(view: StateView, verified: bool) -> Answer {
        Answer { verified, view }
    }

    pub(crate) fn text(&self) -> String {
        let view = &self.view;
        let mut out = if self.verified {
            format!(
                "verified: every value and absence below is proven against state root {} of block {} ({})",
                view.state_root, view.height, view.block_hash
            )
        } else {
            format!(
                "block {} ({}), state root {} — not proven (--prove checks)",
                view.height, view.block_hash, view.state_root
            )
        };
        for entry in &view.entries {
            match &entry.value {
                Some(value) => out.push_str(&format!("\n  {} = {}", entry.key, value)),
                None => out.push_str(&format!("\n  {} absent", entry.key)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use atelier_api::{StateEntryView, TrieLeafView};
    use atelier_primitives::{Amount, Encode, hash::hex_encode};
    use atelier_state::{StateRead, TrieRead};
    use atelier_testkit::{GenesisBuilder, TestChain};

    use super::*;

    /// What a node answers for `keys` on `chain`'s head, proofs included.
    fn answer(chain: &TestChain, keys: &[&[u8]]) -> StateView {
        let entries = keys
            .iter()
            .map(|key| {
                let proof = chain.store.prove(key).unwrap();
                StateEntryView {
                    key: hex_encode(key),
                    value: chain.store.get(key).unwrap().map(|value| hex_encode(&value)),
                    proof: Some(StateProofView {
                        siblings: proof.siblings.iter().map(Hash::to_hex).collect(),
                        end: proof.end.map(|leaf| TrieLeafView {
                            key_hash: leaf.key.to_hex(),
                            value_hash: leaf.value.to_hex(),
                        }),
                    }),
                }
            })
            .collect();
        StateView {
            height: chain.head.height.get(),
            block_hash: chain.head.hash().to_hex(),
            header_hex: hex_encode(&chain.head.to_bytes()),
            header: serde_json::to_value(&chain.head).unwrap(),
            state_root: chain.head.state_root.to_hex(),
            entries,
        }
    }

    fn chain_and_keys() -> (TestChain, Vec<u8>, Vec<u8>) {
        let chain = TestChain::new(GenesisBuilder::new().fund_dev_accounts(3, Amount::new(1_000)).build());
        let held =
            [b"bank/balance/".as_slice(), atelier_testkit::dev_address(1).as_bytes(), b"ugdc"].concat();
        let absent =
            [b"bank/balance/".as_slice(), atelier_testkit::dev_address(1).as_bytes(), b"none"].concat();
        assert!(chain.store.get(&held).unwrap().is_some() && chain.store.get(&absent).unwrap().is_none());
        (chain, held, absent)
    }

    #[test]
    fn an_honest_answer_holds_and_pins_its_block() {
        let (chain, held, absent) = chain_and_keys();
        let view = answer(&chain, &[&held, &absent]);
        assert_eq!(verify_state(&view, None).unwrap(), chain.head);
        assert!(verify_state(&view, Some(&chain.head.hash())).is_ok());
        let other = Hash([7; 32]);
        assert!(matches!(verify_state(&view, Some(&other)), Err(VerifyError::WrongHeader { .. })));
    }

    #[test]
    fn a_changed_value_a_hidden_value_or_an_invented_one_fails() {
        let (chain, held, absent) = chain_and_keys();
        let mut changed = answer(&chain, &[&held]);
        changed.entries[0].value = Some(hex_encode(&Amount::new(1_000_000).to_bytes()));
        assert!(matches!(
            verify_state(&changed, None),
            Err(VerifyError::Proof { error: ProofError::OtherValue, .. })
        ));

        let mut hidden = answer(&chain, &[&held]);
        hidden.entries[0].value = None;
        assert!(matches!(verify_state(&hidden, None), Err(VerifyError::Proof { .. })));

        let mut invented = answer(&chain, &[&absent]);
        invented.entries[0].value = Some("01".into());
        assert!(matches!(verify_state(&invented, None), Err(VerifyError::Proof { .. })));
    }

    #[test]
    fn another_header_another_root_or_a_missing_proof_fails() {
        let (chain, held, _) = chain_and_keys();
        let mut header = answer(&chain, &[&held]);
        let mut other = chain.head.clone();
        other.gas_used += 1;
        header.header_hex = hex_encode(&other.to_bytes());
        assert!(matches!(verify_state(&header, None), Err(VerifyError::WrongHeader { .. })));

        let mut root = answer(&chain, &[&held]);
        root.state_root = Hash([1; 32]).to_hex();
        assert!(matches!(verify_state(&root, None), Err(VerifyError::WrongRoot { .. })));

        let mut unproven = answer(&chain, &[&held]);
        unproven.entries[0].proof = None;
        assert!(matches!(verify_state(&unproven, None), Err(VerifyError::Unproven { .. })));

        let mut garbled = answer(&chain, &[&held]);
        garbled.entries[0].proof.as_mut().unwrap().siblings[0] = "zz".into();
        assert!(matches!(verify_state(&garbled, None), Err(VerifyError::Malformed(_))));
    }
}
