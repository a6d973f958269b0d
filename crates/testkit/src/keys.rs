//! Deterministic test keys. Not the node's dev mnemonic: these exist only in tests.

use atelier_primitives::{Address, Hash, SecretKey};

/// The `index`-th test key.
pub fn dev_key(index: u64) -> SecretKey {
    SecretKey::from_seed(Hash::digest("atelier/testkit/key", &[&index.to_le_bytes()]).0)
}

/// The address of the `index`-th test key.
pub fn dev_address(index: u64) -> Address {
    dev_key(index).public_key().address()
}
