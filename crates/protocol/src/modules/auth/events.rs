//! auth reports nothing: a transaction's receipt already says it was included, and its nonce is
//! visible in the account's query.
