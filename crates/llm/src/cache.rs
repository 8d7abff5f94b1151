//! The response cache in front of every provider call: an exact layer (hash of the normalized
//! request) and, for tasks that register a [`SemanticTask`] (analysing a job posting), a
//! semantic layer that recognises the same input reposted or reformatted. The semantic layer
//! finds candidates by similarity (LSH over embeddings, then cosine) and reuses an answer only
//! when the task's [`ReuseRule`] confirms that the fields deciding the answer agree: a wrong
//! semantic hit hands one job's analysis to another, which is worse than paying for a call.
//! The gateway knows no task; the rule for `analyze_job` lives with that task
//! (`analysis::PostingReuse`), and a composition root registers it.
//!
//! Entries live behind the async, fallible [`CacheBackend`] port. The cache is an optimisation,
//! never a dependency: a backend failure turns a lookup into a miss and skips a store, with a
//! warning and a count in [`CacheStats::cache_errors`], and never fails the call it serves.

mod backend;
mod corpus;
mod lsh;
mod reuse;

pub use backend::{CacheBackend, CacheEntry, CacheError, MemoryBackend};
pub use corpus::{evaluate_cache, parse_cache_corpus, CacheScore, CACHE_LABELLED};
pub use lsh::LshConfig;
pub use reuse::{InputDigest, ReuseRule, SemanticTask, SimilarityOnly};

use crate::embed::{cosine, Embedder, HashedNgramEmbedder};
use crate::types::{LlmRequest, LlmResponse};
use chrono::{DateTime, Duration, Utc};
use lsh::Lsh;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A cosine at which two inputs are close enough to compare for reuse when similarity alone
/// decides ([`SimilarityOnly`]); it keeps apart different jobs written on one template only
/// when they differ in more than a word or two, which is why real tasks verify instead.
pub const SIMILARITY_THRESHOLD: f32 = 0.95;

#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Most entries kept; the least recently used go first.
    pub capacity: usize,
    pub default_ttl: Duration,
    pub ttl_per_task: HashMap<String, Duration>,
    /// Tasks with a semantic layer, each with its threshold and reuse rule; other tasks hit
    /// only exactly (their answers may hinge on a detail a near-duplicate input changes).
    pub semantic: HashMap<String, SemanticTask>,
    pub lsh: LshConfig,
    /// Bounds the exact-cosine checks per lookup even when a bucket is crowded.
    pub max_candidates: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            capacity: 10_000,
            default_ttl: Duration::days(7),
            ttl_per_task: HashMap::new(),
            semantic: HashMap::new(),
            lsh: LshConfig::default(),
            max_candidates: 256,
        }
    }
}

impl CacheConfig {
    /// This configuration with a semantic layer for `task`.
    pub fn with_semantic(mut self, task: impl Into<String>, semantic: SemanticTask) -> Self {
        self.semantic.insert(task.into(), semantic);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Exact,
    Semantic,
}

/// What [`SemanticCache::lookup_outcome`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheLookup {
    Hit(CacheHit),
    Miss,
    /// The backend failed: logged and counted (in `misses` and `cache_errors`); to the caller,
    /// a miss.
    Failed,
}

