//! The response cache in front of every provider call: an exact layer (hash of the normalized
//! request) and, for tasks whose answer depends only on the meaning of the input (analysing a
//! job posting), a semantic layer that recognises the same posting reposted or lightly edited.
//! A wrong semantic hit hands one job's analysis to another, which is worse than paying for a
//! call, so thresholds are tuned on a labelled corpus to keep wrong hits near zero.

mod backend;
mod corpus;
mod lsh;

pub use backend::{CacheBackend, CacheEntry, MemoryBackend};
pub use corpus::{evaluate_cache, parse_cache_corpus, CacheScore, CACHE_LABELLED};
pub use lsh::LshConfig;

use crate::embed::{cosine, Embedder, HashedNgramEmbedder};
use crate::types::{LlmRequest, LlmResponse};
use chrono::{DateTime, Duration, Utc};
use lsh::Lsh;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Semantic threshold for `analyze_job`, tuned on [`CACHE_LABELLED`] (checked by the crate
/// tests): 85% of the reposted postings hit and none of the 76 look-alike jobs, the closest of
/// which (same template and title, different requirements) scores 0.943.
pub const ANALYZE_JOB_THRESHOLD: f32 = 0.95;

#[derive(Debug, Clone)]
pub struct CacheConfig {
    /// Most entries kept; the least recently used go first.
    pub capacity: usize,
    pub default_ttl: Duration,
    pub ttl_per_task: HashMap<String, Duration>,
    /// Tasks with a semantic layer and their cosine thresholds; other tasks hit only exactly
    /// (their answers may hinge on a detail a near-duplicate input changes).
    pub semantic_thresholds: HashMap<String, f32>,
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
            semantic_thresholds: HashMap::from([("analyze_job".to_owned(), ANALYZE_JOB_THRESHOLD)]),
            lsh: LshConfig::default(),
            max_candidates: 256,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Exact,
    Semantic,
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
    pub misses: u64,
    pub stores: u64,
    pub evictions: u64,
    pub expirations: u64,
    /// Entries verified by exact cosine: what the LSH let through (sub-linear in the size).
    pub candidates_checked: u64,
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
}

impl std::fmt::Debug for SemanticCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticCache").field("config", &self.config).field("stats", &self.stats()).finish()
    }
}

impl SemanticCache {
    /// In memory, with the local hashed n-gram embedder.
    pub fn new(config: CacheConfig) -> Self {
        Self::with_parts(config, Arc::new(MemoryBackend::new()), Arc::new(HashedNgramEmbedder::default()))
    }

    pub fn with_parts(config: CacheConfig, backend: Arc<dyn CacheBackend>, embedder: Arc<dyn Embedder>) -> Self {
        let lsh = Lsh::new(config.lsh, embedder.dim());
        Self { config, backend, embedder, lsh, last_tick: AtomicU64::new(0), counters: Counters::default() }
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
        }
    }

    pub fn len(&self) -> usize {
        self.backend.len()
    }

    pub fn is_empty(&self) -> bool {
        self.backend.is_empty()
    }

    pub fn lookup(&self, req: &LlmRequest, now: DateTime<Utc>) -> Option<CacheHit> {
        let hit = self.find(req, now);
        match hit.as_ref().map(|h| h.kind) {
            Some(HitKind::Exact) => bump(&self.counters.exact_hits),
            Some(HitKind::Semantic) => bump(&self.counters.semantic_hits),
            None => bump(&self.counters.misses),
        }
        hit
    }

    fn find(&self, req: &LlmRequest, now: DateTime<Utc>) -> Option<CacheHit> {
        let scope = scope_of(req);
        let key = exact_key(&scope, &req.input);
        if let Some(entry) = self.live(&key, now) {
            self.backend.touch(&key, self.tick(now));
            return Some(CacheHit { response: entry.response, kind: HitKind::Exact, similarity: 1.0 });
        }
        let threshold = *self.config.semantic_thresholds.get(&req.task)?;
        let query = self.embedder.embed(&req.input);
        if is_zero(&query) {
            return None;
        }
        let signatures = self.lsh.signatures(&query);
        let mut seen = HashSet::new();
        let mut best: Option<(f32, String, CacheEntry)> = None;
        'probes: for (table, sig) in self.lsh.probes(&signatures) {
            let bucket = bucket_id(&scope, table, sig);
            for candidate in self.backend.bucket_members(&bucket) {
                if seen.len() >= self.config.max_candidates {
                    break 'probes;
                }
                if !seen.insert(candidate.clone()) {
                    continue;
                }
                bump(&self.counters.candidates_checked);
                let Some(entry) = self.live(&candidate, now) else {
                    self.backend.bucket_remove(&bucket, &candidate);
                    continue;
                };
                let Some(embedding) = entry.embedding.as_deref().filter(|_| entry.scope == scope) else { continue };
                let similarity = cosine(&query, embedding);
                if similarity >= threshold && best.as_ref().is_none_or(|(s, _, _)| similarity > *s) {
                    best = Some((similarity, candidate, entry));
                }
            }
        }
        let (similarity, key, entry) = best?;
        self.backend.touch(&key, self.tick(now));
        Some(CacheHit { response: entry.response, kind: HitKind::Semantic, similarity })
    }

    pub fn store(&self, req: &LlmRequest, response: &LlmResponse, now: DateTime<Utc>) {
        let scope = scope_of(req);
        let key = exact_key(&scope, &req.input);
        // Text without words has no meaning to compare; it would only crowd one bucket.
        let embedding = (self.config.semantic_thresholds.contains_key(&req.task))
            .then(|| self.embedder.embed(&req.input))
            .filter(|v| !is_zero(v));
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
            buckets,
            response: response.clone(),
            stored_at: now,
            expires_at: now + ttl,
        };
        self.unfile(&key);
        let buckets = entry.buckets.clone();
        self.backend.put(&key, entry, self.tick(now));
        for bucket in &buckets {
            self.backend.bucket_add(bucket, &key);
        }
        bump(&self.counters.stores);
        // Bounded by the excess, so a backend whose recency order lags cannot loop forever.
        let excess = self.backend.len().saturating_sub(self.config.capacity.max(1));
        for _ in 0..excess {
            let Some(victim) = self.backend.least_recent() else { break };
            if self.unfile(&victim) {
                bump(&self.counters.evictions);
            }
        }
    }

    /// The entry under `key` if it has not expired; expired ones are removed on sight.
    fn live(&self, key: &str, now: DateTime<Utc>) -> Option<CacheEntry> {
        let entry = self.backend.get(key)?;
        if entry.expires_at > now {
            return Some(entry);
        }
        if self.unfile(key) {
            bump(&self.counters.expirations);
        }
        None
    }

    /// Removes an entry and its bucket memberships; true if there was one.
    fn unfile(&self, key: &str) -> bool {
        let Some(entry) = self.backend.remove(key) else { return false };
        for bucket in &entry.buckets {
            self.backend.bucket_remove(bucket, key);
        }
        true
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
