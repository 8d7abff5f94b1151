//! `POST /api/v1/tailor` is rate limited per user, by the user's configured plan: past the
//! allowance it answers 429 `RATE_LIMITED` in the API's error format with the wait in
//! `details.retry_after_secs`; other users, and the same user a moment later, are served.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use llm::budget::{BudgetConfig, Plan};
use llm::{AiClient, AiConfig, AiSinks};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

async fn post(app: &axum::Router, key: &str) -> (StatusCode, Value) {
    let body = json!({"job": {"title": "Backend Engineer", "description": "Rust, Kafka and PostgreSQL."}});
    let req = Request::post("/api/v1/tailor")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tailoring_is_rate_limited_per_user_by_plan() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let trial = new_user(&store, "trial@example.com").await;
    let _paying = new_user(&store, "paying@example.com").await;

    let clock = Arc::new(cell::ManualClock::at_epoch());
    let mut budget = BudgetConfig::default();
    budget.user_plans.insert(trial.id.to_string(), Plan::Free);
    budget.request_rates.free = Some(2);
    budget.request_rates.pro = Some(3);
    let config = AiConfig { budget, plan: Plan::Pro, ..AiConfig::default() };
    let sinks = AiSinks { clock: clock.clone(), ..AiSinks::default() };
    let ai = AiClient::with_sinks(vec![Arc::new(analysis::OfflineProvider::new())], config, sinks);
    let cell = cell_with(store.clone(), cell::agents::standard()).with_ai(ai);
    let app = cell::api::app(cell::api::ApiState::for_cell(&cell));

    for _ in 0..2 {
        assert_eq!(post(&app, "key-trial@example.com").await.0, StatusCode::OK);
    }
    let (status, body) = post(&app, "key-trial@example.com").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "RATE_LIMITED");
    let wait = body["error"]["details"]["retry_after_secs"].as_u64().unwrap();
    assert!((1..=30).contains(&wait), "{body}");
    assert!(body["error"]["request_id"].is_string(), "the project's error format: {body}");

    // Another user (on pro) has an allowance of their own.
    for _ in 0..3 {
        assert_eq!(post(&app, "key-paying@example.com").await.0, StatusCode::OK);
    }
    assert_eq!(post(&app, "key-paying@example.com").await.0, StatusCode::TOO_MANY_REQUESTS);

    // The allowance refills over the minute.
    clock.advance(Duration::from_secs(wait));
    assert_eq!(post(&app, "key-trial@example.com").await.0, StatusCode::OK);
}
