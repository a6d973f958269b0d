//! The bank has no hooks: balances move only when a message or another module's rule moves them.
