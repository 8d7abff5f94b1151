//! Live discovery against a loopback mock server that replays every fixture source at the
//! boards' real paths, through the real polite HTTP client, on every store engine: new
//! postings start workflows, a second poll changes nothing, a vanished posting closes its job,
//! a 304 is honoured, and a board's 404 writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use discovery::sources::SourceSpec;
use domain::{ApplicationState, EventType, Profile};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../discovery/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Routes requests to fixtures by the boards' real paths; `overrides` replace a path's body.
#[derive(Clone, Default)]
struct Boards {
    overrides: Arc<Mutex<HashMap<String, String>>>,
}

impl Respond for Boards {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path().to_owned();
        let query = req.url.query().unwrap_or("").to_owned();
        if let Some(body) = self.overrides.lock().unwrap().get(&path) {
            return ResponseTemplate::new(200).set_body_string(body.clone());
        }
        let json = |name: &str| ResponseTemplate::new(200).set_body_string(fixture(name));
        match path.as_str() {
            "/v1/boards/acme/jobs" => json("greenhouse_jobs.json"),
            p if p.starts_with("/v1/boards/acme/jobs/") => json("greenhouse_job_questions.json"),
            p if p.starts_with("/v1/boards/missing") => {
                ResponseTemplate::new(404).set_body_string(fixture("greenhouse_error_404_board.json"))
            }
            "/v0/postings/acme" if query.contains("skip=0") => json("lever_postings.json"),
            "/v0/postings/acme" => ResponseTemplate::new(200).set_body_string("[]"),
            "/posting-api/job-board/acme" => {
                let etag = "\"ashby-v1\"";
                if req.headers.get("if-none-match").is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
                    ResponseTemplate::new(304)
                } else {
                    json("ashby_jobs.json").insert_header("etag", etag)
                }
            }
            "/api/v1/widget/accounts/acme" => json("workable_widget_accounts_details.json"),
            "/v1/companies/acme/postings" => json("smartrecruiters_postings.json"),
            p if p.starts_with("/v1/companies/acme/postings/") => json("smartrecruiters_posting_detail.json"),
            "/api/offers/" => json("recruitee_offers.json"),
            "/api" => json("remoteok_api.json"),
            "/api/remote-jobs" => json("remotive_remote_jobs.json"),
            "/remote-jobs.rss" => json("weworkremotely_rss.xml"),
            "/api/v1/search" if query.contains("page=0") => json("hn_algolia_whoishiring_comments.json"),
            "/api/v1/search" => ResponseTemplate::new(200).set_body_string(r#"{"hits":[],"nbPages":1,"page":1}"#),
            "/careers/job.html" => json("jsonld_google_docs_standard_jobposting.html"),
            "/careers/remote.html" => json("jsonld_google_docs_remote_jobposting.html"),
            _ => ResponseTemplate::new(404),
        }
    }
}

