/** The chain's hashes: BLAKE3 of a domain tag, a zero byte, then the parts. */

import { blake3 } from "@noble/hashes/blake3.js";

import { concat } from "./bytes.js";

/** The domain of a transaction's hash, which its sender signs. */
export const TX_DOMAIN = "atelier/tx/v1";

/** The domain of the hash an account's address is cut from. */
export const ADDRESS_DOMAIN = "atelier/address/ed25519";

/** The domain of a blob's hash: prompts, parameters, style files and outputs are named by it. */
export const BLOB_DOMAIN = "atelier/blob";

/** The 32-byte hash of `parts` under `domain`, as `Hash::digest` computes it. */
export function digest(domain: string, ...parts: Uint8Array[]): Uint8Array {
  return blake3(concat(new TextEncoder().encode(domain), new Uint8Array([0]), ...parts));
}

/** The hash of a blob: what a job names its prompt, parameters and output by. */
export function blobHash(bytes: Uint8Array): Uint8Array {
  return digest(BLOB_DOMAIN, bytes);
}

/** The hash a job carries of a prompt's text: that of the blob holding its UTF-8. */
export function promptHash(text: string): Uint8Array {
  return blobHash(new TextEncoder().encode(text));
}
