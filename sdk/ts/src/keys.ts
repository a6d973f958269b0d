/**
 * Keys from a mnemonic, as the CLI and the node derive them: BIP-39 seeds and SLIP-0010 hardened
 * derivation for ed25519 on the path `m/44'/7771'/0'/0'/{index}'`; addresses are the first 20
 * bytes of a hash of the public key, in bech32 with the prefix `atelier`.
 */

import { ed25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bech32 } from "@scure/base";
import { mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";

import { ADDRESS_DOMAIN, digest } from "./hash.js";

/** The published development mnemonic: it funds a dev chain's accounts. Never for value. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The coin type in Atelier's derivation path. */
export const COIN_TYPE = 7771;

/** The prefix of every address. */
export const ADDRESS_PREFIX = "atelier";

const HARDENED = 0x8000_0000;

/** The standard path of account key `index`. */
export function accountPath(index: number): string {
  return `m/44'/${COIN_TYPE}'/0'/0'/${index}'`;
}

/** The 64-byte BIP-39 seed of an English `phrase`; throws if it is not a valid one. */
export function seedFromMnemonic(phrase: string, passphrase = ""): Uint8Array {
  const normalized = phrase.trim().split(/\s+/).join(" ");
  if (!validateMnemonic(normalized, wordlist)) {
    throw new Error("invalid mnemonic: not a BIP-39 English phrase (a word, the length or the checksum)");
  }
  return mnemonicToSeedSync(normalized, passphrase);
}

/** The indices of `path` (`m/` then hardened steps like `44'`); throws on anything else. */
function parsePath(path: string): number[] {
  const steps = path.split("/");
  if (steps.shift() !== "m") {
    throw new Error(`invalid derivation path ${JSON.stringify(path)}: it starts with m/`);
  }
  return steps.map((step) => {
    const match = /^(\d+)'$/.exec(step);
    const index = match ? Number(match[1]) : NaN;
    if (!Number.isSafeInteger(index) || index >= HARDENED) {
      throw new Error(`invalid derivation path ${JSON.stringify(path)}: ed25519 needs hardened indices like 44'`);
    }
    return index + HARDENED;
  });
}

/** An account's key: its 32-byte ed25519 secret seed, public key and address. */
export class Key {
  readonly secret: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: string;

  constructor(secret: Uint8Array) {
    if (secret.length !== 32) {
      throw new Error(`an ed25519 secret is 32 bytes, not ${secret.length}`);
    }
    this.secret = Uint8Array.from(secret);
    this.publicKey = ed25519.getPublicKey(this.secret);
    this.address = addressOf(this.publicKey);
  }

  /** The SLIP-0010 key at `path` under a BIP-39 `seed`. */
  static derive(seed: Uint8Array, path: string): Key {
    let node = hmac(sha512, new TextEncoder().encode("ed25519 seed"), seed);
    for (const index of parsePath(path)) {
      const data = new Uint8Array(37);
      data.set(node.slice(0, 32), 1);
      new DataView(data.buffer).setUint32(33, index, false);
      node = hmac(sha512, node.slice(32), data);
    }
    return new Key(node.slice(0, 32));
  }

  /** Account `index` of `phrase`, on the standard path. */
  static fromMnemonic(phrase: string, index = 0, passphrase = ""): Key {
    return Key.derive(seedFromMnemonic(phrase, passphrase), accountPath(index));
  }

  /** Dev account `index` of the published dev mnemonic. */
  static dev(index: number): Key {
    return Key.fromMnemonic(DEV_MNEMONIC, index);
  }

  /** The ed25519 signature of `message` (a transaction's hash, for a transaction). */
  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, this.secret);
  }
}

/** The address of an ed25519 public key. */
export function addressOf(publicKey: Uint8Array): string {
  return addressFromBytes(digest(ADDRESS_DOMAIN, publicKey).slice(0, 20));
}

/** The bech32 text of an address's 20 bytes. */
export function addressFromBytes(bytes: Uint8Array): string {
  return bech32.encode(ADDRESS_PREFIX, bech32.toWords(bytes));
}

/** Whether `signature` is `publicKey`'s over `message`. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519.verify(signature, message, publicKey, { zip215: true });
}

/** The 20 bytes of a bech32 address; throws on another prefix, length or a bad checksum. */
export function addressBytes(address: string): Uint8Array {
  const decoded = bech32.decode(address as `${string}1${string}`);
  if (decoded.prefix !== ADDRESS_PREFIX) {
    throw new Error(`not an Atelier address (prefix ${decoded.prefix}, not ${ADDRESS_PREFIX})`);
  }
  const bytes = bech32.fromWords(decoded.words);
  if (bytes.length !== 20) {
    throw new Error(`an address is 20 bytes, not ${bytes.length}`);
  }
  return Uint8Array.from(bytes);
}
