// The SDK computes what the chain computes: keys, addresses, hashes, signatures and amounts,
// against vectors the chain's Rust tests write (`crates/protocol/tests/sdk_vectors.rs`).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  accountPath,
  addressBytes,
  addressOf,
  digest,
  formatCoin,
  fromHex,
  humanCoin,
  Key,
  parseCoin,
  promptHash,
  blobHash,
  seedFromMnemonic,
  toHex,
  verify,
} from "../src/index.js";

interface Vectors {
  mnemonic: string;
  keys: { index: number; path: string; secret: string; public_key: string; address: string }[];
  other_key: { passphrase: string; path: string; address: string };
  digests: { domain: string; parts: string[]; hash: string }[];
  signature: { index: number; message: string; signature: string };
  coins: { text: string; denom: string; amount: string; written: string }[];
  refused: string[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(new URL("../../test/vectors/primitives.json", import.meta.url), "utf8"),
);

test("keys derived from the dev mnemonic are the chain's, with their addresses", () => {
  const seed = seedFromMnemonic(vectors.mnemonic);
  for (const expected of vectors.keys) {
    assert.equal(accountPath(expected.index), expected.path);
    const key = Key.derive(seed, expected.path);
    assert.equal(toHex(key.secret), expected.secret);
    assert.equal(toHex(key.publicKey), expected.public_key);
    assert.equal(key.address, expected.address);
    assert.equal(Key.dev(expected.index).address, expected.address);
    assert.equal(addressOf(fromHex(expected.public_key)), expected.address);
  }
});

test("a passphrase and another path give the chain's key too", () => {
  const other = vectors.other_key;
  const key = Key.derive(seedFromMnemonic(vectors.mnemonic, other.passphrase), other.path);
  assert.equal(key.address, other.address);
});

test("domain-tagged hashes are the chain's", () => {
  for (const expected of vectors.digests) {
    assert.equal(toHex(digest(expected.domain, ...expected.parts.map(fromHex))), expected.hash);
  }
  const prompt = vectors.digests.find((d) => d.domain === "atelier/blob");
  assert.ok(prompt);
  assert.equal(toHex(promptHash("a red fox")), prompt.hash);
  assert.equal(toHex(blobHash(new TextEncoder().encode("a red fox"))), prompt.hash);
});

test("a dev key signs a hash exactly as the chain does, and the signature verifies", () => {
  const { index, message, signature } = vectors.signature;
  const key = Key.dev(index);
  assert.equal(toHex(key.sign(fromHex(message))), signature);
  assert.ok(verify(fromHex(signature), fromHex(message), key.publicKey));
  assert.ok(!verify(fromHex(signature), fromHex(message.replace(/^./, "f")), key.publicKey));
});

test("amounts read and write as the chain's CoinText does", () => {
  for (const expected of vectors.coins) {
    const coin = parseCoin(expected.text);
    assert.deepEqual(coin, { denom: expected.denom, amount: BigInt(expected.amount) }, expected.text);
    assert.equal(formatCoin(coin), expected.written);
    assert.deepEqual(parseCoin(formatCoin(coin)), coin, "written amounts read back");
  }
  for (const text of vectors.refused) {
    assert.throws(() => parseCoin(text), Error, JSON.stringify(text));
  }
  assert.equal(humanCoin({ denom: "ugdc", amount: 1_000_000_500_000n }), "1 000 000.5 GDC");
  assert.equal(humanCoin({ denom: "ufoo", amount: 12n }), "12 ufoo");
});

test("malformed mnemonics, paths, addresses and hex are refused with the reason", () => {
  assert.throws(() => seedFromMnemonic("test test test"), /invalid mnemonic/);
  assert.throws(() => Key.derive(new Uint8Array(64), "m/44/7771'"), /hardened/);
  assert.throws(() => Key.derive(new Uint8Array(64), "44'/0'"), /starts with m/);
  const address = vectors.keys[0]?.address ?? "";
  assert.equal(addressBytes(address).length, 20);
  assert.throws(() => addressBytes(address.slice(0, -1) + (address.endsWith("q") ? "p" : "q")));
  assert.throws(() => addressBytes("cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a"));
  assert.throws(() => fromHex("abc"), /not hex/);
});
