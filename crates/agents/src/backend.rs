//! Generation backends behind one trait, chosen per model by the provider's configuration:
//! `procedural` (built in, deterministic), `command` (a program: JSON request on standard input,
//! an output file), `http` (an inference server speaking the common `/v1/images/generations` API
//! with `b64_json` answers).

use std::{collections::BTreeMap, future::Future, path::PathBuf, pin::Pin, time::Duration};

use base64::Engine;
use serde::{Deserialize, Serialize};

/// What a backend is asked to generate.
#[derive(Debug, Clone)]
pub struct Request {
    /// The job.
    pub job: u64,
    /// The model.
    pub model: u64,
    /// The prompt's text.
    pub prompt: String,
    /// The parameters' bytes (JSON; empty for none).
    pub params: Vec<u8>,
    /// The model's weights blob (a procedural model's style file).
    pub weights: Vec<u8>,
    /// How long the backend may take.
    pub timeout: Duration,
}

/// Why a backend produced no output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// The request is one this backend cannot serve (a bad style file, bad parameters).
    #[error("cannot serve this job: {0}")]
    Unservable(String),
    /// The backend failed.
    #[error("the backend failed: {0}")]
    Failed(String),
    /// It took longer than the job allows.
    #[error("the backend took longer than {0:?}")]
    Timeout(Duration),
    /// Its output is larger than the blob store takes.
    #[error("the output is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// The output's size.
        size: usize,
        /// The limit.
        max: usize,
    },
}

/// A boxed future, for a trait object's async method.
pub type Generating<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, BackendError>> + Send + 'a>>;

/// A generation backend.
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// Its kind, for logs and metrics.
    fn kind(&self) -> &'static str;

    /// The output for `request`.
    fn generate<'a>(&'a self, request: &'a Request) -> Generating<'a>;
}

/// Largest output a backend may return (the node's default blob cap).
pub const MAX_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

/// How one model is served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case", deny_unknown_fields)]
pub enum BackendConfig {
    /// The built-in deterministic generator; the model's weights are its style file.
    Procedural,
    /// A program run per job.
    Command {
        /// The program and its arguments.
        command: Vec<String>,
        /// Seconds it may take (the job's deadline may allow less).
        #[serde(default = "default_timeout")]
        timeout_secs: u64,
    },
    /// An inference server.
    Http {
        /// The generations endpoint, e.g. `http://127.0.0.1:8000/v1/images/generations`.
        url: String,
        /// The model name the server knows (default: the chain's model id).
        #[serde(default)]
        model: Option<String>,
        /// Seconds one attempt may take.
        #[serde(default = "default_timeout")]
        timeout_secs: u64,
        /// Attempts after the first, on a timeout or a 5xx answer.
        #[serde(default = "default_retries")]
        retries: u32,
    },
}

fn default_timeout() -> u64 {
    120
}

fn default_retries() -> u32 {
    2
}

/// Which backend serves each model: `default` unless the model is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backends {
    /// For models not listed.
    #[serde(default = "procedural")]
    pub default: BackendConfig,
    /// By model id.
    #[serde(default)]
    pub models: BTreeMap<u64, BackendConfig>,
}

fn procedural() -> BackendConfig {
    BackendConfig::Procedural
}

impl Default for Backends {
    fn default() -> Self {
        Backends { default: BackendConfig::Procedural, models: BTreeMap::new() }
    }
}

impl Backends {
    /// The backend for `model`.
    pub fn for_model(&self, model: u64) -> Box<dyn Backend> {
        match self.models.get(&model).unwrap_or(&self.default) {
            BackendConfig::Procedural => Box::new(Procedural),
            BackendConfig::Command { command, timeout_secs } => {
                Box::new(Command { command: command.clone(), timeout: Duration::from_secs(*timeout_secs) })
            }
            BackendConfig::Http { url, model: name, timeout_secs, retries } => Box::new(Http {
                url: url.clone(),
                model: name.clone().unwrap_or_else(|| model.to_string()),
                timeout: Duration::from_secs(*timeout_secs),
                retries: *retries,
                http: reqwest::Client::new(),
            }),
        }
    }
}

