//! `atelier prompt`: one command from a prompt to a file. It stores the prompt and its parameters
//! as blobs, submits the job with a fee cap from the class's current base fee, waits for the
//! provider's result, downloads the output and checks it against the result's hash, writes the
//! file, and (unless told not to) waits for the job to settle and says which asset it became and
//! who was paid what.

use std::{
    io::Write,
    path::PathBuf,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use atelier_agents::chain::Chain;
use atelier_primitives::{Amount, Denom};
use atelier_protocol::{
    Event, Msg,
    modules::{
        compute::{ComputeEvent, ComputeMsg, Job, JobStatus, query::ClassView},
        provenance::AssetId,
        registry::ModelId,
    },
};
use serde::Serialize;

use crate::{keys::Keystore, money, output::Output};

/// `atelier prompt`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  atelier prompt --model 1 \"a red fox\" --out fox.png\n  \
                        atelier prompt --model 2 \"a fern in the garden\" --seed 7 --width 768 --out fern.png")]
pub(crate) struct PromptArgs {
    /// The prompt.
    prompt: String,
    /// The model.
    #[arg(long)]
    model: u64,
    /// Where to write the output.
    #[arg(long)]
    out: PathBuf,
    /// Who asks and pays (a key name, or devN on a dev chain).
    #[arg(long, default_value = "dev4")]
    from: String,
    /// The seed (default: a fresh one, printed, so that the image can be made again).
    #[arg(long)]
    seed: Option<u64>,
    /// Width in pixels.
    #[arg(long, default_value_t = 512)]
    width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 512)]
    height: u32,
    /// Compute units to buy.
    #[arg(long, default_value_t = 100)]
    units: u64,
    /// Most paid per unit, tip included (default: twice the class's base fee, plus the tip).
    #[arg(long)]
    max_fee: Option<money::Money>,
    /// Tip per unit for the provider.
    #[arg(long, default_value = "0")]
    tip: money::Money,
    /// Write the file and stop, without waiting for the job to settle (its asset and payments).
    #[arg(long)]
    no_settle: bool,
    /// Seconds to wait for the result, then for settlement.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// What it remixes, and what it asks of its own descendants.
    #[command(flatten)]
    lineage: crate::modules::compute::Lineage,
}

/// What `atelier prompt` did.
#[derive(Debug, Serialize)]
struct Prompted {
    job: u64,
    seed: u64,
    file: String,
    output_hash: String,
    bytes: usize,
    content_type: String,
    provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    settled: Option<Settled>,
}

/// Who the settled job paid, in ugdc.
#[derive(Debug, Serialize)]
struct Settled {
    asset: u64,
    price: String,
    provider: String,
    datasets: String,
    fine_tuners: String,
    treasury: String,
    burned: String,
}

/// A line of progress on standard error: rewritten in place with the time elapsed on a terminal,
/// else printed once per change.
struct Progress {
    started: Instant,
    terminal: bool,
    last: std::sync::Mutex<String>,
}

impl Progress {
    fn say(&self, what: &str) {
        let elapsed = self.started.elapsed().as_secs_f32();
        if self.terminal {
            eprint!("\r\x1b[2K{what} ({elapsed:.1} s)");
        } else if let Ok(mut last) = self.last.lock()
            && *last != what
        {
            eprintln!("{what}");
            *last = what.to_owned();
        }
        let _ = std::io::stderr().flush();
    }

    fn done(&self) {
        if self.terminal {
            eprintln!();
        }
    }
}

pub(crate) async fn run(node: String, store: &Keystore, args: PromptArgs, output: Output) -> Result<()> {
    use std::io::IsTerminal;
    let progress = Progress {
        started: Instant::now(),
        terminal: std::io::stderr().is_terminal(),
        last: Default::default(),
    };
    let key = crate::signer(store, &args.from)?;
    let chain = Chain::new(&node, key);
    let model = chain.model(args.model).await?.ok_or_else(|| anyhow!("there is no model {}", args.model))?;
    let classes: Vec<ClassView> = serde_json::from_value(chain.client().read("/compute/classes").await?)?;
    let class = classes
        .iter()
        .find(|class| class.name == model.class)
        .ok_or_else(|| anyhow!("model {}'s class {} is not served", args.model, model.class))?;
    if class.capacity == 0 {
        bail!("no provider serves class {} now: nobody would answer the job", class.name);
    }
    let tip = args.tip.of(Denom::GDC).context("--tip")?;
    let max_fee = match args.max_fee {
        Some(fee) => fee.of(Denom::GDC).context("--max-fee")?,
        None => class
            .base_fee
            .checked_mul(2)
            .and_then(|fee| fee.checked_add(tip))
            .map_err(|e| anyhow!("the fee cap: {e}"))?,
    };
    let seed = match args.seed {
        Some(seed) => seed,
        None => {
            let mut bytes = [0u8; 8];
            getrandom::getrandom(&mut bytes).map_err(|e| anyhow!("a seed: {e}"))?;
            u64::from_le_bytes(bytes) >> 12
        }
    };
    progress.say("storing the prompt and its parameters");
    let prompt_hash = chain.put_blob(args.prompt.clone().into_bytes()).await?;
    let params = serde_json::json!({ "seed": seed, "width": args.width, "height": args.height });
    let params_hash = chain.put_blob(serde_json::to_vec(&params)?).await?;
    let submit = ComputeMsg::SubmitJob {
        model: ModelId(args.model),
        units: args.units,
        max_fee_per_unit: max_fee,
        tip_per_unit: tip,
        prompt_hash,
        params_hash,
        deterministic: true,
        parents: args.lineage.parents(),
        policy: args.lineage.policy()?,
    };
    progress.say("submitting the job");
    let included = chain.send(vec![Msg::Compute(submit)]).await?;
    let job_id = submitted_job(&chain, included.height, &included.hash).await?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let job = wait_for(&chain, job_id, deadline, &progress, |job| {
        job.output_hash.is_some() || job.status.is_final()
    })
    .await?;
    let Some(output_hash) = job.output_hash else {
        progress.done();
        bail!("job {job_id} ended {:?} without a result; everything held for it was refunded", job.status);
    };
    progress.say("downloading the output");
    let (bytes, content_type) = crate::blob::fetch(chain.client(), &output_hash).await?;
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    let settled = if args.no_settle {
        None
    } else {
        let job = wait_for(&chain, job_id, deadline, &progress, |job| job.status.is_final()).await?;
        if job.status != JobStatus::Settled {
            progress.done();
            bail!(
                "job {job_id} ended {:?}: its result was overturned or missed, and it was refunded",
                job.status
            );
        }
        Some(settlement(&chain, included.height, job_id).await?)
    };
    progress.done();
    let prompted = Prompted {
        job: job_id,
        seed,
        file: args.out.display().to_string(),
        output_hash: output_hash.to_hex(),
        bytes: bytes.len(),
        content_type,
        provider: job.provider.map(|p| p.to_string()),
        settled,
    };
    output.print(&prompted, text)
}

