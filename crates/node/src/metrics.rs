//! Prometheus metrics through `prometheus-client`: the node's gauges, counters and histograms, the
//! API's requests by route, method and status, a build-info metric, and the process's CPU, memory,
//! threads and open files, encoded in the text exposition format on each scrape.

use std::sync::atomic::{AtomicU64, Ordering};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::{ConstGauge, Gauge},
        histogram::Histogram,
        info::Info,
    },
    registry::{Registry, Unit},
};

/// Upper bounds of the API latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];
/// Upper bounds of the finalization latency histogram (block time to commit), in seconds.
const FINALIZATION_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0];

/// A gauge of a count, shared with what keeps it (the listener, the event streams).
pub type CountGauge = Gauge<u64, AtomicU64>;
/// A gauge in seconds.
type SecondsGauge = Gauge<f64, AtomicU64>;

/// Which API requests an observation counts: the route's template (`/compute/jobs/{id}`, or
/// `unmatched`), the method and the status code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// The node's metrics, registered once; updated lock-free from the sequencer and the API.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub(crate) height: CountGauge,
    pub(crate) block_interval: SecondsGauge,
    pub(crate) block_txs: CountGauge,
    pub(crate) blocks_committed: Counter,
    pub(crate) txs_included: Counter,
    pub(crate) txs_rejected: Counter,
    pub(crate) block_commit: SecondsGauge,
    pub(crate) mempool_txs: CountGauge,
    pub(crate) mempool_bytes: CountGauge,
    pub(crate) api_connections: CountGauge,
    api_event_streams: CountGauge,
    pub(crate) equivocations: Counter,
    consensus_view: CountGauge,
    consensus_peers: CountGauge,
    consensus_epoch: CountGauge,
    consensus_signer: CountGauge,
    finalization: Histogram,
    requests: Family<RequestLabels, Histogram>,
    blobs: CountGauge,
    blob_bytes: CountGauge,
    pub(crate) blob_uploads: Counter,
    pub(crate) blob_downloads: Counter,
    pub(crate) blob_refusals: Counter,
    pub(crate) blob_fetches: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// An open event stream, counted until dropped.
