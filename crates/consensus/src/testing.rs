//! What the unit tests of evidence and participation share: four validator keys and a node whose
//! genesis names them as epoch 0's set.

use std::sync::Arc;

use commonware_cryptography::{Signer, ed25519};
use commonware_utils::ordered::Set;

use crate::epochs::{EpochProvider, chain_key};

/// The four validators' keys, in seed order.
pub(crate) fn keys() -> Vec<ed25519::PrivateKey> {
    (0..4).map(ed25519::PrivateKey::from_seed).collect()
}

/// The four validators in the engine's order.
pub(crate) fn participants() -> Set<ed25519::PublicKey> {
    Set::from_iter_dedup(keys().iter().map(|k| k.public_key()))
}

/// The key of the validator at `index` in the engine's order.
pub(crate) fn key_at(index: usize) -> ed25519::PrivateKey {
    keys().into_iter().find(|k| participants().position(&k.public_key()) == Some(index)).unwrap()
}

/// A node whose genesis names the four keys as epoch 0's validators.
pub(crate) fn node(dir: &std::path::Path) -> Arc<atelier_node::Node> {
    let genesis = keys()
        .iter()
        .fold(atelier_testkit::GenesisBuilder::new(), |builder, key| {
            let key = chain_key(&key.public_key());
            builder.validator(
                key.address(),
                key,
                atelier_primitives::Amount::new(1_000_000_000),
                1_000_000_000,
            )
        })
        .build();
    let storage = atelier_storage::Storage::open(&dir.join("chain.redb")).unwrap();
    let state = atelier_protocol::init_chain(&storage.snapshot().unwrap(), genesis).unwrap();
    storage.init(&state).unwrap();
    let config = atelier_node::NodeConfig::new("127.0.0.1:0".parse().unwrap(), Default::default());
    atelier_node::Node::new(storage, config).unwrap()
}

/// The sets of `node`'s chain, as validator 0 sees them.
pub(crate) fn provider(node: Arc<atelier_node::Node>) -> EpochProvider {
    EpochProvider::new(node, keys()[0].clone(), 600)
}
