//! `AiClient`: the one door every LLM call goes through. In order: the semantic cache (exact,
//! then similar), single-flight coalescing of identical in-flight requests, then the fallback
//! chain, where every provider attempt is first admitted against the budget (a reservation of
//! that attempt's worst case, made durable as a write-ahead hold when the provider bills) and
//! then charged if the provider may have billed it — the answer that was used, and also invalid
//! answers, unreadable bodies, timeouts and the expensive-tier escalation — and finally the
//! cache fill. Caps therefore limit what providers actually bill, under any concurrency.

use crate::budget::{AlertSink, BudgetConfig, Ledger, NoAlerts, Payer, Plan, Reservation, SpendAlert, SpendReport};
use crate::cache::{CacheBackend, CacheConfig, CacheLookup, HitKind, MemoryBackend, SemanticCache};
use crate::chain::{Attempt, ChainConfig, FallbackChain, Meter, NOT_ADMITTED};
use crate::observe::{AiMetrics, NoSpendSink, SpendHold, SpendJournal, SpendRecord, SpendSink};
use crate::pricing::{max_input_tokens, PriceTable};
use crate::singleflight::SingleFlight;
use crate::types::{LlmError, LlmRequest, Provider, Usage};
use async_trait::async_trait;
use clock::DynClock;
use governor::clock::Clock as LimiterClockTrait;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Everything the AI layer is configured with.
#[derive(Debug, Clone, Default)]
pub struct AiConfig {
    pub chain: ChainConfig,
    pub cache: CacheConfig,
    pub budget: BudgetConfig,
    pub prices: PriceTable,
    /// The plan of every payer not named in [`BudgetConfig::user_plans`].
    pub plan: Plan,
}

/// One task's answer, as `applyflow ai ask --format json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiAnswer {
    pub provider: String,
    pub model: String,
    /// `false`, `exact` or `semantic`.
    pub cached: Value,
    /// Everything this call was charged: the answer and every billed attempt before it.
    pub cost_usd: f64,
    pub attempts: Vec<Attempt>,
    pub output: Value,
}

/// Why a task got no answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AiError {
    /// Nothing was sent: the budget (or the call limit) admitted no provider.
    #[error(transparent)]
    Refused(LlmError),
    #[error("every provider failed; last error: {last}")]
    Failed { attempts: Vec<Attempt>, last: LlmError },
}

/// An interactive request was refused by the user's request rate; try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many requests; retry in {retry_after:?}")]
pub struct Throttled {
    pub retry_after: Duration,
}

/// Monotonic time for the request limiters, from the injected clock.
struct LimiterClock(DynClock);

impl LimiterClockTrait for LimiterClock {
    type Instant = std::time::Instant;
    fn now(&self) -> Self::Instant {
        self.0.instant()
    }
}

type UserLimiter = RateLimiter<String, DefaultKeyedStateStore<String>, LimiterClock>;

/// One keyed limiter per plan (`None`: the plan is unlimited).
struct RequestLimiters {
    free: Option<UserLimiter>,
    pro: Option<UserLimiter>,
    enterprise: Option<UserLimiter>,
    /// Checks so far; every [`RETAIN_EVERY`] the users whose allowance is full are forgotten.
    checks: std::sync::atomic::AtomicU64,
}

const RETAIN_EVERY: u64 = 4096;

