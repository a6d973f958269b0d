/**
 * A client for a node's HTTP API: reads, and signed transactions built, priced and sent in one
 * call. Every error answer is the API's JSON error body, thrown as an `ApiError`.
 */

import { toHex } from "./bytes.js";
import { blobHash } from "./hash.js";
import type { components, paths } from "./generated/api.js";
import type { Msg, Tx } from "./generated/types.js";
import type { Key } from "./keys.js";
import type { StateAnswer } from "./proof.js";
import { type SignedTx, signTx } from "./tx.js";

type Schemas = components["schemas"];

/** `GET /status`. */
export type Status = Schemas["StatusView"];
/** `GET /accounts/{address}`, with its proof when asked (check it with `verifyAccount`). */
export type Account = Schemas["Proven_AccountView"];
/** `GET /fees`: the base fee, what to offer, the fee market's params and the gas schedule. */
export type Fees = Schemas["FeesView"];
/** `POST /txs`: accepted (pending), or with `wait`, included at a height. */
export type Submitted = Schemas["SubmittedTx"];
/** `POST /txs/simulate`: what including the transaction in the next block would do. */
export type Simulated = Schemas["SimulatedTx"];
/** `POST /blobs`: the blob as stored. */
export type BlobStored = Schemas["BlobStored"];

/** A transaction's receipt, once included. */
export interface Receipt {
  outcome: { status: "applied" } | { status: "failed"; msg_index: number; code: number; reason: string };
  gas_used: number;
  fee: string;
  events: unknown[];
}

/** `GET /txs/{hash}`: the transaction and, once included, its receipt. */
export type TxRecord = Omit<Schemas["TxView"], "tx" | "receipt"> & { tx: Tx; receipt?: Receipt | null };

/** The paths that answer `GET` with JSON. */
export type ReadPath = {
  [P in keyof paths]: paths[P] extends { get: { responses: { 200: { content: { "application/json": unknown } } } } }
    ? P
    : never;
}[keyof paths];

type ReadOperation<P extends ReadPath> = paths[P] extends { get: infer Operation } ? Operation : never;

/** What `GET path` answers. */
export type ReadAnswer<P extends ReadPath> = ReadOperation<P> extends {
  responses: { 200: { content: { "application/json": infer Answer } } };
}
  ? Answer
  : never;

/** The path and query parameters of `GET path`, as the API describes them. */
export type ReadParams<P extends ReadPath> = ReadOperation<P> extends { parameters: infer Params }
  ? (Params extends { path: infer Path } ? { path: Path } : { path?: never }) &
      (Params extends { query?: infer Query } ? { query?: Query } : { query?: never })
  : never;

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

/** How a transaction is priced and when it expires. */
export interface SendOptions {
  /** Wait until it is in a committed block (and throw if it failed there). */
  wait?: boolean;
  /** Blocks from now after which it is void (default 100). */
  expiresIn?: number;
  /** The nonce, instead of the next one the node reports. */
  nonce?: number;
  /** Send even when simulation says it would fail or be refused (its fee is then charged). */
  force?: boolean;
}

export class Client {
  private readonly base: string;

