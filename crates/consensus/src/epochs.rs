//! [`EpochProvider`]: each epoch's validator set, as the chain chose it, in the consensus
//! engine's terms — the signing scheme (a signer when this validator is in the set, a verifier
//! otherwise), the operators' accounts and the peers to connect to.
//!
//! Sets come from the node's committed state (`staking::query::validator_set`): the chain keeps
//! the current epoch's, the next one's once chosen, and those equivocation evidence may still
//! name. The header of each epoch's last block commits the next set, and the node executes every
//! final block before consensus moves to the next epoch, so a set is read from finalized data.
//! Each set read is kept, so an epoch keeps its answer after the chain drops it.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use atelier_node::Node;
use atelier_primitives::Address;
use atelier_protocol::modules::staking::{self, ValidatorSet};
use commonware_consensus::{simplex::scheme::ed25519::Scheme, types::Epoch};
use commonware_cryptography::{certificate::Scoped, ed25519};
use commonware_utils::ordered::Set;

use crate::engine::NAMESPACE;

/// Most epochs whose sets are kept in memory.
const KEPT_EPOCHS: usize = 8;

/// One epoch's validators in the engine's terms.
#[derive(Clone, Debug)]
pub struct EpochSet {
    /// The signing scheme over the set, in its order.
    pub scheme: Arc<Scheme>,
    /// Whether this validator signs in the epoch.
    pub signer: bool,
    /// The set's hash, which the header before the epoch commits.
    pub hash: atelier_primitives::Hash,
    /// The validators, sorted by consensus key.
    pub participants: Set<ed25519::PublicKey>,
    /// Each validator's operator (its block tips' recipient) and p2p address.
    members: BTreeMap<ed25519::PublicKey, (Address, String)>,
}

impl EpochSet {
    /// The operator of the validator with `key`, if it is in the set.
    pub fn operator(&self, key: &ed25519::PublicKey) -> Option<Address> {
        self.members.get(key).map(|(operator, _)| *operator)
    }

    /// The validators and where the chain says they are reached.
    pub fn peers(&self) -> impl Iterator<Item = (&ed25519::PublicKey, Option<SocketAddr>)> {
        self.members.iter().map(|(key, (_, addr))| (key, addr.parse().ok()))
    }
}

/// The consensus key of `bytes`, if they encode one.
pub fn consensus_key(bytes: &[u8; 32]) -> Option<ed25519::PublicKey> {
    use commonware_codec::DecodeExt;
    ed25519::PublicKey::decode(bytes::Bytes::copy_from_slice(bytes)).ok()
}

/// The chain's form of a consensus key.
pub fn chain_key(key: &ed25519::PublicKey) -> atelier_primitives::PublicKey {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(key.as_ref());
    atelier_primitives::PublicKey::from_array(bytes)
}

/// Every epoch's set, read from the chain on first use.
#[derive(Clone)]
pub struct EpochProvider {
    node: Arc<Node>,
    key: ed25519::PrivateKey,
    epoch_blocks: u64,
    kept: Arc<Mutex<BTreeMap<u64, EpochSet>>>,
}

impl EpochProvider {
    /// Sets read from `node`, whose epochs are `epoch_blocks` long, signing with `key` where it
    /// is a member.
    pub fn new(node: Arc<Node>, key: ed25519::PrivateKey, epoch_blocks: u64) -> Self {
        EpochProvider {
            node,
            key,
            epoch_blocks: epoch_blocks.max(1),
            kept: Arc::new(Mutex::new(BTreeMap::new())),
        }
    }

    /// The set of `epoch`, if the chain has chosen it (and still keeps it, or it was read before).
    /// A set is final once the block before its epoch is committed (until then evidence may still
    /// take a validator out): only final sets are kept.
    pub fn epoch(&self, epoch: u64) -> Option<EpochSet> {
        if let Some(set) = self.kept().get(&epoch) {
            return Some(set.clone());
        }
        let snapshot = self.node.storage().snapshot().ok()?;
        let chosen = staking::query::validator_set(&snapshot, epoch).ok()??;
        let set = self.in_engine_terms(&chosen)?;
        let before_epoch = epoch.saturating_mul(self.epoch_blocks).checked_sub(1);
        if before_epoch.is_some_and(|height| self.node.head().height.get() < height) {
            return Some(set);
        }
        let mut kept = self.kept();
        kept.insert(epoch, set.clone());
        while kept.len() > KEPT_EPOCHS {
            kept.pop_first();
        }
        Some(set)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, EpochSet>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn in_engine_terms(&self, chosen: &ValidatorSet) -> Option<EpochSet> {
        let mut members = BTreeMap::new();
        for validator in &chosen.validators {
            let Some(key) = consensus_key(validator.consensus_key.as_bytes()) else {
                tracing::error!(epoch = chosen.epoch, key = %validator.consensus_key, "a validator's key is not an ed25519 key");
                continue;
            };
            members.insert(key, (validator.operator, validator.p2p_addr.clone()));
        }
        let participants = Set::from_iter_dedup(members.keys().cloned());
        if participants.is_empty() {
            return None;
        }
        let (scheme, signer) = match Scheme::signer(NAMESPACE, participants.clone(), self.key.clone()) {
            Some(scheme) => (scheme, true),
            None => (Scheme::verifier(NAMESPACE, participants.clone()), false),
        };
        Some(EpochSet { scheme: Arc::new(scheme), signer, hash: chosen.hash(), participants, members })
    }
}

impl commonware_cryptography::certificate::Provider for EpochProvider {
    type Scope = Epoch;
    type Scheme = Scheme;

    fn scoped(&self, epoch: Epoch) -> Option<Scoped<Scheme>> {
        let set = self.epoch(epoch.get())?;
        Some(if set.signer { Scoped::scheme(set.scheme) } else { Scoped::verifier(set.scheme) })
    }

    /// The scheme of the epoch, verifier or signer: a validator outside the set follows the
    /// epoch's consensus without voting.
    fn scheme(&self, epoch: Epoch) -> Option<Arc<Scheme>> {
        self.epoch(epoch.get()).map(|set| set.scheme)
    }
}
