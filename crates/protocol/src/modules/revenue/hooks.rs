//! Royalty vaults have no hooks: revenue accrues through an accumulator when it is paid in, and
//! holders pull it with a claim.
