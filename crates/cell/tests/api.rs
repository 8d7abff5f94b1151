//! The HTTP API, driven in-process with `oneshot`: health, readiness, metrics, user scoping by
//! API key, pagination, and the seed-002 error body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn call(app: &axum::Router, path: &str, key: Option<&str>) -> (StatusCode, Value) {
    let mut req = Request::get(path);
    if let Some(k) = key {
        req = req.header("authorization", format!("Bearer {k}"));
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    assert!(res.headers().contains_key("x-request-id"));
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, body)
}

fn assert_error(body: &Value, code: &str) {
    let e = &body["error"];
    assert_eq!(e["code"], code, "{body}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(e["details"].is_object());
    assert!(e["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(e["timestamp"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_serves_one_users_data_and_hides_everyone_elses() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let alice = new_user(&store, "alice@example.com").await;
        let bob = new_user(&store, "bob@example.com").await;
        let cell = cell_with(store.clone(), cell::agents::standard());
        run_to_idle(&cell, &alice, &matching_postings(5)).await;
        let app = cell::api::app(cell::api::ApiState::for_cell(&cell));
        let (alice_key, bob_key) = ("key-alice@example.com", "key-bob@example.com");

        let (s, b) = call(&app, "/healthz", None).await;
        assert_eq!((s, b["status"].as_str()), (StatusCode::OK, Some("ok")));
        let (s, b) = call(&app, "/readyz", None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(b["storage"], ts.name);

        // Authentication.
        let (s, b) = call(&app, "/api/v1/applications", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_error(&b, "UNAUTHORIZED");
        let (s, b) = call(&app, "/api/v1/applications", Some("af_not_a_key")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_error(&b, "UNAUTHORIZED");

        // Pagination walks every application exactly once.
        let mut seen = Vec::new();
        let mut path = "/api/v1/applications?limit=2".to_owned();
        loop {
            let (s, b) = call(&app, &path, Some(alice_key)).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            for a in b["data"].as_array().unwrap() {
                seen.push(a["id"].as_str().unwrap().to_owned());
            }
            match b["pagination"]["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/applications?limit=2&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), 5);
        let mut dedup = seen.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), 5);

        let (s, b) = call(&app, "/api/v1/jobs", Some(alice_key)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(b["data"].as_array().unwrap().len(), 5);

        let id = &seen[0];
        let (s, b) = call(&app, &format!("/api/v1/applications/{id}/events"), Some(alice_key)).await;
        assert_eq!(s, StatusCode::OK);
        let types: Vec<_> = b["data"].as_array().unwrap().iter().map(|e| e["event"]["event_type"].clone()).collect();
        assert_eq!(types.len(), 6, "{b}");
        assert_eq!(types[0], "job.discovered");
        assert_eq!(types[5], "workflow.completed");
        let (s, b) = call(&app, &format!("/api/v1/applications/{id}"), Some(alice_key)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(b["data"]["application"]["state"], "completed");

        // Bob: no data, and Alice's ids are 404 for him.
        let (_, b) = call(&app, "/api/v1/applications", Some(bob_key)).await;
        assert_eq!(b["data"].as_array().unwrap().len(), 0);
        for path in [format!("/api/v1/applications/{id}"), format!("/api/v1/applications/{id}/events")] {
            let (s, b) = call(&app, &path, Some(bob_key)).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
            assert_error(&b, "NOT_FOUND");
        }
        let _ = bob;

        // Bad input.
        let (s, b) = call(&app, "/api/v1/applications?limit=0", Some(alice_key)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_error(&b, "VALIDATION_ERROR");
        assert_eq!(b["error"]["details"]["field"], "limit");
        let (s, b) = call(&app, "/api/v1/applications/not-a-uuid", Some(alice_key)).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_error(&b, "NOT_FOUND");
        let (s, b) = call(&app, "/nope", None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_error(&b, "NOT_FOUND");

        // Metrics in Prometheus text.
        let (s, b) = call(&app, "/metrics", None).await;
        assert_eq!(s, StatusCode::OK);
        let text = b.as_str().unwrap();
        assert!(text.contains("applyflow_events_processed_total"), "{text}");
        assert!(text.contains("applyflow_http_requests_total"));
    }
}
