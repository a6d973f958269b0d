//! Checking what a node answers with proofs: the header it names, and each value (or absence)
//! against the header's state root: a node that lies about a value cannot make its answer
//! hold, and one that lies about the block is caught by a block hash trusted from elsewhere.
//! A read route's answer (an account, a stake, a vault…) is checked by re-running the protocol's
//! own query over the proven entries alone ([`Rederive`]) and comparing.

use atelier_api::{StateProofView, StateView};
use atelier_primitives::{Address, Decode, Hash, Height, hash::hex_decode, hash::hex_decode_vec};
use atelier_protocol::{
    Header,
    modules::{
        auth, bank,
        provenance::{self, AssetId},
        revenue::{self, VaultId},
        staking::{self, ValidatorSet},
    },
};
use atelier_state::{Proof, ProofError, ProvenState, StateError, trie::Leaf};
use serde_json::{Value, json};

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
    /// The answer came without the proof asked for.
    #[error("the answer carries no proof")]
    NoProof,
    /// The answer depends on an entry its proof leaves out.
    #[error("the proof leaves out an entry the answer depends on: {0}")]
    Incomplete(#[from] StateError),
    /// The answer carries no finalization certificate, and one was asked for.
    #[error("the answer carries no finalization certificate (is the node a validator?)")]
    NoCertificate,
    /// The certificate does not prove the block final under the trusted validator set.
    #[error("the block is not proven final: {0}")]
    NotFinal(#[from] atelier_consensus::finality::CertificateError),
    /// The answer is not what its proven entries give.
    #[error("the answer is not what its proven entries give: they give {derived}")]
    Differs {
        /// What the proven entries give, as JSON.
        derived: Value,
    },
}

/// A read route's answer, re-derived from proven entries by the protocol's own query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rederive {
    /// `GET /accounts/{address}`: its nonce and balances (its next nonce counts the node's pending
    /// transactions, which no proof covers).
    Account(Address),
    /// `GET /staking/accounts/{address}`.
    Stake(Address),
    /// `GET /staking/accounts/{address}/reputation`, at the height answered.
    Reputation(Address),
    /// `GET /vaults/{kind}/{id}`.
    Vault(VaultId),
    /// `GET /vaults/{kind}/{id}/holders/{address}`.
    VaultPosition(VaultId, Address),
    /// `GET /assets/{id}`.
    Asset(AssetId),
}

impl Rederive {
    /// What the route answers beside the proven figures.
    fn not_proven(self) -> Option<&'static str> {
        match self {
            Rederive::Account(_) => {
                Some("its next nonce counts the node's pending transactions, which no proof covers")
            }
            _ => None,
        }
    }

    /// The parts of `answer` a proof covers, as the node gave them and as `state` gives them.
    fn compare(
        self,
        state: &ProvenState,
        header: &Header,
        answer: &Value,
    ) -> Result<(Value, Value), VerifyError> {
        Ok(match self {
            Rederive::Account(address) => {
                let balances: Vec<Value> = bank::query::balances(state, &address)?
                    .iter()
                    .map(|coin| json!({"denom": coin.denom.to_string(), "amount": coin.amount.to_string()}))
                    .collect();
                let nonce = auth::query::nonce(state, &address)?;
                (
                    json!({"nonce": answer["nonce"], "balances": answer["balances"]}),
                    json!({"nonce": nonce, "balances": balances}),
                )
            }
            Rederive::Stake(address) => (answer.clone(), json(&staking::query::position(state, &address)?)?),
            Rederive::Reputation(address) => {
                // The height answered, if the header's state knows it yet.
                let height = answer["height"].as_u64().map(Height).filter(|height| *height <= header.height);
                let reputation = match height {
                    Some(height) => Some(staking::query::reputation_at(state, &address, height)?.to_string()),
                    None => None,
                };
                (answer.clone(), json!({"account": address, "height": height, "reputation": reputation}))
            }
            Rederive::Vault(id) => (answer.clone(), json(&revenue::query::vault(state, &id)?)?),
            Rederive::VaultPosition(id, holder) => {
                (answer.clone(), json(&revenue::query::position(state, &id, &holder)?)?)
            }
            Rederive::Asset(id) => (answer.clone(), json(&provenance::query::asset(state, id)?)?),
        })
    }
}