/// The built-in generator (`atelier-generate`).
#[derive(Debug, Clone, Copy)]
pub struct Procedural;

impl Backend for Procedural {
    fn kind(&self) -> &'static str {
        "procedural"
    }

    fn generate<'a>(&'a self, request: &'a Request) -> Generating<'a> {
        Box::pin(async move {
            let (prompt, params, weights) =
                (request.prompt.clone(), request.params.clone(), request.weights.clone());
            let work = tokio::task::spawn_blocking(move || {
                let style = atelier_generate::Style::from_json(&weights)
                    .map_err(|e| BackendError::Unservable(e.to_string()))?;
                let params = atelier_generate::Params::from_json(&params)
                    .map_err(|e| BackendError::Unservable(e.to_string()))?;
                atelier_generate::render(&prompt, &params, &style)
                    .map_err(|e| BackendError::Unservable(e.to_string()))
            });
            match tokio::time::timeout(request.timeout, work).await {
                Ok(Ok(output)) => output,
                Ok(Err(panic)) => Err(BackendError::Failed(panic.to_string())),
                Err(_) => Err(BackendError::Timeout(request.timeout)),
            }
        })
    }
}

/// A program: it reads a JSON request on standard input and writes its output to the file the
/// request names.
#[derive(Debug, Clone)]
pub struct Command {
    command: Vec<String>,
    timeout: Duration,
}

/// The JSON a `command` backend reads on standard input.
#[derive(Debug, Serialize)]
struct CommandRequest<'a> {
    job: u64,
    model: u64,
    prompt: &'a str,
    /// The parameters as JSON (`null` when the job has none or they are not JSON).
    params: serde_json::Value,
    /// The seed from the parameters (0 when none).
    seed: u64,
    /// Where to write the output.
    output: PathBuf,
    /// The model's weights blob, written to a file.
    weights: PathBuf,
}

impl Backend for Command {
    fn kind(&self) -> &'static str {
        "command"
    }

    fn generate<'a>(&'a self, request: &'a Request) -> Generating<'a> {
        Box::pin(async move {
            let Some((program, args)) = self.command.split_first() else {
                return Err(BackendError::Unservable("the command backend names no program".into()));
            };
            let failed = |what: &str, e: std::io::Error| BackendError::Failed(format!("{what}: {e}"));
            let dir =
                std::env::temp_dir().join(format!("atelier-job-{}-{}", request.job, std::process::id()));
            tokio::fs::create_dir_all(&dir).await.map_err(|e| failed("a work directory", e))?;
            let weights = dir.join("weights");
            tokio::fs::write(&weights, &request.weights)
                .await
                .map_err(|e| failed("writing the weights", e))?;
            let params: serde_json::Value =
                serde_json::from_slice(&request.params).unwrap_or(serde_json::Value::Null);
            let seed = params["seed"].as_u64().unwrap_or(0);
            let output = dir.join("output");
            let input = CommandRequest {
                job: request.job,
                model: request.model,
                prompt: &request.prompt,
                params,
                seed,
                output: output.clone(),
                weights,
            };
            let result = self
                .run(
                    program,
                    args,
                    &serde_json::to_vec(&input).unwrap_or_default(),
                    request.timeout.min(self.timeout),
                    &output,
                )
                .await;
            let _ = tokio::fs::remove_dir_all(&dir).await;
            result
        })
    }
}

impl Command {
    async fn run(
        &self,
        program: &str,
        args: &[String],
        input: &[u8],
        timeout: Duration,
        output: &std::path::Path,
    ) -> Result<Vec<u8>, BackendError> {
        use tokio::io::AsyncWriteExt;
        let mut child = tokio::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| BackendError::Failed(format!("starting {program}: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A program that does not read its input is its own affair: its exit status decides.
            let _ = stdin.write_all(input).await;
        }
        let finished = tokio::time::timeout(timeout, child.wait_with_output()).await;
        let out = match finished {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => return Err(BackendError::Failed(format!("waiting for {program}: {e}"))),
            Err(_) => return Err(BackendError::Timeout(timeout)),
        };
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let tail: String = stderr.chars().rev().take(400).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(BackendError::Failed(format!(
                "{program} exited with {}: {}",
                out.status,
                tail.trim()
            )));
        }
        let size = tokio::fs::metadata(output)
            .await
            .map_err(|_| BackendError::Failed(format!("{program} wrote no output file")))?
            .len() as usize;
        if size > MAX_OUTPUT_BYTES {
            return Err(BackendError::TooLarge { size, max: MAX_OUTPUT_BYTES });
        }
        tokio::fs::read(output).await.map_err(|e| BackendError::Failed(format!("reading the output: {e}")))
    }
}

