//! The cost-saving layer: the local embedder and the exact + semantic cache, measured on the
//! labelled corpus (single-flight and micro-batching are tested in their modules).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use llm::cache::{
    parse_cache_corpus, CacheConfig, HitKind, SemanticCache, SemanticTask, CACHE_LABELLED, SIMILARITY_THRESHOLD,
};
use llm::embed::{cosine, Embedder, HashedNgramEmbedder};
use llm::{LlmRequest, LlmResponse, Tier, Usage};
use std::sync::Arc;

/// The cache with a similarity-only semantic layer for `analyze_job`: these tests exercise the
/// cache's mechanics; the real rule (`analysis::PostingReuse`) is tested with its task.
fn semantic_config() -> CacheConfig {
    CacheConfig::default().with_semantic("analyze_job", SemanticTask::similarity_only(SIMILARITY_THRESHOLD))
}

const POSTING: &str = "Senior Backend Engineer (Rust)

About Tidewater
Tidewater builds payment rails for small logistics companies across Europe.

What you'll do
- Design and run the settlement service that moves 2 billion euros a year
- Own our Postgres schemas, migrations and query performance
- Build observability into every service you touch with tracing and metrics
- Mentor two mid-level engineers and review their designs

What you need
- 6+ years building backend services, 2+ of them in Rust with tokio
- Deep experience with PostgreSQL and event-driven architectures
- You have operated systems with strict correctness requirements, like ledgers

Benefits
Competitive salary, private health insurance, 30 days of holiday and a learning budget.

Tidewater is an equal opportunity employer. We do not discriminate on the basis of race, religion, \
color, national origin, gender, sexual orientation, age, marital status, veteran status, or disability status.";

/// The same job reposted: a sentence changed, bullets reordered, the EEO statement swapped.
const REPOST: &str = "SENIOR BACKEND ENGINEER (RUST)

About Tidewater
Tidewater builds payment rails for small logistics companies across Europe.

What you'll do
- Own our Postgres schemas, migrations and query performance
- Design and run the settlement service that moves 2 billion euros a year
- Build observability into every service you touch with tracing and metrics
- Mentor two mid-level engineers and review their designs

What you need
- 6+ years building backend services, 2+ of them in Rust with tokio
- Deep experience with PostgreSQL and event-driven architectures
- You have run systems with strict correctness requirements, like ledgers

Benefits
Competitive salary, private health insurance, 30 days of holiday and a learning budget.

Wir sind ein Arbeitgeber, der Chancengleichheit fördert. Alle qualifizierten Bewerberinnen und Bewerber \
werden unabhängig von Herkunft, Geschlecht, Religion, Behinderung oder Alter berücksichtigt.";

/// Same company and template, a different job.
const OTHER_JOB: &str = "Frontend Engineer (TypeScript)

About Tidewater
Tidewater builds payment rails for small logistics companies across Europe.

What you'll do
- Build the merchant dashboard in React and TypeScript
- Work with design on an accessible component library
- Ship onboarding flows that cut time-to-first-payout in half

What you need
- 3+ years of frontend development with React
- Strong CSS skills and an eye for detail
- Experience testing UIs with Playwright or Cypress

Benefits
Competitive salary, private health insurance, 30 days of holiday and a learning budget.

Tidewater is an equal opportunity employer. We do not discriminate on the basis of race, religion, \
color, national origin, gender, sexual orientation, age, marital status, veteran status, or disability status.";

fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap() + Duration::hours(hours)
}

fn request(task: &str, tier: Tier, input: &str) -> LlmRequest {
    LlmRequest {
        task: task.to_owned(),
        tier,
        system: "Extract the job's requirements as JSON.".to_owned(),
        input: input.to_owned(),
        schema: Some(serde_json::json!({"type": "object", "properties": {"skills": {"type": "array"}}})),
        max_tokens: 800,
        user_id: Some("u1".to_owned()),
    }
}

fn analyze(input: &str) -> LlmRequest {
    request("analyze_job", Tier::Cheap, input)
}

fn answer(text: &str) -> LlmResponse {
    LlmResponse {
        provider: "openai".to_owned(),
        model: "gpt-4o-mini".to_owned(),
        text: text.to_owned(),
        output: None,
        usage: Usage { input_tokens: 900, output_tokens: 120 },
    }
}

