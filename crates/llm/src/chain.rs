//! The fallback chain: providers in order, each behind its circuit breaker, with a per-call
//! timeout, retries with backoff for transient errors, schema validation of structured answers,
//! and quality routing (re-run on the expensive tier when every cheap answer was invalid).
//!
//! Money: every attempt is first admitted by a [`Meter`] (the client holds budget for it before
//! anything is sent) and then reported to it, billed or not, so an invalid answer, a malformed
//! body, a timeout or an escalation is charged like the answer that was used.

use crate::breaker::{BreakerConfig, BreakerState, CircuitBreaker, Clock, SystemClock};
use crate::pricing::PriceTable;
use crate::types::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use async_trait::async_trait;
use domain::RetryPolicy;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainConfig {
    pub call_timeout: Duration,
    /// Retries of transient errors on the same provider (seed 002: 3 retries, 1 s, 2 s, 4 s).
    pub retry: RetryPolicy,
    /// A provider asking us to wait longer than this is skipped rather than waited for.
    pub max_retry_after: Duration,
    /// Re-run on [`Tier::Expensive`] when every provider's cheap answer failed validation.
    pub escalate_on_invalid: bool,
    pub breaker: BreakerConfig,
}

impl Default for ChainConfig {
    fn default() -> Self {
        Self {
            call_timeout: Duration::from_secs(30),
            retry: RetryPolicy::new(3, Duration::from_secs(1)),
            max_retry_after: Duration::from_secs(30),
            escalate_on_invalid: true,
            breaker: BreakerConfig::default(),
        }
    }
}

/// One provider call (or skip), as `applyflow ai ask --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    pub provider: String,
    pub model: String,
    /// `ok` or an [`LlmError::label`].
    pub outcome: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// The request reached the provider and may have been billed: an answer (used or not), a
    /// body we could not read, or a call cut off by the timeout ([`LlmError::may_be_billed`]).
    pub billed: bool,
    /// The tokens the provider reported for it, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// What the chain tells the money side about each attempt. [`Meter::admit`] runs right before a
/// request is sent (after the provider's breaker let it through); every admitted attempt is then
/// reported once to [`Meter::record`], billed or not.
#[async_trait]
pub trait Meter: Send + Sync {
    /// May `req` go to `provider`'s `model` now? Refuse with [`LlmError::BudgetExceeded`]: the
    /// provider is skipped without sending anything (the attempt is reported with outcome
    /// [`NOT_ADMITTED`]) and the chain goes on with the next one.
    async fn admit(&self, provider: &str, model: &str, req: &LlmRequest) -> Result<(), LlmError>;
    /// How the admitted attempt ended (`attempt.billed`, `attempt.usage`).
    async fn record(&self, attempt: &Attempt, req: &LlmRequest);
}

/// Admits everything and records nothing (a chain used without budgets).
#[derive(Debug, Default, Clone, Copy)]
pub struct Unmetered;

#[async_trait]
impl Meter for Unmetered {
    async fn admit(&self, _provider: &str, _model: &str, _req: &LlmRequest) -> Result<(), LlmError> {
        Ok(())
    }
    async fn record(&self, _attempt: &Attempt, _req: &LlmRequest) {}
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainOutcome {
    pub response: LlmResponse,
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("every provider failed; last error: {last}")]
pub struct ChainError {
    pub attempts: Vec<Attempt>,
    pub last: LlmError,
}

struct Member {
    provider: Arc<dyn Provider>,
    breaker: CircuitBreaker,
}

/// How one pass over the providers ended without an answer.
enum PassEnd {
    /// Stop the whole chain (our own bad request).
    Stop(LlmError),
    /// Every provider was tried or skipped.
    Exhausted { last: LlmError, all_invalid: bool },
}

/// How one provider ended.
enum ProviderEnd {
    Answer(LlmResponse),
    Stop(LlmError),
    Next(LlmError),
}

pub struct FallbackChain {
    members: Vec<Member>,
    config: ChainConfig,
    /// Compiled schemas by task: compiling costs far more than the call overhead we allow, and a
    /// task's schema rarely changes, so it is compiled once and reused while it stays equal.
    validators: Mutex<HashMap<String, (Value, Arc<jsonschema::Validator>)>>,
    /// Retry jitter.
    random: clock::DynClock,
}

impl std::fmt::Debug for FallbackChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FallbackChain").field("providers", &self.breaker_states()).finish_non_exhaustive()
    }
}

impl FallbackChain {
    pub fn new(providers: Vec<Arc<dyn Provider>>, config: ChainConfig) -> Self {
        Self::with_clock(providers, config, Arc::new(SystemClock))
    }

    /// Same, with the breakers reading `clock` (tests drive time by hand).
    pub fn with_clock(providers: Vec<Arc<dyn Provider>>, config: ChainConfig, clock: Arc<dyn Clock>) -> Self {
        let members = providers
            .into_iter()
            .map(|provider| Member {
                provider,
                breaker: CircuitBreaker::with_clock(config.breaker, Arc::clone(&clock)),
            })
            .collect();
        Self { members, config, validators: Mutex::new(HashMap::new()), random: clock::system() }
    }

