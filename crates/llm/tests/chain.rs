//! Circuit breaker and fallback chain behaviour, driven by scripted fake providers and a manual
//! clock so nothing waits on real time beyond a few milliseconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use domain::RetryPolicy;
use llm::breaker::{BreakerConfig, BreakerState, CircuitBreaker, ManualClock};
use llm::chain::{ChainConfig, FallbackChain};
use llm::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Reply = Result<Option<Value>, LlmError>;
type Behaviour = Box<dyn Fn(&LlmRequest) -> Reply + Send + Sync>;

/// A provider that plays back `script`, then answers with `otherwise`.
struct Fake {
    name: &'static str,
    script: Mutex<VecDeque<Reply>>,
    otherwise: Behaviour,
    delay: Duration,
    calls: AtomicUsize,
}

impl Fake {
    fn ok(name: &'static str) -> Self {
        Self::new(name, |_| Ok(Some(good())))
    }

    fn failing(name: &'static str, error: LlmError) -> Self {
        Self::new(name, move |_| Err(error.clone()))
    }

    fn new(name: &'static str, otherwise: impl Fn(&LlmRequest) -> Reply + Send + Sync + 'static) -> Self {
        Self {
            name,
            script: Mutex::new(VecDeque::new()),
            otherwise: Box::new(otherwise),
            delay: Duration::ZERO,
            calls: AtomicUsize::new(0),
        }
    }

    fn script(self, replies: impl IntoIterator<Item = Reply>) -> Self {
        self.script.lock().unwrap().extend(replies);
        self
    }

    fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Provider for Fake {
    fn name(&self) -> &str {
        self.name
    }

    fn model(&self, tier: Tier) -> &str {
        match tier {
            Tier::Cheap => "cheap-model",
            Tier::Expensive => "expensive-model",
        }
    }

    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let scripted = self.script.lock().unwrap().pop_front();
        let output = scripted.unwrap_or_else(|| (self.otherwise)(req))?;
        Ok(LlmResponse {
            provider: self.name.to_owned(),
            model: self.model(req.tier).to_owned(),
            text: output.as_ref().map(Value::to_string).unwrap_or_default(),
            output,
            usage: Usage { input_tokens: 10, output_tokens: 5 },
        })
    }
}

fn good() -> Value {
    json!({"title": "Engineer"})
}

fn request(schema: bool) -> LlmRequest {
    LlmRequest {
        task: "analyze_job".to_owned(),
        tier: Tier::Cheap,
        system: "Extract the title.".to_owned(),
        input: "Senior engineer wanted".to_owned(),
        schema: schema
            .then(|| json!({"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}})),
        max_tokens: 100,
        user_id: Some("u1".to_owned()),
    }
}

fn config(max_retries: u32) -> ChainConfig {
    ChainConfig {
        call_timeout: Duration::from_millis(50),
        retry: RetryPolicy::new(max_retries, Duration::from_millis(1)),
        max_retry_after: Duration::from_secs(1),
        ..ChainConfig::default()
    }
}

fn chain(providers: &[&Arc<Fake>], config: ChainConfig) -> FallbackChain {
    FallbackChain::new(providers.iter().map(|p| Arc::clone(p) as Arc<dyn Provider>).collect(), config)
}

fn outcomes(attempts: &[llm::chain::Attempt]) -> Vec<String> {
    attempts.iter().map(|a| format!("{}:{}", a.provider, a.outcome)).collect()
}

fn breaker(clock: &Arc<ManualClock>) -> CircuitBreaker {
    CircuitBreaker::with_clock(BreakerConfig::default(), Arc::clone(clock) as _)
}

#[test]
fn breaker_opens_after_five_failures_then_one_probe_closes_it() {
    let clock = Arc::new(ManualClock::at_epoch());
    let b = breaker(&clock);
    for _ in 0..4 {
        b.try_acquire().unwrap().failure();
    }
    assert_eq!(b.state(), BreakerState::Closed);
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), BreakerState::Open);
    assert!(b.try_acquire().is_none());

    clock.advance(Duration::from_secs(29));
    assert!(b.try_acquire().is_none(), "still open before 30 s");
    clock.advance(Duration::from_secs(1));
    assert_eq!(b.state(), BreakerState::HalfOpen);
    let probe = b.try_acquire().unwrap();
    assert!(probe.is_probe());
    assert!(b.try_acquire().is_none(), "exactly one probe while half-open");
    probe.success();
    assert_eq!(b.state(), BreakerState::Closed);
    assert!(b.try_acquire().is_some());
}

#[test]
fn breaker_probe_failure_reopens_and_a_lost_probe_frees_its_slot() {
    let clock = Arc::new(ManualClock::at_epoch());
    let b = breaker(&clock);
    for _ in 0..5 {
        b.try_acquire().unwrap().failure();
    }
    clock.advance(Duration::from_secs(30));
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), BreakerState::Open);
    assert!(b.try_acquire().is_none());

    clock.advance(Duration::from_secs(30));
    drop(b.try_acquire().unwrap());
    assert_eq!(b.state(), BreakerState::HalfOpen);
    b.try_acquire().expect("a dropped probe lets the next one through").success();
    assert_eq!(b.state(), BreakerState::Closed);
}

