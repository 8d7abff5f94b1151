//! The cell's Prometheus metrics and the in-memory step latency record the benchmark reads.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConsumerLabels {
    consumer: String,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StepLabels {
    step: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DiscoveryLabels {
    source: String,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: String,
}

/// The media type of [`Metrics::render`]: prometheus-client writes OpenMetrics text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The label of an HTTP method: the standard ones by name, anything else (a client may send
/// any token) as `other`, so the label set stays bounded.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn step_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_25, 2.0, 18))
}

/// Counters and histograms of one cell.
pub struct Metrics {
    registry: Registry,
    processed: Family<ConsumerLabels, Counter>,
    step_seconds: HistogramFamily<StepLabels>,
    http: Family<HttpLabels, Counter>,
    discovery: Family<DiscoveryLabels, Counter>,
    http_seconds: HistogramFamily<HttpLabels>,
    latencies: Mutex<BTreeMap<String, Vec<f64>>>,
    ai: llm::observe::AiMetrics,
}

/// Samples kept per step for percentiles (enough for a benchmark run; older ones are dropped).
const MAX_SAMPLES: usize = 200_000;

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("applyflow");
        let processed = Family::<ConsumerLabels, Counter>::default();
        let step_seconds = HistogramFamily::<StepLabels>::new_with_constructor(step_histogram as fn() -> Histogram);
        let http = Family::<HttpLabels, Counter>::default();
        let discovery = Family::<DiscoveryLabels, Counter>::default();
        let http_seconds = HistogramFamily::<HttpLabels>::new_with_constructor(step_histogram as fn() -> Histogram);
        registry.register("events_processed", "Events handled by each consumer, by result", processed.clone());
        registry.register("step_duration_seconds", "Time to decide and commit one workflow step", step_seconds.clone());
        registry.register("http_requests", "HTTP requests by route and status", http.clone());
        registry.register(
            "discovery_postings",
            "Postings seen by discovery, by source kind and result (discovered, duplicate, skipped, ...)",
            discovery.clone(),
        );
        registry.register("http_request_duration_seconds", "HTTP request latency", http_seconds.clone());
        let ai = llm::observe::AiMetrics::default();
        ai.register(&mut registry);
        Self {
            registry,
            processed,
            step_seconds,
            http,
            discovery,
            http_seconds,
            latencies: Mutex::new(BTreeMap::new()),
            ai,
        }
    }
}

impl Metrics {
    /// The AI layer's metrics, registered in this registry (give them to the cell's AI client).
    pub fn ai(&self) -> &llm::observe::AiMetrics {
        &self.ai
    }

    /// Counts one handled event (`applied`, `duplicate`, `retried`, `exhausted`).
    pub fn processed(&self, consumer: &str, result: &str) {
        self.processed.get_or_create(&ConsumerLabels { consumer: consumer.into(), result: result.into() }).inc();
    }

    /// Records how long one step took.
    pub fn step(&self, step: &str, took: Duration) {
        let secs = took.as_secs_f64();
        self.step_seconds.get_or_create(&StepLabels { step: step.into() }).observe(secs);
        let mut l = self.latencies.lock().unwrap_or_else(|p| p.into_inner());
        let v = l.entry(step.to_owned()).or_default();
        if v.len() >= MAX_SAMPLES {
            v.remove(0);
        }
        v.push(secs);
    }

    /// Counts `n` postings of one discovery result for a source kind.
    pub fn discovery(&self, source: &str, result: &str, n: u64) {
        if n > 0 {
            self.discovery.get_or_create(&DiscoveryLabels { source: source.into(), result: result.into() }).inc_by(n);
        }
    }

    /// Records one HTTP request. `route` must come from a bounded set (the matched route
    /// pattern, never the raw path); `method` is bounded here (see [`method_label`]).
    pub fn http(&self, method: &str, route: &str, status: u16, took: Duration) {
        let labels =
            HttpLabels { method: method_label(method).into(), route: route.into(), status: status.to_string() };
        self.http.get_or_create(&labels).inc();
        self.http_seconds.get_or_create(&labels).observe(took.as_secs_f64());
    }

    /// p50 and p95 of each step, in milliseconds, with the sample count.
    pub fn step_percentiles(&self) -> BTreeMap<String, (f64, f64, usize)> {
        let l = self.latencies.lock().unwrap_or_else(|p| p.into_inner());
        l.iter()
            .map(|(k, v)| {
                let mut s = v.clone();
                s.sort_by(f64::total_cmp);
                let pick = |q: f64| {
                    if s.is_empty() {
                        0.0
                    } else {
                        s[((s.len() - 1) as f64 * q).round() as usize] * 1000.0
                    }
                };
                (k.clone(), (pick(0.50), pick(0.95), s.len()))
            })
            .collect()
    }

    /// The exposition in OpenMetrics text (serve it as [`CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