    /// Takes retry jitter from `clock` (tests seed it) instead of the system's randomness.
    pub fn with_randomness(mut self, clock: clock::DynClock) -> Self {
        self.random = clock;
        self
    }

    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// Each provider's name and breaker state, in chain order (for metrics).
    pub fn breaker_states(&self) -> Vec<(&str, BreakerState)> {
        self.members.iter().map(|m| (m.provider.name(), m.breaker.state())).collect()
    }

    pub fn breaker(&self, provider: &str) -> Option<&CircuitBreaker> {
        self.members.iter().find(|m| m.provider.name() == provider).map(|m| &m.breaker)
    }

    /// An upper bound on what one successful `call` can be charged, for budget reservations:
    /// the dearest model the chain could answer with, escalation included.
    pub fn max_cost_usd(&self, req: &LlmRequest, prices: &PriceTable) -> f64 {
        let escalates = self.config.escalate_on_invalid && req.schema.is_some();
        let tiers: &[Tier] = if escalates { &[Tier::Cheap, Tier::Expensive] } else { &[req.tier] };
        self.members
            .iter()
            .flat_map(|m| tiers.iter().map(|t| prices.max_cost_usd(m.provider.name(), m.provider.model(*t), req)))
            .fold(0.0, f64::max)
    }

    pub async fn call(&self, req: &LlmRequest) -> Result<ChainOutcome, ChainError> {
        self.call_metered(req, &Unmetered).await
    }

    /// [`FallbackChain::call`] with every attempt admitted by and reported to `meter`.
    pub async fn call_metered(&self, req: &LlmRequest, meter: &dyn Meter) -> Result<ChainOutcome, ChainError> {
        let mut attempts = Vec::with_capacity(self.members.len());
        let validator = match &req.schema {
            Some(schema) => match self.validator(&req.task, schema) {
                Ok(v) => Some(v),
                Err(last) => return Err(ChainError { attempts, last }),
            },
            None => None,
        };
        let validator = validator.as_deref();
        let first = self.pass(req, validator, meter, &mut attempts).await;
        let end = match first {
            Ok(response) => return Ok(ChainOutcome { response, attempts }),
            Err(PassEnd::Exhausted { all_invalid: true, .. })
                if self.config.escalate_on_invalid && req.tier == Tier::Cheap =>
            {
                tracing::info!(task = %req.task, "every cheap answer was invalid; escalating to the expensive tier");
                let escalated = LlmRequest { tier: Tier::Expensive, ..req.clone() };
                match self.pass(&escalated, validator, meter, &mut attempts).await {
                    Ok(response) => return Ok(ChainOutcome { response, attempts }),
                    Err(end) => end,
                }
            }
            Err(end) => end,
        };
        let last = match end {
            PassEnd::Stop(e) | PassEnd::Exhausted { last: e, .. } => e,
        };
        Err(ChainError { attempts, last })
    }

    async fn pass(
        &self,
        req: &LlmRequest,
        validator: Option<&jsonschema::Validator>,
        meter: &dyn Meter,
        attempts: &mut Vec<Attempt>,
    ) -> Result<LlmResponse, PassEnd> {
        let mut last = None;
        let mut called = 0usize;
        let mut invalid = 0usize;
        for member in &self.members {
            let start_len = attempts.len();
            let end = self.try_provider(member, req, validator, meter, attempts).await;
            if attempts[start_len..].iter().any(|a| a.outcome != CIRCUIT_OPEN && a.outcome != NOT_ADMITTED) {
                called += 1;
            }
            match end {
                ProviderEnd::Answer(response) => return Ok(response),
                ProviderEnd::Stop(e) => return Err(PassEnd::Stop(e)),
                ProviderEnd::Next(e) => {
                    if matches!(e, LlmError::InvalidOutput(_)) {
                        invalid += 1;
                    }
                    last = Some(e);
                }
            }
        }
        let last = last.unwrap_or_else(|| LlmError::Unsupported("the chain has no providers".to_owned()));
        Err(PassEnd::Exhausted { last, all_invalid: called > 0 && invalid == called })
    }