fn text(p: &Prompted) -> String {
    let mut out = format!(
        "wrote {} ({} bytes, {}): job {}'s output, checked against its hash {}\nseed {} (atelier prompt … --seed {} makes it again)",
        p.file, p.bytes, p.content_type, p.job, p.output_hash, p.seed, p.seed
    );
    if let Some(s) = &p.settled {
        let gdc = |amount: &str| amount.parse().map_or(amount.to_owned(), |a| money::human(Denom::GDC, a));
        out.push_str(&format!(
            "\nasset {} is yours. The job paid {}: provider {}, datasets {}, fine-tuners {}, treasury {}, burned {}",
            s.asset,
            gdc(&s.price),
            gdc(&s.provider),
            gdc(&s.datasets),
            gdc(&s.fine_tuners),
            gdc(&s.treasury),
            gdc(&s.burned)
        ));
    }
    out
}

/// The id of the job the transaction `hash` at `height` submitted.
async fn submitted_job(chain: &Chain, height: u64, hash: &str) -> Result<u64> {
    for event in events_at(chain, height).await? {
        if event.0.as_deref() == Some(hash)
            && let Event::Compute(ComputeEvent::JobSubmitted { job, .. }) = event.1
        {
            return Ok(job.0);
        }
    }
    bail!("the transaction {hash} was included at height {height} but submitted no job")
}

/// The events of block `height`, each with its transaction's hash.
async fn events_at(chain: &Chain, height: u64) -> Result<Vec<(Option<String>, Event)>> {
    let page: atelier_api::Page<atelier_api::EventView> = chain.client().events(height, 1_000).await?;
    page.items
        .into_iter()
        .take_while(|view| view.height == height)
        .map(|view| Ok((view.tx_hash, serde_json::from_value(view.event)?)))
        .collect()
}

/// Polls job `id` until `ready` says so, saying where it stands.
async fn wait_for(
    chain: &Chain,
    id: u64,
    deadline: Instant,
    progress: &Progress,
    ready: impl Fn(&Job) -> bool,
) -> Result<Job> {
    loop {
        let job = chain.job(id).await?.ok_or_else(|| anyhow!("job {id} disappeared"))?;
        if ready(&job) {
            return Ok(job);
        }
        let stage = match job.status {
            JobStatus::Queued => "queued: waiting for room in its class".to_owned(),
            JobStatus::Admitted => {
                format!("admitted: generating at {}", job.provider.map(|p| p.to_string()).unwrap_or_default())
            }
            JobStatus::Submitted => format!("answered: settles at height {}", job.due.map_or(0, |h| h.get())),
            JobStatus::Disputed => "disputed: verifiers are re-executing it".to_owned(),
            other => format!("{other:?}"),
        };
        progress.say(&format!("job {id} {stage}"));
        if Instant::now() > deadline {
            progress.done();
            bail!("job {id} is still {:?} after the timeout; it goes on without this command", job.status);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// What the settled job paid, from its `JobSettled` event (searched from the block it was
/// submitted in).
async fn settlement(chain: &Chain, from: u64, id: u64) -> Result<Settled> {
    let mut cursor: Option<String> = None;
    loop {
        let page = match &cursor {
            Some(cursor) => chain.client().events_after(cursor, 1_000).await?,
            None => chain.client().events(from, 1_000).await?,
        };
        for view in &page.items {
            let event: Event = serde_json::from_value(view.event.clone())?;
            if let Event::Compute(ComputeEvent::JobSettled {
                job,
                treasury,
                datasets,
                fine_tuners,
                burned,
                provider_paid,
                asset,
                ..
            }) = event
                && job.0 == id
            {
                let price = [treasury, datasets, fine_tuners, burned, provider_paid]
                    .into_iter()
                    .try_fold(Amount::ZERO, |sum, part| sum.checked_add(part))
                    .map_err(|e| anyhow!("the job's price: {e}"))?;
                let AssetId(asset) = asset;
                return Ok(Settled {
                    asset,
                    price: price.to_string(),
                    provider: provider_paid.to_string(),
                    datasets: datasets.to_string(),
                    fine_tuners: fine_tuners.to_string(),
                    treasury: treasury.to_string(),
                    burned: burned.to_string(),
                });
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => bail!("job {id} is settled but its settlement event was not found"),
        }
    }
}
