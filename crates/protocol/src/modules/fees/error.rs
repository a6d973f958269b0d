//! Why fee params are unusable. The fee market takes no messages, so it has no message errors: a
//! transaction that cannot pay is rejected before it runs (`crate::Rejection`).

/// Why fee parameters are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeesParamsError {
    /// A parameter is zero where the rule divides by it.
    #[error("{0} must be positive")]
    Zero(&'static str),
    /// The block gas limit cannot hold a one-message transaction of every kind.
    #[error("block gas limit {limit} cannot hold a one-message transaction of {largest} gas")]
    BlockTooSmall {
        /// The block gas limit.
        limit: u64,
        /// Gas of the costliest one-message transaction.
        largest: u64,
    },
}