    async fn try_provider(
        &self,
        member: &Member,
        req: &LlmRequest,
        validator: Option<&jsonschema::Validator>,
        meter: &dyn Meter,
        attempts: &mut Vec<Attempt>,
    ) -> ProviderEnd {
        let provider = &*member.provider;
        let policy = &self.config.retry;
        let mut retry = 0u32;
        loop {
            let Some(permit) = member.breaker.try_acquire() else {
                let e = LlmError::CircuitOpen(provider.name().to_owned());
                attempts.push(attempt(provider, req.tier, &e, Duration::ZERO));
                return ProviderEnd::Next(e);
            };
            if let Err(e) = meter.admit(provider.name(), provider.model(req.tier), req).await {
                // Nothing was sent: neither a failure nor a success for the breaker.
                drop(permit);
                tracing::info!(provider = provider.name(), task = %req.task, error = %e, "attempt not admitted");
                attempts.push(attempt(provider, req.tier, &e, Duration::ZERO));
                return ProviderEnd::Next(e);
            }
            let started = Instant::now();
            // The answer's model and usage are kept even when it fails validation: the provider
            // billed it all the same.
            let mut answered: Option<(String, Usage)> = None;
            let result = match tokio::time::timeout(self.config.call_timeout, provider.complete(req)).await {
                Ok(Ok(response)) => {
                    answered = Some((response.model.clone(), response.usage));
                    check_output(response, validator)
                }
                Ok(Err(e)) => Err(e),
                Err(_) => Err(LlmError::Timeout(self.config.call_timeout)),
            };
            let latency = started.elapsed();
            let error = match result {
                Ok(response) => {
                    permit.success();
                    let done = Attempt {
                        provider: provider.name().to_owned(),
                        model: response.model.clone(),
                        outcome: "ok".to_owned(),
                        status: None,
                        latency_ms: millis(latency),
                        billed: true,
                        usage: Some(response.usage),
                    };
                    meter.record(&done, req).await;
                    attempts.push(done);
                    return ProviderEnd::Answer(response);
                }
                Err(e) => e,
            };
            if error.trips_breaker() {
                permit.failure();
            } else {
                drop(permit);
            }
            let mut failed = attempt(provider, req.tier, &error, latency);
            failed.billed = answered.is_some() || error.may_be_billed();
            if let Some((model, usage)) = answered {
                failed.model = model;
                failed.usage = Some(usage);
            }
            meter.record(&failed, req).await;
            attempts.push(failed);
            match &error {
                LlmError::BadRequest(_) => {
                    tracing::error!(provider = provider.name(), task = %req.task, error = %error, "provider rejected our request; stopping the chain");
                    return ProviderEnd::Stop(error);
                }
                LlmError::Auth(_) => {
                    tracing::error!(alert = true, provider = provider.name(), error = %error, "provider authentication failed; check its API key");
                }
                // A provider that does not do this task (the offline floor and a rewrite) is not
                // a failure worth a warning on every call.
                LlmError::Unsupported(_) => {
                    tracing::debug!(provider = provider.name(), task = %req.task, error = %error, "provider does not do this task")
                }
                _ => {
                    tracing::warn!(provider = provider.name(), task = %req.task, retry, error = %error, "provider call failed")
                }
            }
            if error.is_retryable() && retry < policy.max_retries {
                retry += 1;
                let mut delay = policy.delay(retry, self.random.random());
                if let LlmError::RateLimited { retry_after: Some(after) } = error {
                    if after > self.config.max_retry_after {
                        return ProviderEnd::Next(error);
                    }
                    delay = delay.max(after);
                }
                tokio::time::sleep(delay).await;
                continue;
            }
            return if error.falls_back() { ProviderEnd::Next(error) } else { ProviderEnd::Stop(error) };
        }
    }

    fn validator(&self, task: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, LlmError> {
        let mut cache = self.validators.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((cached, validator)) = cache.get(task) {
            if cached == schema {
                return Ok(Arc::clone(validator));
            }
        }
        // A schema that does not compile is our bug, like a bad request: no provider can help.
        let validator = jsonschema::validator_for(schema)
            .map(Arc::new)
            .map_err(|e| LlmError::BadRequest(format!("schema of task {task} does not compile: {e}")))?;
        cache.insert(task.to_owned(), (schema.clone(), Arc::clone(&validator)));
        Ok(validator)
    }
}

fn check_output(response: LlmResponse, validator: Option<&jsonschema::Validator>) -> Result<LlmResponse, LlmError> {
    let Some(validator) = validator else { return Ok(response) };
    let Some(output) = &response.output else {
        return Err(LlmError::InvalidOutput("no structured output in the answer".to_owned()));
    };
    match validator.validate(output) {
        Ok(()) => Ok(response),
        Err(e) => {
            // The message can quote the whole offending value; keep attempt logs readable.
            let mut message = format!("{e} at {}", e.instance_path);
            if message.len() > 300 {
                let cut = (0..=300).rev().find(|i| message.is_char_boundary(*i)).unwrap_or(0);
                message.truncate(cut);
                message.push('…');
            }
            Err(LlmError::InvalidOutput(message))
        }
    }
}

const CIRCUIT_OPEN: &str = "circuit_open";
/// The outcome of an attempt the [`Meter`] refused: nothing was sent.
pub const NOT_ADMITTED: &str = "budget_exceeded";

fn attempt(provider: &dyn Provider, tier: Tier, error: &LlmError, latency: Duration) -> Attempt {
    Attempt {
        provider: provider.name().to_owned(),
        model: provider.model(tier).to_owned(),
        outcome: error.label().to_owned(),
        status: error.status(),
        latency_ms: millis(latency),
        billed: false,
        usage: None,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
