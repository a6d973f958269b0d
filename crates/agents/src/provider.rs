//! `atelier provider run`: a registered provider's daemon. It follows the chain for jobs assigned
//! to its account (and, on start, looks up the admitted jobs it already holds), fetches each job's
//! prompt, parameters and model weights from the node's blob store and checks them by hash, runs
//! the model's backend with at most `concurrency` jobs in flight, stores the output as a blob, and
//! sends the results, several to a transaction. The journal makes it safe to kill at any moment:
//! an output generated is never generated again, a job already answered is never answered twice.

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use atelier_primitives::{Hash, SecretKey};
use atelier_protocol::{
    Event, Msg,
    modules::compute::{ComputeEvent, ComputeMsg, JobId, JobStatus},
};
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::{Registry, Unit},
};
use tokio::sync::{Semaphore, mpsc};

use crate::{
    backend::Backends,
    chain::{Chain, ChainError},
    follow::{Progress, follow},
    journal::{Entry, Journal, Stage},
    serve::{self, Health},
};

/// How the daemon runs.
#[derive(Debug, Clone)]
pub struct ProviderOptions {
    /// The node's API.
    pub node: String,
    /// Where it keeps its progress and journal.
    pub state_dir: PathBuf,
    /// Most jobs generated at once.
    pub concurrency: usize,
    /// Which backend serves each model.
    pub backends: Backends,
    /// Where `/health` and `/metrics` listen.
    pub metrics_addr: SocketAddr,
}

/// Why a job failed, for the failures metric.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct FailureLabels {
    reason: String,
}

/// The daemon's metrics.
#[derive(Debug, Clone)]
struct Metrics {
    served: Counter,
    failures: Family<FailureLabels, Counter>,
    in_flight: Gauge,
    earnings: Counter,
    backend: Family<FailureLabels, Histogram, fn() -> Histogram>,
}

fn latency() -> Histogram {
    Histogram::new([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0])
}

impl Metrics {
    fn registered() -> (Metrics, Registry) {
        let metrics = Metrics {
            served: Counter::default(),
            failures: Family::default(),
            in_flight: Gauge::default(),
            earnings: Counter::default(),
            backend: Family::new_with_constructor(latency as fn() -> Histogram),
        };
        let mut registry = Registry::with_prefix("atelier_provider");
        registry.register("jobs_served", "Results sent and included", metrics.served.clone());
        registry.register("job_failures", "Jobs not answered, by reason", metrics.failures.clone());
        registry.register("jobs_in_flight", "Jobs being generated", metrics.in_flight.clone());
        registry.register(
            "earnings_ugdc",
            "What settled jobs paid this provider, in ugdc",
            metrics.earnings.clone(),
        );
        registry.register_with_unit(
            "backend_duration",
            "Time the backend took per job, by backend (the reason label names it)",
            Unit::Seconds,
            metrics.backend.clone(),
        );
        (metrics, registry)
    }

    fn fail(&self, reason: &str) {
        self.failures.get_or_create(&FailureLabels { reason: reason.to_owned() }).inc();
    }
}

