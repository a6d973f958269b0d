//! Why treasury params are unusable. The treasury takes no messages, so it has no message errors:
//! it acts at epoch ends, and its spends and grants go through governance.

/// Why treasury params are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreasuryParamsError {
    /// The bands are out of order.
    #[error("the wall must be at least as far as the cushion, and under 100%")]
    Bands,
    /// The trigger window is bounded.
    #[error("window_epochs must be between 1 and 64")]
    WindowOutOfRange,
    /// The trigger must fit in its window.
    #[error("trigger_epochs must be between 1 and window_epochs")]
    TriggerOutOfRange,
    /// A defence paces over at least one epoch.
    #[error("defence_epochs must be positive")]
    NoDefenceEpochs,
    /// The moving average must move.
    #[error("ma_weight must be positive")]
    NoMaWeight,
    /// The reserve's floor lies within the runway it protects.
    #[error("reserve_floor_epochs must not exceed runway_target_epochs")]
    FloorBeyondRunway,
    /// Epoch reports kept are bounded.
    #[error("history_epochs must be between 1 and 10000")]
    HistoryOutOfRange,
    /// Prudence's step fits within its bound, and the bound under 100%.
    #[error("engagement_step must not exceed engagement_max, and engagement_max must be under 10000")]
    Prudence,
}
