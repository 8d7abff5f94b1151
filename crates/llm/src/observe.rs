//! What the AI layer tells the rest of the platform about each call: Prometheus metrics (calls,
//! latency, errors, fallbacks, breaker state, cache hits, tokens and spend, by provider and
//! model), a [`SpendRecord`] per charged provider attempt for whoever persists spend, and the
//! write-ahead [`SpendHold`] a billed attempt leaves in a [`SpendJournal`] before it is sent.

use crate::breaker::BreakerState;
use crate::budget::SpendAlert;
use crate::chain::Attempt;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// One charged provider attempt (the answer that was used, or one that was billed without
/// being usable: an invalid answer, an unreadable body, a timeout), as persisted for
/// `applyflow ai spend`. When the provider reported no usage, the tokens and the cost are the
/// attempt's upper bound (what was held for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendRecord {
    pub at: DateTime<Utc>,
    pub user: String,
    pub cell: String,
    pub task: String,
    pub provider: String,
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: f64,
    /// The write-ahead hold this record closes (billed attempts of a client with a
    /// [`SpendJournal`]); persisting the record and deleting the hold is one transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<String>,
}

/// Where spend records go (a store writer, a test collector). Called on the caller's task after
/// the attempt is settled (or from a drop, when the caller gave up mid-call); must not block.
pub trait SpendSink: Send + Sync {
    fn record(&self, record: SpendRecord);
    /// The attempt of write-ahead hold `hold` was not billed (nothing reached the provider):
    /// close the hold without spend.
    fn release(&self, hold: &str) {
        let _ = hold;
    }
}

/// The write-ahead entry of one billed attempt, durable before the request is sent. It is
/// closed by the attempt's [`SpendRecord`] (or [`SpendSink::release`]); one still open after a
/// crash counts as spent at its full amount when the ledger is restored, and once past
/// `stale_at` (its process is gone) it is turned into a spend row of that amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendHold {
    pub id: String,
    pub at: DateTime<Utc>,
    /// After this an open hold is an orphan: no live call can still close it.
    pub stale_at: DateTime<Utc>,
    pub user: String,
    pub cell: String,
    pub task: String,
    pub provider: String,
    pub model: String,
    /// The attempt's upper bound, in USD.
    pub reserved_usd: f64,
}

/// Where write-ahead holds are made durable (the store). Only billed providers use it: a free
/// provider's attempt never waits on a write.
#[async_trait]
pub trait SpendJournal: Send + Sync {
    /// Returns once `hold` is durable. An error refuses the attempt (nothing is sent).
    async fn hold(&self, hold: &SpendHold) -> Result<(), String>;
}

/// Drops records.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSpendSink;

impl SpendSink for NoSpendSink {
    fn record(&self, _record: SpendRecord) {}
}

/// Forwards records to a task that persists them.
#[derive(Debug, Clone)]
pub struct ChannelSpendSink(tokio::sync::mpsc::UnboundedSender<SpendRecord>);

impl ChannelSpendSink {
    pub fn new() -> (Self, tokio::sync::mpsc::UnboundedReceiver<SpendRecord>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Self(tx), rx)
    }
}

