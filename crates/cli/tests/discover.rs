//! `applyflow discover` and `applyflow sources` as a user runs them, against a loopback mock
//! of the Greenhouse API: JSON lines with the documented field names, the private-address
//! guard, following a board, and bad specs refused with a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../discovery/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn applyflow(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_applyflow"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

async fn greenhouse() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/boards/acme/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("greenhouse_jobs.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/boards/acme/jobs/\d+$"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("greenhouse_job_questions.json")))
        .mount(&server)
        .await;
    server
}

const FIELDS: [&str; 18] = [
    "source",
    "source_id",
    "company",
    "title",
    "seniority",
    "locations",
    "workplace",
    "remote_regions",
    "employment_type",
    "salary",
    "posted_at",
    "closes_at",
    "description_html",
    "description_text",
    "apply_url",
    "content_hash",
    "sources",
    "company",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discover_dry_run_prints_canonical_jsonl() {
    let server = greenhouse().await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.uri();
    let d = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        applyflow(
            &d,
            &[
                "discover",
                "--source",
                "greenhouse:acme",
                "--base-url",
                &base,
                "--allow-private",
                "--dry-run",
                "--format",
                "jsonl",
            ],
        )
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    for job in &lines {
        for f in FIELDS {
            assert!(job.get(f).is_some(), "missing `{f}` in {job}");
        }
        assert_eq!(job["source"], "greenhouse");
        assert_eq!(job["company"], "Anthropic");
        assert!(job["sources"].as_array().is_some_and(|s| !s.is_empty()));
        assert!(["remote", "hybrid", "onsite"].contains(&job["workplace"].as_str().unwrap_or("remote")));
    }
    // Nothing was stored by a dry run.
    let events = applyflow(dir.path(), &["events", "export"]);
    assert!(events.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_needs_allow_private_and_bad_specs_are_refused() {
    let server = greenhouse().await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.uri();
    let d = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        applyflow(&d, &["discover", "--source", "greenhouse:acme", "--base-url", &base, "--dry-run"])
    })
    .await
    .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--allow-private"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = server.received_requests().await.unwrap();
    assert!(requests.is_empty(), "the guard must stop the request before it is sent");

    let d = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        applyflow(&d, &["user", "create", "--email", "a@example.com"]);
        let bad = applyflow(&d, &["sources", "add", "monster:jobs"]);
        let traversal = applyflow(&d, &["sources", "add", "greenhouse:../admin"]);
        let good = applyflow(&d, &["sources", "add", "greenhouse:acme"]);
        let list = applyflow(&d, &["sources", "list"]);
        (bad, traversal, good, list)
    })
    .await
    .unwrap();
    let (bad, traversal, good, list) = out;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown source kind"));
    assert!(!traversal.status.success());
    assert!(good.status.success());
    assert!(String::from_utf8_lossy(&list.stdout).contains("greenhouse:acme"));
}