/// Checks a read route's answer asked with `prove=true`: its proof holds ([`verify_state`]), and
/// the protocol's query re-run over the proven entries alone gives the same answer.
pub(crate) fn verify_answer(
    answer: &Value,
    rederive: Rederive,
    trusted: Option<&Hash>,
) -> Result<StateView, VerifyError> {
    let mut answer = answer.clone();
    let proof =
        answer.as_object_mut().and_then(|fields| fields.remove("proof")).ok_or(VerifyError::NoProof)?;
    let proof: StateView = serde_json::from_value(proof)
        .map_err(|error| malformed(format!("the proof does not parse: {error}")))?;
    let verified = verify_state(&proof, trusted)?;
    let (answered, derived) = rederive.compare(&verified.state, &verified.header, &answer)?;
    if answered != derived {
        return Err(VerifyError::Differs { derived });
    }
    Ok(proof)
}

/// `value` as JSON, as the node writes it.
fn json(value: &impl serde::Serialize) -> Result<Value, VerifyError> {
    serde_json::to_value(value)
        .map_err(|error| malformed(format!("a derived answer does not serialize: {error}")))
}

/// What a proven answer is checked against beyond its own proofs, as the caller trusts it: the
/// block it must be about (`--expect-block`), and the validator set that must have finalized that
/// block (`--validator-set`).
#[derive(Debug, Default)]
pub(crate) struct Trust {
    /// The block hash the answer must name.
    block: Option<Hash>,
    /// The validator set whose quorum must have signed the block.
    set: Option<ValidatorSet>,
}

impl Trust {
    /// The trust `--expect-block` and `--validator-set` name, read.
    pub(crate) fn read(
        expect_block: Option<&str>,
        validator_set: Option<&std::path::Path>,
    ) -> anyhow::Result<Trust> {
        let block = match expect_block {
            Some(text) => Some(Hash(
                hex_decode(text)
                    .ok_or_else(|| anyhow::anyhow!("--expect-block is not a block hash: {text:?}"))?,
            )),
            None => None,
        };
        Ok(Trust { block, set: validator_set.map(read_validator_set).transpose()? })
    }

    /// Which quorum of the trusted set finalized the block `view` is read at, if a set is trusted.
    fn finality(&self, view: &StateView) -> anyhow::Result<Option<Finalized>> {
        match &self.set {
            Some(set) => {
                Ok(Some(Finalized { epoch: set.epoch, view: verify_finality(view, set).map_err(fails)? }))
            }
            None => Ok(None),
        }
    }
}

/// A failed check, as the CLI reports it.
fn fails(error: VerifyError) -> anyhow::Error {
    anyhow::anyhow!("the node's answer does not hold: {error}")
}

/// The validator set in the JSON file at `path` (as `atelier query validators --epoch E` prints
/// it).
pub(crate) fn read_validator_set(path: &std::path::Path) -> anyhow::Result<ValidatorSet> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| anyhow::anyhow!("reading the validator set {}: {error}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| {
        anyhow::anyhow!(
            "{} is not a validator set (atelier query validators --epoch E --output json): {error}",
            path.display()
        )
    })
}

/// The view in which a quorum of `set` (a validator set the caller trusts) finalized the block
/// `view` is read at: the certificate the answer carries proves it.
pub(crate) fn verify_finality(view: &StateView, set: &ValidatorSet) -> Result<u64, VerifyError> {
    let finalization = view.finalization.as_ref().ok_or(VerifyError::NoCertificate)?;
    let certificate = hex_decode_vec(&finalization.certificate_hex)
        .ok_or_else(|| malformed("the certificate is not hex"))?;
    let block = hash(&view.block_hash, "block_hash")?;
    Ok(atelier_consensus::finality::verify_certificate(&certificate, set, &block)?)
}

