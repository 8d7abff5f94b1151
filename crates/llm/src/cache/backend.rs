//! Where cache entries live. The trait is shaped after what a Redis implementation would use
//! (string keys, serde values, a sorted set for recency, sets for LSH buckets), so one can
//! replace the in-memory map without touching the cache logic.

use crate::types::{LlmResponse, Tier};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

/// One cached answer, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// Hash of task, tier, system prompt and schema: answers never cross scopes.
    pub scope: String,
    pub task: String,
    pub tier: Tier,
    /// The input's embedding, for tasks with a semantic layer.
    pub embedding: Option<Vec<f32>>,
    /// The LSH buckets the entry was filed under, so removal can unfile it.
    pub buckets: Vec<String>,
    pub response: LlmResponse,
    pub stored_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Storage for [`SemanticCache`](super::SemanticCache). Every method is a single atomic step;
/// the cache tolerates interleavings between steps (a bucket member whose entry is gone is
/// skipped and unfiled on the next lookup).
pub trait CacheBackend: Send + Sync {
    fn get(&self, key: &str) -> Option<CacheEntry>;
    /// Inserts or replaces, and marks the key used at `tick` (Redis: SET + ZADD).
    fn put(&self, key: &str, entry: CacheEntry, tick: u64);
    fn remove(&self, key: &str) -> Option<CacheEntry>;
    /// Marks a key used at `tick` (ticks only grow).
    fn touch(&self, key: &str, tick: u64);
    /// The key used longest ago (Redis: ZRANGE recency 0 0).
    fn least_recent(&self) -> Option<String>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Files a key under an LSH bucket (Redis: SADD).
    fn bucket_add(&self, bucket: &str, key: &str);
    fn bucket_remove(&self, bucket: &str, key: &str);
    fn bucket_members(&self, bucket: &str) -> Vec<String>;
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, (CacheEntry, u64)>,
    recency: BTreeSet<(u64, String)>,
    // Ordered members keep lookups deterministic when the candidate cap cuts a bucket short.
    buckets: HashMap<String, BTreeSet<String>>,
}

/// The in-process backend: one mutex, held only for map operations.
#[derive(Default)]
pub struct MemoryBackend {
    inner: Mutex<Inner>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves maps that are still consistent
        // enough for a cache; refusing to serve would be worse.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBackend").field("len", &self.len()).finish()
    }
}

impl CacheBackend for MemoryBackend {
    fn get(&self, key: &str) -> Option<CacheEntry> {
        self.lock().entries.get(key).map(|(entry, _)| entry.clone())
    }

    fn put(&self, key: &str, entry: CacheEntry, tick: u64) {
        let mut inner = self.lock();
        if let Some((_, old)) = inner.entries.insert(key.to_owned(), (entry, tick)) {
            inner.recency.remove(&(old, key.to_owned()));
        }
        inner.recency.insert((tick, key.to_owned()));
    }

    fn remove(&self, key: &str) -> Option<CacheEntry> {
        let mut inner = self.lock();
        let (entry, tick) = inner.entries.remove(key)?;
        inner.recency.remove(&(tick, key.to_owned()));
        Some(entry)
    }

    fn touch(&self, key: &str, tick: u64) {
        let mut inner = self.lock();
        let Some(slot) = inner.entries.get_mut(key) else { return };
        let old = std::mem::replace(&mut slot.1, tick);
        inner.recency.remove(&(old, key.to_owned()));
        inner.recency.insert((tick, key.to_owned()));
    }

    fn least_recent(&self) -> Option<String> {
        self.lock().recency.first().map(|(_, key)| key.clone())
    }

    fn len(&self) -> usize {
        self.lock().entries.len()
    }

    fn bucket_add(&self, bucket: &str, key: &str) {
        self.lock().buckets.entry(bucket.to_owned()).or_default().insert(key.to_owned());
    }

    fn bucket_remove(&self, bucket: &str, key: &str) {
        let mut inner = self.lock();
        if let Some(members) = inner.buckets.get_mut(bucket) {
            members.remove(key);
            if members.is_empty() {
                inner.buckets.remove(bucket);
            }
        }
    }

    fn bucket_members(&self, bucket: &str) -> Vec<String> {
        self.lock().buckets.get(bucket).map(|members| members.iter().cloned().collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::types::Usage;

    fn entry(buckets: &[&str]) -> CacheEntry {
        CacheEntry {
            scope: "s".to_owned(),
            task: "analyze_job".to_owned(),
            tier: Tier::Cheap,
            embedding: None,
            buckets: buckets.iter().map(|b| (*b).to_owned()).collect(),
            response: LlmResponse {
                provider: "p".to_owned(),
                model: "m".to_owned(),
                text: "t".to_owned(),
                output: None,
                usage: Usage::default(),
            },
            stored_at: DateTime::<Utc>::UNIX_EPOCH,
            expires_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn recency_follows_puts_and_touches() {
        let b = MemoryBackend::new();
        b.put("a", entry(&[]), 1);
        b.put("b", entry(&[]), 2);
        assert_eq!(b.least_recent().as_deref(), Some("a"));
        b.touch("a", 3);
        assert_eq!(b.least_recent().as_deref(), Some("b"));
        b.put("b", entry(&[]), 4);
        assert_eq!(b.least_recent().as_deref(), Some("a"));
        assert!(b.remove("a").is_some());
        assert_eq!((b.len(), b.least_recent().as_deref()), (1, Some("b")));
    }

    #[test]
    fn buckets_hold_keys_and_entries_round_trip_through_json() {
        let b = MemoryBackend::new();
        b.bucket_add("x", "k2");
        b.bucket_add("x", "k1");
        b.bucket_add("x", "k1");
        assert_eq!(b.bucket_members("x"), ["k1", "k2"]);
        b.bucket_remove("x", "k1");
        b.bucket_remove("x", "k2");
        assert!(b.bucket_members("x").is_empty());
        let e = entry(&["x"]);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<CacheEntry>(&json).unwrap(), e);
    }
}
