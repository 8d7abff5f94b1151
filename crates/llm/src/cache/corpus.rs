//! The labelled pairs that measure the semantic layer: job postings and a reformatted copy
//! (should hit) or a near-copy that changes what the answer says (must not hit).

use super::{CacheConfig, SemanticCache, SemanticTask};
use crate::types::{LlmRequest, LlmResponse, Tier, Usage};
use chrono::{TimeZone, Utc};
use serde::Deserialize;

/// One JSON object per line: `{"a": TEXT, "b": TEXT, "duplicate": bool}`: the `tune` split of
/// the pairs built from real postings of 78 employers under the written rules of
/// `eval/RULES.md` (a copy of `eval/tune/cache.jsonl`; the held-back split is
/// `eval/holdout/cache.jsonl`).
pub const CACHE_LABELLED: &str = include_str!("../../data/cache_labelled.jsonl");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    a: String,
    b: String,
    duplicate: bool,
}

/// `(a, b, duplicate)` per non-blank line; errors name the 1-based line.
pub fn parse_cache_corpus(text: &str) -> Result<Vec<(String, String, bool)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str::<Pair>(line)
                .map(|p| (p.a, p.b, p.duplicate))
                .map_err(|e| format!("line {}: {e}", i + 1))
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CacheScore {
    /// Share of duplicate pairs where `b` hit after `a` was stored: calls the cache saves.
    pub duplicate_call_reduction: f64,
    /// Share of non-duplicate pairs where `b` hit: wrong answers the cache would serve.
    pub wrong_hit_rate: f64,
    pub pairs: usize,
}

/// For each pair, a fresh cache holds an `analyze_job` answer for `a`; then `b` is looked up
/// (exact and semantic layers with `semantic` as the task's layer, through the real LSH path,
/// on the in-memory backend).
pub async fn evaluate_cache(pairs: &[(String, String, bool)], semantic: &SemanticTask) -> CacheScore {
    let now = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().unwrap_or_default();
    let response = LlmResponse {
        provider: "test".to_owned(),
        model: "test".to_owned(),
        text: "{}".to_owned(),
        output: None,
        usage: Usage::default(),
    };
    let request = |input: &str| LlmRequest {
        task: "analyze_job".to_owned(),
        tier: Tier::Cheap,
        system: "Extract the requirements of the job posting.".to_owned(),
        input: input.to_owned(),
        schema: None,
        max_tokens: 1000,
        user_id: None,
    };
    let (mut dup, mut dup_hits, mut other, mut wrong_hits) = (0usize, 0usize, 0usize, 0usize);
    for (a, b, duplicate) in pairs {
        let cache = SemanticCache::new(CacheConfig::default().with_semantic("analyze_job", semantic.clone()));
        cache.store(&request(a), &response, now).await;
        let hit = cache.lookup(&request(b), now).await.is_some();
        if *duplicate {
            dup += 1;
            dup_hits += usize::from(hit);
        } else {
            other += 1;
            wrong_hits += usize::from(hit);
        }
    }
    let share = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    CacheScore {
        duplicate_call_reduction: share(dup_hits, dup),
        wrong_hit_rate: share(wrong_hits, other),
        pairs: pairs.len(),
    }
}
