/**
 * Checking a node's answers with proofs (`GET /state/{keys}?prove=true`) with no trust in the node:
 * the header hashes to the block asked about, and every value or absence is proven against the
 * header's state root, as `atelier query state --prove` checks them. The state trie is described
 * in the repository's ARCHITECTURE ("State trie").
 */

import { blake3 } from "@noble/hashes/blake3.js";

import { concat, fromHex, toHex } from "./bytes.js";
import { digest } from "./hash.js";
import type { components } from "./generated/api.js";

/** `GET /state/{keys}`: state entries as of a block, with proofs when asked. */
export type StateAnswer = components["schemas"]["StateView"];
/** One entry of a [`StateAnswer`]. */
export type StateEntry = components["schemas"]["StateEntryView"];
/** A state trie proof. */
export type StateProof = components["schemas"]["StateProofView"];

const text = (key: string) => new TextEncoder().encode(key);
/** The BLAKE3 keys of the trie's four hashes (each 32 bytes of ASCII). */
export const TRIE_KEYS = {
  leaf: text("atelier/state-trie/leaf/........"),
  branch: text("atelier/state-trie/branch/......"),
  key: text("atelier/state-trie/key/........."),
  value: text("atelier/state-trie/value/......."),
};

/** The domain of a header's hash: the block hash. */
export const HEADER_DOMAIN = "atelier/header";

/** Why an answer does not hold. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofError";
  }
}

/** A state key's path in the trie. */
export function stateKeyHash(key: Uint8Array): Uint8Array {
  return blake3(key, { key: TRIE_KEYS.key });
}

/** A state value's hash. */
export function stateValueHash(value: Uint8Array): Uint8Array {
  return blake3(value, { key: TRIE_KEYS.value });
}

function pair(key: Uint8Array, left: Uint8Array, right: Uint8Array): Uint8Array {
  return blake3(concat(left, right), { key });
}

function hash32(hex: string, what: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new ProofError(`${what} is not 32 bytes of hex: ${JSON.stringify(hex)}`);
  }
  return fromHex(hex);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** The root `proof` leads to for the key whose path is `path`. */
function rootOf(proof: StateProof, path: Uint8Array): Uint8Array {
  if (proof.siblings.length > 256) {
    throw new ProofError(`the proof has ${proof.siblings.length} siblings; a path has at most 256`);
  }
  let hash: Uint8Array = proof.end
    ? pair(TRIE_KEYS.leaf, hash32(proof.end.key_hash, "key_hash"), hash32(proof.end.value_hash, "value_hash"))
    : new Uint8Array(32);
  for (const [depth, hex] of [...proof.siblings.entries()].reverse()) {
    const sibling = hash32(hex, "a sibling");
    const right = (((path[depth >> 3] ?? 0) >> (7 - (depth & 7))) & 1) === 1;
    hash = right ? pair(TRIE_KEYS.branch, sibling, hash) : pair(TRIE_KEYS.branch, hash, sibling);
  }
  return hash;
}

/**
 * Checks that under `root`, `key` holds `value` (`null`: that it is absent), by `proof`; throws a
 * [`ProofError`] saying why not.
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): void {
  const path = stateKeyHash(key);
  const computed = rootOf(proof, path);
  if (!equal(computed, root)) {
    throw new ProofError(`the proof leads to root ${toHex(computed)}, not ${toHex(root)}`);
  }
  const shown = proof.end && equal(hash32(proof.end.key_hash, "key_hash"), path) ? proof.end.value_hash : null;
  if (shown === null && value !== null) {
    throw new ProofError("the proof shows the key absent");
  }
  if (shown !== null && value === null) {
    throw new ProofError("the proof shows the key present");
  }
  if (shown !== null && value !== null && shown !== toHex(stateValueHash(value))) {
    throw new ProofError("the proof shows another value for the key");
  }
}

/** The state root a header's canonical bytes hold: after the chain id (length-prefixed), the
 * height, the time, the parent hash, the proposer and the transactions root. */
export function headerStateRoot(header: Uint8Array): Uint8Array {
  if (header.length < 4) {
    throw new ProofError("the header is cut short");
  }
  const chainIdLength = new DataView(header.buffer, header.byteOffset, 4).getUint32(0, true);
  const at = 4 + chainIdLength + 8 + 8 + 32 + 20 + 32;
  if (header.length < at + 32) {
    throw new ProofError("the header is cut short");
  }
  return header.slice(at, at + 32);
}

/** What a checked answer established. */
export interface VerifiedState {
  /** The block the values are proven as of. */
  blockHash: string;
  height: number;
  stateRoot: string;
  /** Each key's value, hex, or `null` when absent, in the order asked. */
  values: Map<string, string | null>;
}

/**
 * Checks a `GET /state/{keys}?prove=true` answer: its header hashes to its `block_hash` (and to
 * `expectBlock`, when the caller knows which block it wants), holds its `state_root`, and every
 * entry's value or absence is proven against that root. Throws a [`ProofError`] otherwise.
 */
export function verifyState(answer: StateAnswer, expectBlock?: string): VerifiedState {
  const header = fromHex(answer.header_hex);
  const blockHash = toHex(digest(HEADER_DOMAIN, header));
  for (const expected of [answer.block_hash, expectBlock]) {
    if (expected !== undefined && blockHash !== expected) {
      throw new ProofError(`the header hashes to ${blockHash}, not to the block ${expected}`);
    }
  }
  const root = headerStateRoot(header);
  if (toHex(root) !== answer.state_root) {
    throw new ProofError(`the answer's state root ${answer.state_root} is not its header's ${toHex(root)}`);
  }
  const values = new Map<string, string | null>();
  for (const entry of answer.entries) {
    if (!entry.proof) {
      throw new ProofError(`key ${entry.key} has no proof`);
    }
    const value = entry.value ?? null;
    try {
      verifyStateProof(root, fromHex(entry.key), value === null ? null : fromHex(value), entry.proof);
    } catch (error) {
      throw new ProofError(`key ${entry.key}: ${(error as Error).message}`);
    }
    values.set(entry.key, value);
  }
  return { blockHash, height: answer.height, stateRoot: answer.state_root, values };
}
