/** The chain's hashes: BLAKE3 of a domain tag, a zero byte, then the parts. */

import { blake3 } from "@noble/hashes/blake3.js";

import { concat } from "./bytes.js";

/** The domain of a transaction's hash, which its sender signs. */
export const TX_DOMAIN = "atelier/tx/v1";

/** The domain of the hash an account's address is cut from. */
export const ADDRESS_DOMAIN = "atelier/address/ed25519";

/** The domain of a prompt's hash (what a job carries of its prompt). */
export const PROMPT_DOMAIN = "atelier/prompt";

/** The 32-byte hash of `parts` under `domain`, as `Hash::digest` computes it. */
export function digest(domain: string, ...parts: Uint8Array[]): Uint8Array {
  return blake3(concat(new TextEncoder().encode(domain), new Uint8Array([0]), ...parts));
}

/** The hash a job carries of a prompt's text. */
export function promptHash(text: string): Uint8Array {
  return digest(PROMPT_DOMAIN, new TextEncoder().encode(text));
}
