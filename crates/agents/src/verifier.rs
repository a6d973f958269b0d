//! `atelier verifier run`: re-executes a sample of the deterministic results of its class and
//! challenges those it computes differently; when anyone challenges, it re-executes and claims
//! its own output in the dispute. The compute module's dispute rules decide; a verifier that
//! agrees with a result never challenges it.
//!
//! The verifier's account must be an active provider of the job's class with the minimum bond
//! (the chain refuses a challenge or claim from anyone else), other than the job's provider.

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use atelier_primitives::{Hash, SecretKey};
use atelier_protocol::{
    Event, Msg,
    modules::compute::{ComputeEvent, ComputeMsg, JobId},
};
use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family},
    registry::Registry,
};
use serde::{Deserialize, Serialize};

use crate::{
    backend::Backends,
    chain::Chain,
    follow::{Progress, follow},
    serve::{self, Health},
};

/// How the daemon runs.
#[derive(Debug, Clone)]
pub struct VerifierOptions {
    /// The node's API.
    pub node: String,
    /// Where it keeps its progress and what it did per job.
    pub state_dir: PathBuf,
    /// The share of results it re-executes, in basis points (10 000: all).
    pub sample_bps: u32,
    /// Which backend runs each model.
    pub backends: Backends,
    /// Where `/health` and `/metrics` listen.
    pub metrics_addr: SocketAddr,
}

/// What the verifier did about a job, on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Done {
    /// The output it computed.
    computed: Option<Hash>,
    /// It challenged the result.
    challenged: bool,
    /// It claimed its output in the dispute.
    claimed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct Outcome {
    outcome: String,
}

/// Whether this verifier re-executes `job`: a fixed draw per (job, verifier), so that a restart
/// samples the same jobs and different verifiers sample different ones.
pub fn sampled(job: u64, verifier: &atelier_primitives::Address, sample_bps: u32) -> bool {
    let draw = Hash::digest("atelier/verifier/sample", &[&job.to_le_bytes(), &verifier.0]);
    let value = u64::from_le_bytes(draw.0[..8].try_into().unwrap_or_default()) % 10_000;
    value < u64::from(sample_bps)
}

/// Runs the daemon until `shutdown` resolves.
pub async fn run(
    options: VerifierOptions,
    key: SecretKey,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let chain = Arc::new(Chain::new(&options.node, key));
    let me = chain.address();
    chain.require_provider().await?;
    std::fs::create_dir_all(options.state_dir.join("jobs"))
        .map_err(|e| format!("{}: {e}", options.state_dir.display()))?;
    let progress = Progress::new(options.state_dir.join("position"));
    let checks: Family<Outcome, Counter> = Family::default();
    let mut registry = Registry::with_prefix("atelier_verifier");
    registry.register(
        "checks",
        "Results re-executed, by outcome (agreed, challenged, claimed, failed)",
        checks.clone(),
    );
    let health: Health = {
        let checks = checks.clone();
        Arc::new(move || {
            let count = |outcome: &str| checks.get_or_create(&Outcome { outcome: outcome.to_owned() }).get();
            serde_json::json!({
                "status": "ok",
                "verifier": me.to_string(),
                "agreed": count("agreed"),
                "challenged": count("challenged"),
                "claimed": count("claimed"),
                "failed": count("failed"),
            })
        })
    };
    let listener = serve::bind(options.metrics_addr).await?;
    let metrics_addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(serve::serve(listener, Arc::new(registry), health, None));
    tracing::info!(verifier = %me, metrics = %metrics_addr, sample_bps = options.sample_bps, "verifier running");

    let (after, query) = match progress.load() {
        Some(position) => (Some(position), "kind=compute".to_owned()),
        None => {
            let next = chain.height().await.map_err(|e| e.to_string())? + 1;
            (None, format!("kind=compute&from_height={next}"))
        }
    };
    let mut events = follow(&options.node, &query, after);
    let count = |outcome: &str| {
        checks.get_or_create(&Outcome { outcome: outcome.to_owned() }).inc();
    };
    tokio::pin!(shutdown);
    loop {
        let followed = tokio::select! {
            () = &mut shutdown => break,
            Some(followed) = events.recv() => followed,
        };
        let action = match followed.event {
            Event::Compute(ComputeEvent::ResultSubmitted { job, output_hash })
                if sampled(job.0, &me, options.sample_bps) =>
            {
                Some((job.0, output_hash, false))
            }
            Event::Compute(ComputeEvent::ResultChallenged { job, challenger, .. }) if challenger != me => {
                Some((job.0, Hash::ZERO, true))
            }
            _ => None,
        };
        if let Some((job, submitted, dispute)) = action {
            match verify(&chain, &options, job, submitted, dispute).await {
                Ok(Some(outcome)) => count(outcome),
                Ok(None) => {}
                Err(error) => {
                    count("failed");
                    tracing::warn!(job, %error, "could not verify");
                }
            }
        }
        if let Err(error) = progress.save(followed.position) {
            tracing::warn!(%error, "could not record progress");
        }
    }
    tracing::info!("verifier stopped");
    Ok(())
}

