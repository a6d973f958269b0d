//! `atelier oracle run`: a registered oracle operator's daemon. For each feed it serves it watches
//! the open round, measures the feed's value from its source, and observes it — once per round,
//! across restarts: the round is written down before the observation is sent, so a crash between
//! the two loses that round's observation rather than sending it twice. A round it cannot measure
//! (a source down, no history yet) is skipped and retried while it stays open.
//!
//! Sources (`--config oracle.toml`):
//! - `chain`: a measure of the chain's own record, from the node's API and events —
//!   - `measure = "demand"`: the units a style's models will be asked for next epoch, forecast
//!     (`atelier-forecast`) from the past epochs (`GET /registry/styles`);
//!   - `measure = "engagement"`: the community's engagement per epoch ([`crate::record`]: active
//!     accounts, sales, remixes, new contributors), smoothed over the past epochs;
//!   - `measure = "quality"`: a model's quality in basis points from its record over the past
//!     epochs (results that stood, results overturned, sales of its designs);
//! - `http`: a number in a JSON document (`pointer`, RFC 6901) times `scale`, with a timeout and
//!   retries: an outside market price;
//! - `command`: a program that prints a number (times `scale`): a model's validation loss for
//!   `convergence/<model>`, say.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use atelier_primitives::{Height, SecretKey};
use atelier_protocol::{
    Msg,
    modules::oracle::{FeedId, FeedSpec, OracleMsg, Published, Round},
};
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, gauge::Gauge},
    registry::Registry,
};
use serde::Deserialize;

use crate::{
    chain::Chain,
    record::{self, EpochActivity, Models, Tally, Unknown},
    serve::{self, Health},
};

/// The past epochs a demand forecast is fitted on, at most.
const DEMAND_HISTORY: u64 = 48;

/// The past epochs engagement is smoothed over, and a model's quality measured over.
const RECORD_HISTORY: u64 = 8;

/// The weight of each new epoch in the smoothed engagement.
const ENGAGEMENT_SMOOTHING: f64 = 0.5;

/// Events asked for per page when reading an epoch.
const EVENTS_PAGE: usize = 1_000;

/// What the daemon serves.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OracleConfig {
    /// Seconds between looks at the feeds' open rounds.
    #[serde(default = "default_poll_seconds")]
    pub poll_seconds: u64,
    /// The feeds and where their values come from.
    pub feeds: Vec<FeedSource>,
}

fn default_poll_seconds() -> u64 {
    2
}

/// One feed and its source.
#[derive(Debug, Clone, Deserialize)]
pub struct FeedSource {
    /// The feed (`gdc_usd`, `demand/botanical`).
    pub feed: String,
    /// Where its value comes from.
    #[serde(flatten)]
    pub source: Source,
}

/// Where a feed's value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    /// A measure of the chain's own record.
    Chain {
        /// Which.
        #[serde(flatten)]
        measure: Measure,
    },
    /// A number in a JSON document.
    Http {
        /// The document's URL.
        url: String,
        /// Where the number is (`/gdc/usd`).
        pointer: String,
        /// What the number is multiplied by before it is rounded (the feed's unit).
        #[serde(default = "one")]
        scale: f64,
        /// How long one request may take, in milliseconds.
        #[serde(default = "default_timeout_ms")]
        timeout_ms: u64,
        /// How many times a failed request is tried again.
        #[serde(default = "default_retries")]
        retries: u32,
    },
    /// A program whose standard output is a number.
    Command {
        /// The program and its arguments.
        command: Vec<String>,
        /// What the number is multiplied by before it is rounded.
        #[serde(default = "one")]
        scale: f64,
        /// How long it may run, in milliseconds.
        #[serde(default = "default_command_timeout_ms")]
        timeout_ms: u64,
    },
}