#[test]
fn breaker_counts_only_failures_within_the_window() {
    let clock = Arc::new(ManualClock::at_epoch());
    let b = breaker(&clock);
    for _ in 0..10 {
        b.try_acquire().unwrap().failure();
        clock.advance(Duration::from_secs(3));
    }
    assert_eq!(b.state(), BreakerState::Closed, "never five failures within 10 s");

    // A call admitted while closed that reports after the circuit opened must not pass for the probe.
    clock.advance(Duration::from_secs(10));
    let late = b.try_acquire().unwrap();
    for _ in 0..5 {
        b.try_acquire().unwrap().failure();
    }
    clock.advance(Duration::from_secs(30));
    late.success();
    assert_eq!(b.state(), BreakerState::HalfOpen);
}

#[tokio::test]
async fn falls_back_on_every_transient_or_broken_answer() {
    let cases = [
        (LlmError::RateLimited { retry_after: None }, 3, Some(429)),
        (LlmError::Server { status: 503, message: "down".into() }, 3, Some(503)),
        (LlmError::Overloaded, 3, Some(529)),
        (LlmError::Network("reset".into()), 3, None),
        (LlmError::Malformed("not json".into()), 1, None),
        (LlmError::Auth("bad key".into()), 1, None),
        (LlmError::Unsupported("no".into()), 1, None),
    ];
    for (error, calls, status) in cases {
        let label = error.label();
        let a = Arc::new(Fake::failing("a", error));
        let b = Arc::new(Fake::ok("b"));
        let out = chain(&[&a, &b], config(2)).call(&request(false)).await.unwrap();
        assert_eq!(out.response.provider, "b", "{label}");
        assert_eq!(a.calls(), calls, "{label}: retried only when retryable");
        assert_eq!(out.attempts.len(), calls + 1);
        assert_eq!(out.attempts[0].outcome, label);
        assert_eq!(out.attempts[0].status, status);
        assert_eq!(out.attempts[calls].outcome, "ok");
    }
}

#[tokio::test]
async fn a_timeout_or_an_invalid_answer_falls_back() {
    let slow = Arc::new(Fake::ok("slow").delay(Duration::from_millis(500)));
    let wrong = Arc::new(Fake::new("wrong", |_| Ok(Some(json!({"title": 3})))));
    let empty = Arc::new(Fake::new("empty", |_| Ok(None)));
    let last = Arc::new(Fake::ok("last"));
    let started = Instant::now();
    let out = chain(&[&slow, &wrong, &empty, &last], config(0)).call(&request(true)).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(400), "the timeout cut the slow call short");
    assert_eq!(outcomes(&out.attempts), ["slow:timeout", "wrong:invalid_output", "empty:invalid_output", "last:ok"]);
    assert_eq!(out.response.output, Some(good()));
}

