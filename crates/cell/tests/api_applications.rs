//! The user's actions over HTTP, driven in-process with `oneshot`: review mode parks each
//! application in `needs_user`; the API lists them by status, shows the preview, approves
//! (sent once, 409 after), serves the documents, records a stage, rejects and withdraws, lists
//! and dismisses notifications — and answers 404 for another user's ids everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use store::DynStore;
use tower::ServiceExt;

const ALICE: &str = "key-alice@example.com";
const BOB: &str = "key-bob@example.com";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.bytes).into()))
    }
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn send(app: &axum::Router, method: Method, path: &str, key: &str, body: Option<Value>) -> Reply {
    let req = Request::builder().method(method).uri(path).header("authorization", format!("Bearer {key}"));
    let req = match body {
        Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    };
    let res = app.clone().oneshot(req.unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, bytes }
}

async fn get(app: &axum::Router, path: &str, key: &str) -> Reply {
    send(app, Method::GET, path, key, None).await
}

async fn post(app: &axum::Router, path: &str, key: &str, body: Option<Value>) -> Reply {
    send(app, Method::POST, path, key, body).await
}

fn assert_error(r: &Reply, status: StatusCode, code: &str) -> Value {
    let body = r.json();
    assert_eq!(r.status, status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert!(body.get("data").is_none(), "{body}");
    body
}

/// A cell in review mode (each application waits for the user's approval), with PDFs when
/// `artifacts` is set.
fn review_cell(store: DynStore, artifacts: Option<PathBuf>) -> cell::Cell {
    let mut config = fast_config();
    config.submit.mode = cell::config::SubmitMode::Review;
    config.artifacts_dir = artifacts;
    let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::new(1024));
    cell::Cell::new(
        store,
        bus,
        config,
        Arc::new(cell::SystemClock),
        domain::WorkflowDefinition::standard(),
        cell::agents::standard(),
    )
}

