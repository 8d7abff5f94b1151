//! `AiClient`: the one door every LLM call goes through. In order: the semantic cache (exact,
//! then similar), single-flight coalescing of identical in-flight requests, a budget
//! reservation sized to the worst case (so caps hold under any concurrency), the fallback
//! chain, settlement of the actual cost, and the cache fill.

use crate::budget::{AlertSink, BudgetConfig, Ledger, NoAlerts, Payer, Plan, SpendAlert, SpendReport};
use crate::cache::{CacheConfig, HitKind, SemanticCache};
use crate::chain::{Attempt, ChainConfig, FallbackChain};
use crate::observe::{AiMetrics, NoSpendSink, SpendRecord, SpendSink};
use crate::pricing::PriceTable;
use crate::singleflight::SingleFlight;
use crate::types::{LlmError, LlmRequest, Provider};
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Everything the AI layer is configured with.
#[derive(Debug, Clone, Default)]
pub struct AiConfig {
    pub chain: ChainConfig,
    pub cache: CacheConfig,
    pub budget: BudgetConfig,
    pub prices: PriceTable,
}

/// One task's answer, as `applyflow ai ask --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiAnswer {
    pub provider: String,
    pub model: String,
    /// `false`, `exact` or `semantic`.
    pub cached: Value,
    pub cost_usd: f64,
    pub attempts: Vec<Attempt>,
    pub output: Value,
}

/// Why a task got no answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AiError {
    #[error(transparent)]
    Refused(LlmError),
    #[error("every provider failed; last error: {last}")]
    Failed { attempts: Vec<Attempt>, last: LlmError },
}

struct Inner {
    chain: FallbackChain,
    cache: SemanticCache,
    ledger: Ledger,
    prices: PriceTable,
    metrics: AiMetrics,
    spend: Arc<dyn SpendSink>,
}

/// Where an [`AiClient`] reports: spend alerts, spend records and metrics. The defaults drop
/// alerts and records and keep metrics in memory.
#[derive(Clone)]
pub struct AiSinks {
    pub alerts: Arc<dyn AlertSink>,
    pub spend: Arc<dyn SpendSink>,
    pub metrics: AiMetrics,
}

impl Default for AiSinks {
    fn default() -> Self {
        Self { alerts: Arc::new(NoAlerts), spend: Arc::new(NoSpendSink), metrics: AiMetrics::default() }
    }
}

/// Counts each alert in the metrics, then hands it on.
struct CountingAlerts {
    metrics: AiMetrics,
    next: Arc<dyn AlertSink>,
}

impl AlertSink for CountingAlerts {
    fn alert(&self, alert: SpendAlert) {
        self.metrics.alert(&alert);
        self.next.alert(alert);
    }
}

/// The AI layer's front door. Cheap to clone.
#[derive(Clone)]
pub struct AiClient {
    inner: Arc<Inner>,
    flights: Arc<SingleFlight<String, Result<AiAnswer, AiError>>>,
}

impl AiClient {
    pub fn new(providers: Vec<Arc<dyn Provider>>, config: AiConfig) -> Self {
        Self::with_sinks(providers, config, AiSinks::default())
    }

    pub fn with_alerts(providers: Vec<Arc<dyn Provider>>, config: AiConfig, alerts: Arc<dyn AlertSink>) -> Self {
        Self::with_sinks(providers, config, AiSinks { alerts, ..AiSinks::default() })
    }

    pub fn with_sinks(providers: Vec<Arc<dyn Provider>>, config: AiConfig, sinks: AiSinks) -> Self {
        let alerts = Arc::new(CountingAlerts { metrics: sinks.metrics.clone(), next: sinks.alerts });
        Self {
            inner: Arc::new(Inner {
                chain: FallbackChain::new(providers, config.chain),
                cache: SemanticCache::new(config.cache),
                ledger: Ledger::new(config.budget, alerts),
                prices: config.prices,
                metrics: sinks.metrics,
                spend: sinks.spend,
            }),
            flights: Arc::new(SingleFlight::new()),
        }
    }

    /// The AI layer's metrics (register them in the process registry once).
    pub fn metrics(&self) -> &AiMetrics {
        &self.inner.metrics
    }

    /// The spend ledger, e.g. to restore today's persisted spend after a restart.
    pub fn ledger(&self) -> &Ledger {
        &self.inner.ledger
    }

