/**
 * Atelier from TypeScript: keys from the chain's mnemonic paths, addresses, hashes, signatures,
 * amounts as people write them, transactions in the chain's encoding, and a client for a node's
 * API. Checked against vectors the chain's own Rust tests write (`test/vectors/`).
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
export { type Buy, encodeTx, type Msg, type SignedTx, signTx, type SubmitJob, type Transfer, type Tx, txHash, type U64 } from "./tx.js";
export { type Account, ApiError, Client, type Fees, type SendOptions, type Status, type Submitted, type TxRecord } from "./client.js";
