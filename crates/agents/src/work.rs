//! What providers and verifiers share: the request a job makes of its model's backend, built
//! from blobs checked against the hashes the chain holds.

use std::time::Duration;

use atelier_protocol::modules::compute::Job;

use crate::{
    backend::{Backend, BackendError, Backends, Request},
    chain::Chain,
};

/// Why a job's request could not be built.
#[derive(Debug)]
pub struct Unprepared {
    /// For the failures metric.
    pub reason: &'static str,
    /// For the log.
    pub detail: String,
}

/// The longest a backend may take for one job.
pub const GENERATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The least a backend is given, however close the deadline (blocks may come faster than the
/// estimate says).
pub const MIN_GENERATION_TIME: Duration = Duration::from_secs(2);

/// How long a backend may take for `job`: the time left before its next deadline at the chain's
/// recent pace, less one block for the answer to be included, within
/// [`MIN_GENERATION_TIME`]..=[`GENERATION_TIMEOUT`].
pub async fn time_budget(chain: &Chain, job: &Job) -> Duration {
    let Some(due) = job.due else { return GENERATION_TIMEOUT };
    match chain.pace().await {
        Ok((height, Some(interval))) => {
            let blocks = due.0.saturating_sub(height).saturating_sub(1);
            budget(blocks, interval)
        }
        _ => GENERATION_TIMEOUT,
    }
}

fn budget(blocks: u64, interval: Duration) -> Duration {
    interval
        .saturating_mul(u32::try_from(blocks).unwrap_or(u32::MAX))
        .clamp(MIN_GENERATION_TIME, GENERATION_TIMEOUT)
}

/// The request `job` makes of its model, with the backend that serves the model.
pub async fn prepare(
    chain: &Chain,
    backends: &Backends,
    job: &Job,
    timeout: Duration,
) -> Result<(Request, Box<dyn Backend>), Unprepared> {
    let id = job.id.0;
    let failed =
        |reason: &'static str, detail: String| Unprepared { reason, detail: format!("job {id}: {detail}") };
    let model = chain
        .model(job.model.0)
        .await
        .map_err(|e| failed("node", e.to_string()))?
        .ok_or_else(|| failed("unservable", format!("model {} does not exist", job.model)))?;
    let prompt =
        chain.blob(&job.prompt_hash).await.map_err(|e| failed("inputs", format!("the prompt: {e}")))?;
    let prompt =
        String::from_utf8(prompt).map_err(|_| failed("unservable", "the prompt is not text".into()))?;
    let params =
        chain.blob(&job.params_hash).await.map_err(|e| failed("inputs", format!("the parameters: {e}")))?;
    let weights = chain
        .blob(&model.weights_hash)
        .await
        .map_err(|e| failed("inputs", format!("the model's weights: {e}")))?;
    let request = Request { job: id, model: model.id.0, prompt, params, weights, timeout };
    Ok((request, backends.for_model(model.id.0)))
}

/// A backend error's label for the failures metric.
pub fn reason(error: &BackendError) -> &'static str {
    match error {
        BackendError::Unservable(_) => "unservable",
        BackendError::Timeout(_) => "timeout",
        BackendError::TooLarge { .. } => "too_large",
        BackendError::Failed(_) => "backend",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backend_gets_the_blocks_left_before_the_deadline_within_bounds() {
        let second = Duration::from_secs(1);
        assert_eq!(budget(10, second), Duration::from_secs(10));
        assert_eq!(budget(0, second), MIN_GENERATION_TIME);
        assert_eq!(budget(1_000, second), GENERATION_TIMEOUT);
        assert_eq!(budget(u64::MAX, Duration::from_millis(250)), GENERATION_TIMEOUT);
    }
}
