//! Why a oracle message failed. Codes are stable: a retired code keeps its number.

use atelier_primitives::{Address, ErrorCode, Height};

use super::FeedId;

/// A broken oracle rule, or a value a consumer must not use. Codes are stable (the oracle range is
/// 1100–1199).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, ErrorCode)]
pub enum OracleError {
    /// The feed is not in the params.
    #[code(1101)]
    #[error("no feed {feed}")]
    UnknownFeed {
        /// The feed.
        feed: FeedId,
    },
    /// The sender is an operator already.
    #[code(1102)]
    #[error("{operator} is an operator already")]
    AlreadyOperator {
        /// Who.
        operator: Address,
    },
    /// The sender is not an operator.
    #[code(1103)]
    #[error("{sender} is not an oracle operator")]
    NotOperator {
        /// Who.
        sender: Address,
    },
    /// Too little stake bonded.
    #[code(1104)]
    #[error("operators need {min} ugdc bonded, {sender} has {bonded}")]
    StakeBelowMinimum {
        /// Who.
        sender: Address,
        /// Bonded now.
        bonded: atelier_primitives::Amount,
        /// The minimum.
        min: atelier_primitives::Amount,
    },
    /// The operator set is full.
    #[code(1105)]
    #[error("the oracle has its {max} operators")]
    TooManyOperators {
        /// The maximum.
        max: u32,
    },
    /// Not the open round.
    #[code(1106)]
    #[error("feed {feed} has round {open} open, not {round}")]
    WrongRound {
        /// The feed.
        feed: FeedId,
        /// The round open.
        open: u64,
        /// The round given.
        round: u64,
    },
    /// One observation per operator per round.
    #[code(1107)]
    #[error("{operator} observed round {round} of {feed} already")]
    AlreadyObserved {
        /// The feed.
        feed: FeedId,
        /// The round.
        round: u64,
        /// Who.
        operator: Address,
    },
    /// The feed's value is older than its staleness limit.
    #[error(
        "feed {feed} was last published at block {published_at}, more than {limit} blocks before {height}"
    )]
    #[code(1108)]
    Stale {
        /// The feed.
        feed: FeedId,
        /// When its value was published.
        published_at: Height,
        /// The staleness limit in blocks.
        limit: u64,
        /// The height asked about.
        height: Height,
    },
    /// Nothing published yet.
    #[code(1109)]
    #[error("feed {feed} has no value yet")]
    NoValue {
        /// The feed.
        feed: FeedId,
    },
}

/// Why oracle params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OracleParamsError {
    /// Operators are bounded: a round's close reads all their observations.
    #[error("max_operators must be between 1 and {max}")]
    MaxOperators {
        /// The largest allowed.
        max: u32,
    },
    /// Closed rounds kept are bounded.
    #[error("history_rounds must be between 1 and 10000")]
    HistoryOutOfRange,
    /// Feeds are bounded: the block's end reads each.
    #[error("at most {max} feeds")]
    TooManyFeeds {
        /// The largest allowed.
        max: usize,
    },
    /// A feed id is malformed.
    #[error("feed id {0:?} must be 1 to 64 bytes of [a-z0-9_./-]")]
    InvalidFeedId(String),
    /// A feed is listed twice.
    #[error("feed {0} is listed twice")]
    DuplicateFeed(super::FeedId),
    /// A feed's quorum cannot be met.
    #[error("feed {0}: quorum must be between 1 and max_operators")]
    Quorum(super::FeedId),
    /// A feed's timing is zero.
    #[error("feed {0}: heartbeat_blocks and round_blocks must be positive")]
    ZeroTiming(super::FeedId),
    /// A feed would go stale before its heartbeat.
    #[error("feed {0}: staleness_blocks must be at least heartbeat_blocks")]
    StaleBeforeHeartbeat(super::FeedId),
}