/// What the `chain` source measures.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum Measure {
    /// The units `style`'s models will be asked for next epoch, forecast from the past epochs.
    Demand {
        /// The style.
        style: String,
    },
    /// The community's engagement per epoch, smoothed over the past epochs.
    Engagement,
    /// `model`'s quality in basis points, from its record over the past epochs.
    Quality {
        /// The model.
        model: u64,
    },
}

fn one() -> f64 {
    1.0
}

fn default_timeout_ms() -> u64 {
    5_000
}

fn default_retries() -> u32 {
    2
}

fn default_command_timeout_ms() -> u64 {
    60_000
}

/// How the daemon runs.
#[derive(Debug, Clone)]
pub struct OracleOptions {
    /// The node's API.
    pub node: String,
    /// Where it keeps the rounds it observed.
    pub state_dir: PathBuf,
    /// What it serves.
    pub config: OracleConfig,
    /// Where `/health` and `/metrics` listen.
    pub metrics_addr: SocketAddr,
}

/// A measured value: what is observed, and the forecast's one-step error when it is one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// The value, in the feed's unit.
    pub value: u128,
    /// The one-step-ahead error of the forecast behind it (and of the naive forecast).
    pub forecast_error: Option<(f64, f64)>,
}

/// A number times `scale`, rounded, as a feed value: refused when not finite or negative.
pub fn scaled(number: f64, scale: f64) -> Result<u128, String> {
    let value = (number * scale).round();
    if !value.is_finite() || value < 0.0 || value >= u128::MAX as f64 {
        return Err(format!("{number} × {scale} is not a feed value"));
    }
    Ok(value as u128)
}

/// The number at `pointer` in a JSON document: a JSON number, or a string holding one.
pub fn number_at(document: &serde_json::Value, pointer: &str) -> Result<f64, String> {
    let found = document.pointer(pointer).ok_or_else(|| format!("nothing at {pointer}"))?;
    match found {
        serde_json::Value::Number(number) => {
            number.as_f64().ok_or_else(|| format!("{number} is not a number"))
        }
        serde_json::Value::String(text) => {
            text.trim().parse().map_err(|_| format!("{text:?} is not a number"))
        }
        other => Err(format!("{other} at {pointer} is not a number")),
    }
}

/// The demand forecast for the next epoch from units per past epoch (oldest first), as a feed
/// value ([`atelier_forecast::next_step`]).
pub fn demand_forecast(units: &[f64]) -> Option<Measurement> {
    let (next, forecast_error) = atelier_forecast::next_step(units)?;
    Some(Measurement { value: scaled(next, 1.0).ok()?, forecast_error })
}

/// Whether a round of the feed `view` (`GET /oracle/feeds/{feed}`) is worth observing with
/// `value` at `height` ([`FeedSpec::worth_observing`]); a view it cannot read is observed.
pub fn worth_observing(view: &serde_json::Value, value: u128, height: u64) -> bool {
    let read = || -> Option<(FeedSpec, Round, Option<Published>)> {
        Some((
            serde_json::from_value(view["spec"].clone()).ok()?,
            serde_json::from_value(view["round"].clone()).ok()?,
            serde_json::from_value(view["latest"].clone()).ok()?,
        ))
    };
    read().is_none_or(|(spec, round, latest)| {
        spec.worth_observing(&round, latest.as_ref(), value, Height(height))
    })
}

/// Measures feeds: completed epochs' demand and activity are kept, since they never change.
struct Measurer {
    chain: Arc<Chain>,
    http: reqwest::Client,
    epochs: Mutex<BTreeMap<u64, serde_json::Value>>,
    activity: tokio::sync::Mutex<Activity>,
}

/// What the events of completed epochs counted, and which models made which jobs and designs.
#[derive(Default)]
struct Activity {
    epoch_blocks: Option<u64>,
    epochs: BTreeMap<u64, EpochActivity>,
    models: Models,
}

