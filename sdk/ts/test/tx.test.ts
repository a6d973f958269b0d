// Transactions encode, hash and sign to the chain's bytes, against vectors the chain's Rust tests
// write (`crates/protocol/tests/sdk_vectors.rs`).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { encodeTx, Key, signTx, toHex, type Tx, txHash } from "../src/index.js";

interface Vectors {
  signer: number;
  transactions: { name: string; tx: Tx; bytes: string; hash: string; signed: string }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(new URL("../../test/vectors/transactions.json", import.meta.url), "utf8"),
);

for (const vector of vectors.transactions) {
  test(`the ${vector.name} transaction encodes, hashes and signs to the chain's bytes`, () => {
    assert.equal(toHex(encodeTx(vector.tx)), vector.bytes);
    assert.equal(toHex(txHash(vector.tx)), vector.hash);
    const signed = signTx(vector.tx, Key.dev(vectors.signer));
    assert.equal(signed.hash, vector.hash);
    assert.equal(toHex(signed.bytes), vector.signed);
  });
}

test("only the sender signs, and values that do not fit their field are refused", () => {
  const [first] = vectors.transactions;
  assert.ok(first);
  assert.throws(() => signTx(first.tx, Key.dev(1)), /only the sender signs/);
  assert.throws(() => encodeTx({ ...first.tx, nonce: 2n ** 64n }), /nonce: 18446744073709551616 does not fit 64 bits/);
  assert.throws(() => encodeTx({ ...first.tx, max_fee_per_gas: "-1" }), /max_fee_per_gas: expected an amount in base units/);
  assert.throws(() => encodeTx({ ...first.tx, sender: "00" }), /sender: expected 32 bytes/);
});
