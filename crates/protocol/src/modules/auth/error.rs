//! auth's refusals are admission rejections ([`crate::Rejection`]: wrong chain, expired, nonce),
//! which keep a transaction out of the block rather than failing it.
