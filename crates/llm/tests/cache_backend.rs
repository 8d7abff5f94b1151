//! The semantic cache's storage port: the contract every `CacheBackend` meets (the same cases
//! run against each implementation), and what the cache and `AiClient` do when the backend
//! fails — a failed lookup is a miss, a failed store is skipped, both counted, and no AI call
//! ever fails because of the cache.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use llm::cache::{
    CacheBackend, CacheConfig, CacheEntry, CacheError, CacheLookup, HitKind, MemoryBackend, SemanticCache,
    SemanticTask, SIMILARITY_THRESHOLD,
};
use llm::{AiClient, AiConfig, AiSinks, LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The cache with a similarity-only semantic layer for `analyze_job`: these tests exercise the
/// cache's mechanics; the real rule (`analysis::PostingReuse`) is tested with its task.
fn semantic_config() -> CacheConfig {
    CacheConfig::default().with_semantic("analyze_job", SemanticTask::similarity_only(SIMILARITY_THRESHOLD))
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn entry(text: &str, buckets: &[&str]) -> CacheEntry {
    CacheEntry {
        scope: "scope-1".to_owned(),
        task: "analyze_job".to_owned(),
        tier: Tier::Cheap,
        embedding: Some(vec![0.125, -0.5, 0.0, 1.0e-7]),
        facts: Some("facts".to_owned()),
        buckets: buckets.iter().map(|b| (*b).to_owned()).collect(),
        response: LlmResponse {
            provider: "openai".to_owned(),
            model: "gpt-4o-mini".to_owned(),
            text: text.to_owned(),
            output: Some(json!({"skills": ["rust"], "salary": null, "ratio": 0.1})),
            usage: Usage { input_tokens: 900, output_tokens: 120 },
        },
        stored_at: at(0),
        expires_at: at(60 * 24 * 7),
    }
}

/// The cases, each given a fresh, empty backend.
mod contract {
    use super::*;

    pub async fn get_put_remove(b: &dyn CacheBackend) {
        assert_eq!(b.get("k").await.unwrap(), None);
        assert_eq!(b.remove("k").await.unwrap(), None);
        b.put("k", entry("first", &[]), 1).await.unwrap();
        assert_eq!(b.get("k").await.unwrap(), Some(entry("first", &[])));
        b.put("k", entry("second", &[]), 2).await.unwrap();
        assert_eq!(b.get("k").await.unwrap(), Some(entry("second", &[])));
        assert_eq!(b.len().await.unwrap(), 1);
        assert_eq!(b.remove("k").await.unwrap(), Some(entry("second", &[])));
        assert_eq!(b.get("k").await.unwrap(), None);
        assert_eq!(b.remove("k").await.unwrap(), None);
    }

    /// Every field comes back as stored (a network backend serializes entries).
    pub async fn entries_round_trip_exactly(b: &dyn CacheBackend) {
        let mut e = entry("round trip: \"quoted\", ünïcode, <data>", &["b:s:0:0000abcd", "b:s:9:ffffffff"]);
        e.tier = Tier::Expensive;
        e.response.output = None;
        b.put("x:round", e.clone(), 7).await.unwrap();
        assert_eq!(b.get("x:round").await.unwrap(), Some(e.clone()));
        let mut plain = entry("no embedding", &[]);
        plain.embedding = None;
        b.put("x:plain", plain.clone(), 8).await.unwrap();
        assert_eq!(b.get("x:plain").await.unwrap(), Some(plain));
    }

    pub async fn recency_follows_puts_and_touches(b: &dyn CacheBackend) {
        assert_eq!(b.least_recent().await.unwrap(), None);
        b.put("a", entry("a", &[]), 1).await.unwrap();
        b.put("b", entry("b", &[]), 2).await.unwrap();
        assert_eq!(b.least_recent().await.unwrap().as_deref(), Some("a"));
        b.touch("a", 3).await.unwrap();
        assert_eq!(b.least_recent().await.unwrap().as_deref(), Some("b"));
        // Replacing an entry marks it used.
        b.put("b", entry("b2", &[]), 4).await.unwrap();
        assert_eq!(b.least_recent().await.unwrap().as_deref(), Some("a"));
        assert!(b.remove("a").await.unwrap().is_some());
        assert_eq!(b.least_recent().await.unwrap().as_deref(), Some("b"));
        assert!(b.remove("b").await.unwrap().is_some());
        assert_eq!(b.least_recent().await.unwrap(), None);
    }

    /// Touching a key that is not stored neither creates it nor enters it in the recency order.
    pub async fn touch_of_a_missing_key_is_a_no_op(b: &dyn CacheBackend) {
        b.touch("ghost", 1).await.unwrap();
        assert_eq!(b.get("ghost").await.unwrap(), None);
        assert_eq!(b.least_recent().await.unwrap(), None);
        assert_eq!(b.len().await.unwrap(), 0);
        b.put("real", entry("real", &[]), 2).await.unwrap();
        b.touch("ghost", 3).await.unwrap();
        assert_eq!(b.least_recent().await.unwrap().as_deref(), Some("real"));
        assert_eq!(b.len().await.unwrap(), 1);
    }

    pub async fn len_and_is_empty_count_entries(b: &dyn CacheBackend) {
        assert_eq!((b.len().await.unwrap(), b.is_empty().await.unwrap()), (0, true));
        for (i, key) in ["k1", "k2", "k3"].into_iter().enumerate() {
            b.put(key, entry(key, &[]), i as u64 + 1).await.unwrap();
        }
        b.put("k2", entry("again", &[]), 9).await.unwrap();
        // Buckets are not entries.
        b.bucket_add("bucket", "k1").await.unwrap();
        assert_eq!((b.len().await.unwrap(), b.is_empty().await.unwrap()), (3, false));
        b.remove("k1").await.unwrap();
        b.remove("k2").await.unwrap();
        b.remove("k3").await.unwrap();
        assert_eq!((b.len().await.unwrap(), b.is_empty().await.unwrap()), (0, true));
    }

    /// Buckets are sets with a stable (sorted) member order, independent of the entries:
    /// unfiling is the cache's job.
    pub async fn buckets_are_ordered_sets(b: &dyn CacheBackend) {
        assert!(b.bucket_members("x").await.unwrap().is_empty());
        b.bucket_remove("x", "nobody").await.unwrap();
        b.bucket_add("x", "k2").await.unwrap();
        b.bucket_add("x", "k1").await.unwrap();
        b.bucket_add("x", "k1").await.unwrap();
        b.bucket_add("y", "k3").await.unwrap();
        assert_eq!(b.bucket_members("x").await.unwrap(), ["k1", "k2"]);
        assert_eq!(b.bucket_members("y").await.unwrap(), ["k3"]);
        b.put("k1", entry("k1", &["x"]), 1).await.unwrap();
        b.remove("k1").await.unwrap();
        assert_eq!(b.bucket_members("x").await.unwrap(), ["k1", "k2"]);
        b.bucket_remove("x", "k1").await.unwrap();
        assert_eq!(b.bucket_members("x").await.unwrap(), ["k2"]);
        b.bucket_remove("x", "k2").await.unwrap();
        assert!(b.bucket_members("x").await.unwrap().is_empty());
        assert_eq!(b.bucket_members("y").await.unwrap(), ["k3"]);
    }

    /// The cache itself, end to end, on the backend: store, exact and semantic hits, eviction.
    pub async fn a_semantic_cache_runs_on_it(b: Arc<dyn CacheBackend>) {
        let cache = SemanticCache::with_backend(CacheConfig { capacity: 2, ..semantic_config() }, b);
        let (one, two, three) = (analyze(JOB), analyze(OTHER_JOB), analyze(THIRD_JOB));
        cache.store(&one, &answer("one"), at(0)).await;
        cache.store(&two, &answer("two"), at(1)).await;
        assert_eq!(cache.lookup(&one, at(2)).await.unwrap().kind, HitKind::Exact);
        let edited = analyze(&JOB.replace("Design", "Build and design"));
        let hit = cache.lookup(&edited, at(2)).await.unwrap();
        assert_eq!((hit.kind, hit.response.text.as_str()), (HitKind::Semantic, "one"));
        cache.store(&three, &answer("three"), at(3)).await;
        assert_eq!(cache.len().await.unwrap(), 2);
        assert!(cache.lookup(&two, at(4)).await.is_none(), "the least recently used was evicted");
        let stats = cache.stats();
        assert_eq!((stats.stores, stats.evictions, stats.cache_errors), (3, 1, 0));
    }
}

/// One `#[tokio::test]` per case and backend. `$fresh` is an `async` block giving a fresh,
/// empty backend; a Redis backend joins with one more line (a factory connecting to a test
/// server under a key prefix of its own).
macro_rules! backend_contract {
    ($($backend:ident => $fresh:expr),+ $(,)?) => {$(
        mod $backend {
            use super::*;

            backend_contract!(@cases $fresh;
                get_put_remove,
                entries_round_trip_exactly,
                recency_follows_puts_and_touches,
                touch_of_a_missing_key_is_a_no_op,
                len_and_is_empty_count_entries,
                buckets_are_ordered_sets,
            );

            #[tokio::test]
            async fn a_semantic_cache_runs_on_it() {
                contract::a_semantic_cache_runs_on_it(Arc::new($fresh.await)).await;
            }
        }
    )+};
    (@cases $fresh:expr; $($case:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            let backend = $fresh.await;
            contract::$case(&backend).await;
        }
    )+};
}

backend_contract! {
    memory => async { MemoryBackend::new() },
    // The test double below, while healthy, must be a correct backend too.
    flaky_while_healthy => async { FlakyBackend::default() },
}

/// A backend that fails the named operations (`"*"`: all of them) as a network store would,
/// and otherwise keeps entries in memory.
#[derive(Default)]
struct FlakyBackend {
    inner: MemoryBackend,
    failing: Mutex<HashSet<&'static str>>,
    failures: AtomicUsize,
}

impl FlakyBackend {
    fn failing(ops: &[&'static str]) -> Self {
        let backend = Self::default();
        backend.fail(ops);
        backend
    }

    fn fail(&self, ops: &[&'static str]) {
        *self.failing.lock().unwrap() = ops.iter().copied().collect();
    }

    fn heal(&self) {
        self.failing.lock().unwrap().clear();
    }

    fn failures(&self) -> usize {
        self.failures.load(Ordering::SeqCst)
    }

    fn check(&self, op: &'static str, key: &str) -> Result<(), CacheError> {
        let failing = self.failing.lock().unwrap();
        if failing.contains(op) || failing.contains("*") {
            self.failures.fetch_add(1, Ordering::SeqCst);
            let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
            return Err(CacheError::backend(format!("{op} {key}"), cause));
        }
        Ok(())
    }
}

#[async_trait]
impl CacheBackend for FlakyBackend {
    async fn get(&self, key: &str) -> Result<Option<CacheEntry>, CacheError> {
        self.check("get", key)?;
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, entry: CacheEntry, tick: u64) -> Result<(), CacheError> {
        self.check("put", key)?;
        self.inner.put(key, entry, tick).await
    }
    async fn remove(&self, key: &str) -> Result<Option<CacheEntry>, CacheError> {
        self.check("remove", key)?;
        self.inner.remove(key).await
    }
    async fn touch(&self, key: &str, tick: u64) -> Result<(), CacheError> {
        self.check("touch", key)?;
        self.inner.touch(key, tick).await
    }
    async fn least_recent(&self) -> Result<Option<String>, CacheError> {
        self.check("least_recent", "")?;
        self.inner.least_recent().await
    }
    async fn len(&self) -> Result<usize, CacheError> {
        self.check("len", "")?;
        self.inner.len().await
    }
    async fn bucket_add(&self, bucket: &str, key: &str) -> Result<(), CacheError> {
        self.check("bucket_add", bucket)?;
        self.inner.bucket_add(bucket, key).await
    }
    async fn bucket_remove(&self, bucket: &str, key: &str) -> Result<(), CacheError> {
        self.check("bucket_remove", bucket)?;
        self.inner.bucket_remove(bucket, key).await
    }
    async fn bucket_members(&self, bucket: &str) -> Result<Vec<String>, CacheError> {
        self.check("bucket_members", bucket)?;
        self.inner.bucket_members(bucket).await
    }
}

const JOB: &str = "Senior Backend Engineer (Rust) at Tidewater. Design and run the settlement service, \
    own Postgres schemas and query performance, build tracing and metrics into every service, mentor two \
    engineers. 6+ years of backend work, 2+ in Rust with tokio; PostgreSQL and event-driven systems; \
    strict correctness like ledgers. Private health insurance, 30 days of holiday.";

const OTHER_JOB: &str = "Frontend Engineer (TypeScript) at Tidewater. Build the merchant dashboard in React, \
    an accessible component library with design, onboarding flows that halve time to first payout. \
    3+ years of React, strong CSS, UI tests with Playwright or Cypress.";

const THIRD_JOB: &str = "Registered Nurse, night shifts, at Harbor Clinic. Patient assessment, medication \
    administration, charting in Epic, coordination with physicians. Current RN license, BLS and ACLS, \
    two years of acute care experience.";

fn analyze(input: &str) -> LlmRequest {
    LlmRequest {
        task: "analyze_job".to_owned(),
        tier: Tier::Cheap,
        system: "Extract the job's requirements.".to_owned(),
        input: input.to_owned(),
        schema: None,
        max_tokens: 500,
        user_id: Some("u1".to_owned()),
    }
}

fn answer(text: &str) -> LlmResponse {
    LlmResponse {
        provider: "openai".to_owned(),
        model: "gpt-4o-mini".to_owned(),
        text: text.to_owned(),
        output: None,
        usage: Usage { input_tokens: 100, output_tokens: 10 },
    }
}

#[tokio::test]
async fn a_failing_backend_makes_lookups_misses_and_skips_stores() {
    let backend = Arc::new(FlakyBackend::failing(&["*"]));
    let cache = SemanticCache::with_backend(semantic_config(), backend.clone());
    cache.store(&analyze(JOB), &answer("one"), at(0)).await;
    assert_eq!(cache.lookup_outcome(&analyze(JOB), at(1)).await, CacheLookup::Failed);
    assert!(cache.lookup(&analyze(JOB), at(1)).await.is_none());
    let stats = cache.stats();
    assert_eq!((stats.stores, stats.misses, stats.cache_errors), (0, 2, 3));

    // Callers that ask the backend directly get the error, cause kept.
    let err = cache.len().await.unwrap_err();
    let cause = std::error::Error::source(&err).unwrap().downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(cause.kind(), std::io::ErrorKind::ConnectionRefused);

    // Once the backend is back, so is the cache.
    backend.heal();
    cache.store(&analyze(JOB), &answer("one"), at(2)).await;
    assert_eq!(cache.lookup(&analyze(JOB), at(3)).await.unwrap().response.text, "one");
    assert_eq!(cache.stats().cache_errors, 3);
}

#[tokio::test]
async fn a_failed_recency_update_still_serves_the_hit() {
    let backend = Arc::new(FlakyBackend::failing(&["touch"]));
    let cache = SemanticCache::with_backend(semantic_config(), backend.clone());
    cache.store(&analyze(JOB), &answer("one"), at(0)).await;
    let hit = cache.lookup(&analyze(JOB), at(1)).await.unwrap();
    assert_eq!((hit.kind, hit.response.text.as_str()), (HitKind::Exact, "one"));
    let stats = cache.stats();
    assert_eq!((stats.exact_hits, stats.misses, stats.cache_errors), (1, 0, 1));
    assert_eq!(backend.failures(), 1);
}

#[tokio::test]
async fn a_store_cut_short_serves_exact_hits_only_until_stored_again() {
    let backend = Arc::new(FlakyBackend::failing(&["bucket_add"]));
    let cache = SemanticCache::with_backend(semantic_config(), backend.clone());
    let edited = analyze(&JOB.replace("Design", "Build and design"));
    cache.store(&analyze(JOB), &answer("one"), at(0)).await;
    assert_eq!((cache.stats().stores, cache.stats().cache_errors), (0, 1));
    // The entry went in, its buckets did not: the exact layer finds it, the semantic one not.
    assert_eq!(cache.lookup(&analyze(JOB), at(1)).await.unwrap().kind, HitKind::Exact);
    assert!(cache.lookup(&edited, at(1)).await.is_none());

    backend.heal();
    cache.store(&analyze(JOB), &answer("one"), at(2)).await;
    assert_eq!(cache.lookup(&edited, at(3)).await.unwrap().kind, HitKind::Semantic);
    assert_eq!(cache.len().await.unwrap(), 1);
}

/// A free provider that answers every request and counts them.
#[derive(Default)]
struct Counting {
    calls: AtomicUsize,
}

#[async_trait]
impl Provider for Counting {
    fn name(&self) -> &str {
        "local"
    }

    fn model(&self, _tier: Tier) -> &str {
        "llama3"
    }

    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(LlmResponse {
            provider: "local".to_owned(),
            model: "llama3".to_owned(),
            text: String::new(),
            output: Some(json!({ "call": n, "chars": req.input.len() })),
            usage: Usage { input_tokens: 50, output_tokens: 5 },
        })
    }
}

#[tokio::test]
async fn ai_calls_are_answered_while_the_cache_backend_fails() {
    let provider = Arc::new(Counting::default());
    let backend = Arc::new(FlakyBackend::failing(&["*"]));
    let client =
        AiClient::with_cache_backend(vec![provider.clone()], AiConfig::default(), AiSinks::default(), backend.clone());
    let payer = client.payer("u1", "cell-1");
    let req = analyze(JOB);

    for n in 1..=2 {
        let answer = client.run(&req, &payer).await.unwrap();
        assert_eq!((answer.cached, answer.output["call"].clone()), (Value::Bool(false), json!(n)));
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    // Each call: its lookup failed (a miss) and its fill was skipped.
    let stats = client.cache().stats();
    assert_eq!((stats.misses, stats.stores, stats.cache_errors), (2, 0, 4));
    assert_eq!(backend.failures(), 4);
    let metrics = client.metrics().render();
    assert!(metrics.contains(r#"ai_cache_lookups_total{task="analyze_job",result="error"} 2"#), "{metrics}");
    assert!(!metrics.contains(r#"result="miss""#), "{metrics}");

    // The backend recovers: the next call fills the cache, the one after is served from it.
    backend.heal();
    assert_eq!(client.run(&req, &payer).await.unwrap().output["call"], json!(3));
    let cached = client.run(&req, &payer).await.unwrap();
    assert_eq!((cached.cached, cached.output["call"].clone()), (json!("exact"), json!(3)));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 3);
    assert_eq!(client.cache().stats().cache_errors, 4);
}