fn record(options: &VerifierOptions, job: u64) -> PathBuf {
    options.state_dir.join("jobs").join(format!("{job}.json"))
}

fn load(options: &VerifierOptions, job: u64) -> Done {
    std::fs::read(record(options, job))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn save(options: &VerifierOptions, job: u64, done: Done) -> Result<(), String> {
    let path = record(options, job);
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, serde_json::to_vec(&done).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    std::fs::rename(temporary, path).map_err(|e| e.to_string())
}

/// Re-executes `job` (once: a restart reuses what it computed) and challenges a result it
/// computes differently, or in a dispute claims its own output. The outcome, or `None` when
/// there is nothing to do (not deterministic, its own job, already done).
async fn verify(
    chain: &Chain,
    options: &VerifierOptions,
    id: u64,
    submitted: Hash,
    dispute: bool,
) -> Result<Option<&'static str>, String> {
    let mut done = load(options, id);
    if done.claimed || (!dispute && (done.computed.is_some() || done.challenged)) {
        return Ok(None);
    }
    let Some(job) = chain.job(id).await.map_err(|e| e.to_string())? else { return Ok(None) };
    if !job.deterministic || job.provider == Some(chain.address()) {
        return Ok(None);
    }
    let computed = match done.computed {
        Some(hash) => hash,
        None => {
            let (request, backend) = crate::work::prepare(
                chain,
                &options.backends,
                &job,
                crate::work::time_budget(chain, &job).await,
            )
            .await
            .map_err(|e| e.detail)?;
            let output = backend.generate(&request).await.map_err(|e| e.to_string())?;
            // The correct output, where anyone can fetch and compare it.
            let hash = chain.put_blob(output).await.map_err(|e| e.to_string())?;
            done.computed = Some(hash);
            save(options, id, done)?;
            hash
        }
    };
    if !dispute && computed == submitted {
        return Ok(Some("agreed"));
    }
    // Someone may have challenged while this one computed: then it claims instead.
    let disputed =
        dispute || chain.job(id).await.map_err(|e| e.to_string())?.is_some_and(|job| job.dispute.is_some());
    let (msg, outcome) = if disputed {
        (ComputeMsg::ClaimOutput { job: JobId(id), output_hash: computed }, "claimed")
    } else {
        (ComputeMsg::ChallengeResult { job: JobId(id), output_hash: computed }, "challenged")
    };
    chain.send(vec![Msg::Compute(msg)]).await.map_err(|e| e.to_string())?;
    if disputed {
        done.claimed = true;
    } else {
        done.challenged = true;
    }
    save(options, id, done)?;
    if disputed {
        tracing::info!(job = id, output = %computed, "claimed in the dispute");
    } else {
        tracing::warn!(job = id, submitted = %submitted, computed = %computed, "challenged a result");
    }
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_takes_about_the_asked_share_and_all_or_none_at_the_ends() {
        let verifier = atelier_primitives::Address([7; 20]);
        let taken = (0..10_000).filter(|job| sampled(*job, &verifier, 2_500)).count();
        assert!((2_200..2_800).contains(&taken), "{taken} of 10 000 at 25%");
        assert!((0..1_000).all(|job| sampled(job, &verifier, 10_000)));
        assert!((0..1_000).all(|job| !sampled(job, &verifier, 0)));
    }
}
