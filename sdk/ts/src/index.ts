/**
 * Atelier from TypeScript: keys from the chain's mnemonic paths, addresses, hashes, signatures,
 * amounts as people write them, every message and transaction in the chain's encoding (driven by
 * the chain's own layout), and a client for a node's API. Checked against vectors the chain's own
 * Rust tests write (`test/vectors/`).
 */

export { type Coin, formatCoin, humanCoin, isDenom, MAX_AMOUNT, parseCoin, type Unit, UNITS } from "./amount.js";
export { concat, fromHex, toHex } from "./bytes.js";
export { ADDRESS_DOMAIN, BLOB_DOMAIN, blobHash, digest, promptHash, TX_DOMAIN } from "./hash.js";
export {
  ADDRESS_PREFIX,
  accountPath,
  addressBytes,
  addressFromBytes,
  addressOf,
  COIN_TYPE,
  DEV_MNEMONIC,
  Key,
  seedFromMnemonic,
  verify,
} from "./keys.js";
export type * from "./generated/types.js";
export {
  type Body,
  decode,
  type Definition,
  encode,
  type Field,
  type Json,
  decodeShaped,
  LayoutError,
  type Shape,
  type Tagging,
  typeNames,
} from "./layout.js";
export {
  HEADER_DOMAIN,
  headerStateRoot,
  balanceKey,
  nonceKey,
  ProofError,
  type ProvenAccount,
  type StateAnswer,
  type StateEntry,
  type StateProof,
  stateKeyHash,
  stateValueHash,
  TRIE_KEYS,
  type VerifiedAccount,
  type VerifiedState,
  verifyAccount,
  verifyState,
  verifyStateProof,
} from "./proof.js";
export { decodeTx, encodeTx, type SignedTx, signTx, txHash } from "./tx.js";
export { type Account, ApiError, Client, type Fees, type SendOptions, type Status, type Submitted, type TxRecord } from "./client.js";
