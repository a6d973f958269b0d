//! Prometheus metrics, rendered in the text exposition format.

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the API latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

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
    latency_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

impl Metrics {
    /// Records one API request's duration.
    pub fn observe_request(&self, micros: u64) {
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            if micros <= (bound * 1e6) as u64 {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let get = |v: &AtomicU64| v.load(Ordering::Relaxed);
        let seconds = |v: &AtomicU64, per_second: f64| format!("{}", get(v) as f64 / per_second);
        let scalars: [(&str, &str, &str, String); 10] = [
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
        ];
        let mut out = String::new();
        for (name, kind, help, value) in scalars {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"));
        }
        let name = "atelier_api_request_duration_seconds";
        out.push_str(&format!("# HELP {name} HTTP API request latency.\n# TYPE {name} histogram\n"));
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            out.push_str(&format!("{name}_bucket{{le=\"{bound}\"}} {}\n", get(bucket)));
        }
        let count = get(&self.latency_count);
        out.push_str(&format!("{name}_bucket{{le=\"+Inf\"}} {count}\n"));
        out.push_str(&format!(
            "{name}_sum {}\n{name}_count {count}\n",
            get(&self.latency_sum_micros) as f64 / 1e6
        ));
        out
    }
}