#[tokio::test]
async fn retries_wait_for_retry_after() {
    let a =
        Arc::new(Fake::ok("a").script([Err(LlmError::RateLimited { retry_after: Some(Duration::from_millis(80)) })]));
    let started = Instant::now();
    let out = chain(&[&a], config(3)).call(&request(false)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(80));
    assert_eq!(a.calls(), 2);
    assert_eq!(outcomes(&out.attempts), ["a:rate_limited", "a:ok"]);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_moves_on_at_once() {
    let a = Arc::new(Fake::failing("a", LlmError::RateLimited { retry_after: Some(Duration::from_secs(120)) }));
    let b = Arc::new(Fake::ok("b"));
    let started = Instant::now();
    let out = chain(&[&a, &b], config(3)).call(&request(false)).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(a.calls(), 1);
    assert_eq!(outcomes(&out.attempts), ["a:rate_limited", "b:ok"]);
}

#[tokio::test]
async fn a_bad_request_stops_the_chain() {
    let a = Arc::new(Fake::failing("a", LlmError::BadRequest("max_tokens too large".into())));
    let b = Arc::new(Fake::ok("b"));
    let err = chain(&[&a, &b], config(3)).call(&request(false)).await.unwrap_err();
    assert!(matches!(err.last, LlmError::BadRequest(_)));
    assert_eq!((a.calls(), b.calls()), (1, 0));
    assert_eq!(outcomes(&err.attempts), ["a:bad_request"]);
}

#[tokio::test]
async fn a_schema_that_does_not_compile_fails_before_any_call() {
    let a = Arc::new(Fake::ok("a"));
    let mut req = request(true);
    req.schema = Some(json!({"type": 12}));
    let err = chain(&[&a], config(0)).call(&req).await.unwrap_err();
    assert!(matches!(err.last, LlmError::BadRequest(_)));
    assert_eq!(a.calls(), 0);
}

#[tokio::test]
async fn an_open_breaker_is_skipped_until_its_probe_succeeds() {
    let clock = Arc::new(ManualClock::at_epoch());
    let a = Arc::new(Fake::ok("a").script([Err(LlmError::Overloaded), Err(LlmError::Overloaded)]));
    let b = Arc::new(Fake::ok("b"));
    let cfg = ChainConfig { breaker: BreakerConfig { failure_threshold: 2, ..BreakerConfig::default() }, ..config(0) };
    let providers: Vec<Arc<dyn Provider>> = vec![a.clone(), b.clone()];
    let chain = FallbackChain::with_clock(providers, cfg, clock.clone());

    for _ in 0..2 {
        assert_eq!(chain.call(&request(false)).await.unwrap().response.provider, "b");
    }
    assert_eq!(chain.breaker("a").unwrap().state(), BreakerState::Open);
    let out = chain.call(&request(false)).await.unwrap();
    assert_eq!(outcomes(&out.attempts), ["a:circuit_open", "b:ok"]);
    assert_eq!(a.calls(), 2, "an open breaker sends nothing");

    clock.advance(Duration::from_secs(30));
    let out = chain.call(&request(false)).await.unwrap();
    assert_eq!(outcomes(&out.attempts), ["a:ok"]);
    assert_eq!(chain.breaker_states(), [("a", BreakerState::Closed), ("b", BreakerState::Closed)]);
}

#[tokio::test]
async fn everything_fails_down_to_the_last_provider() {
    let openai = Arc::new(Fake::failing("openai", LlmError::Server { status: 500, message: "oops".into() }));
    let anthropic = Arc::new(Fake::failing("anthropic", LlmError::Overloaded));
    let ollama = Arc::new(Fake::failing("ollama", LlmError::Network("connection refused".into())));
    let offline = Arc::new(Fake::ok("offline"));
    let out = chain(&[&openai, &anthropic, &ollama, &offline], config(1)).call(&request(true)).await.unwrap();
    assert_eq!(
        outcomes(&out.attempts),
        [
            "openai:server_error",
            "openai:server_error",
            "anthropic:overloaded",
            "anthropic:overloaded",
            "ollama:network",
            "ollama:network",
            "offline:ok"
        ]
    );
    let json = serde_json::to_value(&out.attempts[0]).unwrap();
    assert_eq!(json["provider"], "openai");
    assert_eq!(json["model"], "cheap-model");
    assert_eq!(json["outcome"], "server_error");
    assert_eq!(json["status"], 500);
    assert!(json["latency_ms"].is_u64());
}

#[tokio::test]
async fn when_every_provider_fails_the_error_carries_all_attempts() {
    let a = Arc::new(Fake::failing("a", LlmError::Malformed("html".into())));
    let b = Arc::new(Fake::failing("b", LlmError::Timeout(Duration::from_secs(30))));
    let err = chain(&[&a, &b], config(0)).call(&request(false)).await.unwrap_err();
    assert_eq!(outcomes(&err.attempts), ["a:malformed", "b:timeout"]);
    assert!(matches!(err.last, LlmError::Timeout(_)));
}

fn tier_sensitive(name: &'static str) -> Fake {
    Fake::new(name, |req| Ok(Some(if req.tier == Tier::Expensive { good() } else { json!({"name": "x"}) })))
}

#[tokio::test]
async fn invalid_answers_everywhere_escalate_to_the_expensive_tier() {
    let a = Arc::new(tier_sensitive("a"));
    let b = Arc::new(tier_sensitive("b"));
    let out = chain(&[&a, &b], config(0)).call(&request(true)).await.unwrap();
    assert_eq!(outcomes(&out.attempts), ["a:invalid_output", "b:invalid_output", "a:ok"]);
    assert_eq!(out.attempts[0].model, "cheap-model");
    assert_eq!(out.response.model, "expensive-model");

    let cfg = ChainConfig { escalate_on_invalid: false, ..config(0) };
    let err = chain(&[&a, &b], cfg).call(&request(true)).await.unwrap_err();
    assert!(matches!(err.last, LlmError::InvalidOutput(_)));
    assert_eq!(err.attempts.len(), 2);
}

#[tokio::test]
async fn no_escalation_when_a_provider_failed_for_another_reason() {
    let a = Arc::new(tier_sensitive("a"));
    let b = Arc::new(Fake::failing("b", LlmError::Overloaded));
    let err = chain(&[&a, &b], config(0)).call(&request(true)).await.unwrap_err();
    assert_eq!(outcomes(&err.attempts), ["a:invalid_output", "b:overloaded"]);
}
