/**
 * Transactions in the chain's canonical encoding: integers little-endian, a sequence as a `u32`
 * count then its items, an enum as a `u8` tag then its fields. A transaction is signed by signing
 * its hash; the signed bytes are its bytes then the 64-byte signature, what `POST /txs` takes.
 *
 * Messages are written as the API writes them (`{"bank": {"type": "transfer", …}}`). This release
 * encodes the messages of the three things people do most: transfer, prompt a job, buy a listing.
 */

import { concat, fromHex, toHex } from "./bytes.js";
import { digest, TX_DOMAIN } from "./hash.js";
import { addressBytes, type Key } from "./keys.js";

/** A number the chain holds in 64 bits (a `bigint` past 2^53). */
export type U64 = number | bigint;

/** `{"bank": {"type": "transfer", …}}`. */
export interface Transfer {
  bank: { type: "transfer"; to: string; denom: string; amount: string };
}

/** `{"compute": {"type": "submit_job", …}}`: a prompt for a model, paid per unit. */
export interface SubmitJob {
  compute: {
    type: "submit_job";
    model: U64;
    units: U64;
    max_fee_per_unit: string;
    tip_per_unit: string;
    prompt_hash: string;
    params_hash: string;
    deterministic: boolean;
    parents: U64[];
    policy: { share: number; license_fee: string };
  };
}

/** `{"market": {"type": "buy", …}}`. */
export interface Buy {
  market: { type: "buy"; listing: U64; max_price: string };
}

/** A message this release encodes. */
export type Msg = Transfer | SubmitJob | Buy;

/** A transaction's body, as the API writes it. */
export interface Tx {
  chain_id: string;
  /** The sender's ed25519 public key, hex. */
  sender: string;
  nonce: U64;
  expiry_height: U64;
  gas_limit: U64;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  msgs: Msg[];
}

/** A signed transaction: its hash, and the bytes `POST /txs` takes. */
export interface SignedTx {
  hash: string;
  bytes: Uint8Array;
}

/** Canonical bytes, appended field by field. */
class Writer {
  private readonly parts: Uint8Array[] = [];

  private int(value: U64 | string, bytes: number, what: string): this {
    const big = BigInt(value);
    if (big < 0n || big >= 1n << BigInt(8 * bytes)) {
      throw new Error(`${what} ${value} does not fit ${8 * bytes} bits`);
    }
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      out[i] = Number((big >> BigInt(8 * i)) & 0xffn);
    }
    this.parts.push(out);
    return this;
  }

  u8(value: number, what: string): this {
    return this.int(value, 1, what);
  }
  u16(value: number, what: string): this {
    return this.int(value, 2, what);
  }
  u32(value: number, what: string): this {
    return this.int(value, 4, what);
  }
  u64(value: U64, what: string): this {
    return this.int(value, 8, what);
  }
  /** An amount: base units as a decimal string, 128 bits. */
  amount(value: string, what: string): this {
    if (!/^\d+$/.test(value)) {
      throw new Error(`${what} ${JSON.stringify(value)} is not base units (a decimal string)`);
    }
    return this.int(value, 16, what);
  }
  bool(value: boolean): this {
    return this.u8(value ? 1 : 0, "bool");
  }
  /** Bytes of a fixed length. */
  fixed(bytes: Uint8Array, length: number, what: string): this {
    if (bytes.length !== length) {
      throw new Error(`${what} is ${length} bytes, not ${bytes.length}`);
    }
    this.parts.push(bytes);
    return this;
  }
  /** A `u32` length, then the bytes. */
  bytes(bytes: Uint8Array): this {
    this.u32(bytes.length, "length");
    this.parts.push(bytes);
    return this;
  }
  text(text: string): this {
    return this.bytes(new TextEncoder().encode(text));
  }
  seq<T>(items: readonly T[], write: (item: T) => void): this {
    this.u32(items.length, "count");
    items.forEach(write);
    return this;
  }
  finish(): Uint8Array {
    return concat(...this.parts);
  }
}

/** The `u8` tags of the modules' messages and of their kinds: the chain's, never renumbered. */
const TAGS = {
  bank: { module: 0, transfer: 0 },
  compute: { module: 2, submit_job: 4 },
  market: { module: 5, buy: 2 },
} as const;

function writeMsg(out: Writer, msg: Msg): void {
  if ("bank" in msg) {
    const m = msg.bank;
    out.u8(TAGS.bank.module, "module").u8(TAGS.bank.transfer, "kind");
    out.fixed(addressBytes(m.to), 20, "to").text(m.denom).amount(m.amount, "amount");
  } else if ("compute" in msg) {
    const m = msg.compute;
    out.u8(TAGS.compute.module, "module").u8(TAGS.compute.submit_job, "kind");
    out.u64(m.model, "model").u64(m.units, "units");
    out.amount(m.max_fee_per_unit, "max_fee_per_unit").amount(m.tip_per_unit, "tip_per_unit");
    out.fixed(fromHex(m.prompt_hash), 32, "prompt_hash").fixed(fromHex(m.params_hash), 32, "params_hash");
    out.bool(m.deterministic).seq(m.parents, (parent) => out.u64(parent, "parent"));
    out.u16(m.policy.share, "share").amount(m.policy.license_fee, "license_fee");
  } else if ("market" in msg) {
    const m = msg.market;
    out.u8(TAGS.market.module, "module").u8(TAGS.market.buy, "kind");
    out.u64(m.listing, "listing").amount(m.max_price, "max_price");
  } else {
    throw new Error(`a message this release does not encode: ${JSON.stringify(msg).slice(0, 80)}`);
  }
}

/** The canonical bytes of `tx`. */
export function encodeTx(tx: Tx): Uint8Array {
  const out = new Writer();
  out.text(tx.chain_id).fixed(fromHex(tx.sender), 32, "sender");
  out.u64(tx.nonce, "nonce").u64(tx.expiry_height, "expiry_height").u64(tx.gas_limit, "gas_limit");
  out.amount(tx.max_fee_per_gas, "max_fee_per_gas").amount(tx.max_priority_fee_per_gas, "max_priority_fee_per_gas");
  out.seq(tx.msgs, (msg) => writeMsg(out, msg));
  return out.finish();
}

/** The hash of `tx`: what its sender signs, and its id on the chain. */
export function txHash(tx: Tx): Uint8Array {
  return digest(TX_DOMAIN, encodeTx(tx));
}

/** `tx` signed by `key`, which must be its sender. */
export function signTx(tx: Tx, key: Key): SignedTx {
  if (tx.sender !== toHex(key.publicKey)) {
    throw new Error("only the sender signs its transaction: the key is not the sender's");
  }
  const bytes = encodeTx(tx);
  const hash = digest(TX_DOMAIN, bytes);
  return { hash: toHex(hash), bytes: concat(bytes, key.sign(hash)) };
}
