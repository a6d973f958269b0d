//! auth takes no messages: it admits transactions (chain id, expiry, nonce) before any message
//! runs, in `handler`.
