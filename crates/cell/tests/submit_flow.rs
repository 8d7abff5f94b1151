//! Submission through real channel adapters against loopback mocks that speak the real wire
//! formats: a crash between send and record (reconciled: a keyed resend for the webhook, the
//! user's decision for a keyless ATS), a 4xx (waits for the user with the ATS's message), a 5xx
//! and a time-out (retried, still once), and caps under many approvals at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_trait::async_trait;
use cell::applying::{ActionError, Approved};
use cell::submission::Channels;
use common::*;
use domain::{ApplicationState, EventType, Job};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use submit::channel::{self as ch, Channel, Outgoing, Receipt, SendError};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Delivers through `inner`, then, once, never returns: the process "dies" between the send
/// and the record of its result.
struct CrashAfterSend {
    inner: Arc<dyn Channel>,
    crashed: AtomicBool,
}

#[async_trait]
impl Channel for CrashAfterSend {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn accepts_idempotency_key(&self) -> bool {
        self.inner.accepts_idempotency_key()
    }
    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let r = self.inner.send(msg).await;
        if !self.crashed.swap(true, Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        r
    }
}

fn crash_after_send(inner: Arc<dyn Channel>) -> Arc<dyn Channel> {
    Arc::new(CrashAfterSend { inner, crashed: AtomicBool::new(false) })
}

fn greenhouse(server: &MockServer, timeout: Duration) -> Arc<dyn Channel> {
    let mut cfg = ch::GreenhouseConfig::new("gh-secret-key");
    cfg.base_url = server.uri();
    cfg.timeout = timeout;
    Arc::new(ch::GreenhouseChannel::new(cfg).unwrap())
}

fn webhook(server: &MockServer) -> Arc<dyn Channel> {
    Arc::new(
        ch::WebhookChannel::new(ch::WebhookConfig::new(format!("{}/hook", server.uri()), "0123456789abcdef-secret"))
            .unwrap(),
    )
}

/// Postings at Greenhouse URLs (so the greenhouse channel takes them) for `company`.
fn postings(company: &str, n: usize) -> Vec<Job> {
    (0..n)
        .map(|i| {
            let mut j = Job::from_text("greenhouse", &format!("Backend Engineer {i}"), "Rust and PostgreSQL. Kafka.");
            j.company = company.into();
            j.source_id = format!("{company}-{i}");
            j.apply_url = format!("https://boards.greenhouse.io/{}/jobs/{}", company.to_lowercase(), 1000 + i);
            j
        })
        .collect()
}

/// A review-mode cell with `channels`, its user, and `jobs` discovered and waiting for approval.
async fn waiting(
    channels: Channels,
    jobs: Vec<Job>,
    caps: Option<cell::config::CapsConfig>,
) -> (cell::Cell, testkit::TestStore, store::User, tempfile::TempDir) {
    let ts = testkit::sqlite().await;
    let artifacts = tempfile::tempdir().unwrap();
    let user = new_user(&ts.store, "sub@example.com").await;
    let mut profile = sample_profile();
    profile.preferences = Default::default();
    ts.store.put_profile(user.id, &profile).await.unwrap();
    let mut config = fast_config();
    config.submit.mode = cell::config::SubmitMode::Review;
    config.artifacts_dir = Some(artifacts.path().to_path_buf());
    if let Some(c) = caps {
        config.submit.caps = c;
    }
    let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::new(1024));
    let cell = cell::Cell::new(
        ts.store.clone(),
        bus,
        config,
        Arc::new(cell::SystemClock),
        domain::WorkflowDefinition::standard(),
        cell::agents::standard(),
    )
    .with_channels(channels);
    run_to_idle(&cell, &user, &jobs).await;
    for app in all_apps(&ts.store, &user).await {
        assert_eq!(app.state, ApplicationState::NeedsUser, "{:?}", app.reason);
    }
    (cell, ts, user, artifacts)
}