  /** A client for the node at `base`, e.g. `http://127.0.0.1:26657`. */
  constructor(base: string) {
    this.base = base.replace(/\/+$/, "");
  }

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(`${this.base}${path}`, init);
    if (!response.ok) {
      await this.fail(response);
    }
    return (await response.json()) as T;
  }

  /** Throws the error answer `response` carries as an `ApiError`. */
  private async fail(response: Response): Promise<never> {
    const body = await response.text();
    let error = { error: "http", message: body, code: undefined as number | undefined };
    try {
      error = JSON.parse(body);
    } catch {
      // Not the JSON error body: keep the text.
    }
    throw new ApiError(response.status, error.error, error.message, error.code ?? undefined);
  }

  /** `GET path` with its parameters, typed by the API's OpenAPI document: for example
   * `read("/compute/jobs/{id}", { path: { id: 1 } })` or
   * `read("/compute/jobs", { query: { requester, limit: 10 } })`. */
  read<P extends ReadPath>(path: P, params?: ReadParams<P>): Promise<ReadAnswer<P>> {
    let url: string = path;
    for (const [name, value] of Object.entries((params?.path ?? {}) as Record<string, unknown>)) {
      url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
    }
    if (/\{\w+\}/.test(url)) {
      throw new Error(`${path} needs its path parameters: ${url}`);
    }
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries((params?.query ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) {
        query.set(name, String(value));
      }
    }
    const search = query.toString();
    return this.call(search ? `${url}?${search}` : url);
  }

  status(): Promise<Status> {
    return this.call("/status");
  }

  /** An account's nonce and balances; with `prove`, their proof too: check it with `verifyAccount`. */
  account(address: string, options: { prove?: boolean } = {}): Promise<Account> {
    return this.call(`/accounts/${address}${options.prove ? "?prove=true" : ""}`);
  }

  /** State entries by key (bytes, as the modules lay them out) as of the block at `height` (the
   * head when not given), each with its proof when `prove`: check them with `verifyState`. */
  state(keys: Uint8Array[], options: { height?: number; prove?: boolean } = {}): Promise<StateAnswer> {
    const query = new URLSearchParams({ prove: String(options.prove ?? false) });
    if (options.height !== undefined) {
      query.set("height", String(options.height));
    }
    return this.call(`/state/${keys.map(toHex).join(",")}?${query}`);
  }

  fees(): Promise<Fees> {
    return this.call("/fees");
  }

  tx(hash: string): Promise<TxRecord> {
    return this.call(`/txs/${hash}`);
  }

  /** Stores `bytes` in the node's blob store (a prompt, parameters, a style file); the answer
   * names their hash, which the SDK checks. */
  async putBlob(bytes: Uint8Array): Promise<BlobStored> {
    const hash = toHex(blobHash(bytes));
    const stored = await this.call<BlobStored>(`/blobs?hash=${hash}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      // A copy on its own ArrayBuffer, which fetch takes as a body.
      body: bytes.slice(),
    });
    return stored;
  }

  /** The blob `hash` (hex), checked against its hash: a node is not trusted to serve the right
   * bytes. Throws an `ApiError` 404 if the node does not hold it. */
  async getBlob(hash: string): Promise<Uint8Array> {
    const response = await fetch(`${this.base}/blobs/${hash}`);
    if (!response.ok) {
      await this.fail(response);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (toHex(blobHash(bytes)) !== hash) {
      throw new Error(`the node served bytes that do not hash to ${hash}`);
    }
    return bytes;
  }

  /** Sends signed bytes; with `wait`, returns once they are in a committed block. */
  submit(signed: SignedTx, wait = false): Promise<Submitted> {
    return this.call(`/txs?wait=${wait}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tx: toHex(signed.bytes) }),
    });
  }

  /** What including `signed` in the next block would do: outcome, gas, fee, events, and the gas
   * its messages need. Nothing is kept. */
  simulate(signed: SignedTx): Promise<Simulated> {
    return this.call("/txs/simulate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tx: toHex(signed.bytes) }),
    });
  }

  /** The transaction `key` would send with `msgs`: the chain's id, the next nonce, the fees the node
   * suggests, and the gas its messages need (which the node computes by simulating a draft). */
  async build(key: Key, msgs: Msg[], options: SendOptions = {}): Promise<Tx> {
    const [status, account, fees] = await Promise.all([this.status(), this.account(key.address), this.fees()]);
    const draft: Tx = {
      chain_id: status.chain_id,
      sender: toHex(key.publicKey),
      nonce: options.nonce ?? account.next_nonce,
      expiry_height: status.height + (options.expiresIn ?? 100),
      gas_limit: 0,
      max_fee_per_gas: fees.suggested_max_fee,
      max_priority_fee_per_gas: fees.suggested_tip,
      msgs,
    };
    const { gas_needed } = await this.simulate(signTx(draft, key));
    return { ...draft, gas_limit: gas_needed };
  }

  /** Builds, simulates, signs and sends a transaction of `msgs` from `key`. A transaction that
   * simulation says would fail or be refused is not sent (nothing is charged) unless `force`; with
   * `wait`, throws if it was included but failed (its fee is charged all the same). */
  async send(key: Key, msgs: Msg[], options: SendOptions = {}): Promise<Submitted> {
    const signed = signTx(await this.build(key, msgs, options), key);
    if (!options.force) {
      const simulated = await this.simulate(signed);
      if (simulated.outcome !== "applied") {
        const why = simulated.reason ?? simulated.outcome;
        throw new ApiError(422, `would_${simulated.outcome === "failed" ? "fail" : "be_refused"}`, why, simulated.code ?? undefined);
      }
    }
    const submitted = await this.submit(signed, options.wait ?? false);
    if (submitted.height !== undefined && submitted.height !== null) {
      const outcome = (await this.tx(submitted.hash)).receipt?.outcome;
      if (outcome?.status === "failed") {
        throw new ApiError(422, "failed", `included but failed: ${outcome.reason}`, outcome.code);
      }
    }
    return submitted;
  }
}
