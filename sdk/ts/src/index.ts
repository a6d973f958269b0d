/**
 * Atelier from TypeScript. This release: keys from the chain's mnemonic paths, addresses, hashes
 * and signatures as the chain computes them, amounts as people write them. Checked against
 * vectors the chain's own Rust tests write (`test/vectors/`).
 */

export { type Coin, formatCoin, humanCoin, isDenom, MAX_AMOUNT, parseCoin, type Unit, UNITS } from "./amount.js";
export { concat, fromHex, toHex } from "./bytes.js";
export { ADDRESS_DOMAIN, digest, PROMPT_DOMAIN, promptHash, TX_DOMAIN } from "./hash.js";
export {
  ADDRESS_PREFIX,
  accountPath,
  addressBytes,
  addressOf,
  COIN_TYPE,
  DEV_MNEMONIC,
  Key,
  seedFromMnemonic,
  verify,
} from "./keys.js";
