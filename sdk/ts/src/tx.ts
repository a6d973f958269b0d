/**
 * Transactions: the body a sender signs, in the chain's canonical encoding (see `layout.ts`). A
 * transaction is signed by signing its hash; the signed bytes are its bytes then the 64-byte
 * signature, what `POST /txs` takes.
 *
 * Messages are written as the API writes them (`{"bank": {"type": "transfer", …}}`); their types
 * (`Msg`, `BankMsg`, …) are generated from the chain's layout, so every message kind the chain
 * knows encodes here.
 */

import { concat, toHex } from "./bytes.js";
import type { Tx } from "./generated/types.js";
import { digest, TX_DOMAIN } from "./hash.js";
import type { Key } from "./keys.js";
import { decode, encode, type Json } from "./layout.js";

/** A signed transaction: its hash, and the bytes `POST /txs` takes. */
export interface SignedTx {
  hash: string;
  bytes: Uint8Array;
}

/** The canonical bytes of `tx`. */
export function encodeTx(tx: Tx): Uint8Array {
  return encode("Tx", tx as unknown as Json);
}

/** The transaction `bytes` encode (a body, without its signature). */
export function decodeTx(bytes: Uint8Array): Tx {
  return decode("Tx", bytes) as unknown as Tx;
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