    /// The providers' circuit breaker states, for metrics.
    pub fn chain(&self) -> &FallbackChain {
        &self.inner.chain
    }

    pub fn cache(&self) -> &SemanticCache {
        &self.inner.cache
    }

    pub fn spend(&self) -> SpendReport {
        self.inner.ledger.spend()
    }

    /// Runs one task for `payer`.
    pub async fn run(&self, req: &LlmRequest, payer: &Payer<'_>) -> Result<AiAnswer, AiError> {
        let now = Utc::now();
        if let Some(hit) = self.inner.cache.lookup(req, now) {
            let kind = match hit.kind {
                HitKind::Exact => "exact",
                HitKind::Semantic => "semantic",
            };
            self.inner.metrics.cache_lookup(&req.task, kind);
            return Ok(AiAnswer {
                provider: hit.response.provider,
                model: hit.response.model,
                cached: Value::String(kind.into()),
                cost_usd: 0.0,
                attempts: Vec::new(),
                output: hit.response.output.unwrap_or(Value::String(hit.response.text)),
            });
        }
        self.inner.metrics.cache_lookup(&req.task, "miss");
        let key = flight_key(req, payer);
        let (inner, req) = (self.inner.clone(), req.clone());
        let (user, cell, plan) = (payer.user.to_owned(), payer.cell.to_owned(), payer.plan);
        self.flights.run(key, move || async move { call(inner, req, user, cell, plan).await }).await
    }
}

async fn call(inner: Arc<Inner>, req: LlmRequest, user: String, cell: String, plan: Plan) -> Result<AiAnswer, AiError> {
    let payer = Payer { user: &user, cell: &cell, plan };
    {
        let req = &req;
        let estimate = inner.chain.max_cost_usd(req, &inner.prices);
        let reservation = inner.ledger.reserve(&payer, estimate, Utc::now()).map_err(|e| {
            inner.metrics.refused();
            AiError::Refused(e)
        })?;
        let result = inner.chain.call(req).await;
        inner.metrics.attempts(match &result {
            Ok(outcome) => &outcome.attempts,
            Err(e) => &e.attempts,
        });
        inner.metrics.breakers(inner.chain.breaker_states());
        match result {
            Ok(outcome) => {
                let cost =
                    inner.prices.cost_usd(&outcome.response.provider, &outcome.response.model, outcome.response.usage);
                reservation.settle(&outcome.response.provider, &outcome.response.model, cost);
                let record = SpendRecord {
                    at: Utc::now(),
                    user: user.clone(),
                    cell: cell.clone(),
                    task: req.task.clone(),
                    provider: outcome.response.provider.clone(),
                    model: outcome.response.model.clone(),
                    input_tokens: outcome.response.usage.input_tokens,
                    output_tokens: outcome.response.usage.output_tokens,
                    cost_usd: cost,
                };
                inner.metrics.answered(&record);
                inner.spend.record(record);
                // The offline heuristic is free and instant; caching it would only keep a
                // weaker answer around after a real provider comes back.
                if outcome.response.provider != "offline" {
                    inner.cache.store(req, &outcome.response, Utc::now());
                }
                let r = outcome.response;
                Ok(AiAnswer {
                    provider: r.provider,
                    model: r.model,
                    cached: Value::Bool(false),
                    cost_usd: cost,
                    attempts: outcome.attempts,
                    output: r.output.unwrap_or(Value::String(r.text)),
                })
            }
            Err(e) => Err(AiError::Failed { attempts: e.attempts, last: e.last }),
        }
    }
}

/// Identical requests from the same payer share one call.
fn flight_key(req: &LlmRequest, payer: &Payer<'_>) -> String {
    let mut h = Sha256::new();
    for part in [req.task.as_str(), req.system.as_str(), req.input.as_str(), payer.user, payer.cell] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.update(format!("{:?}{}", req.tier, req.max_tokens).as_bytes());
    if let Some(s) = &req.schema {
        h.update(s.to_string().as_bytes());
    }
    hex::encode(h.finalize())
}

/// A payer for the CLI and tests: one user on a plan in a cell.
pub fn payer<'a>(user: &'a str, cell: &'a str, plan: Plan) -> Payer<'a> {
    Payer { user, cell, plan }
}
