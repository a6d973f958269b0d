//! Treasury parameters: conversion pace, floor bands, buy-back triggers, runway and the
//! controller's clamps (spec: `README.md` "Parameters").

use atelier_primitives::{Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::TreasuryParamsError;

/// Treasury parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TreasuryParams {
    /// Share of an epoch's GDC income sold for the stable reserve while the runway is at target.
    pub conversion_share: Bps,
    /// The same while the runway is under target.
    pub shortfall_conversion_share: Bps,
    /// Most `ugdc` converted in one epoch.
    pub max_conversion_per_epoch: Amount,
    /// A treasury order's average price is at most this much worse than the pool's price before
    /// it; an order that would be worse is deferred, and one the batch fills worse is refunded.
    pub max_slippage: Bps,
    /// Most a treasury order may move the pool's price; a larger order is shrunk to what moves it
    /// that far, the rest staying for later epochs. Under the pool's round trip (two fees), a
    /// trade before the order and its reverse after it pay more in fees than the order moves
    /// the price. 0 turns the rule off.
    pub max_price_move: Bps,
    /// Weight of the closing epoch's TWAP in the moving average.
    pub ma_weight: Bps,
    /// Most the moving average moves in one epoch, up or down, as a share of itself.
    pub ma_cap: Bps,
    /// The cushion, the upper of the lower bands: `MA × (1 − cushion)`.
    pub cushion: Bps,
    /// The wall, the lower band: `MA × (1 − wall)`; at least the cushion's distance.
    pub wall: Bps,
    /// Velocity (GDC moved by transfers per epoch, in millionths of the circulating supply)
    /// under which an epoch counts as weak; 0 turns the test off.
    pub velocity_floor_ppm: u64,
    /// Weak epochs among the last `window_epochs` that start the defence (X of Y).
    pub trigger_epochs: u32,
    /// The window, at most 64 epochs.
    pub window_epochs: u32,
    /// A defence spreads the reserve above its floor over this many epochs of buy-backs.
    pub defence_epochs: u32,
    /// What the infrastructure costs per epoch, in `uusd`.
    pub infra_cost_per_epoch: Amount,
    /// The runway the controller steers the reserve to, in epochs of infrastructure cost.
    pub runway_target_epochs: u32,
    /// Buy-backs never take the reserve under this many epochs of infrastructure cost.
    pub reserve_floor_epochs: u32,
    /// Share of the treasury's value the controller keeps as pool liquidity, runway permitting.
    pub pol_target: Bps,
    /// Most `ugdc` added to the pool in one epoch (with its `uusd` at the pool's ratio).
    pub max_pol_add_per_epoch: Amount,
    /// Share of the treasury's GDC, and of the reserve above its target, grants may draw per epoch.
    pub grants_share: Bps,
    /// Epoch reports kept.
    pub history_epochs: u32,
    /// Share of each epoch's GDC grants budget paid as the style incentive: to the models of the
    /// styles the `demand/<style>` feeds forecast, by demand times quality.
    pub style_incentive_share: Bps,
    /// Most `ugdc` the style incentive pays in one epoch.
    pub max_style_incentive: Amount,
    /// Most a style's models are paid in all in one epoch, as a share of the fees its jobs paid
    /// in that epoch: below 100%, prompting a style to draw its incentive always costs more than
    /// it draws.
    pub style_incentive_fee_cap: Bps,
    /// Share of a model's incentive paid into its lineage's datasets' vaults (by the lineage's
    /// weights); the rest goes into the model's own royalty vault.
    pub style_incentive_to_datasets: Bps,
    /// Most the prudence moves in one epoch on the `engagement` feed's trend.
    pub engagement_step: Bps,
    /// The prudence's bound either way: the reserve target moves within ± this share of itself,
    /// the grants share within ∓ this share of itself.
    pub engagement_max: Bps,
}

impl Default for TreasuryParams {
    /// Half the GDC income converted (all of it while the runway is short), at most 1 000 000 GDC
    /// an epoch, 1% slippage, orders moving the price at most 0.5%; the moving average takes 20% of each epoch's TWAP and moves at most
    /// 5% an epoch; cushion 10%, wall 20% under it; defence after 2 weak epochs of the last 3,
    /// spread over 10 epochs; no infrastructure cost, so no runway constraint; no POL target;
    /// grants may draw everything; 512 reports kept; 10% of the GDC grants budget (at most
    /// 100 000 GDC an epoch, and at most half what a style's jobs paid in fees) paid as the style
    /// incentive, half of it to datasets; engagement moves
    /// the prudence at most 5% an epoch, within ±25%.
    fn default() -> Self {
        let bps = |v| Bps::new(v).unwrap_or(Bps::ZERO);
        TreasuryParams {
            conversion_share: bps(5_000),
            shortfall_conversion_share: bps(10_000),
            max_conversion_per_epoch: Amount::new(1_000_000_000_000),
            max_slippage: bps(100),
            max_price_move: bps(50),
            ma_weight: bps(2_000),
            ma_cap: bps(500),
            cushion: bps(1_000),
            wall: bps(2_000),
            velocity_floor_ppm: 0,
            trigger_epochs: 2,
            window_epochs: 3,
            defence_epochs: 10,
            infra_cost_per_epoch: Amount::ZERO,
            runway_target_epochs: 0,
            reserve_floor_epochs: 0,
            pol_target: Bps::ZERO,
            max_pol_add_per_epoch: Amount::ZERO,
            grants_share: Bps::ONE,
            history_epochs: 512,
            style_incentive_share: bps(1_000),
            max_style_incentive: Amount::new(100_000_000_000),
            style_incentive_fee_cap: bps(5_000),
            style_incentive_to_datasets: bps(5_000),
            engagement_step: bps(500),
            engagement_max: bps(2_500),
        }
    }
}

impl TreasuryParams {
    /// Checks the params.
    pub fn validate(&self) -> Result<(), TreasuryParamsError> {
        if self.wall < self.cushion || self.wall == Bps::ONE {
            return Err(TreasuryParamsError::Bands);
        }
        if self.window_epochs == 0 || self.window_epochs > 64 {
            return Err(TreasuryParamsError::WindowOutOfRange);
        }
        if self.trigger_epochs == 0 || self.trigger_epochs > self.window_epochs {
            return Err(TreasuryParamsError::TriggerOutOfRange);
        }
        if self.defence_epochs == 0 {
            return Err(TreasuryParamsError::NoDefenceEpochs);
        }
        if self.ma_weight == Bps::ZERO {
            return Err(TreasuryParamsError::NoMaWeight);
        }
        if self.reserve_floor_epochs > self.runway_target_epochs {
            return Err(TreasuryParamsError::FloorBeyondRunway);
        }
        if self.history_epochs == 0 || self.history_epochs > 10_000 {
            return Err(TreasuryParamsError::HistoryOutOfRange);
        }
        if self.engagement_step > self.engagement_max || self.engagement_max == Bps::ONE {
            return Err(TreasuryParamsError::Prudence);
        }
        Ok(())
    }
}