/// What a proof shows once checked: the header, and the state its entries make.
#[derive(Debug)]
pub(crate) struct Verified {
    /// The header the entries are proven against.
    pub(crate) header: Header,
    /// The proven entries, values and absences.
    pub(crate) state: ProvenState,
}

/// Checks a [`StateView`] asked with `prove=true`: its header hashes to its `block_hash` (and to
/// `trusted`, when the caller knows which block it wants, from a finality certificate or its own
/// records), and every entry's value or absence is proven against the header's state root.
pub(crate) fn verify_state(view: &StateView, trusted: Option<&Hash>) -> Result<Verified, VerifyError> {
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
    let mut entries = Vec::with_capacity(view.entries.len());
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
        entries.push((key, value));
    }
    Ok(Verified { header, state: ProvenState::new(entries) })
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

/// A read route's answer whose proof held: what `atelier query … --prove` prints.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Checked {
    /// Always true: an answer that fails a check is an error, not printed.
    verified: bool,
    /// What the answer holds that no proof covers, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_proven: Option<&'static str>,
    /// With a trusted validator set: the epoch and view in which a quorum of it finalized the block.
    #[serde(skip_serializing_if = "Option::is_none")]
    finalized: Option<Finalized>,
    /// The node's answer, its proof included.
    #[serde(flatten)]
    answer: Value,
}

impl Checked {
    /// `answer`, once [`verify_answer`] holds for it (and, given a trusted validator `set`,
    /// [`verify_finality`]).
    pub(crate) fn new(answer: Value, rederive: Rederive, trust: &Trust) -> anyhow::Result<Checked> {
        let proof = verify_answer(&answer, rederive, trust.block.as_ref()).map_err(fails)?;
        let finalized = trust.finality(&proof)?;
        Ok(Checked { verified: true, not_proven: rederive.not_proven(), finalized, answer })
    }

    /// The answer for people (`shown` writes it, its proof left out), and what was checked.
    pub(crate) fn text(&self, shown: impl Fn(&Value) -> String) -> String {
        let mut answer = self.answer.clone();
        let proof = answer.as_object_mut().and_then(|fields| fields.remove("proof")).unwrap_or_default();
        let caveat = self.not_proven.map(|what| format!(" ({what})")).unwrap_or_default();
        let finalized = self.finalized.map(|f| f.text()).unwrap_or_default();
        format!(
            "{}\nverified: the protocol's query over {} state entries proven against state root {} of block {} ({}) gives this answer{caveat}{finalized}",
            shown(&answer),
            proof["entries"].as_array().map_or(0, Vec::len),
            proof["state_root"].as_str().unwrap_or_default(),
            proof["height"],
            proof["block_hash"].as_str().unwrap_or_default(),
        )
    }
}

/// Which quorum finalized the block an answer is read at.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Finalized {
    /// The epoch of the trusted validator set.
    epoch: u64,
    /// The consensus view that finalized the block.
    view: u64,
}

impl Finalized {
    fn text(self) -> String {
        format!(
            "\nfinal: a quorum of epoch {}'s validators (the set given) signed this block in view {}",
            self.epoch, self.view
        )
    }
}

/// What `atelier query state` prints: the node's answer, and what was checked.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Answer {
    /// Whether every value and absence was proven against the header's state root.
    verified: bool,
    /// With a trusted validator set: the epoch and view in which a quorum of it finalized the block.
    #[serde(skip_serializing_if = "Option::is_none")]
    finalized: Option<Finalized>,
    #[serde(flatten)]
    view: StateView,
}

