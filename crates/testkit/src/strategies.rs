//! proptest strategies for protocol values.

use atelier_primitives::{Address, Amount, Denom, Height, PublicKey, Signature};
use atelier_protocol::{ChainId, Msg, SignedTx, Tx, modules::bank::BankMsg};
use proptest::prelude::*;

/// Amounts biased toward the edges: zero, small, large and near `u128::MAX`.
pub fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        Just(Amount::ZERO),
        (1u128..1_000).prop_map(Amount::new),
        any::<u64>().prop_map(|v| Amount::new(v.into())),
        any::<u128>().prop_map(Amount::new),
        (0u128..16).prop_map(|d| Amount::new(u128::MAX - d)),
    ]
}

/// Any address.
pub fn address() -> impl Strategy<Value = Address> {
    any::<[u8; 20]>().prop_map(Address)
}

/// One of the chain's denoms or an unknown one.
pub fn denom() -> impl Strategy<Value = Denom> {
    prop_oneof![Just(Denom::GDC), Just(Denom::USD), Just(Denom::from_static("uzzz"))]
}

/// Any message.
pub fn msg() -> impl Strategy<Value = Msg> {
    prop_oneof![
        (address(), denom(), amount()).prop_map(|(to, denom, amount)| Msg::Bank(BankMsg::Transfer {
            to,
            denom,
            amount
        })),
        (address(), amount()).prop_map(|(to, amount)| Msg::Bank(BankMsg::MintStable { to, amount })),
        amount().prop_map(|amount| Msg::Bank(BankMsg::BurnStable { amount })),
    ]
}

/// Any chain id.
pub fn chain_id() -> impl Strategy<Value = ChainId> {
    "[a-z0-9-]{1,48}".prop_map(|s| s.parse().expect("pattern matches the chain id rule"))
}

/// Any transaction body (not necessarily valid).
pub fn tx() -> impl Strategy<Value = Tx> {
    (
        chain_id(),
        any::<[u8; 32]>(),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        amount(),
        amount(),
        prop::collection::vec(msg(), 0..4),
    )
        .prop_map(|(chain_id, sender, nonce, expiry, gas_limit, max_fee, tip, msgs)| Tx {
            chain_id,
            sender: PublicKey::from_array(sender),
            nonce,
            expiry_height: Height(expiry),
            gas_limit,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: tip,
            msgs,
        })
}

/// Any signed transaction (the signature is arbitrary bytes).
pub fn signed_tx() -> impl Strategy<Value = SignedTx> {
    (tx(), prop::collection::vec(any::<u8>(), 64)).prop_map(|(tx, sig)| {
        let mut bytes = [0u8; 64];
        bytes.copy_from_slice(&sig);
        SignedTx::new(tx, Signature::from_array(bytes))
    })
}
