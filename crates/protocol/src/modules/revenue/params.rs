//! Royalty vaults have no params: every vault has [`super::SHARE_UNITS`] units, a fixed rule that
//! what a holder is owed depends on.
