//! Golden fixtures: the exact bytes of a transaction, its hash, and the state root of a scripted
//! genesis and first block. A change here changes what every node signs, hashes or agrees on: it is
//! a reviewed decision (a new version of the encoding), never a way to make a test pass.

use atelier_primitives::{Amount, Denom, Encode, Height};
use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key, factory::transfer};

fn scripted_chain() -> TestChain {
    TestChain::new(GenesisBuilder::new().fund_dev_accounts(3, Amount::new(1_000_000_000)).build())
}

fn scripted_tx(chain: &TestChain) -> atelier_protocol::SignedTx {
    let mut factory = chain.factory();
    factory.expiry_height = Height(100);
    factory.tx(&dev_key(1), 0, vec![transfer(dev_address(2), Denom::GDC, Amount::new(12_345))])
}

#[test]
fn a_transfer_encodes_to_the_golden_bytes() {
    let chain = scripted_chain();
    let tx = scripted_tx(&chain);
    assert_eq!(atelier_primitives::hash::hex_encode(&tx.to_bytes()), GOLDEN_TX_HEX);
    assert_eq!(tx.hash().to_hex(), GOLDEN_TX_HASH);
}

#[test]
fn the_scripted_genesis_and_first_block_have_the_golden_state_roots() {
    let mut chain = scripted_chain();
    assert_eq!(chain.root().to_hex(), GOLDEN_GENESIS_ROOT);
    let tx = scripted_tx(&chain);
    let executed = chain.produce(vec![tx]);
    // The trie is a function of the state: rebuilt from every entry, it has the same root.
    assert_eq!(chain.store.recompute_root(), executed.block.header.state_root);
    assert_eq!(executed.block.header.state_root.to_hex(), GOLDEN_BLOCK_1_ROOT);
    assert_eq!(executed.block.hash().to_hex(), GOLDEN_BLOCK_1_HASH);
}

const GOLDEN_TX_HEX: &str = "0c0000006174656c6965722d746573748ff0e407403fb25b5a68afc69995b9257590f3bae39b2acbdb16081a917f122600000000000000006400000000000000e803000000000000e803000000000000000000000000000001000000000000000000000000000000010000000000280f22175bd43388545c017f6fa6fdba0578061c0400000075676463393000000000000000000000000000007af8172c61f2b5ac39facf807a7b22bbf52a257a9e557ce4907bc652384a92cc16ad5faec983145af7ac83e411d83acb81e3a9b69cbb7f8ff8175e0daefc7802";
const GOLDEN_TX_HASH: &str = "2f33c74391b3cbf3cfc2d94823a39c6c2e296918a60274f6fb43355ea88feede";
const GOLDEN_GENESIS_ROOT: &str = "d1f6316c2dc76c16846c392985ee19517a80fa0383a769489124c0dcad228011";
const GOLDEN_BLOCK_1_ROOT: &str = "fe1b1d794ad3b47d14226b8c620f32b1f8ef516a65257f3128cd87b4f507f308";
const GOLDEN_BLOCK_1_HASH: &str = "f89b01869c42e2ec464bbf12f64934f6bc5844295ae77899380c5856ee75cb97";