async fn submitted_events(ts: &testkit::TestStore, user: &store::User) -> usize {
    let mut n = 0;
    for app in all_apps(&ts.store, user).await {
        n += app_events(&ts.store, user, &app)
            .await
            .iter()
            .filter(|e| e.event_type == EventType::ApplicationSubmitted)
            .count();
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_send_is_reconciled_by_a_keyed_resend_on_the_webhook() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "hook-1"})))
        .mount(&server)
        .await;
    let (cell, ts, user, _pdfs) =
        waiting(Channels::default().with(crash_after_send(webhook(&server))), postings("Initech", 1), None).await;
    let app = all_apps(&ts.store, &user).await.pop().unwrap();
    let crashed = tokio::time::timeout(Duration::from_millis(500), cell.approve(user.id, app.id, vec![], false)).await;
    assert!(crashed.is_err(), "the first send never recorded its result");
    assert_eq!(ts.store.get_application(user.id, app.id).await.unwrap().unwrap().state, ApplicationState::NeedsUser);
    // The reconcile step finds the unconfirmed send: the same key is sent again, the receiver
    // deduplicates, one record.
    let report = cell.reconcile_submissions(Duration::ZERO).await.unwrap();
    assert_eq!((report.looked_at, report.resent, report.parked), (1, 1, 0), "{report:?}");
    let requests = server.received_requests().await.unwrap();
    let keys: std::collections::HashSet<_> =
        requests.iter().map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap().to_owned()).collect();
    assert_eq!((requests.len(), keys.len()), (2, 1), "a keyed resend, one submission for the receiver");
    assert_eq!(submitted_events(&ts, &user).await, 1);
    assert!(cell.approve(user.id, app.id, vec![], false).await.is_err(), "already sent");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_send_on_a_keyless_ats_waits_for_the_user_never_resends_blindly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("^/v1/boards/initech/jobs/[0-9]+$"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": "Candidate saved successfully"})),
        )
        .mount(&server)
        .await;
    let channel = crash_after_send(greenhouse(&server, Duration::from_secs(5)));
    let (cell, ts, user, _pdfs) = waiting(Channels::default().with(channel), postings("Initech", 1), None).await;
    let app = all_apps(&ts.store, &user).await.pop().unwrap();
    let _ = tokio::time::timeout(Duration::from_millis(500), cell.approve(user.id, app.id, vec![], false)).await;
    let report = cell.reconcile_submissions(Duration::ZERO).await.unwrap();
    assert_eq!((report.looked_at, report.resent, report.parked), (1, 0, 1), "{report:?}");
    let again = cell.reconcile_submissions(Duration::ZERO).await.unwrap();
    assert_eq!(again.looked_at, 0, "parked once; the user decides now");
    let why = ts.store.get_application(user.id, app.id).await.unwrap().unwrap().reason.unwrap();
    assert!(why.contains("may have") && why.contains("--resend"), "{why}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no blind resend");
    // The user checked: it did not arrive. Send again, on their word.
    let sent = cell.approve(user.id, app.id, vec![], true).await.unwrap();
    assert!(matches!(sent, Approved::Sent { .. }), "{sent:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(submitted_events(&ts, &user).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_waits_for_the_user_with_the_ats_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({"status": 400, "error": "Invalid attributes: resume"})),
        )
        .mount(&server)
        .await;
    let (cell, ts, user, _pdfs) =
        waiting(Channels::default().with(greenhouse(&server, Duration::from_secs(5))), postings("Globex", 1), None)
            .await;
    let app = all_apps(&ts.store, &user).await.pop().unwrap();
    let r = cell.approve(user.id, app.id, vec![], false).await.unwrap();
    let Approved::Waiting(why) = r else { panic!("{r:?}") };
    assert!(why.contains("Invalid attributes: resume"), "{why}");
    let notes = ts.store.notifications(user.id, false).await.unwrap();
    assert!(notes.iter().any(|n| n.message.contains("Invalid attributes")), "{notes:?}");
    let events = app_events(&ts.store, &user, &app).await;
    assert!(events.iter().any(|e| e.event_type == EventType::WorkflowFailed && e.payload["strategy"] == "notify_user"));
    let ledger = ts.store.attempts_for(user.id, app.id).await.unwrap();
    assert_eq!(ledger[0].status, store::AttemptStatus::Rejected);
    let view = cell.application_view(user.id, app.id).await.unwrap();
    assert!(!serde_json::to_string(&view).unwrap().contains("gh-secret-key"), "no secret in what the user sees");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_and_a_timeout_are_retried_still_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": "ok"})))
        .mount(&server)
        .await;
    let (cell, ts, user, _pdfs) =
        waiting(Channels::default().with(greenhouse(&server, Duration::from_secs(5))), postings("Hooli", 1), None)
            .await;
    let app = all_apps(&ts.store, &user).await.pop().unwrap();
    let err = cell.approve(user.id, app.id, vec![], false).await.unwrap_err();
    assert!(matches!(err, ActionError::Unavailable(_)), "{err}");
    assert_eq!(ts.store.attempts_for(user.id, app.id).await.unwrap()[0].status, store::AttemptStatus::Retry);
    let ok = cell.approve(user.id, app.id, vec![], false).await.unwrap();
    assert!(matches!(ok, Approved::Sent { .. }));
    assert_eq!(submitted_events(&ts, &user).await, 1);

    // A time-out after the request left: maybe delivered, so the next approval asks the user.
    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&slow)
        .await;
    let (cell, ts, user, _pdfs) =
        waiting(Channels::default().with(greenhouse(&slow, Duration::from_millis(300))), postings("Hooli", 1), None)
            .await;
    let app = all_apps(&ts.store, &user).await.pop().unwrap();
    assert!(matches!(cell.approve(user.id, app.id, vec![], false).await, Err(ActionError::Unavailable(_))));
    assert_eq!(ts.store.attempts_for(user.id, app.id).await.unwrap()[0].status, store::AttemptStatus::Unknown);
    let parked = cell.approve(user.id, app.id, vec![], false).await.unwrap();
    assert!(matches!(parked, Approved::Waiting(ref w) if w.contains("may have")), "{parked:?}");
    assert_eq!(slow.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn caps_hold_when_many_approvals_arrive_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": "ok"})))
        .mount(&server)
        .await;
    let caps = cell::config::CapsConfig { per_day: 10, per_company: 2, per_channel: 10 };
    let (cell, ts, user, _pdfs) = waiting(
        Channels::default().with(greenhouse(&server, Duration::from_secs(5))),
        postings("Umbrella", 8),
        Some(caps),
    )
    .await;
    let apps = all_apps(&ts.store, &user).await;
    let tasks: Vec<_> = apps
        .iter()
        .map(|a| {
            let (cell, id, uid) = (cell.clone(), a.id, user.id);
            tokio::spawn(async move { cell.approve(uid, id, vec![], false).await })
        })
        .collect();
    let mut sent = 0;
    let mut refused = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(Approved::Sent { .. }) => sent += 1,
            Ok(other) => panic!("{other:?}"),
            Err(e) => refused.push(e.to_string()),
        }
    }
    assert_eq!(sent, 2, "per_company = 2: {refused:?}");
    assert!(refused.iter().all(|r| r.contains("cap") || r.contains("changed")), "{refused:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(submitted_events(&ts, &user).await, 2);
}