impl SpendSink for ChannelSpendSink {
    fn record(&self, record: SpendRecord) {
        if self.0.send(record).is_err() {
            tracing::warn!("spend record dropped: its writer is gone");
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ModelLabels {
    provider: String,
    model: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    provider: String,
    model: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProviderLabels {
    provider: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TokenLabels {
    provider: String,
    model: String,
    direction: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    task: String,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AlertLabels {
    scope: String,
    threshold: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The AI layer's Prometheus metrics. Register them once with [`AiMetrics::register`].
#[derive(Clone)]
pub struct AiMetrics {
    attempts: Family<CallLabels, Counter>,
    latency: Histograms<ProviderLabels>,
    fallbacks: Family<ProviderLabels, Counter>,
    breaker: Family<ProviderLabels, Gauge>,
    cache: Family<CacheLabels, Counter>,
    tokens: Family<TokenLabels, Counter>,
    spend: Family<ModelLabels, Counter<f64, AtomicU64>>,
    alerts: Family<AlertLabels, Counter>,
    refused: Counter,
}

impl Default for AiMetrics {
    fn default() -> Self {
        Self {
            attempts: Family::default(),
            latency: Histograms::new_with_constructor(latency_histogram as fn() -> Histogram),
            fallbacks: Family::default(),
            breaker: Family::default(),
            cache: Family::default(),
            tokens: Family::default(),
            spend: Family::default(),
            alerts: Family::default(),
            refused: Counter::default(),
        }
    }
}

impl std::fmt::Debug for AiMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AiMetrics")
    }
}

impl AiMetrics {
    /// Adds every family to `registry` under the `ai_` prefix.
    pub fn register(&self, registry: &mut Registry) {
        let r = registry.sub_registry_with_prefix("ai");
        r.register(
            "calls",
            "Provider attempts by provider, model and outcome (ok or the error kind)",
            self.attempts.clone(),
        );
        r.register("call_duration_seconds", "Provider attempt latency", self.latency.clone());
        r.register(
            "fallbacks",
            "Attempts that failed over to the next provider, by the provider that failed",
            self.fallbacks.clone(),
        );
        r.register(
            "breaker_state",
            "Circuit breaker state per provider: 0 closed, 1 half-open, 2 open",
            self.breaker.clone(),
        );
        r.register(
            "cache_lookups",
            "Cache lookups by task and result (exact, semantic, miss, error: the cache backend failed and the call went on as after a miss)",
            self.cache.clone(),
        );
        r.register("tokens", "Tokens by provider, model and direction (input, output)", self.tokens.clone());
        r.register("spend_usd", "Spend in USD by provider and model", self.spend.clone());
        r.register("spend_alerts", "Spend alerts by scope (user, cell) and threshold", self.alerts.clone());
        r.register("budget_refusals", "Calls refused by a budget cap or plan limit", self.refused.clone());
    }

    pub(crate) fn cache_lookup(&self, task: &str, result: &str) {
        self.cache.get_or_create(&CacheLabels { task: task.to_owned(), result: result.to_owned() }).inc();
    }

    pub(crate) fn attempts(&self, attempts: &[Attempt]) {
        let last = attempts.len().saturating_sub(1);
        for (i, a) in attempts.iter().enumerate() {
            let labels =
                CallLabels { provider: a.provider.clone(), model: a.model.clone(), outcome: a.outcome.clone() };
            self.attempts.get_or_create(&labels).inc();
            self.latency
                .get_or_create(&ProviderLabels { provider: a.provider.clone() })
                .observe(Duration::from_millis(a.latency_ms).as_secs_f64());
            if i < last && a.outcome != "ok" {
                self.fallbacks.get_or_create(&ProviderLabels { provider: a.provider.clone() }).inc();
            }
        }
    }

    pub(crate) fn answered(&self, record: &SpendRecord) {
        let token = |direction: &str, n: u64| {
            let labels = TokenLabels {
                provider: record.provider.clone(),
                model: record.model.clone(),
                direction: direction.to_owned(),
            };
            self.tokens.get_or_create(&labels).inc_by(n);
        };
        token("input", record.input_tokens);
        token("output", record.output_tokens);
        let labels = ModelLabels { provider: record.provider.clone(), model: record.model.clone() };
        self.spend.get_or_create(&labels).inc_by(record.cost_usd);
    }

    pub(crate) fn breakers<'a>(&self, states: impl IntoIterator<Item = (&'a str, BreakerState)>) {
        for (provider, state) in states {
            let value = match state {
                BreakerState::Closed => 0,
                BreakerState::HalfOpen => 1,
                BreakerState::Open => 2,
            };
            self.breaker.get_or_create(&ProviderLabels { provider: provider.to_owned() }).set(value);
        }
    }

    pub(crate) fn refused(&self) {
        self.refused.inc();
    }

    /// Counts a spend alert (the ledger's sink wiring calls this).
    pub fn alert(&self, alert: &SpendAlert) {
        let scope = match alert.scope {
            crate::budget::AlertScope::User => "user",
            crate::budget::AlertScope::Cell => "cell",
        };
        let labels = AlertLabels { scope: scope.to_owned(), threshold: format!("{}", alert.threshold) };
        self.alerts.get_or_create(&labels).inc();
    }

    /// The metrics as Prometheus text (for tests and tools without a registry of their own).
    pub fn render(&self) -> String {
        let mut registry = Registry::default();
        self.register(&mut registry);
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}
