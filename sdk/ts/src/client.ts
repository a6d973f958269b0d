/**
 * A client for a node's HTTP API: reads, and signed transactions built, priced and sent in one
 * call. Every error answer is the API's JSON error body, thrown as an `ApiError`.
 */

import { toHex } from "./bytes.js";
import type { Key } from "./keys.js";
import type { Msg, Tx } from "./generated/types.js";
import { type SignedTx, signTx } from "./tx.js";

/** `GET /status`. */
export interface Status {
  chain_id: string;
  height: number;
  block_hash: string;
  block_time_ms: number;
  mempool_txs: number;
  version: string;
}

/** `GET /accounts/{address}`. */
export interface Account {
  address: string;
  nonce: number;
  next_nonce: number;
  balances: { denom: string; amount: string }[];
}

/** `GET /fees`: the base fee, what to offer, and the gas each kind of message costs. */
export interface Fees {
  base_fee: string;
  suggested_tip: string;
  suggested_max_fee: string;
  gas: Record<string, number>;
}

/** `POST /txs`: accepted (pending), or with `wait`, included at a height. */
export interface Submitted {
  hash: string;
  status: string;
  height?: number;
}

/** `GET /txs/{hash}`: the transaction and, once included, its receipt. */
export interface TxRecord {
  hash: string;
  status: string;
  height?: number;
  receipt?: {
    outcome: { status: "applied" | "failed"; code?: number; reason?: string };
    gas_used: number;
    fee: string;
    events: unknown[];
  };
}

/** An error answer: its status, the stable `error` name, the message, and the code if refused. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${status} ${error}: ${message}${code === undefined ? "" : ` (code ${code})`}`);
  }
}

/** The name `/fees` gives the gas of each message this release encodes, by its module. */
const GAS_NAME: Record<string, string> = { bank: "transfer", compute: "submit_job", market: "buy" };

/** How a transaction is priced and when it expires. */
export interface SendOptions {
  /** Wait until it is in a committed block (and throw if it failed there). */
  wait?: boolean;
  /** Blocks from now after which it is void (default 100). */
  expiresIn?: number;
  /** The nonce, instead of the next one the node reports. */
  nonce?: number;
}

export class Client {
  private readonly base: string;

  /** A client for the node at `base`, e.g. `http://127.0.0.1:26657`. */
  constructor(base: string) {
    this.base = base.replace(/\/+$/, "");
  }

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(`${this.base}${path}`, init);
    const body = await response.text();
    if (!response.ok) {
      let error = { error: "http", message: body, code: undefined as number | undefined };
      try {
        error = JSON.parse(body);
      } catch {
        // Not the JSON error body: keep the text.
      }
      throw new ApiError(response.status, error.error, error.message, error.code);
    }
    return JSON.parse(body) as T;
  }

  status(): Promise<Status> {
    return this.call("/status");
  }

  account(address: string): Promise<Account> {
    return this.call(`/accounts/${address}`);
  }

  fees(): Promise<Fees> {
    return this.call("/fees");
  }

  tx(hash: string): Promise<TxRecord> {
    return this.call(`/txs/${hash}`);
  }

  /** Any read route's JSON, e.g. `/compute/jobs/1`. */
  read<T = unknown>(path: string): Promise<T> {
    return this.call(path);
  }

  /** Sends signed bytes; with `wait`, returns once they are in a committed block. */
  submit(signed: SignedTx, wait = false): Promise<Submitted> {
    return this.call(`/txs?wait=${wait}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tx: toHex(signed.bytes) }),
    });
  }

  /** The transaction `key` would send with `msgs`: the chain's id, the next nonce, the gas the
   * schedule charges, and the fees the node suggests. */
  async build(key: Key, msgs: Msg[], options: SendOptions = {}): Promise<Tx> {
    const [status, account, fees] = await Promise.all([this.status(), this.account(key.address), this.fees()]);
    const gas = msgs.reduce((total, msg) => {
      const name = GAS_NAME[Object.keys(msg)[0] ?? ""];
      const cost = name === undefined ? undefined : fees.gas[name];
      if (cost === undefined) {
        throw new Error(`no gas price for ${JSON.stringify(msg).slice(0, 60)} in /fees`);
      }
      return total + cost;
    }, fees.gas["tx"] ?? 0);
    return {
      chain_id: status.chain_id,
      sender: toHex(key.publicKey),
      nonce: options.nonce ?? account.next_nonce,
      expiry_height: status.height + (options.expiresIn ?? 100),
      gas_limit: gas,
      max_fee_per_gas: fees.suggested_max_fee,
      max_priority_fee_per_gas: fees.suggested_tip,
      msgs,
    };
  }

  /** Builds, signs and sends a transaction of `msgs` from `key`. With `wait`, throws if it was
   * included but failed (its fee is charged all the same). */
  async send(key: Key, msgs: Msg[], options: SendOptions = {}): Promise<Submitted> {
    const signed = signTx(await this.build(key, msgs, options), key);
    const submitted = await this.submit(signed, options.wait ?? false);
    if (submitted.height !== undefined) {
      const outcome = (await this.tx(submitted.hash)).receipt?.outcome;
      if (outcome?.status === "failed") {
        throw new ApiError(422, "failed", `included but failed: ${outcome.reason ?? ""}`, outcome.code);
      }
    }
    return submitted;
  }
}
