//! The AnalyzerAgent end to end: analysis through the AI layer against a mock speaking the
//! OpenAI chat-completions wire format, the fallback to the offline heuristic when the provider
//! fails, and the user's match-score threshold stopping a workflow at analyze.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use analysis::OfflineProvider;
use common::*;
use domain::{ApplicationState, EventEnvelope, EventType, RetryPolicy};
use llm::chain::ChainConfig;
use llm::providers::{OpenAiConfig, OpenAiProvider};
use llm::{AiClient, AiConfig, Provider};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn assert_valid(ev: &EventEnvelope) {
    let path = format!("{}/../../docs/events/{}.schema.json", env!("CARGO_MANIFEST_DIR"), ev.event_type.as_str());
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let v = serde_json::to_value(ev).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{} does not match its schema: {errors:?}\n{v:#}", ev.event_type);
}

/// A structured analysis as a model would answer it (its own skill spellings).
fn model_answer() -> Value {
    json!({
        "skills": ["k8s", "Postgres", "golang", "React.js"],
        "required_skills": ["k8s", "Postgres", "golang"],
        "preferred_skills": ["React.js"],
        "keywords": ["platform", "payments"],
        "seniority": "senior",
        "workplace": "hybrid",
        "salary": null,
        "years_experience": 5,
        "responsibilities": ["Run the platform"],
        "education": [],
        "certifications": [],
        "location": "London",
        "visa_sponsorship": null,
        "weighted_keywords": [{"term": "k8s", "weight": 1.0}, {"term": "platform", "weight": 0.4}]
    })
}

fn completion(content: &Value) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string(), "refusal": null},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 400, "completion_tokens": 120, "total_tokens": 520}
    })
}

/// OpenAI (at the mock) then the offline heuristic, with one quick retry.
fn ai_for(server: &MockServer) -> AiClient {
    let openai = OpenAiProvider::new(OpenAiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Some("sk-test".into()),
        timeout: Duration::from_secs(2),
        ..OpenAiConfig::default()
    })
    .unwrap();
    let providers: Vec<Arc<dyn Provider>> = vec![Arc::new(openai), Arc::new(OfflineProvider::new())];
    let chain = ChainConfig { retry: RetryPolicy::new(1, Duration::from_millis(1)), ..ChainConfig::default() };
    AiClient::new(providers, AiConfig { chain, ..AiConfig::default() })
}

async fn analyzed_event(store: &store::DynStore, user: &store::User, app: &domain::Application) -> EventEnvelope {
    let events = app_events(store, user, app).await;
    events.into_iter().find(|e| e.event_type == EventType::JobAnalyzed).expect("job.analyzed")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analyzer_goes_through_the_ai_layer_and_normalizes_skills() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(&model_answer())))
        .mount(&server)
        .await;
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "ai@example.com").await;
    let cell = cell_with(store.clone(), cell::agents::standard()).with_ai(ai_for(&server));
    run_to_idle(&cell, &user, &matching_postings(1)).await;

    let app = all_apps(&store, &user).await.remove(0);
    assert_eq!(app.state, ApplicationState::Completed);
    let analysis = store.get_analysis(user.id, app.job_id).await.unwrap().unwrap();
    assert_eq!(analysis.provider, "openai");
    assert_eq!(analysis.required_skills, ["Kubernetes", "PostgreSQL", "Go"]);
    assert_eq!(analysis.preferred_skills, ["React"]);
    assert_eq!(analysis.years_experience, Some(5));
    let event = analyzed_event(&store, &user, &app).await;
    assert_valid(&event);
    assert_eq!(event.payload["required_skills"], json!(["Kubernetes", "PostgreSQL", "Go"]));
    let score = &event.payload["match_score"];
    assert!(score["score"].as_u64().unwrap() <= 100, "{score}");
    // The sample profile has Kubernetes, PostgreSQL and Go.
    assert_eq!(score["matched_keywords"], json!(["Kubernetes", "PostgreSQL", "Go"]), "{score}");
    assert_eq!(event.payload["below_threshold"], false);

    // The posting went as delimited, untrusted data.
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let messages = body["messages"].to_string();
    assert!(messages.contains("untrusted") && messages.contains("<posting>"), "{messages}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_provider_falls_back_to_the_offline_heuristic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "fallback@example.com").await;
    let cell = cell_with(store.clone(), cell::agents::standard()).with_ai(ai_for(&server));
    run_to_idle(&cell, &user, &matching_postings(1)).await;

    let app = all_apps(&store, &user).await.remove(0);
    assert_eq!(app.state, ApplicationState::Completed);
    let analysis = store.get_analysis(user.id, app.job_id).await.unwrap().unwrap();
    assert_eq!(analysis.provider, "heuristic");
    assert!(!analysis.skills.is_empty());
    assert!(server.received_requests().await.unwrap().len() >= 2, "the provider was tried and retried");
    assert_valid(&analyzed_event(&store, &user, &app).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_under_the_threshold_stop_after_analysis() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "picky@example.com").await;
    let mut profile = sample_profile();
    profile.preferences.min_match_score = Some(100);
    store.put_profile(user.id, &profile).await.unwrap();
    let cell = cell_with(store.clone(), cell::agents::standard());
    run_to_idle(&cell, &user, &matching_postings(3)).await;

    let apps = all_apps(&store, &user).await;
    assert_eq!(apps.len(), 3);
    for app in &apps {
        let event = analyzed_event(&store, &user, app).await;
        assert_valid(&event);
        let score = event.payload["match_score"]["score"].as_u64().unwrap();
        assert!(score < 100, "{score}");
        assert_eq!(event.payload["below_threshold"], true);
        assert_eq!(app.state, ApplicationState::Withdrawn, "{app:?}");
        let types: Vec<EventType> = app_events(&store, &user, app).await.iter().map(|e| e.event_type).collect();
        assert_eq!(types, [EventType::JobDiscovered, EventType::JobAnalyzed]);
        assert!(store.get_analysis(user.id, app.job_id).await.unwrap().is_some(), "the analysis is kept");
    }
}