#[derive(Debug)]
pub struct OpenStream(CountGauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Every metric, registered (the registry ends each help text with a period).
    pub fn new() -> Metrics {
        let metrics = Metrics {
            registry: Registry::default(),
            height: CountGauge::default(),
            block_interval: SecondsGauge::default(),
            block_txs: CountGauge::default(),
            blocks_committed: Counter::default(),
            txs_included: Counter::default(),
            txs_rejected: Counter::default(),
            block_commit: SecondsGauge::default(),
            mempool_txs: CountGauge::default(),
            mempool_bytes: CountGauge::default(),
            api_connections: CountGauge::default(),
            api_event_streams: CountGauge::default(),
            equivocations: Counter::default(),
            consensus_view: CountGauge::default(),
            consensus_peers: CountGauge::default(),
            consensus_epoch: CountGauge::default(),
            consensus_signer: CountGauge::default(),
            finalization: Histogram::new(FINALIZATION_BUCKETS),
            requests: Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS)),
            blobs: CountGauge::default(),
            blob_bytes: CountGauge::default(),
            blob_uploads: Counter::default(),
            blob_downloads: Counter::default(),
            blob_refusals: Counter::default(),
            blob_fetches: Counter::default(),
        };
        let mut root = Registry::default();
        root.register_collector(Box::new(ProcessCollector));
        let registry = root.sub_registry_with_prefix("atelier");
        let build = Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]);
        registry.register("build", "The node's version", build);
        registry.register("height", "Height of the last committed block", metrics.height.clone());
        registry.register_with_unit(
            "block_interval",
            "Time between the last two blocks",
            Unit::Seconds,
            metrics.block_interval.clone(),
        );
        registry.register("block_txs", "Transactions in the last block", metrics.block_txs.clone());
        registry.register(
            "blocks_committed",
            "Blocks committed since start",
            metrics.blocks_committed.clone(),
        );
        registry.register("txs_included", "Transactions included since start", metrics.txs_included.clone());
        registry.register(
            "txs_rejected",
            "Transactions refused by the API or left out of blocks",
            metrics.txs_rejected.clone(),
        );
        registry.register_with_unit(
            "block_commit",
            "Time to durably commit the last final block (and execute it, if it was not yet)",
            Unit::Seconds,
            metrics.block_commit.clone(),
        );
        registry.register("mempool_txs", "Transactions in the mempool", metrics.mempool_txs.clone());
        registry.register_with_unit(
            "mempool",
            "Bytes in the mempool",
            Unit::Bytes,
            metrics.mempool_bytes.clone(),
        );
        registry.register("api_connections", "API connections open", metrics.api_connections.clone());
        registry.register("api_event_streams", "Event streams open", metrics.api_event_streams.clone());
        registry.register_with_unit(
            "api_request_duration",
            "HTTP API requests and their latency, by route template, method and status",
            Unit::Seconds,
            metrics.requests.clone(),
        );
        registry.register(
            "consensus_view",
            "Highest consensus view with activity seen in the epoch under way (0 for a solo node)",
            metrics.consensus_view.clone(),
        );
        registry.register("consensus_peers", "Consensus peers connected", metrics.consensus_peers.clone());
        registry.register(
            "consensus_epoch",
            "The consensus epoch under way",
            metrics.consensus_epoch.clone(),
        );
        registry.register(
            "consensus_signer",
            "1 while this validator is in the epoch's set and votes, 0 while it follows",
            metrics.consensus_signer.clone(),
        );
        registry.register(
            "consensus_equivocations",
            "Equivocations by validators recorded as evidence",
            metrics.equivocations.clone(),
        );
        registry.register_with_unit(
            "consensus_finalization",
            "From a block's time to its commit here, for blocks final by consensus",
            Unit::Seconds,
            metrics.finalization.clone(),
        );
        registry.register("blobs", "Blobs in the blob store", metrics.blobs.clone());
        registry.register_with_unit(
            "blob",
            "Bytes in the blob store",
            Unit::Bytes,
            metrics.blob_bytes.clone(),
        );
        registry.register(
            "blob_uploads",
            "Blobs stored by uploads since start",
            metrics.blob_uploads.clone(),
        );
        registry.register("blob_downloads", "Blobs served since start", metrics.blob_downloads.clone());
        registry.register(
            "blob_refusals",
            "Uploads refused (hash mismatch, too large, over quota) since start",
            metrics.blob_refusals.clone(),
        );
        registry.register(
            "blob_fetches",
            "Missing blobs fetched from their provider's endpoint since start",
            metrics.blob_fetches.clone(),
        );
        Metrics { registry: root, ..metrics }
    }

    /// Sets what the blob store holds.
    pub fn observe_blobs(&self, blobs: u64, bytes: u64) {
        self.blobs.set(blobs);
        self.blob_bytes.set(bytes);
    }

    /// Counts a new event stream, unless `max` are open already.
    pub fn open_event_stream(&self, max: usize) -> Option<OpenStream> {
        let max = u64::try_from(max).unwrap_or(u64::MAX);
        self.api_event_streams
            .inner()
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |open| (open < max).then_some(open + 1))
            .ok()
            .map(|_| OpenStream(self.api_event_streams.clone()))
    }

    /// Records one API request: the route's template (`None` when no route matched), its method,
    /// the status answered and how long it took.
    pub fn observe_request(&self, route: Option<&str>, method: &str, status: u16, seconds: f64) {
        let method = match method {
            "GET" | "POST" | "HEAD" | "OPTIONS" => method,
            _ => "other",
        };
        let labels = RequestLabels {
            route: route.unwrap_or("unmatched").to_owned(),
            method: method.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).observe(seconds);
    }

    /// Records a final block's latency: from the time its proposer gave it to its commit here.
    pub fn observe_finalization(&self, millis: u64) {
        self.finalization.observe(millis as f64 / 1e3);
    }

    /// Records a consensus view this validator saw activity in; the gauge keeps the highest.
    pub fn observe_view(&self, view: u64) {
        self.consensus_view.inner().fetch_max(view, Ordering::Relaxed);
    }

    /// Records that consensus entered `epoch`, voting in it or following it; views count afresh.
    pub fn observe_epoch(&self, epoch: u64, signer: bool) {
        self.consensus_epoch.set(epoch);
        self.consensus_signer.set(u64::from(signer));
        self.consensus_view.set(0);
    }

    /// Sets the number of consensus peers connected.
    pub fn set_consensus_peers(&self, peers: u64) {
        self.consensus_peers.set(peers);
    }

    /// The text exposition (OpenMetrics, which Prometheus reads).
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The process's own resources, read from `/proc/self` on each scrape (Linux; elsewhere none).
#[derive(Debug)]
struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(process) = ProcessStats::read() else { return Ok(()) };
        let cpu = ConstCounter::new(process.cpu_seconds);
        cpu.encode(encoder.encode_descriptor(
            "process_cpu",
            "User and system CPU time spent.",
            Some(&Unit::Seconds),
            cpu.metric_type(),
        )?)?;
        let gauges = [
            ("process_resident_memory", "Resident memory size.", Some(Unit::Bytes), process.resident_bytes),
            ("process_virtual_memory", "Virtual memory size.", Some(Unit::Bytes), process.virtual_bytes),
            ("process_open_fds", "Open file descriptors.", None, process.open_fds),
            ("process_threads", "OS threads.", None, process.threads),
            (
                "process_start_time",
                "Start time since the Unix epoch.",
                Some(Unit::Seconds),
                process.start_time,
            ),
        ];
        for (name, help, unit, value) in gauges {
            let gauge = ConstGauge::new(value);
            gauge.encode(encoder.encode_descriptor(name, help, unit.as_ref(), gauge.metric_type())?)?;
        }
        Ok(())
    }
}

/// What `/proc/self` says about this process.
struct ProcessStats {
    cpu_seconds: f64,
    resident_bytes: i64,
    virtual_bytes: i64,
    open_fds: i64,
    threads: i64,
    start_time: i64,
}

impl ProcessStats {
    /// Clock ticks per second and page size: the kernel's usual values (`getconf CLK_TCK` and
    /// `PAGESIZE` on Linux on x86-64 and aarch64).
    const TICKS_PER_SECOND: f64 = 100.0;
    const PAGE_BYTES: i64 = 4096;

    fn read() -> Option<ProcessStats> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<i64>().ok());
        let (utime, stime) = (field(14)?, field(15)?);
        let boot_time = std::fs::read_to_string("/proc/stat").ok()?.lines().find_map(|line| {
            line.strip_prefix("btime ").and_then(|seconds| seconds.trim().parse::<i64>().ok())
        })?;
        Some(ProcessStats {
            cpu_seconds: (utime + stime) as f64 / Self::TICKS_PER_SECOND,
            threads: field(20)?,
            start_time: boot_time + field(22)? / Self::TICKS_PER_SECOND as i64,
            virtual_bytes: field(23)?,
            resident_bytes: field(24)? * Self::PAGE_BYTES,
            open_fds: std::fs::read_dir("/proc/self/fd").map_or(0, |entries| entries.count() as i64),
        })
    }
}