impl CacheLookup {
    pub fn into_hit(self) -> Option<CacheHit> {
        match self {
            Self::Hit(hit) => Some(hit),
            Self::Miss | Self::Failed => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CacheHit {
    pub response: LlmResponse,
    pub kind: HitKind,
    /// Cosine between the inputs (1 for exact hits).
    pub similarity: f32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub exact_hits: u64,
    pub semantic_hits: u64,
    /// Lookups that served nothing, those cut short by a backend failure included.
    pub misses: u64,
    /// Entries written completely (the entry and all its buckets).
    pub stores: u64,
    pub evictions: u64,
    pub expirations: u64,
    /// Entries verified by exact cosine: what the LSH let through (sub-linear in the size).
    pub candidates_checked: u64,
    /// Backend failures: lookups turned into misses, stores skipped or cut short, evictions
    /// and recency updates that did not happen.
    pub cache_errors: u64,
}

#[derive(Default)]
struct Counters {
    exact_hits: AtomicU64,
    semantic_hits: AtomicU64,
    misses: AtomicU64,
    stores: AtomicU64,
    evictions: AtomicU64,
    expirations: AtomicU64,
    candidates_checked: AtomicU64,
    cache_errors: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Shared across tasks (`Arc<SemanticCache>`); all methods take `&self`.
pub struct SemanticCache {
    config: CacheConfig,
    backend: Arc<dyn CacheBackend>,
    embedder: Arc<dyn Embedder>,
    lsh: Lsh,
    last_tick: AtomicU64,
    counters: Counters,
    /// Digests of recent inputs by exact key: a call's lookup and its store digest the same
    /// input, and the rule's digest costs more than the embedding.
    digests: std::sync::Mutex<HashMap<String, InputDigest>>,
}

/// How many recent digests [`SemanticCache`] keeps before it starts over.
const DIGEST_MEMO: usize = 1024;

impl std::fmt::Debug for SemanticCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticCache").field("config", &self.config).field("stats", &self.stats()).finish()
    }
}

impl SemanticCache {
    /// In memory, with the local hashed n-gram embedder.
    pub fn new(config: CacheConfig) -> Self {
        Self::with_backend(config, Arc::new(MemoryBackend::new()))
    }

    /// Entries kept in `backend`, with the local hashed n-gram embedder.
    pub fn with_backend(config: CacheConfig, backend: Arc<dyn CacheBackend>) -> Self {
        Self::with_parts(config, backend, Arc::new(HashedNgramEmbedder::default()))
    }

    pub fn with_parts(config: CacheConfig, backend: Arc<dyn CacheBackend>, embedder: Arc<dyn Embedder>) -> Self {
        let lsh = Lsh::new(config.lsh, embedder.dim());
        Self {
            config,
            backend,
            embedder,
            lsh,
            last_tick: AtomicU64::new(0),
            counters: Counters::default(),
            digests: std::sync::Mutex::new(HashMap::new()),
        }
    }

    pub fn stats(&self) -> CacheStats {
        let c = &self.counters;
        CacheStats {
            exact_hits: c.exact_hits.load(Ordering::Relaxed),
            semantic_hits: c.semantic_hits.load(Ordering::Relaxed),
            misses: c.misses.load(Ordering::Relaxed),
            stores: c.stores.load(Ordering::Relaxed),
            evictions: c.evictions.load(Ordering::Relaxed),
            expirations: c.expirations.load(Ordering::Relaxed),
            candidates_checked: c.candidates_checked.load(Ordering::Relaxed),
            cache_errors: c.cache_errors.load(Ordering::Relaxed),
        }
    }

    /// Entries stored (expired ones not yet removed included).
    pub async fn len(&self) -> Result<usize, CacheError> {
        self.backend.len().await
    }

    pub async fn is_empty(&self) -> Result<bool, CacheError> {
        self.backend.is_empty().await
    }

    /// The cached answer for `req`, if any. A backend failure is a miss (see
    /// [`SemanticCache::lookup_outcome`] to tell the two apart).
    pub async fn lookup(&self, req: &LlmRequest, now: DateTime<Utc>) -> Option<CacheHit> {
        self.lookup_outcome(req, now).await.into_hit()
    }

    /// Like [`SemanticCache::lookup`], saying whether a miss was a backend failure. Any
    /// backend error ends the lookup (a store that is down would fail every further step
    /// too), except a failed recency update after a hit: the answer is still served.
    pub async fn lookup_outcome(&self, req: &LlmRequest, now: DateTime<Utc>) -> CacheLookup {
        match self.find(req, now).await {
            Ok(Some(hit)) => {
                bump(match hit.kind {
                    HitKind::Exact => &self.counters.exact_hits,
                    HitKind::Semantic => &self.counters.semantic_hits,
                });
                CacheLookup::Hit(hit)
            }
            Ok(None) => {
                bump(&self.counters.misses);
                CacheLookup::Miss
            }
            Err(error) => {
                bump(&self.counters.misses);
                self.failed(&error, &req.task, "cache lookup failed; treated as a miss");
                CacheLookup::Failed
            }
        }
    }

    async fn find(&self, req: &LlmRequest, now: DateTime<Utc>) -> Result<Option<CacheHit>, CacheError> {
        let scope = scope_of(req);
        let key = exact_key(&scope, &req.input);
        if let Some(entry) = self.live(&key, now).await? {
            self.touch(&key, now, &req.task).await;
            return Ok(Some(CacheHit { response: entry.response, kind: HitKind::Exact, similarity: 1.0 }));
        }
        let Some(semantic) = self.config.semantic.get(&req.task) else { return Ok(None) };
        let digest = self.digest(semantic, &key, &req.input);
        let query = self.embedder.embed(&digest.text);
        if is_zero(&query) {
            return Ok(None);
        }
        let signatures = self.lsh.signatures(&query);
        let mut seen = HashSet::new();
        let mut best: Option<(f32, String, CacheEntry)> = None;
        'probes: for (table, sig) in self.lsh.probes(&signatures) {
            let bucket = bucket_id(&scope, table, sig);
            for candidate in self.backend.bucket_members(&bucket).await? {
                if seen.len() >= self.config.max_candidates {
                    break 'probes;
                }
                if !seen.insert(candidate.clone()) {
                    continue;
                }
                bump(&self.counters.candidates_checked);
                let Some(entry) = self.live(&candidate, now).await? else {
                    self.backend.bucket_remove(&bucket, &candidate).await?;
                    continue;
                };
                let Some(embedding) = entry.embedding.as_deref().filter(|_| entry.scope == scope) else { continue };
                let similarity = cosine(&query, embedding);
                if similarity >= semantic.threshold
                    && best.as_ref().is_none_or(|(s, _, _)| similarity > *s)
                    && entry.facts.as_deref().is_some_and(|facts| semantic.rule.same_answer(facts, &digest.facts))
                {
                    best = Some((similarity, candidate, entry));
                }
            }
        }
        let Some((similarity, key, entry)) = best else { return Ok(None) };
        self.touch(&key, now, &req.task).await;
        Ok(Some(CacheHit { response: entry.response, kind: HitKind::Semantic, similarity }))
    }

    /// The rule's digest of `input`, remembered for the store that usually follows a miss.
    fn digest(&self, semantic: &SemanticTask, key: &str, input: &str) -> InputDigest {
        let mut memo = self.digests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(d) = memo.get(key) {
            return d.clone();
        }
        drop(memo);
        let d = semantic.rule.digest(input);
        memo = self.digests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if memo.len() >= DIGEST_MEMO {
            memo.clear();
        }
        memo.insert(key.to_owned(), d.clone());
        d
    }

    /// Marks a served entry used. Recency only steers eviction, so a failure here is logged
    /// and counted but does not withhold the answer.
    async fn touch(&self, key: &str, now: DateTime<Utc>, task: &str) {
        if let Err(error) = self.backend.touch(key, self.tick(now)).await {
            self.failed(&error, task, "cache recency update failed; the hit is served");
        }
    }

    /// Files `response` as the answer to `req`. A backend failure skips the store (logged and
    /// counted); the caller already has its answer.
    pub async fn store(&self, req: &LlmRequest, response: &LlmResponse, now: DateTime<Utc>) {
        if let Err(error) = self.try_store(req, response, now).await {
            self.failed(&error, &req.task, "cache store skipped");
            return;
        }
        if let Err(error) = self.evict().await {
            self.failed(&error, &req.task, "cache eviction failed; the cache stays over capacity until the next store");
        }
    }

    async fn try_store(&self, req: &LlmRequest, response: &LlmResponse, now: DateTime<Utc>) -> Result<(), CacheError> {
        let scope = scope_of(req);
        let key = exact_key(&scope, &req.input);
        // Text without words has no meaning to compare; it would only crowd one bucket.
        let digest = self.config.semantic.get(&req.task).map(|semantic| self.digest(semantic, &key, &req.input));
        let embedding = digest.as_ref().map(|d| self.embedder.embed(&d.text)).filter(|v| !is_zero(v));
        let facts = digest.map(|d| d.facts);
        let (embedding, buckets) = if let Some(embedding) = embedding {
            let buckets = self
                .lsh
                .signatures(&embedding)
                .iter()
                .enumerate()
                .map(|(table, &sig)| bucket_id(&scope, table, sig))
                .collect();
            (Some(embedding), buckets)
        } else {
            (None, Vec::new())
        };
        let ttl = self.config.ttl_per_task.get(&req.task).copied().unwrap_or(self.config.default_ttl);
        let entry = CacheEntry {
            scope,
            task: req.task.clone(),
            tier: req.tier,
            embedding,
            facts,
            buckets,
            response: response.clone(),
            stored_at: now,
            expires_at: now + ttl,
        };
        self.unfile(&key).await?;
        let buckets = entry.buckets.clone();
        self.backend.put(&key, entry, self.tick(now)).await?;
        for bucket in &buckets {
            self.backend.bucket_add(bucket, &key).await?;
        }
        bump(&self.counters.stores);
        Ok(())
    }

    /// Removes least recently used entries while over capacity. Bounded by the excess, so a
    /// backend whose recency order lags cannot loop forever.
    async fn evict(&self) -> Result<(), CacheError> {
        let excess = self.backend.len().await?.saturating_sub(self.config.capacity.max(1));
        for _ in 0..excess {
            let Some(victim) = self.backend.least_recent().await? else { break };
            if self.unfile(&victim).await? {
                bump(&self.counters.evictions);
            }
        }
        Ok(())
    }

    /// The entry under `key` if it has not expired; expired ones are removed on sight.
    async fn live(&self, key: &str, now: DateTime<Utc>) -> Result<Option<CacheEntry>, CacheError> {
        let Some(entry) = self.backend.get(key).await? else { return Ok(None) };
        if entry.expires_at > now {
            return Ok(Some(entry));
        }
        if self.unfile(key).await? {
            bump(&self.counters.expirations);
        }
        Ok(None)
    }

    /// Removes an entry and its bucket memberships; true if there was one.
    async fn unfile(&self, key: &str) -> Result<bool, CacheError> {
        let Some(entry) = self.backend.remove(key).await? else { return Ok(false) };
        for bucket in &entry.buckets {
            self.backend.bucket_remove(bucket, key).await?;
        }
        Ok(true)
    }

    /// Logs and counts a backend failure the cache absorbed.
    fn failed(&self, error: &CacheError, task: &str, what: &'static str) {
        bump(&self.counters.cache_errors);
        let cause = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
        tracing::warn!(%error, %cause, task, "{what}");
    }

    /// Recency ticks follow the caller's clock (so several processes sharing a backend order
    /// roughly alike) but never repeat or go back, so recency stays a strict order.
    fn tick(&self, now: DateTime<Utc>) -> u64 {
        let wanted = u64::try_from(now.timestamp_micros()).unwrap_or(0);
        let previous = self
            .last_tick
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| Some(wanted.max(last + 1)))
            .unwrap_or_else(|last| last);
        wanted.max(previous + 1)
    }
}

