//! The oracle holds no funds and keeps no counters that could drift from what they count: its
//! rounds close from their own observations, and an operator's stake lives in staking, whose
//! invariants check it.
