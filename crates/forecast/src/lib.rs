//! Forecasts of a short series (demand per epoch, engagement per epoch) by exponential smoothing
//! with a trend and, when the history shows one, a season (additive Holt–Winters), its smoothing
//! parameters chosen by the one-step-ahead error on the series itself.
//!
//! Off-chain code: the oracle agents forecast with it and post integers; the simulator runs the
//! same agents' logic. It is deterministic (the same series gives the same forecast, bit for bit,
//! on one platform) but uses floating point, so it must never run inside the protocol.
//!
//! ```
//! let demand = [10.0, 12.0, 14.0, 16.0, 18.0, 20.0];
//! let fit = atelier_forecast::fit(&demand).unwrap();
//! assert!((fit.forecast(1) - 22.0).abs() < 1.0);
//! assert!(fit.error < fit.naive_error);
//! ```

/// Seasons tried, in epochs (a season is kept only with two of them in the history).
const SEASONS: std::ops::RangeInclusive<usize> = 2..=12;

/// The smoothing parameters tried for level, trend and season: 0.05 to 0.95 by 0.05.
fn grid() -> impl Iterator<Item = f64> + Clone {
    (1..=19).map(|step| f64::from(step) * 0.05)
}

/// A fitted model of a series: what it forecasts, and how well it did on the series itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Smoothing of the level.
    pub alpha: f64,
    /// Smoothing of the trend.
    pub beta: f64,
    /// Smoothing of the season (0 without one).
    pub gamma: f64,
    /// The season's length in steps (0 without one).
    pub season: usize,
    /// The level after the last point.
    pub level: f64,
    /// The trend after the last point (per step).
    pub trend: f64,
    /// The seasonal offsets, the next step's first.
    pub seasonals: Vec<f64>,
    /// Root mean square of the one-step-ahead errors over the series.
    pub error: f64,
    /// The same for the naive forecast (each step predicted by the one before): what `error`
    /// should beat.
    pub naive_error: f64,
}

impl Fit {
    /// The forecast `steps` steps after the last point (1: the next), never negative: the series
    /// this models are counts.
    pub fn forecast(&self, steps: usize) -> f64 {
        let seasonal = if self.season == 0 { 0.0 } else { self.seasonals[(steps - 1) % self.season] };
        (self.level + self.trend * steps as f64 + seasonal).max(0.0)
    }
}

/// The next step's forecast of a count per epoch (oldest first), as the oracle agents and the
/// simulator's make it: the fitted model's with three points or more (with its one-step-ahead
/// error and the naive forecast's), the mean of fewer, nothing without any.
///
/// ```
/// let (next, errors) = atelier_forecast::next_step(&[10.0, 20.0]).unwrap();
/// assert_eq!((next, errors), (15.0, None));
/// ```
pub fn next_step(series: &[f64]) -> Option<(f64, Option<(f64, f64)>)> {
    if series.is_empty() {
        return None;
    }
    Some(match fit(series) {
        Some(fit) => (fit.forecast(1), Some((fit.error, fit.naive_error))),
        None => (series.iter().sum::<f64>() / series.len() as f64, None),
    })
}

/// The exponentially smoothed level of `series` (oldest first) with weight `alpha` on each new
/// point: what a noisy per-epoch measure (engagement) reports. `None` for an empty series or an
/// `alpha` outside (0, 1].
///
/// ```
/// assert_eq!(atelier_forecast::smoothed(&[10.0, 20.0], 0.5), Some(15.0));
/// ```
pub fn smoothed(series: &[f64], alpha: f64) -> Option<f64> {
    let (first, rest) = series.split_first()?;
    if !(alpha > 0.0 && alpha <= 1.0) {
        return None;
    }
    Some(rest.iter().fold(*first, |level, value| level + alpha * (value - level)))
}

/// The model with the lowest one-step-ahead error over `series` among trend-only and every
/// season that fits twice in it; `None` with fewer than three points.
pub fn fit(series: &[f64]) -> Option<Fit> {
    if series.len() < 3 || series.iter().any(|value| !value.is_finite()) {
        return None;
    }
    let naive_error = rms(series.windows(2).map(|pair| pair[1] - pair[0]));
    let mut best: Option<Fit> = None;
    let mut consider = |candidate: Fit| {
        if best.as_ref().is_none_or(|kept| candidate.error < kept.error) {
            best = Some(candidate);
        }
    };
    for alpha in grid() {
        for beta in grid() {
            consider(smooth(series, alpha, beta, 0.0, 0, naive_error));
        }
    }
    for season in SEASONS.filter(|season| series.len() >= 2 * season) {
        for alpha in grid() {
            for beta in grid() {
                for gamma in grid() {
                    consider(smooth(series, alpha, beta, gamma, season, naive_error));
                }
            }
        }
    }
    best
}