/// Runs the daemon until `shutdown` resolves.
pub async fn run(
    options: ProviderOptions,
    key: SecretKey,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let chain = Arc::new(Chain::new(&options.node, key));
    let me = chain.address();
    chain.require_provider().await?;
    std::fs::create_dir_all(&options.state_dir)
        .map_err(|e| format!("{}: {e}", options.state_dir.display()))?;
    let journal = Journal::open(options.state_dir.join("jobs")).map_err(|e| e.to_string())?;
    let progress = Progress::new(options.state_dir.join("position"));
    let (metrics, registry) = Metrics::registered();
    let position = Arc::new(std::sync::Mutex::new(progress.load()));
    let seen_jobs = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let health: Health = {
        let (metrics, position, seen_jobs) = (metrics.clone(), position.clone(), seen_jobs.clone());
        Arc::new(move || {
            serde_json::json!({
                "status": "ok",
                "provider": me.to_string(),
                "position": position.lock().ok().and_then(|p| p.map(|p| p.to_string())),
                "jobs_seen": seen_jobs.load(std::sync::atomic::Ordering::Relaxed),
                "in_flight": metrics.in_flight.get(),
                "served": metrics.served.get(),
            })
        })
    };
    let listener = serve::bind(options.metrics_addr).await?;
    let metrics_addr = listener.local_addr().map_err(|e| e.to_string())?;
    let outputs = options.state_dir.join("blobs");
    std::fs::create_dir_all(&outputs).map_err(|e| format!("{}: {e}", outputs.display()))?;
    tokio::spawn(serve::serve(listener, Arc::new(registry), health, Some(outputs.clone())));
    tracing::info!(provider = %me, metrics = %metrics_addr, state = %options.state_dir.display(), "provider running");

    // Where to follow from: after the last event handled, or from the next block on a first start.
    let (after, query) = match progress.load() {
        Some(position) => (Some(position), format!("account={me}&kind=compute")),
        None => {
            let next = chain.height().await.map_err(|e| e.to_string())? + 1;
            (None, format!("account={me}&kind=compute&from_height={next}"))
        }
    };
    let mut events = follow(&options.node, &query, after);

    let (work_sender, mut work) = mpsc::unbounded_channel::<u64>();
    let (result_sender, results) = mpsc::unbounded_channel::<(u64, Hash)>();
    // Jobs already assigned and waiting: a restart picks them up.
    for job in assigned_admitted(&chain).await.map_err(|e| e.to_string())? {
        let _ = work_sender.send(job);
    }
    tokio::spawn(submit_results(chain.clone(), journal.clone(), metrics.clone(), results));
    let slots = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let backends = Arc::new(options.backends.clone());
    let mut seen = std::collections::BTreeSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(followed) = events.recv() => {
                match followed.event {
                    Event::Compute(ComputeEvent::JobAdmitted { job, provider, .. }) if provider == me => {
                        let _ = work_sender.send(job.0);
                    }
                    Event::Compute(ComputeEvent::JobSettled { provider, provider_paid, .. }) if provider == me => {
                        metrics.earnings.inc_by(u64::try_from(provider_paid.get()).unwrap_or(u64::MAX));
                    }
                    _ => {}
                }
                if let Ok(mut position) = position.lock() {
                    *position = Some(followed.position);
                }
                if let Err(error) = progress.save(followed.position) {
                    tracing::warn!(%error, "could not record progress");
                }
            }
            Some(job) = work.recv() => {
                if !seen.insert(job) {
                    continue;
                }
                seen_jobs.store(seen.len() as u64, std::sync::atomic::Ordering::Relaxed);
                let permit = slots.clone().acquire_owned().await.map_err(|e| e.to_string())?;
                let (chain, journal, metrics, backends, results, outputs) =
                    (chain.clone(), journal.clone(), metrics.clone(), backends.clone(), result_sender.clone(), outputs.clone());
                tokio::spawn(async move {
                    metrics.in_flight.inc();
                    match serve_job(&chain, &journal, &metrics, &backends, &outputs, job).await {
                        Ok(Some(output)) => { let _ = results.send((job, output)); }
                        Ok(None) => {}
                        Err(reason) => tracing::warn!(job, %reason, "job not answered"),
                    }
                    metrics.in_flight.dec();
                    drop(permit);
                });
            }
        }
    }
    tracing::info!("provider stopped");
    Ok(())
}

/// The admitted jobs assigned to this provider, from the node's job list.
async fn assigned_admitted(chain: &Chain) -> Result<Vec<u64>, ChainError> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/compute/jobs?provider={}&cursor={cursor}", chain.address()),
            None => format!("/compute/jobs?provider={}", chain.address()),
        };
        let page = chain.client().read(&path).await?;
        for job in page["items"].as_array().into_iter().flatten() {
            if job["status"] == "admitted" {
                found.extend(job["id"].as_u64());
            }
        }
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(found),
        }
    }
}

