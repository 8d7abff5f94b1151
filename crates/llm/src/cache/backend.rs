//! Where cache entries live. The port is shaped after what a Redis implementation would use
//! (string keys, serde values, a sorted set for recency, sets for LSH buckets) and is async
//! and fallible like one, so a network store can replace the in-memory map without touching
//! the cache logic. `crates/llm/tests/cache_backend.rs` holds the contract every
//! implementation must pass.

use crate::types::{LlmResponse, Tier};
use async_trait::async_trait;
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
    /// What the task's [`ReuseRule`](super::ReuseRule) compares before a semantic hit is
    /// served ([`InputDigest::facts`](super::InputDigest::facts)). An entry without facts is
    /// never reused semantically.
    #[serde(default)]
    pub facts: Option<String>,
    /// The LSH buckets the entry was filed under, so removal can unfile it.
    pub buckets: Vec<String>,
    pub response: LlmResponse,
    pub stored_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Why a backend could not do what it was asked. The cache never lets one fail an AI call: a
/// failed lookup is a miss and a failed store is skipped, both logged and counted.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The storage itself failed (a Redis client error: connection refused, timeout, a
    /// command error), with its cause kept.
    #[error("cache backend failed: {context}")]
    Backend {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A stored value could not be read back as a [`CacheEntry`] (written by another version,
    /// or damaged).
    #[error("cache entry {key} is unreadable")]
    Corrupt {
        key: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl CacheError {
    /// A [`CacheError::Backend`] saying what was being done (`"GET x:…"`) and why it failed.
    pub fn backend(context: impl Into<String>, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Backend { context: context.into(), source: source.into() }
    }
}

/// Storage for [`SemanticCache`](super::SemanticCache). Every method is a single atomic step
/// that may fail (a network store can always fail); the cache tolerates interleavings between
/// steps (a bucket member whose entry is gone is skipped and unfiled on the next lookup) and
/// steps that did not happen (an entry filed under only some of its buckets is found by the
/// exact layer and not by the semantic one; removing it unfiles every bucket it names).
#[async_trait]
pub trait CacheBackend: Send + Sync {
    async fn get(&self, key: &str) -> Result<Option<CacheEntry>, CacheError>;
    /// Inserts or replaces, and marks the key used at `tick` (Redis: SET + ZADD).
    async fn put(&self, key: &str, entry: CacheEntry, tick: u64) -> Result<(), CacheError>;
    async fn remove(&self, key: &str) -> Result<Option<CacheEntry>, CacheError>;
    /// Marks a key used at `tick` (ticks only grow); a key that is not stored stays absent.
    async fn touch(&self, key: &str, tick: u64) -> Result<(), CacheError>;
    /// The key used longest ago (Redis: ZRANGE recency 0 0).
    async fn least_recent(&self) -> Result<Option<String>, CacheError>;
    async fn len(&self) -> Result<usize, CacheError>;
    async fn is_empty(&self) -> Result<bool, CacheError> {
        Ok(self.len().await? == 0)
    }
    /// Files a key under an LSH bucket (Redis: SADD).
    async fn bucket_add(&self, bucket: &str, key: &str) -> Result<(), CacheError>;
    async fn bucket_remove(&self, bucket: &str, key: &str) -> Result<(), CacheError>;
    /// The keys filed under `bucket`, in a stable order (Redis: SMEMBERS, sorted), so lookups
    /// are deterministic when the candidate cap cuts a bucket short.
    async fn bucket_members(&self, bucket: &str) -> Result<Vec<String>, CacheError>;
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
        f.debug_struct("MemoryBackend").field("len", &self.lock().entries.len()).finish()
    }
}

/// Never fails: every method is a map operation under the lock.
#[async_trait]
impl CacheBackend for MemoryBackend {
    async fn get(&self, key: &str) -> Result<Option<CacheEntry>, CacheError> {
        Ok(self.lock().entries.get(key).map(|(entry, _)| entry.clone()))
    }

    async fn put(&self, key: &str, entry: CacheEntry, tick: u64) -> Result<(), CacheError> {
        let mut inner = self.lock();
        if let Some((_, old)) = inner.entries.insert(key.to_owned(), (entry, tick)) {
            inner.recency.remove(&(old, key.to_owned()));
        }
        inner.recency.insert((tick, key.to_owned()));
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<Option<CacheEntry>, CacheError> {
        let mut inner = self.lock();
        let Some((entry, tick)) = inner.entries.remove(key) else { return Ok(None) };
        inner.recency.remove(&(tick, key.to_owned()));
        Ok(Some(entry))
    }

    async fn touch(&self, key: &str, tick: u64) -> Result<(), CacheError> {
        let mut inner = self.lock();
        let Some(slot) = inner.entries.get_mut(key) else { return Ok(()) };
        let old = std::mem::replace(&mut slot.1, tick);
        inner.recency.remove(&(old, key.to_owned()));
        inner.recency.insert((tick, key.to_owned()));
        Ok(())
    }

    async fn least_recent(&self) -> Result<Option<String>, CacheError> {
        Ok(self.lock().recency.first().map(|(_, key)| key.clone()))
    }

    async fn len(&self) -> Result<usize, CacheError> {
        Ok(self.lock().entries.len())
    }

    async fn bucket_add(&self, bucket: &str, key: &str) -> Result<(), CacheError> {
        self.lock().buckets.entry(bucket.to_owned()).or_default().insert(key.to_owned());
        Ok(())
    }

    async fn bucket_remove(&self, bucket: &str, key: &str) -> Result<(), CacheError> {
        let mut inner = self.lock();
        if let Some(members) = inner.buckets.get_mut(bucket) {
            members.remove(key);
            if members.is_empty() {
                inner.buckets.remove(bucket);
            }
        }
        Ok(())
    }

    async fn bucket_members(&self, bucket: &str) -> Result<Vec<String>, CacheError> {
        Ok(self.lock().buckets.get(bucket).map(|members| members.iter().cloned().collect()).unwrap_or_default())
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
            embedding: Some(vec![0.5, -0.25]),
            facts: None,
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

    // The backend behaviour itself is checked by the contract in tests/cache_backend.rs.
    #[test]
    fn entries_round_trip_through_json() {
        let e = entry(&["x"]);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<CacheEntry>(&json).unwrap(), e);
    }

    #[test]
    fn a_backend_error_keeps_its_cause() {
        let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let err = CacheError::backend("GET x:1", cause);
        assert_eq!(err.to_string(), "cache backend failed: GET x:1");
        let source = std::error::Error::source(&err).unwrap();
        assert_eq!(source.downcast_ref::<std::io::Error>().unwrap().kind(), std::io::ErrorKind::ConnectionRefused);
    }
}