#[test]
fn embedder_is_deterministic_and_ranks_a_light_edit_above_a_different_job() {
    let e = HashedNgramEmbedder::default();
    let v = e.embed(POSTING);
    assert_eq!(v, HashedNgramEmbedder::default().embed(POSTING));
    assert_eq!(v.len(), e.dim());
    // Pinned so a change of hash, seed or weighting (which would orphan every stored entry
    // and LSH bucket) cannot slip in unnoticed.
    let fingerprint: f64 = v.iter().enumerate().map(|(i, x)| f64::from(*x) * (i as f64 + 1.0)).sum();
    assert!((fingerprint - FINGERPRINT).abs() < 1e-3, "fingerprint changed: {fingerprint}");

    let repost = cosine(&v, &e.embed(REPOST));
    let other = cosine(&v, &e.embed(OTHER_JOB));
    assert!(repost >= SIMILARITY_THRESHOLD, "repost {repost}");
    assert!(other < SIMILARITY_THRESHOLD - 0.1, "other job {other}");
    assert!(repost > other);
}

const FINGERPRINT: f64 = 97.978_072;

#[test]
fn html_and_plain_text_of_a_posting_embed_alike() {
    let e = HashedNgramEmbedder::default();
    let html = format!(
        "<h2>{}</h2>",
        POSTING.replace("\n- ", "</li><li>").replace("\n\n", "</p><p>").replace('&', "&amp;").replace("'", "&rsquo;")
    );
    let sim = cosine(&e.embed(POSTING), &e.embed(&html));
    assert!(sim > 0.98, "{sim}");
}

#[tokio::test]
async fn exact_hit_ignores_whitespace_and_case() {
    let cache = SemanticCache::new(semantic_config());
    cache.store(&analyze(POSTING), &answer("first"), at(0)).await;
    let shouted = POSTING.to_uppercase().replace('\n', "\r\n  ");
    let hit = cache.lookup(&analyze(&shouted), at(1)).await.unwrap();
    assert_eq!(hit.kind, HitKind::Exact);
    assert_eq!(hit.similarity, 1.0);
    assert_eq!(hit.response, answer("first"));
    assert_eq!(cache.stats().exact_hits, 1);
}

#[tokio::test]
async fn semantic_hit_above_threshold_and_miss_below() {
    let cache = SemanticCache::new(semantic_config());
    cache.store(&analyze(POSTING), &answer("tidewater backend"), at(0)).await;

    let hit = cache.lookup(&analyze(REPOST), at(1)).await.unwrap();
    assert_eq!(hit.kind, HitKind::Semantic);
    assert!(hit.similarity >= SIMILARITY_THRESHOLD && hit.similarity < 1.0, "{}", hit.similarity);
    assert_eq!(hit.response.text, "tidewater backend");

    assert!(cache.lookup(&analyze(OTHER_JOB), at(1)).await.is_none());
    let stats = cache.stats();
    assert_eq!((stats.exact_hits, stats.semantic_hits, stats.misses), (0, 1, 1));
}

#[tokio::test]
async fn tasks_without_a_threshold_hit_only_exactly() {
    let cache = SemanticCache::new(semantic_config());
    let tailor = |input: &str| request("tailor_resume", Tier::Cheap, input);
    cache.store(&tailor(POSTING), &answer("tailored"), at(0)).await;
    assert!(cache.lookup(&tailor(REPOST), at(1)).await.is_none());
    assert_eq!(cache.lookup(&tailor(POSTING), at(1)).await.unwrap().kind, HitKind::Exact);
}

#[tokio::test]
async fn answers_are_scoped_by_task_tier_prompt_and_schema() {
    let cache = SemanticCache::new(semantic_config());
    cache.store(&analyze(POSTING), &answer("cheap"), at(0)).await;
    let mut other_task = analyze(POSTING);
    other_task.task = "score_match".to_owned();
    let expensive = request("analyze_job", Tier::Expensive, POSTING);
    let mut new_prompt = analyze(REPOST);
    new_prompt.system = "Extract the job's requirements and salary as JSON.".to_owned();
    let mut new_schema = analyze(POSTING);
    new_schema.schema = Some(serde_json::json!({"type": "object"}));
    for req in [&other_task, &expensive, &new_prompt, &new_schema] {
        assert!(cache.lookup(req, at(1)).await.is_none(), "{} {:?}", req.task, req.tier);
    }
    // The same schema with its keys in another order is the same request.
    let mut reordered = analyze(POSTING);
    reordered.schema = Some(serde_json::json!({"properties": {"skills": {"type": "array"}}, "type": "object"}));
    assert!(cache.lookup(&reordered, at(1)).await.is_some());
    // A user is not part of the key: job analyses are shared.
    let mut other_user = analyze(POSTING);
    other_user.user_id = Some("u2".to_owned());
    assert!(cache.lookup(&other_user, at(1)).await.is_some());
}