impl Answer {
    /// `view` as answered: `verified` when its proofs held, with the quorum that finalized its
    /// block when checked (`finalized`, the epoch and the view).
    /// `view`, checked against its proofs and `trust` when `prove` (it was asked with proofs).
    pub(crate) fn new(view: StateView, prove: bool, trust: &Trust) -> anyhow::Result<Answer> {
        let mut finalized = None;
        if prove {
            verify_state(&view, trust.block.as_ref()).map_err(fails)?;
            finalized = trust.finality(&view)?;
        }
        Ok(Answer { verified: prove, finalized, view })
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
        if let Some(finalized) = self.finalized {
            out.push_str(&finalized.text());
        }
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
    use atelier_state::{MemoryStore, Recorder, StateRead, TrieRead};
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
            finalization: None,
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
        assert_eq!(verify_state(&view, None).unwrap().header, chain.head);
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

    /// What a node answers for `query` on `chain`'s head with `prove=true`: the answer as JSON
    /// and the proof of every key the query read.
    fn proven_answer(chain: &TestChain, query: impl Fn(&Recorder<'_, MemoryStore>) -> Value) -> Value {
        let recorder = Recorder::new(&chain.store);
        let mut value = query(&recorder);
        let keys: Vec<Vec<u8>> = recorder.keys().unwrap().into_iter().collect();
        let keys: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
        value["proof"] = serde_json::to_value(answer(chain, &keys)).unwrap();
        value
    }

    #[test]
    fn a_read_answer_holds_when_its_query_over_the_proven_entries_gives_it_and_fails_otherwise() {
        let (chain, _, _) = chain_and_keys();
        let dev1 = atelier_testkit::dev_address(1);
        let stake = proven_answer(&chain, |state| {
            serde_json::to_value(staking::query::position(state, &dev1).unwrap()).unwrap()
        });
        let verified = verify_answer(&stake, Rederive::Stake(dev1), Some(&chain.head.hash())).unwrap();
        assert!(!verified.entries.is_empty());

        // Passed off as another account's: its keys are not the ones proven.
        let other = Rederive::Stake(atelier_testkit::dev_address(2));
        assert!(matches!(verify_answer(&stake, other, None), Err(VerifyError::Incomplete(_))));
        // A changed figure: not what the entries give.
        let mut changed = stake.clone();
        changed["bonded"] = "1".into();
        assert!(matches!(
            verify_answer(&changed, Rederive::Stake(dev1), None),
            Err(VerifyError::Differs { .. })
        ));

        // An entry left out of the proof: the re-run query needs it.
        let mut dropped = stake.clone();
        dropped["proof"]["entries"].as_array_mut().unwrap().pop();
        assert!(matches!(
            verify_answer(&dropped, Rederive::Stake(dev1), None),
            Err(VerifyError::Incomplete(StateError::Unproven { .. }))
        ));

        // No proof at all.
        let mut bare = stake;
        bare.as_object_mut().unwrap().remove("proof");
        assert!(matches!(verify_answer(&bare, Rederive::Stake(dev1), None), Err(VerifyError::NoProof)));
    }

    #[test]
    fn an_account_answer_proves_its_nonce_and_balances_but_not_the_pending_next_nonce() {
        let (chain, _, _) = chain_and_keys();
        let dev1 = atelier_testkit::dev_address(1);
        let account = proven_answer(&chain, |state| {
            let balances: Vec<Value> = bank::query::balances(state, &dev1)
                .unwrap()
                .iter()
                .map(|coin| json!({"denom": coin.denom.to_string(), "amount": coin.amount.to_string()}))
                .collect();
            let nonce = auth::query::nonce(state, &dev1).unwrap();
            json!({"address": dev1.to_string(), "nonce": nonce, "next_nonce": nonce, "balances": balances})
        });
        assert!(verify_answer(&account, Rederive::Account(dev1), None).is_ok());
        let mut pending = account.clone();
        pending["next_nonce"] = 9.into();
        assert!(verify_answer(&pending, Rederive::Account(dev1), None).is_ok());
        let mut richer = account;
        richer["balances"][0]["amount"] = "999999999999".into();
        assert!(matches!(
            verify_answer(&richer, Rederive::Account(dev1), None),
            Err(VerifyError::Differs { .. })
        ));
    }
}
