// State proofs check as the chain checks them, against an answer the chain's Rust tests write
// (`crates/protocol/tests/sdk_vectors.rs`, `state.json`): every honest entry holds, and any
// change to a value, a proof, the header or the block expected is caught.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { ProofError, type ProvenAccount, type StateAnswer, TRIE_KEYS, UNITS, verifyAccount, verifyState } from "../src/index.js";

interface Vectors {
  view: StateAnswer;
  account: ProvenAccount;
  denoms: string[];
  trie_keys: { leaf: string; branch: string; key: string; value: string };
}

const vectors: Vectors = JSON.parse(readFileSync(new URL("../../test/vectors/state.json", import.meta.url), "utf8"));
const fresh = (): StateAnswer => structuredClone(vectors.view);

test("the trie's hash keys are the chain's", () => {
  const decoded = Object.fromEntries(Object.entries(TRIE_KEYS).map(([name, key]) => [name, new TextDecoder().decode(key)]));
  assert.deepEqual(decoded, vectors.trie_keys);
});

test("an honest answer holds: a present value, and absences ending empty and in another key's leaf", () => {
  const answer = fresh();
  const verified = verifyState(answer, answer.block_hash);
  assert.equal(verified.stateRoot, answer.state_root);
  assert.equal(verified.values.size, answer.entries.length);
  const ends = answer.entries.map((entry) => [entry.value === null, entry.proof?.end === null]);
  assert.ok(ends.some(([absent, empty]) => absent && empty), "an absence ending empty");
  assert.ok(ends.some(([absent, empty]) => absent && !empty), "an absence ending in another leaf");
  assert.ok(ends.some(([absent]) => !absent), "a present value");
});

test("a changed, hidden or invented value fails", () => {
  const present = fresh().entries.findIndex((entry) => entry.value !== null);
  const absent = fresh().entries.findIndex((entry) => entry.value === null);
  const changed = fresh();
  changed.entries[present]!.value = "00" + changed.entries[present]!.value!.slice(2);
  assert.throws(() => verifyState(changed), /another value/);
  const hidden = fresh();
  hidden.entries[present]!.value = null;
  assert.throws(() => verifyState(hidden), /present/);
  const invented = fresh();
  invented.entries[absent]!.value = "01";
  assert.throws(() => verifyState(invented), /absent/);
});

test("a tampered proof, another header, another root or another block fails", () => {
  const sibling = fresh();
  const flipped = sibling.entries[0]!.proof!.siblings[0]!;
  sibling.entries[0]!.proof!.siblings[0] = (flipped[0] === "0" ? "1" : "0") + flipped.slice(1);
  assert.throws(() => verifyState(sibling), ProofError);
  const dropped = fresh();
  dropped.entries[0]!.proof!.siblings.pop();
  assert.throws(() => verifyState(dropped), /leads to root/);
  const header = fresh();
  header.header_hex = header.header_hex.slice(0, -2) + (header.header_hex.endsWith("00") ? "01" : "00");
  assert.throws(() => verifyState(header), /hashes to/);
  const root = fresh();
  root.state_root = "00".repeat(32);
  assert.throws(() => verifyState(root), /state root/);
  assert.throws(() => verifyState(fresh(), "11".repeat(32)), /not to the block/);
  const unproven = fresh();
  delete unproven.entries[0]!.proof;
  assert.throws(() => verifyState(unproven), /no proof/);
});

const account = (): ProvenAccount => structuredClone(vectors.account);

test("the SDK knows every denomination the chain does", () => {
  assert.deepEqual(
    UNITS.map((unit) => unit.denom),
    vectors.denoms,
  );
});

test("a proven account answer holds: its nonce and balances are what its entries give", () => {
  const answer = account();
  const verified = verifyAccount(answer, answer.proof!.block_hash);
  assert.equal(verified.nonce, answer.nonce);
  assert.deepEqual(
    verified.balances.map((coin) => ({ denom: coin.denom, amount: coin.amount.toString() })),
    answer.balances,
  );
  // The next nonce counts pending transactions: no proof covers it.
  const pending = account();
  pending.next_nonce += 3;
  assert.doesNotThrow(() => verifyAccount(pending));
});

test("an account answer with another balance or nonce, a dropped entry or no proof fails", () => {
  const richer = account();
  richer.balances[0]!.amount = "999999999999";
  assert.throws(() => verifyAccount(richer), /not what its proven entries give/);
  const hidden = account();
  hidden.balances = [];
  assert.throws(() => verifyAccount(hidden), /not what its proven entries give/);
  const nonce = account();
  nonce.nonce += 1;
  assert.throws(() => verifyAccount(nonce), /not what its proven entries give/);
  const dropped = account();
  dropped.proof!.entries.pop();
  assert.throws(() => verifyAccount(dropped), /leaves out key/);
  const bare = account();
  delete bare.proof;
  assert.throws(() => verifyAccount(bare), /no proof/);
  const tampered = account();
  tampered.proof!.entries[0]!.value = tampered.proof!.entries[0]!.value === null ? "01" : null;
  assert.throws(() => verifyAccount(tampered), ProofError);
});