/// Additive Holt–Winters over `series` (Holt's linear trend when `season` is 0): the state after
/// the last point and the one-step-ahead error along the way. The first season (or the first
/// point) only starts the state.
fn smooth(series: &[f64], alpha: f64, beta: f64, gamma: f64, season: usize, naive_error: f64) -> Fit {
    let start = season.max(1);
    let (mut level, mut trend, mut seasonals) = if season == 0 {
        (series[0], series[1] - series[0], Vec::new())
    } else {
        let first = &series[..season];
        let second = &series[season..2 * season];
        let mean = first.iter().sum::<f64>() / season as f64;
        let next_mean = second.iter().sum::<f64>() / season as f64;
        (mean, (next_mean - mean) / season as f64, first.iter().map(|value| value - mean).collect())
    };
    let mut errors = Vec::with_capacity(series.len());
    for (index, &value) in series.iter().enumerate().skip(start) {
        let offset = if season == 0 { 0.0 } else { seasonals[index % season] };
        let predicted = level + trend + offset;
        errors.push(value - predicted);
        let previous = level;
        level = alpha * (value - offset) + (1.0 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1.0 - beta) * trend;
        if season > 0 {
            seasonals[index % season] = gamma * (value - level) + (1.0 - gamma) * offset;
        }
    }
    // The offsets in the order the coming steps take them.
    let next = series.len();
    let seasonals = (0..season).map(|step| seasonals[(next + step) % season]).collect();
    Fit { alpha, beta, gamma, season, level, trend, seasonals, error: rms(errors.into_iter()), naive_error }
}

fn rms(errors: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = errors.fold((0.0, 0usize), |(sum, count), error| (sum + error * error, count + 1));
    if count == 0 { 0.0 } else { (sum / count as f64).sqrt() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One-step-ahead forecasts over the second half of `series`, each fitted on what came before:
    /// the root mean square error of the fit, and of the naive last value.
    fn out_of_sample(series: &[f64]) -> (f64, f64) {
        let start = series.len() / 2;
        let fitted = (start..series.len()).map(|t| series[t] - fit(&series[..t]).unwrap().forecast(1));
        let naive = (start..series.len()).map(|t| series[t] - series[t - 1]);
        (rms(fitted), rms(naive))
    }

    #[test]
    fn a_trend_with_a_season_is_forecast_better_than_by_the_last_value() {
        // Demand growing by 3 a step with a four-step season, and a little deterministic noise.
        let series: Vec<f64> = (0..40)
            .map(|t| 100.0 + 3.0 * t as f64 + [12.0, -4.0, -10.0, 2.0][t % 4] + ((t * 7) % 5) as f64 - 2.0)
            .collect();
        let (fitted, naive) = out_of_sample(&series);
        assert!(fitted < naive * 0.5, "fitted {fitted} against naive {naive}");
        let whole = fit(&series).unwrap();
        assert_eq!(whole.season, 4, "{whole:?}");
        let next = 100.0 + 3.0 * 40.0 + 12.0;
        assert!((whole.forecast(1) - next).abs() < 5.0, "{} against {next}", whole.forecast(1));
    }

    #[test]
    fn a_pure_trend_is_extrapolated() {
        let series: Vec<f64> = (0..12).map(|t| 50.0 + 5.0 * t as f64).collect();
        let fitted = fit(&series).unwrap();
        assert!((fitted.forecast(3) - (50.0 + 5.0 * 14.0)).abs() < 1e-6, "{fitted:?}");
        assert!(fitted.error < 1e-9);
    }

    #[test]
    fn too_short_or_broken_series_give_no_fit() {
        assert_eq!(fit(&[]), None);
        assert_eq!(fit(&[1.0, 2.0]), None);
        assert_eq!(fit(&[1.0, f64::NAN, 3.0]), None);
    }

    #[test]
    fn a_falling_series_is_never_forecast_below_zero() {
        let fitted = fit(&[40.0, 30.0, 20.0, 10.0]).unwrap();
        assert_eq!(fitted.forecast(10), 0.0);
    }

    proptest! {
        /// The fit is a function of the series: the same points, the same forecast, bit for bit.
        #[test]
        fn the_same_series_gives_the_same_forecast(series in proptest::collection::vec(0.0f64..1e6, 3..16)) {
            let (a, b) = (fit(&series).unwrap(), fit(&series).unwrap());
            prop_assert_eq!(a.forecast(1).to_bits(), b.forecast(1).to_bits());
            prop_assert!(a.forecast(1).is_finite() && a.error.is_finite());
        }
    }
}