fn is_zero(v: &[f32]) -> bool {
    v.iter().all(|&x| x == 0.0)
}

/// Everything but the input that decides the answer. The semantic layer only compares inputs
/// within one scope: a new prompt or schema version must not be served an old answer.
fn scope_of(req: &LlmRequest) -> String {
    let mut h = Sha256::new();
    for part in [req.task.as_str(), tier_name(req), req.system.as_str()] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    if let Some(schema) = &req.schema {
        canonical_json(schema, &mut h);
    }
    hex::encode(&h.finalize()[..12])
}

fn tier_name(req: &LlmRequest) -> &'static str {
    match req.tier {
        crate::types::Tier::Cheap => "cheap",
        crate::types::Tier::Expensive => "expensive",
    }
}

/// Object keys sorted, so two schemas that differ only in key order hash alike.
fn canonical_json(value: &Value, h: &mut Sha256) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            h.update(b"{");
            for k in keys {
                h.update(serde_json::to_string(k).unwrap_or_default().as_bytes());
                h.update(b":");
                if let Some(v) = map.get(k) {
                    canonical_json(v, h);
                }
                h.update(b",");
            }
            h.update(b"}");
        }
        Value::Array(items) => {
            h.update(b"[");
            for v in items {
                canonical_json(v, h);
                h.update(b",");
            }
            h.update(b"]");
        }
        other => h.update(other.to_string().as_bytes()),
    }
}

/// Whitespace runs collapsed and case folded: the same posting fetched twice often differs in
/// exactly that.
fn exact_key(scope: &str, input: &str) -> String {
    let mut h = Sha256::new();
    h.update(scope.as_bytes());
    h.update([0u8]);
    for (i, word) in input.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(word.to_lowercase().as_bytes());
    }
    format!("x:{}", hex::encode(h.finalize()))
}

fn bucket_id(scope: &str, table: usize, sig: u32) -> String {
    format!("b:{scope}:{table}:{sig:08x}")
}
