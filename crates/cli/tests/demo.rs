//! The binary, black-box: the demo end to end and twice, `kill -9` at random points then a
//! resume that ends where an uninterrupted run ends, bad input refused, replay, the benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use rand::Rng;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn applyflow(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_applyflow"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("APPLYFLOW_CONFIG")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn summary(stdout: &str) -> Value {
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

/// The final state, independent of generated ids and timing: per posting, its event types in
/// log order and its outcome.
fn fingerprint(data_dir: &Path) -> BTreeMap<String, (Vec<String>, Option<String>)> {
    let export = ok(applyflow(data_dir, &["events", "export"]));
    let mut by_corr: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for line in export.lines() {
        let ev: Value = serde_json::from_str(line).unwrap();
        by_corr.entry(ev["correlation_id"].as_str().unwrap().to_owned()).or_default().push(ev);
    }
    let mut out = BTreeMap::new();
    for events in by_corr.values() {
        let first = &events[0]["payload"];
        let key = format!("{}:{}", first["source"].as_str().unwrap(), first["source_id"].as_str().unwrap());
        let types = events.iter().map(|e| e["event_type"].as_str().unwrap().to_owned()).collect();
        let outcome = events.last().unwrap()["payload"]["outcome"].as_str().map(str::to_owned);
        assert!(out.insert(key.clone(), (types, outcome)).is_none(), "two workflows for {key}");
    }
    out
}

const SIX: [&str; 6] = [
    "job.discovered",
    "job.analyzed",
    "resume.generated",
    "application.submitted",
    "response.received",
    "workflow.completed",
];

#[test]
fn demo_completes_offline_and_a_second_run_applies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = summary(&ok(applyflow(dir.path(), &["demo"])));
    let discovered = first["jobs_discovered"].as_u64().unwrap();
    assert!(discovered >= 5, "{first}");
    for k in ["jobs_analyzed", "resumes_generated", "applications_submitted", "workflows_completed"] {
        assert_eq!(first[k].as_u64(), Some(discovered), "{k}: {first}");
    }
    assert_eq!(first["workflows_failed"], 0);
    assert!(first["elapsed_ms"].is_u64());

    let fp = fingerprint(dir.path());
    assert_eq!(fp.len() as u64, discovered);
    for (types, outcome) in fp.values() {
        assert_eq!(types, &SIX);
        assert!(outcome.is_some());
    }

    let second = summary(&ok(applyflow(dir.path(), &["demo"])));
    for k in ["jobs_discovered", "applications_submitted", "workflows_completed", "workflows_failed"] {
        assert_eq!(second[k], first[k], "{k}");
    }
    assert_eq!(fingerprint(dir.path()), fp, "a second run changed the log");

    let replay: Value = serde_json::from_str(ok(applyflow(dir.path(), &["events", "replay"])).trim()).unwrap();
    assert_eq!(replay["replay"]["applied"], 0, "{replay}");
    assert_eq!(fingerprint(dir.path()), fp);
}

#[test]
fn sigkill_at_random_points_then_resume_matches_an_uninterrupted_run() {
    let clean = tempfile::tempdir().unwrap();
    ok(applyflow(clean.path(), &["demo"]));
    let expected = fingerprint(clean.path());

    let crashed = tempfile::tempdir().unwrap();
    let seed: u64 = rand::random();
    eprintln!("kill schedule seed: {seed}");
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    for _ in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_applyflow"))
            .args(["demo", "--data-dir"])
            .arg(crashed.path())
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..1500)));
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
    }
    let last = summary(&ok(applyflow(crashed.path(), &["demo"])));
    assert_eq!(last["workflows_failed"], 0, "seed {seed}: {last}");
    let got = fingerprint(crashed.path());
    assert_eq!(got, expected, "seed {seed}: the crashed-and-resumed run differs from a clean run");
    let submitted = last["applications_submitted"].as_u64().unwrap();
    assert_eq!(submitted as usize, expected.len(), "exactly one submission per application");
}

#[test]
fn an_invalid_profile_is_refused_naming_the_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    ok(applyflow(dir.path(), &["user", "create", "--email", "pat@example.com"]));
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"basics":{"name":"Pat Doe","email":"pat@example.com"},"work":[{"name":"Acme","position":"Engineer","startDate":"2020-01"}]}"#).unwrap();
    ok(applyflow(dir.path(), &["profile", "import", good.to_str().unwrap()]));
    let before = ok(applyflow(dir.path(), &["profile", "export"]));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"basics":{"name":"Pat Doe"},"work":[{"name":"Acme","startDate":"January 2020"}]}"#)
        .unwrap();
    let out = applyflow(dir.path(), &["profile", "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("work[0].startDate"), "{stderr}");
    assert_eq!(ok(applyflow(dir.path(), &["profile", "export"])), before);

    let out = applyflow(dir.path(), &["user", "create", "--email", "pat@example.com"]);
    assert!(!out.status.success(), "duplicate email must be refused");
}

#[test]
fn bench_pipeline_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(applyflow(dir.path(), &["bench", "pipeline", "--applications", "40", "--users", "4"]));
    let v = summary(&out);
    assert_eq!(v["benchmark"], "pipeline");
    assert_eq!(v["workflows_completed"], 40, "{v}");
    assert!(v["applications_per_sec"].as_f64().unwrap() > 0.0);
    for step in ["analyze", "generate", "submit", "track", "complete"] {
        assert!(v["step_latency"][step]["p95_ms"].is_number(), "{step}: {v}");
    }
}
