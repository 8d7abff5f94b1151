//! `AiClient`: the one door every LLM call goes through. In order: the semantic cache (exact,
//! then similar), single-flight coalescing of identical in-flight requests, a budget
//! reservation sized to the worst case (so caps hold under any concurrency), the fallback
//! chain, settlement of the actual cost, and the cache fill.

use crate::budget::{AlertSink, BudgetConfig, Ledger, NoAlerts, Payer, Plan, SpendReport};
use crate::cache::{CacheConfig, HitKind, SemanticCache};
use crate::chain::{Attempt, ChainConfig, FallbackChain};
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
}

/// The AI layer's front door. Cheap to clone.
#[derive(Clone)]
pub struct AiClient {
    inner: Arc<Inner>,
    flights: Arc<SingleFlight<String, Result<AiAnswer, AiError>>>,
}

impl AiClient {
    pub fn new(providers: Vec<Arc<dyn Provider>>, config: AiConfig) -> Self {
        Self::with_alerts(providers, config, Arc::new(NoAlerts))
    }

    pub fn with_alerts(providers: Vec<Arc<dyn Provider>>, config: AiConfig, alerts: Arc<dyn AlertSink>) -> Self {
        Self {
            inner: Arc::new(Inner {
                chain: FallbackChain::new(providers, config.chain),
                cache: SemanticCache::new(config.cache),
                ledger: Ledger::new(config.budget, alerts),
                prices: config.prices,
            }),
            flights: Arc::new(SingleFlight::new()),
        }
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
            return Ok(AiAnswer {
                provider: hit.response.provider,
                model: hit.response.model,
                cached: Value::String(kind.into()),
                cost_usd: 0.0,
                attempts: Vec::new(),
                output: hit.response.output.unwrap_or(Value::String(hit.response.text)),
            });
        }
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
        let reservation = inner.ledger.reserve(&payer, estimate, Utc::now()).map_err(AiError::Refused)?;
        match inner.chain.call(req).await {
            Ok(outcome) => {
                let cost =
                    inner.prices.cost_usd(&outcome.response.provider, &outcome.response.model, outcome.response.usage);
                reservation.settle(&outcome.response.provider, &outcome.response.model, cost);
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
