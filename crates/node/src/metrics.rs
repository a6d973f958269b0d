//! Prometheus metrics, rendered in the text exposition format.

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the API latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];
/// Upper bounds of the finalization latency histogram (block time to commit), in seconds.
const FINALIZATION_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0];

/// A Prometheus histogram of durations, with `N` upper bounds.
#[derive(Debug)]
struct Histogram<const N: usize> {
    buckets: [AtomicU64; N],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl<const N: usize> Default for Histogram<N> {
    fn default() -> Self {
        Histogram {
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }
}

impl<const N: usize> Histogram<N> {
    fn observe(&self, bounds: &[f64; N], micros: u64) {
        for (bucket, bound) in self.buckets.iter().zip(bounds) {
            if micros <= (bound * 1e6) as u64 {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn render(&self, name: &str, help: &str, bounds: &[f64; N], out: &mut String) {
        let get = |v: &AtomicU64| v.load(Ordering::Relaxed);
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} histogram\n"));
        for (bucket, bound) in self.buckets.iter().zip(bounds) {
            out.push_str(&format!("{name}_bucket{{le=\"{bound}\"}} {}\n", get(bucket)));
        }
        let count = get(&self.count);
        out.push_str(&format!("{name}_bucket{{le=\"+Inf\"}} {count}\n"));
        out.push_str(&format!("{name}_sum {}\n{name}_count {count}\n", get(&self.sum_micros) as f64 / 1e6));
    }
}

/// The node's counters and gauges. Lock-free: updated from the sequencer and the API.
#[derive(Debug, Default)]
pub struct Metrics {
    pub(crate) height: AtomicU64,
    pub(crate) block_interval_ms: AtomicU64,
    pub(crate) block_txs: AtomicU64,
    pub(crate) txs_included: AtomicU64,
    pub(crate) blocks_committed: AtomicU64,
    pub(crate) commit_micros: AtomicU64,
    pub(crate) mempool_txs: AtomicU64,
    pub(crate) mempool_bytes: AtomicU64,
    pub(crate) txs_rejected: AtomicU64,
    pub(crate) api_connections: std::sync::Arc<AtomicU64>,
    api_event_streams: std::sync::Arc<AtomicU64>,
    pub(crate) equivocations: AtomicU64,
    consensus_view: AtomicU64,
    consensus_peers: AtomicU64,
    finalization: Histogram<{ FINALIZATION_BUCKETS.len() }>,
    latency: Histogram<{ LATENCY_BUCKETS.len() }>,
}

/// An open event stream, counted until dropped.
#[derive(Debug)]
pub struct OpenStream(std::sync::Arc<AtomicU64>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts a new event stream, unless `max` are open already.
    pub fn open_event_stream(&self, max: usize) -> Option<OpenStream> {
        let max = u64::try_from(max).unwrap_or(u64::MAX);
        self.api_event_streams
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |open| (open < max).then_some(open + 1))
            .ok()
            .map(|_| OpenStream(self.api_event_streams.clone()))
    }

    /// Records one API request's duration.
    pub fn observe_request(&self, micros: u64) {
        self.latency.observe(&LATENCY_BUCKETS, micros);
    }

    /// Records a final block's latency: from the time its proposer gave it to its commit here.
    pub fn observe_finalization(&self, millis: u64) {
        self.finalization.observe(&FINALIZATION_BUCKETS, millis.saturating_mul(1_000));
    }

    /// Records a consensus view this validator saw activity in; the gauge keeps the highest.
    pub fn observe_view(&self, view: u64) {
        self.consensus_view.fetch_max(view, Ordering::Relaxed);
    }

    /// Sets the number of consensus peers connected.
    pub fn set_consensus_peers(&self, peers: u64) {
        self.consensus_peers.store(peers, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let get = |v: &AtomicU64| v.load(Ordering::Relaxed);
        let seconds = |v: &AtomicU64, per_second: f64| format!("{}", get(v) as f64 / per_second);
        let scalars: [(&str, &str, &str, String); 14] = [
            ("atelier_height", "gauge", "Height of the last committed block.", get(&self.height).to_string()),
            (
                "atelier_block_interval_seconds",
                "gauge",
                "Time between the last two blocks.",
                seconds(&self.block_interval_ms, 1e3),
            ),
            (
                "atelier_block_txs",
                "gauge",
                "Transactions in the last block.",
                get(&self.block_txs).to_string(),
            ),
            (
                "atelier_blocks_committed_total",
                "counter",
                "Blocks committed since start.",
                get(&self.blocks_committed).to_string(),
            ),
            (
                "atelier_txs_included_total",
                "counter",
                "Transactions included since start.",
                get(&self.txs_included).to_string(),
            ),
            (
                "atelier_txs_rejected_total",
                "counter",
                "Transactions refused by the API or left out of blocks.",
                get(&self.txs_rejected).to_string(),
            ),
            (
                "atelier_block_commit_seconds",
                "gauge",
                "Time to durably commit the last final block (and execute it, if it was not yet).",
                seconds(&self.commit_micros, 1e6),
            ),
            (
                "atelier_mempool_txs",
                "gauge",
                "Transactions in the mempool.",
                get(&self.mempool_txs).to_string(),
            ),
            ("atelier_mempool_bytes", "gauge", "Bytes in the mempool.", get(&self.mempool_bytes).to_string()),
            (
                "atelier_api_connections",
                "gauge",
                "API connections open.",
                get(&self.api_connections).to_string(),
            ),
            (
                "atelier_api_event_streams",
                "gauge",
                "Event streams open.",
                get(&self.api_event_streams).to_string(),
            ),
            (
                "atelier_consensus_view",
                "gauge",
                "Highest consensus view with activity seen (0 for a solo node).",
                get(&self.consensus_view).to_string(),
            ),
            (
                "atelier_consensus_peers",
                "gauge",
                "Consensus peers connected.",
                get(&self.consensus_peers).to_string(),
            ),
            (
                "atelier_consensus_equivocations_total",
                "counter",
                "Equivocations by validators recorded as evidence.",
                get(&self.equivocations).to_string(),
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in scalars {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"));
        }
        self.latency.render(
            "atelier_api_request_duration_seconds",
            "HTTP API request latency.",
            &LATENCY_BUCKETS,
            &mut out,
        );
        self.finalization.render(
            "atelier_consensus_finalization_seconds",
            "From a block's time to its commit here, for blocks final by consensus.",
            &FINALIZATION_BUCKETS,
            &mut out,
        );
        out
    }
}