#[tokio::test]
async fn entries_expire_after_their_task_ttl() {
    let mut config = semantic_config();
    config.ttl_per_task.insert("score_match".to_owned(), Duration::hours(1));
    let cache = SemanticCache::new(config);
    let score = request("score_match", Tier::Cheap, POSTING);
    cache.store(&analyze(POSTING), &answer("analysis"), at(0)).await;
    cache.store(&score, &answer("score"), at(0)).await;

    assert!(cache.lookup(&score, at(0) + Duration::minutes(59)).await.is_some());
    assert!(cache.lookup(&score, at(2)).await.is_none());
    assert!(cache.lookup(&analyze(REPOST), at(24 * 7 - 1)).await.is_some());
    assert!(cache.lookup(&analyze(POSTING), at(24 * 7)).await.is_none());
    assert!(cache.lookup(&analyze(REPOST), at(24 * 7)).await.is_none());
    assert_eq!(cache.stats().expirations, 2);
    assert!(cache.is_empty().await.unwrap());
}

#[tokio::test]
async fn capacity_evicts_the_least_recently_used() {
    let cache = SemanticCache::new(CacheConfig { capacity: 3, ..semantic_config() });
    let job =
        |n: usize| analyze(&format!("{POSTING}\n\nRequisition {n}: team {}", ["alpha", "beta", "gamma", "delta"][n]));
    for n in 0..3 {
        cache.store(&job(n), &answer(&n.to_string()), at(n as i64)).await;
    }
    // Using the oldest makes the second one the least recently used.
    assert!(cache.lookup(&job(0), at(3)).await.is_some());
    cache.store(&job(3), &answer("3"), at(4)).await;
    assert_eq!(cache.len().await.unwrap(), 3);
    assert_eq!(cache.stats().evictions, 1);
    for n in [0, 2, 3] {
        let hit = cache.lookup(&job(n), at(5)).await.unwrap();
        assert_eq!((hit.kind, hit.response.text), (HitKind::Exact, n.to_string()));
    }
    // The evicted entry is gone from the semantic layer too: job 1 now finds a sibling at best.
    assert_ne!(cache.lookup(&job(1), at(5)).await.map(|h| h.response.text).as_deref(), Some("1"));
}

/// Deterministic filler postings that share no content with each other beyond job vocabulary.
fn filler(n: u64) -> String {
    const WORDS: &[&str] = &[
        "kubernetes",
        "terraform",
        "payroll",
        "underwriting",
        "clinical",
        "warehouse",
        "figma",
        "salesforce",
        "ledger",
        "compliance",
        "android",
        "kotlin",
        "python",
        "pricing",
        "forecasting",
        "recruiting",
        "copywriting",
        "seo",
        "logistics",
        "fraud",
        "mobile",
        "embedded",
        "firmware",
        "robotics",
        "biology",
        "chemistry",
        "tax",
        "audit",
        "procurement",
        "hospitality",
        "nursing",
        "retail",
        "teaching",
        "curriculum",
        "video",
        "editing",
        "support",
    ];
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        WORDS[(state % WORDS.len() as u64) as usize]
    };
    (0..120)
        .map(|i| if i % 12 == 11 { format!("{}.\n", next()) } else { next().to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn semantic_search_checks_few_candidates_in_a_full_cache() {
    let cache = SemanticCache::new(semantic_config());
    for n in 0..300 {
        cache.store(&analyze(&filler(n)), &answer(&format!("filler {n}")), at(0)).await;
    }
    cache.store(&analyze(POSTING), &answer("tidewater"), at(0)).await;
    let hit = cache.lookup(&analyze(REPOST), at(1)).await.unwrap();
    assert_eq!((hit.kind, hit.response.text.as_str()), (HitKind::Semantic, "tidewater"));
    let checked = cache.stats().candidates_checked;
    assert!(checked < 30, "verified {checked} of 301 entries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cache_is_shared_across_threads() {
    let cache = Arc::new(SemanticCache::new(semantic_config()));
    let tasks: Vec<_> = (0..8u64)
        .map(|t| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move {
                for n in 0..20 {
                    let req = analyze(&filler(t * 100 + n));
                    cache.store(&req, &answer("x"), at(0)).await;
                    assert!(cache.lookup(&req, at(0)).await.is_some());
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(cache.len().await.unwrap(), 160);
    assert_eq!(cache.stats().exact_hits, 160);
}

#[test]
fn corpus_parses_with_line_numbers_in_errors() {
    let pairs = parse_cache_corpus(CACHE_LABELLED).unwrap();
    assert!(pairs.len() >= 120, "{}", pairs.len());
    let duplicates = pairs.iter().filter(|p| p.2).count();
    assert!(duplicates * 10 >= pairs.len() * 4 && duplicates * 10 <= pairs.len() * 6, "{duplicates}");
    let err = parse_cache_corpus("{\"a\":\"x\",\"b\":\"y\",\"duplicate\":true}\n\n{\"a\":\"x\"}\n").unwrap_err();
    assert!(err.starts_with("line 3:"), "{err}");
}