/// The ids `GET /api/v1/applications?status=…` answers.
async fn ids_with_status(app: &axum::Router, status: &str) -> Vec<String> {
    let r = get(app, &format!("/api/v1/applications?status={status}&limit=200"), ALICE).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    r.json()["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_approve_stage_and_notifications_over_http() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let alice = new_user(&store, "alice@example.com").await;
        new_user(&store, "bob@example.com").await;
        let cell = review_cell(store.clone(), None);
        run_to_idle(&cell, &alice, &matching_postings(3)).await;
        let app = cell::api::app(cell::api::ApiState::for_cell(&cell));

        // The list by workflow state, each item with its stage; a stage name filters too.
        let r = get(&app, "/api/v1/applications?status=needs_user", ALICE).await;
        assert_eq!(r.status, StatusCode::OK);
        let listed = r.json();
        let waiting = listed["data"].as_array().unwrap();
        assert!(waiting.len() >= 3, "{listed}");
        for a in waiting {
            assert_eq!(a["state"], "needs_user", "{a}");
            assert_eq!(a["stage"], "saved", "{a}");
            assert!(a["job_id"].is_string() && a["created_at"].is_string(), "existing fields kept: {a}");
        }
        assert!(listed["pagination"]["has_more"].is_boolean());
        assert!(ids_with_status(&app, "applied").await.is_empty());
        assert_eq!(ids_with_status(&app, "saved").await.len(), waiting.len());
        let r = get(&app, "/api/v1/applications?status=bogus", ALICE).await;
        let body = assert_error(&r, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], "status");
        // Filtered pages walk every match once.
        let (mut seen, mut path) = (Vec::new(), "/api/v1/applications?status=needs_user&limit=1".to_owned());
        loop {
            let b = get(&app, &path, ALICE).await.json();
            seen.extend(b["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()));
            match b["pagination"]["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/applications?status=needs_user&limit=1&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), waiting.len());
        let ids: Vec<String> = waiting.iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
        let id = &ids[0];
        let base = format!("/api/v1/applications/{id}");

        // One application: the old fields and the view's, with the preview of the send.
        let r = get(&app, &base, ALICE).await;
        assert_eq!(r.status, StatusCode::OK);
        let d = &r.json()["data"];
        assert_eq!(d["application"]["state"], "needs_user", "{d}");
        assert!(d["resumes"].is_array() && d["submission"].is_null(), "{d}");
        assert_eq!((d["state"].as_str(), d["stage"].as_str()), (Some("needs_user"), Some("saved")), "{d}");
        assert_eq!(d["preview"]["channel"], "sandbox", "{d}");
        assert!(d["timeline"].is_array() && d["attempts"].as_array().unwrap().is_empty(), "{d}");

        // Approve: sent once through the sandbox; a second approval is refused.
        let r = post(&app, &format!("{base}/approve"), ALICE, Some(json!({ "answers": {}, "resend": false }))).await;
        let sent = r.json();
        assert_eq!(r.status, StatusCode::OK, "{sent}");
        assert_eq!((sent["status"].as_str(), sent["channel"].as_str()), (Some("sent"), Some("sandbox")), "{sent}");
        assert!(sent["confirmation"].as_str().is_some_and(|c| !c.is_empty()), "{sent}");
        let d = get(&app, &base, ALICE).await.json()["data"].clone();
        assert_eq!((d["state"].as_str(), d["stage"].as_str()), (Some("submitted"), Some("applied")), "{d}");
        assert_eq!(d["application"]["state"], "submitted");
        assert_eq!(d["submission"]["method"], "sandbox", "{d}");
        assert_eq!(d["submission"]["confirmation"], sent["confirmation"]);
        assert_eq!(d["audit"]["channel"], "sandbox", "{d}");
        assert!(d["preview"].is_null() && d["attempts"].as_array().unwrap().len() == 1, "{d}");
        assert!(ids_with_status(&app, "submitted").await.contains(id));
        assert!(ids_with_status(&app, "applied").await.contains(id));
        let r = post(&app, &format!("{base}/approve"), ALICE, None).await;
        assert_error(&r, StatusCode::CONFLICT, "CONFLICT");
        let r = post(&app, &format!("{base}/reject"), ALICE, None).await;
        assert_error(&r, StatusCode::CONFLICT, "CONFLICT");
        let r = post(&app, &format!("{base}/approve"), ALICE, Some(json!({ "answers": [1] }))).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

        // Documents: no artifact storage, so no PDF; the Markdown is there.
        let r = get(&app, &format!("{base}/documents/resume.pdf"), ALICE).await;
        assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
        let r = get(&app, &format!("{base}/documents/resume.md"), ALICE).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").starts_with("text/markdown"), "{:?}", r.headers);
        assert_eq!(r.header("content-disposition"), "attachment; filename=\"resume.md\"");
        assert!(!r.bytes.is_empty());
        let r = get(&app, &format!("{base}/documents/secrets.txt"), ALICE).await;
        assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");

        // Stage: unknown names are refused naming the allowed ones; a decisive one completes.
        let r = post(&app, &format!("{base}/stage"), ALICE, Some(json!({ "stage": "hired" }))).await;
        let body = assert_error(&r, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");
        assert!(body["error"]["message"].as_str().unwrap().contains("interview"), "{body}");
        assert!(body["error"]["details"]["allowed"].as_array().unwrap().contains(&json!("no_response")));
        let stage = json!({ "stage": "interview", "note": "phone screen on Tuesday" });
        let r = post(&app, &format!("{base}/stage"), ALICE, Some(stage)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json());
        assert_eq!(r.json(), json!({ "stage": "interview", "state": "responded" }));
        let d = get(&app, &base, ALICE).await.json()["data"].clone();
        assert_eq!((d["stage"].as_str(), d["stage_source"].as_str()), (Some("interview"), Some("user")), "{d}");
        let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["note"], "phone screen on Tuesday", "{d}");
        assert_eq!(ids_with_status(&app, "interview").await, vec![id.clone()]);

        // Reject one still waiting; withdraw another; neither twice.
        let r = post(&app, &format!("/api/v1/applications/{}/reject", ids[1]), ALICE, None).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!({ "state": "withdrawn" })));
        let r = post(&app, &format!("/api/v1/applications/{}/reject", ids[1]), ALICE, None).await;
        assert_error(&r, StatusCode::CONFLICT, "CONFLICT");
        let r = post(&app, &format!("/api/v1/applications/{}/withdraw", ids[2]), ALICE, None).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!({ "state": "withdrawn" })));
        let r = post(&app, &format!("/api/v1/applications/{}/withdraw", ids[2]), ALICE, None).await;
        assert_error(&r, StatusCode::CONFLICT, "CONFLICT");
        assert!(ids_with_status(&app, "withdrawn").await.contains(&ids[2]));

        // Notifications: newest first, dismissed ones only with all=true; dismissing is idempotent.
        let r = get(&app, "/api/v1/notifications", ALICE).await;
        assert_eq!(r.status, StatusCode::OK);
        let list = r.json();
        let list = list.as_array().unwrap().clone();
        assert!(list.len() >= 2, "{list:?}");
        for n in &list {
            assert!(n["id"].is_string() && n["message"].is_string() && n["created_at"].is_string(), "{n}");
            assert!(n["application_id"].is_string() && n["dismissed_at"].is_null(), "{n}");
        }
        let times: Vec<chrono::DateTime<chrono::Utc>> =
            list.iter().map(|n| n["created_at"].as_str().unwrap().parse().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
        let first = list[0]["id"].as_str().unwrap().to_owned();
        let other = list[1]["id"].as_str().unwrap().to_owned();
        let r = post(&app, &format!("/api/v1/notifications/{first}/dismiss"), ALICE, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert!(r.bytes.is_empty());
        let open = get(&app, "/api/v1/notifications", ALICE).await.json();
        assert!(open.as_array().unwrap().iter().all(|n| n["id"] != first.as_str()), "{open}");
        let all = get(&app, "/api/v1/notifications?all=true", ALICE).await.json();
        let dismissed = all.as_array().unwrap().iter().find(|n| n["id"] == first.as_str()).unwrap();
        assert!(dismissed["dismissed_at"].is_string(), "{dismissed}");
        let r = post(&app, &format!("/api/v1/notifications/{first}/dismiss"), ALICE, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = post(
            &app,
            &format!(
                "/api/v1/notifications/{}/dismiss",
                uuid::Uuid::from_u128(0x0123_4567_89ab_7def_8123_4567_89ab_cdef)
            ),
            ALICE,
            None,
        )
        .await;
        assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
        let r = get(&app, "/api/v1/notifications?all=maybe", ALICE).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "VALIDATION_ERROR");

        // Bob: nothing of Alice's, and 404 on every one of her ids — nothing changes for her.
        let r = get(&app, "/api/v1/notifications?all=true", BOB).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!([])));
        let r = post(&app, &format!("/api/v1/notifications/{other}/dismiss"), BOB, None).await;
        assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
        let open = get(&app, "/api/v1/notifications", ALICE).await.json();
        assert!(open.as_array().unwrap().iter().any(|n| n["id"] == other.as_str()), "{open}");
        assert!(get(&app, "/api/v1/applications?status=applied", BOB).await.json()["data"]
            .as_array()
            .unwrap()
            .is_empty());
        for target in [id, &ids[1]] {
            let base = format!("/api/v1/applications/{target}");
            for r in [
                get(&app, &base, BOB).await,
                get(&app, &format!("{base}/documents/resume.md"), BOB).await,
                get(&app, &format!("{base}/documents/resume.pdf"), BOB).await,
                post(&app, &format!("{base}/approve"), BOB, None).await,
                post(&app, &format!("{base}/approve"), BOB, Some(json!({ "resend": true }))).await,
                post(&app, &format!("{base}/reject"), BOB, None).await,
                post(&app, &format!("{base}/withdraw"), BOB, None).await,
                post(&app, &format!("{base}/stage"), BOB, Some(json!({ "stage": "offer" }))).await,
            ] {
                assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
                assert!(!String::from_utf8_lossy(&r.bytes).contains("phone screen"));
            }
        }
        let d = get(&app, &base, ALICE).await.json()["data"].clone();
        assert_eq!((d["state"].as_str(), d["stage"].as_str()), (Some("responded"), Some("interview")), "{d}");
        let r = post(&app, "/api/v1/applications/not-a-uuid/approve", ALICE, None).await;
        assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sent_pdf_is_served_byte_for_byte() {
    let ts = testkit::sqlite().await;
    let artifacts = tempfile::tempdir().unwrap();
    let alice = new_user(&ts.store, "alice@example.com").await;
    new_user(&ts.store, "bob@example.com").await;
    let cell = review_cell(ts.store.clone(), Some(artifacts.path().to_path_buf()));
    run_to_idle(&cell, &alice, &matching_postings(1)).await;
    let app = cell::api::app(cell::api::ApiState::for_cell(&cell));
    let ids = ids_with_status(&app, "needs_user").await;
    let base = format!("/api/v1/applications/{}", ids[0]);

    // While it waits: the preview names the PDF that would go, and it can be downloaded.
    let d = get(&app, &base, ALICE).await.json()["data"].clone();
    let previewed = d["preview"]["attachments"][0]["sha256"].as_str().expect("a previewed PDF").to_owned();
    let r = get(&app, &format!("{base}/documents/resume.pdf"), ALICE).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(hex::encode(Sha256::digest(&r.bytes)), previewed);

    let r = post(&app, &format!("{base}/approve"), ALICE, None).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("sent")), "{}", r.json());

    // Sent: the bytes of the audit copy, exactly those previewed.
    let r = get(&app, &format!("{base}/documents/resume.pdf"), ALICE).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert_eq!(r.header("content-disposition"), "attachment; filename=\"resume.pdf\"");
    assert!(r.bytes.starts_with(b"%PDF"));
    assert_eq!(hex::encode(Sha256::digest(&r.bytes)), previewed);
    let d = get(&app, &base, ALICE).await.json()["data"].clone();
    let attachment = &d["audit"]["attachments"][0];
    assert_eq!(attachment["sha256"], previewed.as_str(), "{d}");
    assert_eq!(attachment["size"], r.bytes.len(), "{d}");
    assert!(attachment.get("bytes").is_none(), "the summary carries no bytes: {d}");
    let r = get(&app, &format!("{base}/documents/resume.html"), ALICE).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/html"));

    let r = get(&app, &format!("{base}/documents/resume.pdf"), BOB).await;
    assert_error(&r, StatusCode::NOT_FOUND, "NOT_FOUND");
}