impl Measurer {
    async fn measure(&self, source: &Source) -> Result<Measurement, String> {
        match source {
            Source::Chain { measure: Measure::Demand { style } } => self.demand(style).await,
            Source::Chain { measure: Measure::Engagement } => {
                let engagement: Vec<f64> =
                    self.past_activity().await?.iter().map(|a| a.engagement() as f64).collect();
                let level = atelier_forecast::smoothed(&engagement, ENGAGEMENT_SMOOTHING)
                    .ok_or("no completed epoch yet to measure engagement in")?;
                Ok(Measurement { value: scaled(level, 1.0)?, forecast_error: None })
            }
            Source::Chain { measure: Measure::Quality { model } } => {
                let past = self.past_activity().await?;
                let value = record::quality_bps(past.iter().filter_map(|a| a.models.get(model))).ok_or_else(
                    || format!("model {model} has no record in the past {RECORD_HISTORY} epochs"),
                )?;
                Ok(Measurement { value, forecast_error: None })
            }
            Source::Http { url, pointer, scale, timeout_ms, retries } => {
                let mut last = String::new();
                for attempt in 0..=*retries {
                    if attempt > 0 {
                        tokio::time::sleep(Duration::from_millis(250 << attempt.min(4))).await;
                    }
                    let answer = self.http.get(url).timeout(Duration::from_millis(*timeout_ms)).send().await;
                    let document = match answer {
                        Ok(response) if response.status().is_success() => {
                            response.json::<serde_json::Value>().await
                        }
                        Ok(response) => {
                            last = format!("{url} answered {}", response.status());
                            continue;
                        }
                        Err(error) => Err(error),
                    };
                    match document {
                        Ok(document) => {
                            let value = scaled(number_at(&document, pointer)?, *scale)?;
                            return Ok(Measurement { value, forecast_error: None });
                        }
                        Err(error) => last = format!("{url}: {error}"),
                    }
                }
                Err(last)
            }
            Source::Command { command, scale, timeout_ms } => {
                let (program, args) = command.split_first().ok_or("an empty command")?;
                let run = tokio::process::Command::new(program).args(args).kill_on_drop(true).output();
                let output = tokio::time::timeout(Duration::from_millis(*timeout_ms), run)
                    .await
                    .map_err(|_| format!("{program} ran longer than {timeout_ms} ms"))?
                    .map_err(|e| format!("{program}: {e}"))?;
                if !output.status.success() {
                    return Err(format!(
                        "{program} failed: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    ));
                }
                let text = String::from_utf8_lossy(&output.stdout);
                let number: f64 = text
                    .trim()
                    .parse()
                    .map_err(|_| format!("{program} printed {:?}, not a number", text.trim()))?;
                Ok(Measurement { value: scaled(number, *scale)?, forecast_error: None })
            }
        }
    }

    /// The epoch under way.
    async fn current_epoch(&self) -> Result<u64, String> {
        self.chain.client().read("/registry/styles").await.map_err(|e| e.to_string())?["epoch"]
            .as_u64()
            .ok_or_else(|| "the node did not say the epoch".into())
    }

    /// The activity of each of the last [`RECORD_HISTORY`] completed epochs, oldest first.
    async fn past_activity(&self) -> Result<Vec<EpochActivity>, String> {
        let current = self.current_epoch().await?;
        let mut activity = self.activity.lock().await;
        let mut past = Vec::new();
        for epoch in current.saturating_sub(RECORD_HISTORY)..current {
            if !activity.epochs.contains_key(&epoch) {
                let counted = self.count_epoch(&mut activity, epoch).await?;
                activity.epochs.insert(epoch, counted);
            }
            past.push(activity.epochs[&epoch].clone());
        }
        let oldest = current.saturating_sub(RECORD_HISTORY);
        activity.epochs.retain(|epoch, _| *epoch >= oldest);
        Ok(past)
    }

    /// Reads `epoch`'s events (every page) and counts them.
    async fn count_epoch(&self, activity: &mut Activity, epoch: u64) -> Result<EpochActivity, String> {
        let client = self.chain.client();
        let epoch_blocks = match activity.epoch_blocks {
            Some(blocks) => blocks,
            None => {
                let params = client.read("/staking/params").await.map_err(|e| e.to_string())?;
                let blocks = params["epoch_blocks"].as_u64().filter(|b| *b > 0).ok_or("no epoch length")?;
                *activity.epoch_blocks.insert(blocks)
            }
        };
        let (first, last) = (epoch * epoch_blocks, (epoch + 1) * epoch_blocks - 1);
        let operators = client.read("/oracle/operators").await.map_err(|e| e.to_string())?;
        let operators = operators.as_array().into_iter().flatten();
        let mut tally =
            Tally::excluding(operators.filter_map(|o| o["address"].as_str().map(str::to_owned)).collect());
        let mut path = format!("/events?from_height={}&limit={EVENTS_PAGE}", first.max(1));
        loop {
            let page = client.read(&path).await.map_err(|e| e.to_string())?;
            let items = page["items"].as_array().cloned().unwrap_or_default();
            for item in &items {
                if item["height"].as_u64().is_some_and(|height| height > last) {
                    return Ok(tally.finish());
                }
                let event: atelier_protocol::Event =
                    serde_json::from_value(item["event"].clone()).map_err(|e| format!("an event: {e}"))?;
                while let Err(unknown) = tally.count(&event, &mut activity.models) {
                    match unknown {
                        Unknown::Job(job) => {
                            let found = client
                                .read(&format!("/compute/jobs/{job}"))
                                .await
                                .map_err(|e| e.to_string())?;
                            let model =
                                found["model"].as_u64().ok_or_else(|| format!("job {job} has no model"))?;
                            activity.models.job(job, model);
                        }
                        Unknown::Asset(asset) => {
                            let found =
                                client.read(&format!("/assets/{asset}")).await.map_err(|e| e.to_string())?;
                            activity.models.asset(asset, found["model"].as_u64());
                        }
                    }
                }
            }
            match page["next"].as_str() {
                Some(next) if !items.is_empty() => {
                    path = format!("/events?cursor={next}&limit={EVENTS_PAGE}")
                }
                _ => return Ok(tally.finish()),
            }
        }
    }

    /// `style`'s units in each completed epoch (the last [`DEMAND_HISTORY`]), forecast.
    async fn demand(&self, style: &str) -> Result<Measurement, String> {
        let current = self.current_epoch().await?;
        let mut units = Vec::new();
        for epoch in current.saturating_sub(DEMAND_HISTORY)..current {
            let known = self.epochs.lock().map_err(|e| e.to_string())?.get(&epoch).cloned();
            let record = match known {
                Some(record) => record,
                None => {
                    let path = format!("/registry/styles?epoch={epoch}");
                    let record = self.chain.client().read(&path).await.map_err(|e| e.to_string())?;
                    self.epochs.lock().map_err(|e| e.to_string())?.insert(epoch, record.clone());
                    record
                }
            };
            let demand = record["styles"].as_array().into_iter().flatten().find(|d| d["style"] == style);
            units.push(demand.and_then(|d| d["units"].as_u64()).unwrap_or(0) as f64);
        }
        demand_forecast(&units).ok_or_else(|| format!("no completed epoch yet to forecast {style} from"))
    }
}

/// The rounds observed, one small file per feed and round, written before the observation is sent.
struct Rounds {
    dir: PathBuf,
}

impl Rounds {
    fn file(&self, feed: &str, round: u64) -> PathBuf {
        self.dir.join(format!("{}-{round}", feed.replace('/', "~")))
    }

    fn observed(&self, feed: &str, round: u64) -> bool {
        self.file(feed, round).exists()
    }

    fn record(&self, feed: &str, round: u64, value: u128) -> std::io::Result<()> {
        use std::io::Write;
        let path = self.file(feed, round);
        let mut file = std::fs::File::create(&path)?;
        file.write_all(value.to_string().as_bytes())?;
        file.sync_all()?;
        std::fs::File::open(&self.dir)?.sync_all()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct FeedLabel {
    feed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct Skip {
    feed: String,
    reason: String,
}

/// What `/health` and the metrics report.
#[derive(Default)]
struct Seen {
    /// Per feed: the last round observed, its value, and the last error.
    feeds: BTreeMap<String, serde_json::Value>,
}

/// Runs the daemon until `shutdown` resolves.
pub async fn run(
    options: OracleOptions,
    key: SecretKey,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    for feed in &options.config.feeds {
        if !FeedId(feed.feed.clone()).is_valid() {
            return Err(format!("{:?} is not a feed id", feed.feed));
        }
    }
    let chain = Arc::new(Chain::new(&options.node, key));
    let me = chain.address().to_string();
    let operators = chain.client().read("/oracle/operators").await.map_err(|e| e.to_string())?;
    if !operators.as_array().into_iter().flatten().any(|o| o["address"] == me.as_str()) {
        return Err(format!(
            "{me} is not an oracle operator: bond the minimum stake and run `atelier tx oracle register --from KEY`"
        ));
    }
    let rounds = Rounds { dir: options.state_dir.join("rounds") };
    std::fs::create_dir_all(&rounds.dir).map_err(|e| format!("{}: {e}", rounds.dir.display()))?;

    let mut registry = Registry::with_prefix("atelier_oracle");
    let observations = Family::<FeedLabel, Counter>::default();
    let skipped = Family::<Skip, Counter>::default();
    let values = Family::<FeedLabel, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
    let errors = Family::<FeedLabel, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
    registry.register("observations", "Rounds observed, by feed", observations.clone());
    registry.register("skipped", "Rounds it could not measure yet, by feed and reason", skipped.clone());
    registry.register("value", "The last value observed, by feed", values.clone());
    registry.register(
        "forecast_error",
        "The last forecast's one-step-ahead RMS error, by feed",
        errors.clone(),
    );
    let seen = Arc::new(Mutex::new(Seen::default()));
    let health: Health = {
        let (seen, me) = (seen.clone(), me.clone());
        Arc::new(move || {
            let feeds = seen.lock().map(|s| s.feeds.clone()).unwrap_or_default();
            serde_json::json!({ "operator": me, "feeds": feeds })
        })
    };
    let listener = serve::bind(options.metrics_addr).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(operator = %me, metrics = %address, feeds = options.config.feeds.len(), "oracle agent started");
    let server = tokio::spawn(serve::serve(listener, Arc::new(registry), health, None));

    let measurer = Measurer {
        chain: chain.clone(),
        http: reqwest::Client::new(),
        epochs: Mutex::default(),
        activity: tokio::sync::Mutex::default(),
    };
    let poll = Duration::from_secs(options.config.poll_seconds.max(1));
    tokio::pin!(shutdown);
    let mut unmeasured: BTreeMap<String, (u64, String)> = BTreeMap::new();
    loop {
        for feed in &options.config.feeds {
            let label = FeedLabel { feed: feed.feed.clone() };
            let note = |key: &str, value: serde_json::Value| {
                if let Ok(mut seen) = seen.lock() {
                    let entry = seen.feeds.entry(feed.feed.clone()).or_insert_with(|| serde_json::json!({}));
                    entry[key] = value;
                }
            };
            // A feed id's `/` is one path segment's: sent escaped.
            let view = match chain
                .client()
                .read(&format!("/oracle/feeds/{}", feed.feed.replace('/', "%2F")))
                .await
            {
                Ok(view) => view,
                Err(error) => {
                    note("error", format!("reading the feed: {error}").into());
                    continue;
                }
            };
            let Some(round) = view["round"]["number"].as_u64() else { continue };
            if rounds.observed(&feed.feed, round) {
                continue;
            }
            let measured = match measurer.measure(&feed.source).await {
                Ok(measured) => measured,
                Err(reason) => {
                    // Said once per round and reason, however often it is tried again.
                    if unmeasured.get(&feed.feed) != Some(&(round, reason.clone())) {
                        skipped
                            .get_or_create(&Skip { feed: feed.feed.clone(), reason: "unmeasured".into() })
                            .inc();
                        tracing::warn!(feed = %feed.feed, round, %reason, "round not measured; trying again while it is open");
                        unmeasured.insert(feed.feed.clone(), (round, reason.clone()));
                    }
                    note("error", reason.into());
                    continue;
                }
            };
            let height = match chain.client().status().await {
                Ok(status) => status.height,
                Err(error) => {
                    note("error", format!("reading the head: {error}").into());
                    continue;
                }
            };
            if !worth_observing(&view, measured.value, height) {
                continue;
            }
            // Written down first: a crash after this loses the round, never observes it twice.
            rounds
                .record(&feed.feed, round, measured.value)
                .map_err(|e| format!("{}: {e}", rounds.dir.display()))?;
            let msg = OracleMsg::SubmitObservation {
                feed: FeedId(feed.feed.clone()),
                round,
                value: measured.value,
            };
            match chain.send_pending(vec![Msg::Oracle(msg)]).await {
                Ok(hash) => {
                    observations.get_or_create(&label).inc();
                    values.get_or_create(&label).set(measured.value as f64);
                    if let Some((error, naive)) = measured.forecast_error {
                        errors.get_or_create(&label).set(error);
                        note("forecast_error", serde_json::json!({ "rms": error, "naive_rms": naive }));
                    }
                    tracing::info!(feed = %feed.feed, round, value = %measured.value, tx = %hash, "observed");
                    note("round", round.into());
                    note("value", measured.value.to_string().into());
                    note("error", serde_json::Value::Null);
                }
                Err(error) => {
                    skipped.get_or_create(&Skip { feed: feed.feed.clone(), reason: "refused".into() }).inc();
                    tracing::warn!(feed = %feed.feed, round, %error, "observation refused");
                    note("error", error.to_string().into());
                }
            }
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(poll) => {}
        }
    }
    server.abort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_read_at_its_pointer_as_a_number_or_a_numeric_string() {
        let document = serde_json::json!({ "gdc": { "usd": 0.45, "text": "0.5" }, "name": "x" });
        assert_eq!(number_at(&document, "/gdc/usd"), Ok(0.45));
        assert_eq!(number_at(&document, "/gdc/text"), Ok(0.5));
        assert!(number_at(&document, "/name").is_err());
        assert!(number_at(&document, "/missing").is_err());
    }

    #[test]
    fn a_value_is_scaled_and_rounded_and_never_negative_or_infinite() {
        assert_eq!(scaled(0.45, 1e12), Ok(450_000_000_000));
        assert_eq!(scaled(2.6, 1.0), Ok(3));
        assert!(scaled(-1.0, 1.0).is_err());
        assert!(scaled(f64::INFINITY, 1.0).is_err());
        assert!(scaled(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn demand_is_forecast_from_three_epochs_on_and_averaged_before() {
        assert_eq!(demand_forecast(&[]), None);
        assert_eq!(demand_forecast(&[10.0, 20.0]).map(|m| m.value), Some(15));
        let growing = demand_forecast(&[10.0, 20.0, 30.0, 40.0]).unwrap();
        assert_eq!(growing.value, 50);
        assert!(growing.forecast_error.is_some());
    }

    #[test]
    fn a_round_is_observed_when_it_would_publish_or_someone_opened_it() {
        let view = |observations: u64, latest: serde_json::Value| {
            serde_json::json!({
                "spec": { "id": "engagement", "quorum": 2, "heartbeat_blocks": 60, "deviation": 50,
                          "staleness_blocks": 120, "round_blocks": 10 },
                "round": { "number": 3, "opened": 0, "observations": observations },
                "latest": latest,
            })
        };
        let fresh = serde_json::json!({ "value": "10000", "round": 2, "height": 100 });
        assert!(worth_observing(&view(0, serde_json::Value::Null), 5, 100), "no value yet");
        assert!(!worth_observing(&view(0, fresh.clone()), 10_049, 129), "within 0.5%, fresh");
        assert!(worth_observing(&view(0, fresh.clone()), 10_050, 129), "moved 0.5%");
        assert!(worth_observing(&view(0, fresh.clone()), 9_950, 101), "down 0.5%");
        assert!(worth_observing(&view(0, fresh.clone()), 10_000, 130), "half a heartbeat old");
        assert!(worth_observing(&view(1, fresh), 10_000, 101), "another operator opened the round");
        let zero = serde_json::json!({ "value": "0", "round": 2, "height": 100 });
        assert!(!worth_observing(&view(0, zero.clone()), 0, 101), "still zero");
        assert!(worth_observing(&view(0, zero), 1, 101), "off zero");
    }

    #[test]
    fn a_round_recorded_stays_observed_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let rounds = Rounds { dir: dir.path().to_path_buf() };
        assert!(!rounds.observed("demand/botanical", 7));
        rounds.record("demand/botanical", 7, 42).unwrap();
        let reopened = Rounds { dir: dir.path().to_path_buf() };
        assert!(reopened.observed("demand/botanical", 7));
        assert!(!reopened.observed("demand/botanical", 8) && !reopened.observed("demand/ink", 7));
    }

    #[test]
    fn the_readmes_oracle_configuration_parses() {
        let readme = include_str!("../README.md");
        let section = &readme[readme.find("## Oracle operator").unwrap()..];
        let start = section.find("```toml\n").unwrap() + "```toml\n".len();
        let end = start + section[start..].find("```").unwrap();
        let config: OracleConfig = toml::from_str(&section[start..end]).unwrap();
        let feeds: Vec<&str> = config.feeds.iter().map(|f| f.feed.as_str()).collect();
        assert_eq!(feeds, ["demand/botanical", "engagement", "quality/2", "gdc_usd", "convergence/1"]);
        assert!(config.feeds.iter().all(|f| FeedId(f.feed.clone()).is_valid()));
    }

    #[test]
    fn the_configuration_names_each_feeds_source() {
        let config: OracleConfig = toml::from_str(
            r#"
            [[feeds]]
            feed = "gdc_usd"
            source = "http"
            url = "http://127.0.0.1:1/price"
            pointer = "/gdc/usd"
            scale = 1e12

            [[feeds]]
            feed = "demand/botanical"
            source = "chain"
            measure = "demand"
            style = "botanical"

            [[feeds]]
            feed = "engagement"
            source = "chain"
            measure = "engagement"

            [[feeds]]
            feed = "quality/2"
            source = "chain"
            measure = "quality"
            model = 2

            [[feeds]]
            feed = "convergence/1"
            source = "command"
            command = ["python3", "scripts/evaluate-model.py", "1"]
            "#,
        )
        .unwrap();
        assert_eq!(config.poll_seconds, 2);
        assert!(matches!(&config.feeds[0].source, Source::Http { scale, retries: 2, .. } if *scale == 1e12));
        let measure = |i: usize| match &config.feeds[i].source {
            Source::Chain { measure } => Some(measure.clone()),
            _ => None,
        };
        assert_eq!(measure(1), Some(Measure::Demand { style: "botanical".into() }));
        assert_eq!(measure(2), Some(Measure::Engagement));
        assert_eq!(measure(3), Some(Measure::Quality { model: 2 }));
        assert!(matches!(&config.feeds[4].source, Source::Command { command, .. } if command.len() == 3));
    }
}