/// An inference server speaking `POST /v1/images/generations` with `response_format: b64_json`.
#[derive(Debug, Clone)]
pub struct Http {
    url: String,
    model: String,
    timeout: Duration,
    retries: u32,
    http: reqwest::Client,
}

/// What the server answers.
#[derive(Debug, Deserialize)]
struct Generations {
    data: Vec<Generated>,
}

#[derive(Debug, Deserialize)]
struct Generated {
    b64_json: Option<String>,
}

impl Backend for Http {
    fn kind(&self) -> &'static str {
        "http"
    }

    fn generate<'a>(&'a self, request: &'a Request) -> Generating<'a> {
        Box::pin(async move {
            let params: serde_json::Value =
                serde_json::from_slice(&request.params).unwrap_or(serde_json::Value::Null);
            let size = format!(
                "{}x{}",
                params["width"].as_u64().unwrap_or(512),
                params["height"].as_u64().unwrap_or(512)
            );
            let body = serde_json::json!({
                "model": self.model,
                "prompt": request.prompt,
                "n": 1,
                "size": size,
                "seed": params["seed"].as_u64().unwrap_or(0),
                "response_format": "b64_json",
            });
            let timeout = self.timeout.min(request.timeout);
            let mut last = BackendError::Failed("no attempt".into());
            for attempt in 0..=self.retries {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
                match self.attempt(&body, timeout).await {
                    Ok(output) => return Ok(output),
                    // Only a timeout or the server's own failure is worth another attempt.
                    Err(error @ (BackendError::Timeout(_) | BackendError::Failed(_))) => last = error,
                    Err(error) => return Err(error),
                }
            }
            Err(last)
        })
    }
}

impl Http {
    async fn attempt(&self, body: &serde_json::Value, timeout: Duration) -> Result<Vec<u8>, BackendError> {
        let sent = self.http.post(&self.url).json(body).timeout(timeout).send().await;
        let mut response = match sent {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return Err(BackendError::Timeout(timeout)),
            Err(e) => return Err(BackendError::Failed(e.to_string())),
        };
        let status = response.status();
        if status.is_server_error() {
            return Err(BackendError::Failed(format!("the server answered {status}")));
        }
        if !status.is_success() {
            return Err(BackendError::Unservable(format!("the server answered {status}")));
        }
        // Base64 is 4/3 of the bytes: read at most that much of the answer.
        let max_answer = MAX_OUTPUT_BYTES / 3 * 4 + 64 * 1024;
        let mut answer = Vec::new();
        loop {
            let chunk = match tokio::time::timeout(timeout, response.chunk()).await {
                Ok(Ok(chunk)) => chunk,
                Ok(Err(e)) => return Err(BackendError::Failed(e.to_string())),
                Err(_) => return Err(BackendError::Timeout(timeout)),
            };
            let Some(chunk) = chunk else { break };
            answer.extend_from_slice(&chunk);
            if answer.len() > max_answer {
                return Err(BackendError::TooLarge { size: answer.len() / 4 * 3, max: MAX_OUTPUT_BYTES });
            }
        }
        let parsed: Generations = serde_json::from_slice(&answer)
            .map_err(|e| BackendError::Failed(format!("not a generations answer: {e}")))?;
        let Some(encoded) = parsed.data.into_iter().next().and_then(|image| image.b64_json) else {
            return Err(BackendError::Failed("the answer holds no b64_json image".into()));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .map_err(|e| BackendError::Failed(format!("the image is not base64: {e}")))?;
        if bytes.len() > MAX_OUTPUT_BYTES {
            return Err(BackendError::TooLarge { size: bytes.len(), max: MAX_OUTPUT_BYTES });
        }
        Ok(bytes)
    }
}
