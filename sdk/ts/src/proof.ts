/**
 * Checking a node's answers with proofs (`GET /state/{keys}?prove=true`) with no trust in the node:
 * the header hashes to the block asked about, and every value or absence is proven against the
 * header's state root, as `atelier query state --prove` checks them. The state trie is described
 * in the repository's ARCHITECTURE ("State trie"). An account asked with `prove=true` is checked
 * further: its nonce and balances are read back from the proven entries, as the chain lays them
 * out, and must be what the node answered.
 */

import { blake3 } from "@noble/hashes/blake3.js";

import { type Coin, UNITS } from "./amount.js";
import { concat, fromHex, toHex } from "./bytes.js";
import { digest } from "./hash.js";
import type { components } from "./generated/api.js";
import { addressBytes } from "./keys.js";
import { decodeShaped } from "./layout.js";

/** `GET /state/{keys}`: state entries as of a block, with proofs when asked. */
export type StateAnswer = components["schemas"]["StateView"];
/** One entry of a [`StateAnswer`]. */
export type StateEntry = components["schemas"]["StateEntryView"];
/** A state trie proof. */
export type StateProof = components["schemas"]["StateProofView"];
/** `GET /accounts/{address}`, with its proof when asked with `prove=true`. */
export type ProvenAccount = components["schemas"]["Proven_AccountView"];

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

/** What a checked account answer established: its nonce and non-zero balances as of the block. */
export interface VerifiedAccount extends VerifiedState {
  nonce: number;
  /** By denomination, in base units. */
  balances: Coin[];
}

/** The chain's key of an account's next nonce (`auth/nonce/{address}`). */
export function nonceKey(address: string): Uint8Array {
  return concat(text("auth/nonce/"), addressBytes(address));
}

/** The chain's key of an account's balance of `denom` (`bank/balance/{address}{denom}`). */
export function balanceKey(address: string, denom: string): Uint8Array {
  return concat(text("bank/balance/"), addressBytes(address), text(denom));
}

/**
 * Checks a `GET /accounts/{address}?prove=true` answer: its proof holds ([`verifyState`], with
 * `expectBlock` when the caller knows the block), the proof shows the account's nonce and its
 * balance of every denomination, and those are the nonce and balances answered. The next nonce
 * counts the node's pending transactions, which no proof covers. Throws a [`ProofError`]
 * otherwise.
 */
export function verifyAccount(answer: ProvenAccount, expectBlock?: string): VerifiedAccount {
  if (!answer.proof) {
    throw new ProofError("the answer carries no proof");
  }
  const state = verifyState(answer.proof, expectBlock);
  const proven = (key: Uint8Array): Uint8Array | null => {
    const value = state.values.get(toHex(key));
    if (value === undefined) {
      throw new ProofError(`the proof leaves out key ${toHex(key)}, which the answer depends on`);
    }
    return value === null ? null : fromHex(value);
  };
  const nonceBytes = proven(nonceKey(answer.address));
  const nonce = nonceBytes === null ? 0 : Number(decodeShaped({ kind: "uint", bits: 64 }, nonceBytes));
  const balances: Coin[] = [];
  for (const { denom } of UNITS) {
    const bytes = proven(balanceKey(answer.address, denom));
    const amount = bytes === null ? 0n : BigInt(decodeShaped({ kind: "amount" }, bytes) as string);
    if (amount !== 0n) {
      balances.push({ denom, amount });
    }
  }
  const answered = answer.balances.map((coin) => `${coin.amount}${coin.denom}`).join(",");
  const derived = balances.map((coin) => `${coin.amount}${coin.denom}`).join(",");
  if (answer.nonce !== nonce || answered !== derived) {
    throw new ProofError(
      `the answer (nonce ${answer.nonce}, balances ${answered || "none"}) is not what its proven entries give (nonce ${nonce}, balances ${derived || "none"})`,
    );
  }
  return { ...state, nonce, balances };
}