/// Generates one job's output (or takes it from the journal) and stores it as a blob; `None` if
/// the job no longer needs an answer.
async fn serve_job(
    chain: &Chain,
    journal: &Journal,
    metrics: &Metrics,
    backends: &Backends,
    outputs: &std::path::Path,
    id: u64,
) -> Result<Option<Hash>, String> {
    let fail = |reason: &str, detail: String| {
        metrics.fail(reason);
        detail
    };
    let Some(job) = chain.job(id).await.map_err(|e| fail("node", e.to_string()))? else {
        return Ok(None);
    };
    if job.status != JobStatus::Admitted || job.provider != Some(chain.address()) {
        return Ok(None);
    }
    if let Some(entry) = journal.get(id) {
        // Generated before a restart: the same output, not a second run.
        return Ok(Some(entry.output_hash));
    }
    let (request, backend) =
        crate::work::prepare(chain, backends, &job, crate::work::time_budget(chain, &job).await)
            .await
            .map_err(|e| fail(e.reason, e.detail))?;
    let started = Instant::now();
    let output = backend.generate(&request).await;
    metrics
        .backend
        .get_or_create(&FailureLabels { reason: backend.kind().to_owned() })
        .observe(started.elapsed().as_secs_f64());
    let output = output.map_err(|e| fail(crate::work::reason(&e), format!("job {id}: {e}")))?;
    // Kept here too, served on the daemon's port: nodes that lack it fetch it from the provider.
    let hash = Hash::blob(&output);
    write_atomically(&outputs.join(hash.to_hex()), &output)
        .map_err(|e| fail("journal", format!("job {id}: {e}")))?;
    let hash = chain
        .put_blob(output)
        .await
        .map_err(|e| fail("node", format!("job {id}: storing the output: {e}")))?;
    journal
        .put(id, Entry { output_hash: hash, stage: Stage::Generated })
        .map_err(|e| fail("journal", format!("job {id}: {e}")))?;
    tracing::info!(job = id, output = %hash, backend = backend.kind(), millis = started.elapsed().as_millis() as u64, "generated");
    Ok(Some(hash))
}

/// Writes `bytes` to `path` whole or not at all.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(temporary, path)
}

/// Most results one transaction carries.
const RESULTS_PER_TX: usize = 32;

/// Batches of results in flight at once: each waits for its block while the next is sent.
const BATCHES_IN_FLIGHT: usize = 8;

/// Sends results as they come, several to a transaction, without waiting for one transaction's
/// block before sending the next.
async fn submit_results(
    chain: Arc<Chain>,
    journal: Journal,
    metrics: Metrics,
    mut results: mpsc::UnboundedReceiver<(u64, Hash)>,
) {
    let in_flight = Arc::new(Semaphore::new(BATCHES_IN_FLIGHT));
    while let Some(first) = results.recv().await {
        let Ok(permit) = in_flight.clone().acquire_owned().await else { return };
        let mut batch = vec![first];
        while batch.len() < RESULTS_PER_TX {
            match results.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (chain, journal, metrics) = (chain.clone(), journal.clone(), metrics.clone());
        tokio::spawn(async move {
            send_results(&chain, &journal, &metrics, batch).await;
            drop(permit);
        });
    }
}

/// Sends one batch of results until each is included or refused; a result the chain would refuse
/// (its job ended meanwhile) is dropped and the rest sent.
async fn send_results(chain: &Chain, journal: &Journal, metrics: &Metrics, mut batch: Vec<(u64, Hash)>) {
    while !batch.is_empty() {
        let msgs = batch
            .iter()
            .map(|(job, output_hash)| {
                Msg::Compute(ComputeMsg::SubmitResult { job: JobId(*job), output_hash: *output_hash })
            })
            .collect();
        match chain.send(msgs).await {
            Ok(included) => {
                for (job, output_hash) in batch.drain(..) {
                    metrics.served.inc();
                    let _ = journal.put(job, Entry { output_hash, stage: Stage::Submitted });
                    tracing::info!(job, height = included.height, "result submitted");
                }
            }
            Err(ChainError::WouldFail { msg_index: Some(index), reason, .. })
                if (index as usize) < batch.len() =>
            {
                let (job, _) = batch.remove(index as usize);
                metrics.fail("refused");
                tracing::warn!(job, %reason, "the chain would refuse this result; dropped");
            }
            Err(error) => {
                metrics.fail("send");
                tracing::warn!(%error, jobs = batch.len(), "sending results failed; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
                // Jobs that ended meanwhile are dropped on the next try by the simulation.
                let mut still = Vec::new();
                for (job, hash) in batch.drain(..) {
                    if let Ok(Some(current)) = chain.job(job).await
                        && current.status == JobStatus::Admitted
                    {
                        still.push((job, hash));
                    }
                }
                batch = still;
            }
        }
    }
}