impl RequestLimiters {
    fn new(budget: &BudgetConfig, clock: &DynClock) -> Self {
        let make = |plan: Plan| {
            let per_minute = NonZeroU32::new(budget.request_rates.get(plan)?)?;
            Some(RateLimiter::new(
                Quota::per_minute(per_minute),
                DefaultKeyedStateStore::default(),
                LimiterClock(Arc::clone(clock)),
            ))
        };
        Self {
            free: make(Plan::Free),
            pro: make(Plan::Pro),
            enterprise: make(Plan::Enterprise),
            checks: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Keeps the per-user state from growing with every user ever seen.
    fn tidy(&self) {
        let n = self.checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % RETAIN_EVERY == RETAIN_EVERY - 1 {
            for limiter in [&self.free, &self.pro, &self.enterprise].into_iter().flatten() {
                limiter.retain_recent();
            }
        }
    }

    fn get(&self, plan: Plan) -> Option<&UserLimiter> {
        match plan {
            Plan::Free => self.free.as_ref(),
            Plan::Pro => self.pro.as_ref(),
            Plan::Enterprise => self.enterprise.as_ref(),
        }
    }
}

/// How long after a billed attempt's hold is written it may stay open before recovery treats
/// it as an orphan, beyond the chain's call timeout.
const HOLD_MARGIN: Duration = Duration::from_secs(300);

struct Inner {
    chain: FallbackChain,
    cache: SemanticCache,
    ledger: Ledger,
    prices: PriceTable,
    metrics: AiMetrics,
    spend: Arc<dyn SpendSink>,
    journal: Option<Arc<dyn SpendJournal>>,
    clock: DynClock,
    plan: Plan,
    limiters: RequestLimiters,
}

/// Where an [`AiClient`] reports, and what it depends on: spend alerts, spend records, the
/// write-ahead journal of billed attempts, metrics, and the clock (time and hold ids). The
/// defaults drop alerts and records, keep no journal, keep metrics in memory and read the
/// system clock.
#[derive(Clone)]
pub struct AiSinks {
    pub alerts: Arc<dyn AlertSink>,
    pub spend: Arc<dyn SpendSink>,
    pub metrics: AiMetrics,
    /// With a journal, each attempt on a billed provider waits for its hold to be durable
    /// before it is sent (attempts on free providers never do).
    pub journal: Option<Arc<dyn SpendJournal>>,
    pub clock: DynClock,
}

impl Default for AiSinks {
    fn default() -> Self {
        Self {
            alerts: Arc::new(NoAlerts),
            spend: Arc::new(NoSpendSink),
            metrics: AiMetrics::default(),
            journal: None,
            clock: clock::system(),
        }
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
        Self::with_cache_backend(providers, config, sinks, Arc::new(MemoryBackend::new()))
    }

    /// Like [`AiClient::with_sinks`], with the semantic cache's entries kept in `cache_backend`
    /// (a shared store) instead of this process's memory. The backend's failures never fail a
    /// call: a lookup that fails is a miss and a fill that fails is skipped.
    pub fn with_cache_backend(
        providers: Vec<Arc<dyn Provider>>,
        config: AiConfig,
        sinks: AiSinks,
        cache_backend: Arc<dyn CacheBackend>,
    ) -> Self {
        let alerts = Arc::new(CountingAlerts { metrics: sinks.metrics.clone(), next: sinks.alerts });
        let limiters = RequestLimiters::new(&config.budget, &sinks.clock);
        Self {
            inner: Arc::new(Inner {
                chain: FallbackChain::new(providers, config.chain).with_randomness(Arc::clone(&sinks.clock)),
                cache: SemanticCache::with_backend(config.cache, cache_backend),
                ledger: Ledger::new(config.budget, alerts),
                prices: config.prices,
                metrics: sinks.metrics,
                spend: sinks.spend,
                journal: sinks.journal,
                clock: sinks.clock,
                plan: config.plan,
                limiters,
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

    pub fn prices(&self) -> &PriceTable {
        &self.inner.prices
    }

    pub fn clock(&self) -> &DynClock {
        &self.inner.clock
    }

    pub fn spend(&self) -> SpendReport {
        self.inner.ledger.spend()
    }

    /// The plan `user` is on: their entry in the budget's `user_plans`, else the default plan.
    pub fn plan_of(&self, user: &str) -> Plan {
        self.inner.ledger.config().plan_of(user, self.inner.plan)
    }

    /// Who pays for `user`'s calls in `cell`, on the user's configured plan.
    pub fn payer<'a>(&self, user: &'a str, cell: &'a str) -> Payer<'a> {
        Payer { user, cell, plan: self.plan_of(user) }
    }

    /// Takes one interactive request from `user`'s per-minute allowance (by plan), or says how
    /// long to wait for the next one.
    pub fn throttle(&self, user: &str) -> Result<(), Throttled> {
        let Some(limiter) = self.inner.limiters.get(self.plan_of(user)) else { return Ok(()) };
        self.inner.limiters.tidy();
        let key = user.to_owned();
        match limiter.check_key(&key) {
            Ok(()) => Ok(()),
            Err(not_until) => Err(Throttled { retry_after: not_until.wait_time_from(self.inner.clock.instant()) }),
        }
    }

    /// Runs one task for `payer`.
    pub async fn run(&self, req: &LlmRequest, payer: &Payer<'_>) -> Result<AiAnswer, AiError> {
        let now = self.inner.clock.now();
        match self.inner.cache.lookup_outcome(req, now).await {
            CacheLookup::Hit(hit) => {
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
            CacheLookup::Miss => self.inner.metrics.cache_lookup(&req.task, "miss"),
            // The cache already logged and counted it; the call goes on as after a miss.
            CacheLookup::Failed => self.inner.metrics.cache_lookup(&req.task, "error"),
        }
        let key = flight_key(req, payer);
        let (inner, req) = (self.inner.clone(), req.clone());
        let (user, cell, plan) = (payer.user.to_owned(), payer.cell.to_owned(), payer.plan);
        self.flights.run(key, move || async move { call(inner, req, user, cell, plan).await }).await
    }

    /// Holds `estimate_usd` (an upper bound on what one request to `provider`'s `model` can be
    /// billed) and one call of the payer's daily allowance for a request made outside the chain
    /// (a batch API request). On a billed provider with a journal, the hold is durable before
    /// this returns and stays open at most `lifetime` before recovery charges it in full.
    /// Settle it with [`Held::charge_usd`] or [`Held::release`]; dropped unsettled, it is
    /// charged in full (the request may have been sent).
    pub async fn hold(
        &self,
        payer: &Payer<'_>,
        task: &str,
        provider: &str,
        model: &str,
        estimate_usd: f64,
        lifetime: Duration,
    ) -> Result<Held, LlmError> {
        hold(&self.inner, payer, task, provider, model, estimate_usd, Usage::default(), lifetime).await
    }
}

/// Budget held for one provider request, and its write-ahead hold when the provider bills.
/// Exactly one of [`Held::charge`], [`Held::charge_usd`] or [`Held::release`] settles it; a
/// `Held` dropped unsettled is charged its full estimate, since its request may have been sent.
#[must_use = "charge or release the held budget"]
pub struct Held {
    inner: Arc<Inner>,
    reservation: Option<Reservation>,
    hold: Option<String>,
    user: String,
    cell: String,
    task: String,
    provider: String,
    model: String,
    /// The tokens of the upper bound, recorded when the provider reported no usage.
    bound: Usage,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Held")
            .field("user", &self.user)
            .field("provider", &self.provider)
            .field("model", &self.model)
            .field("estimate_usd", &self.estimate_usd())
            .field("hold", &self.hold)
            .finish()
    }
}

impl Held {
    /// The upper bound held.
    pub fn estimate_usd(&self) -> f64 {
        self.reservation.as_ref().map_or(0.0, Reservation::estimate_usd)
    }

    /// The write-ahead hold's id, when one was written.
    pub fn hold_id(&self) -> Option<&str> {
        self.hold.as_deref()
    }

    /// Charges a billed request at its price on `model`: by `usage` when the provider reported
    /// some, else (no usage, or none counted on a provider that bills) at the full estimate.
    /// Returns the cost charged.
    pub fn charge(self, model: &str, usage: Option<Usage>) -> f64 {
        let reported = usage.filter(|u| u.input_tokens > 0 || u.output_tokens > 0);
        match reported {
            Some(usage) => {
                let cost = self.inner.prices.cost_usd(&self.provider, model, usage);
                self.settle(model, cost, usage)
            }
            None if self.inner.prices.is_free(&self.provider) => self.settle(model, 0.0, usage.unwrap_or_default()),
            None => {
                let (cost, bound) = (self.estimate_usd(), self.bound);
                self.settle(model, cost, bound)
            }
        }
    }

    /// Charges a billed request a known cost (a batch price), with its reported usage.
    pub fn charge_usd(self, model: &str, cost_usd: f64, usage: Usage) -> f64 {
        self.settle(model, cost_usd, usage)
    }

    /// Nothing reached the provider: frees the budget and closes the hold without spend.
    pub fn release(mut self) {
        self.reservation = None;
        if let Some(hold) = self.hold.take() {
            self.inner.spend.release(&hold);
        }
    }

    fn settle(mut self, model: &str, cost_usd: f64, usage: Usage) -> f64 {
        let model = model.to_owned();
        self.settle_in_place(&model, cost_usd, usage)
    }

    fn settle_in_place(&mut self, model: &str, cost_usd: f64, usage: Usage) -> f64 {
        let Some(reservation) = self.reservation.take() else { return 0.0 };
        reservation.settle(&self.provider, model, cost_usd);
        let record = SpendRecord {
            at: self.inner.clock.now(),
            user: self.user.clone(),
            cell: self.cell.clone(),
            task: self.task.clone(),
            provider: self.provider.clone(),
            model: model.to_owned(),
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            cost_usd,
            hold: self.hold.take(),
        };
        self.inner.metrics.answered(&record);
        self.inner.spend.record(record);
        cost_usd
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.reservation.is_none() {
            return;
        }
        tracing::warn!(
            provider = %self.provider,
            task = %self.task,
            "a provider request was abandoned in flight; charging its full estimate"
        );
        let (cost, bound, model) = (self.estimate_usd(), self.bound, self.model.clone());
        self.settle_in_place(&model, cost, bound);
    }
}

#[allow(clippy::too_many_arguments)]
async fn hold(
    inner: &Arc<Inner>,
    payer: &Payer<'_>,
    task: &str,
    provider: &str,
    model: &str,
    estimate_usd: f64,
    bound: Usage,
    lifetime: Duration,
) -> Result<Held, LlmError> {
    let now = inner.clock.now();
    let reservation = inner.ledger.reserve(payer, estimate_usd, now).inspect_err(|_| inner.metrics.refused())?;
    let mut held = Held {
        inner: Arc::clone(inner),
        reservation: None,
        hold: None,
        user: payer.user.to_owned(),
        cell: payer.cell.to_owned(),
        task: task.to_owned(),
        provider: provider.to_owned(),
        model: model.to_owned(),
        bound,
    };
    let billed = reservation.estimate_usd() > 0.0 && !inner.prices.is_free(provider);
    if let (true, Some(journal)) = (billed, &inner.journal) {
        let id = inner.clock.new_id().to_string();
        let stale_at = now + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::MAX);
        let entry = SpendHold {
            id: id.clone(),
            at: now,
            stale_at,
            user: held.user.clone(),
            cell: held.cell.clone(),
            task: held.task.clone(),
            provider: held.provider.clone(),
            model: held.model.clone(),
            reserved_usd: reservation.estimate_usd(),
        };
        // Until the hold is durable nothing is sent; if this future is dropped meanwhile, the
        // reservation is released with it (a hold that did get written is recovered later).
        if let Err(e) = journal.hold(&entry).await {
            tracing::error!(error = %e, provider, "cannot make the spend hold durable; the attempt is refused");
            inner.metrics.refused();
            return Err(LlmError::BudgetExceeded(format!("the spend journal is unavailable: {e}")));
        }
        held.hold = Some(id);
    }
    held.reservation = Some(reservation);
    Ok(held)
}

/// The chain's [`Meter`] for one call: each attempt holds its own worst case before it is sent
/// and is charged (billed) or released (not billed) when it ends.
struct CallMeter<'a> {
    inner: &'a Arc<Inner>,
    payer: Payer<'a>,
    lifetime: Duration,
    state: Mutex<MeterState>,
}

#[derive(Default)]
struct MeterState {
    /// The attempt in flight (attempts are sequential). Dropped with the meter if the call is
    /// abandoned mid-attempt, which charges it in full.
    pending: Option<Held>,
    charged_usd: f64,
    refusal: Option<LlmError>,
}

impl CallMeter<'_> {
    fn lock(&self) -> MutexGuard<'_, MeterState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Meter for CallMeter<'_> {
    async fn admit(&self, provider: &str, model: &str, req: &LlmRequest) -> Result<(), LlmError> {
        let estimate = self.inner.prices.max_cost_usd(provider, model, req);
        let bound = Usage { input_tokens: max_input_tokens(req), output_tokens: u64::from(req.max_tokens) };
        match hold(self.inner, &self.payer, &req.task, provider, model, estimate, bound, self.lifetime).await {
            Ok(held) => {
                // A previous attempt never reported (cannot happen in the chain): its `Held`
                // drops here and is charged in full.
                self.lock().pending = Some(held);
                Ok(())
            }
            Err(e) => {
                self.lock().refusal = Some(e.clone());
                Err(e)
            }
        }
    }

    async fn record(&self, attempt: &Attempt, _req: &LlmRequest) {
        let Some(held) = self.lock().pending.take() else { return };
        if attempt.billed {
            let cost = held.charge(&attempt.model, attempt.usage);
            self.lock().charged_usd += cost;
        } else {
            held.release();
        }
    }
}

async fn call(inner: Arc<Inner>, req: LlmRequest, user: String, cell: String, plan: Plan) -> Result<AiAnswer, AiError> {
    let payer = Payer { user: &user, cell: &cell, plan };
    let lifetime = inner.chain.config().call_timeout.saturating_add(HOLD_MARGIN);
    let meter = CallMeter { inner: &inner, payer, lifetime, state: Mutex::new(MeterState::default()) };
    let result = inner.chain.call_metered(&req, &meter).await;
    inner.metrics.attempts(match &result {
        Ok(outcome) => &outcome.attempts,
        Err(e) => &e.attempts,
    });
    inner.metrics.breakers(inner.chain.breaker_states());
    let (charged, refusal) = {
        let mut state = meter.lock();
        (state.charged_usd, state.refusal.take())
    };
    match result {
        Ok(outcome) => {
            // The offline heuristic is free and instant; caching it would only keep a weaker
            // answer around after a real provider comes back.
            if outcome.response.provider != "offline" {
                inner.cache.store(&req, &outcome.response, inner.clock.now()).await;
            }
            let r = outcome.response;
            Ok(AiAnswer {
                provider: r.provider,
                model: r.model,
                cached: Value::Bool(false),
                cost_usd: charged,
                attempts: outcome.attempts,
                output: r.output.unwrap_or(Value::String(r.text)),
            })
        }
        Err(e) => {
            // Nothing was sent anywhere, and the budget is why: a refusal, not a failure.
            let sent = e.attempts.iter().any(|a| a.outcome != NOT_ADMITTED && a.outcome != "circuit_open");
            match refusal {
                Some(refusal) if !sent => Err(AiError::Refused(refusal)),
                _ => Err(AiError::Failed { attempts: e.attempts, last: e.last }),
            }
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
