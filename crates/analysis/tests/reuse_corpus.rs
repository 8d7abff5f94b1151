//! The semantic cache's `analyze_job` rule measured on the labelled pairs: the built-in set
//! (`crates/llm/data/cache_labelled.jsonl`, the `tune` split) and, when present, the held-back
//! split under `eval/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use llm::cache::{evaluate_cache, parse_cache_corpus, CACHE_LABELLED};

async fn score(name: &str, text: &str) -> llm::cache::CacheScore {
    let pairs = parse_cache_corpus(text).unwrap();
    let s = evaluate_cache(&pairs, &analysis::analyze_job_semantic()).await;
    eprintln!("{name}: {s:?}");
    s
}

/// The built-in set is the `tune` split (`eval/tune/cache.jsonl`): the rule was set on it.
#[tokio::test]
async fn builtin_set() {
    let s = score("built-in (eval/tune)", CACHE_LABELLED).await;
    assert!(s.wrong_hit_rate <= 0.02 && s.duplicate_call_reduction >= 0.6, "{s:?}");
}

/// Reported, never tuned on: the held-back split (see `eval/RULES.md`).
#[tokio::test]
async fn holdout_set() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/holdout/cache.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else { return };
    let s = score("eval/holdout", &text).await;
    assert!(s.wrong_hit_rate <= 0.05, "{s:?}");
}
