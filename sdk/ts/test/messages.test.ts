// Every message kind — every variant of every enum a message reaches — decodes from the chain's
// bytes to the chain's JSON, encodes back to the same bytes, and signs to the chain's signature,
// against vectors the chain's Rust tests write (`crates/protocol/tests/sdk_vectors.rs`).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { decode, decodeTx, encode, encodeTx, fromHex, type Json, Key, type Msg, signTx, toHex, type Tx } from "../src/index.js";

interface Vectors {
  signer: number;
  tx: Tx;
  messages: { module: string; kind: string; msg: Msg; bytes: string; hash: string; signature: string }[];
}

const vectors: Vectors = JSON.parse(readFileSync(new URL("../../test/vectors/messages.json", import.meta.url), "utf8"));

test("the vectors hold a message of every kind of every module", () => {
  const modules = new Set(vectors.messages.map((m) => m.module));
  assert.equal(modules.size, 12);
  assert.ok(vectors.messages.length >= 40);
});

vectors.messages.forEach((vector, index) => {
  test(`${vector.module} ${vector.kind} (#${index}) decodes, re-encodes and signs as the chain does`, () => {
    const bytes = fromHex(vector.bytes);
    assert.deepEqual(decode("Msg", bytes), vector.msg);
    assert.equal(toHex(encode("Msg", vector.msg as unknown as Json)), vector.bytes);
    const tx: Tx = { ...vectors.tx, nonce: index, msgs: [vector.msg] };
    const signed = signTx(tx, Key.dev(vectors.signer));
    assert.equal(signed.hash, vector.hash);
    assert.equal(toHex(signed.bytes.subarray(-64)), vector.signature);
    assert.deepEqual(decodeTx(encodeTx(tx)), tx);
  });
});

test("bytes that are not one canonical message are refused, saying where", () => {
  const transfer = vectors.messages.find((m) => m.kind === "transfer");
  assert.ok(transfer);
  const bytes = fromHex(transfer.bytes);
  assert.throws(() => decode("Msg", bytes.subarray(0, bytes.length - 1)), /\.bank\.amount: input ended/);
  assert.throws(() => decode("Msg", Uint8Array.of(...bytes, 0)), /1 trailing bytes/);
  assert.throws(() => decode("Msg", Uint8Array.of(200, ...bytes.subarray(1))), /unknown tag 200 for Msg/);
  const longText = Uint8Array.of(0, 0, ...new Uint8Array(20), 0xff, 0xff, 0xff, 0xff);
  assert.throws(() => decode("Msg", longText), /\.bank\.denom: length 4294967295 exceeds the limit 16/);
});

test("values that do not fit their shape are refused, naming the field", () => {
  const transfer = { bank: { type: "transfer", to: Key.dev(1).address, denom: "ugdc", amount: "5" } };
  assert.doesNotThrow(() => encode("Msg", transfer));
  assert.throws(() => encode("Msg", { bank: { ...transfer.bank, amount: 5 } }), /\.bank\.amount: expected an amount/);
  assert.throws(() => encode("Msg", { bank: { ...transfer.bank, denom: "GDC" } }), /\.bank\.denom: a denom is/);
  assert.throws(() => encode("Msg", { bank: { ...transfer.bank, to: "atelier1xyz" } }), /\.bank\.to:/);
  assert.throws(() => encode("Msg", { bank: { ...transfer.bank, memo: "hi" } }), /unknown field "memo"/);
  assert.throws(() => encode("Msg", { bank: { type: "teleport" } }), /one of transfer, mint_stable, burn_stable/);
  const { amount: _, ...missing } = transfer.bank;
  assert.throws(() => encode("Msg", { bank: missing }), /missing field "amount"/);
  assert.throws(() => encode("Msg", { bank: { ...transfer.bank, amount: (1n << 128n).toString() } }), /does not fit 128 bits/);
});