fn specs(origin: &str) -> Vec<SourceSpec> {
    [
        "greenhouse:acme".to_owned(),
        "lever:acme".into(),
        "ashby:acme".into(),
        "workable:acme".into(),
        "smartrecruiters:acme".into(),
        "recruitee:acme".into(),
        "remoteok:all".into(),
        "remotive:all".into(),
        format!("rss:{origin}/remote-jobs.rss"),
        "hn:48357725".into(),
        format!("jsonld:{origin}/careers/job.html"),
        format!("jsonld:{origin}/careers/remote.html"),
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect()
}

fn client() -> fetch::PoliteClient {
    let retry = domain::RetryPolicy::new(1, std::time::Duration::from_millis(5));
    fetch::PoliteClient::new(fetch::FetchConfig {
        allow_hosts: vec!["127.0.0.1".into()],
        per_host_rate_per_sec: 1000,
        retry,
        ..Default::default()
    })
    .unwrap()
}

/// Preferences that accept everything, so every posting starts a workflow.
fn open_profile() -> Profile {
    let mut p = sample_profile();
    p.preferences = Default::default();
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_source_is_discovered_polled_and_closed() {
    let server = MockServer::start().await;
    let boards = Boards::default();
    Mock::given(wiremock::matchers::any()).respond_with(boards.clone()).mount(&server).await;
    let origin = url::Url::parse(&server.uri()).unwrap();
    let client = client();
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "live@example.com").await;
        store.put_profile(user.id, &open_profile()).await.unwrap();
        let cell = cell_with(store.clone(), cell::agents::standard());
        let profile = open_profile();

        let mut total_new = 0;
        for spec in specs(origin.as_str().trim_end_matches('/')) {
            let base =
                (!matches!(spec.kind, discovery::SourceKind::Rss | discovery::SourceKind::JsonLd)).then_some(&origin);
            let r = cell
                .poll_source(&client, user.id, &profile, &spec, base)
                .await
                .unwrap_or_else(|e| panic!("[{}] {spec}: {e}", ts.name));
            assert!(!r.jobs.is_empty(), "[{}] {spec} found nothing: {r:?}", ts.name);
            assert_eq!(r.discovered + r.duplicates, r.jobs.len(), "[{}] {spec}: {r:?}", ts.name);
            for job in &r.jobs {
                assert!(!job.title.is_empty() && !job.company.is_empty() && !job.content_hash.is_empty());
                assert!(!job.description_html.contains("<script"), "{spec}: unsanitized HTML");
            }
            total_new += r.discovered;
        }
        let counts = store.event_counts(user.id).await.unwrap();
        assert_eq!(counts.get("job.discovered").copied(), Some(total_new as u64), "[{}]", ts.name);

        // A second poll: nothing new, nothing changed; Ashby answers 304 to its ETag.
        for spec in specs(origin.as_str().trim_end_matches('/')) {
            let base =
                (!matches!(spec.kind, discovery::SourceKind::Rss | discovery::SourceKind::JsonLd)).then_some(&origin);
            let r = cell.poll_source(&client, user.id, &profile, &spec, base).await.unwrap();
            assert_eq!((r.discovered, r.changed, r.closed), (0, 0, 0), "[{}] {spec}: {r:?}", ts.name);
            if spec.kind == discovery::SourceKind::Ashby {
                assert!(r.not_modified, "[{}] ashby should answer 304", ts.name);
            }
        }
        assert_eq!(store.event_counts(user.id).await.unwrap(), counts, "[{}] a re-poll emitted events", ts.name);

        // One Greenhouse posting disappears: its job closes and its application is withdrawn.
        let mut board: serde_json::Value = serde_json::from_str(&fixture("greenhouse_jobs.json")).unwrap();
        let gone = board["jobs"].as_array_mut().unwrap().remove(0);
        boards.overrides.lock().unwrap().insert("/v1/boards/acme/jobs".into(), board.to_string());
        let gh: SourceSpec = "greenhouse:acme".parse().unwrap();
        let r = cell.poll_source(&client, user.id, &profile, &gh, Some(&origin)).await.unwrap();
        boards.overrides.lock().unwrap().clear();
        assert_eq!(r.closed, 1, "[{}] {r:?}", ts.name);
        let closed: Vec<_> = store
            .events_after(Some(user.id), 0, 10_000)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|r| r.event.ok())
            .filter(|e| e.event_type == EventType::JobClosed)
            .collect();
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].payload["source_id"], gone["id"].to_string().trim_matches('"'));
        let (_, app_id) = closed[0].subject().unwrap();
        let app = store.get_application(user.id, app_id).await.unwrap().unwrap();
        assert_eq!(app.state, ApplicationState::Withdrawn);

        // A board that does not exist: a clear error, nothing written.
        let before = store.event_counts(user.id).await.unwrap();
        let missing: SourceSpec = "greenhouse:missing".parse().unwrap();
        let err = cell.poll_source(&client, user.id, &profile, &missing, Some(&origin)).await;
        assert!(err.is_err(), "[{}] a 404 board must fail", ts.name);
        assert_eq!(store.event_counts(user.id).await.unwrap(), before);
    }
}
