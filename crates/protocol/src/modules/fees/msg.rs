//! The fee market takes no messages: every transaction pays it through its fee caps, checked and
//! charged in `handler` before the transaction's messages run.
