//! The README's "Try the API" steps, run as written (the binary for `cargo run --`, a scratch
//! directory for `.data/demo`, a free port for 8080): every step succeeds, `run --until-idle`
//! returns while workflows wait on their timers, the API lists the user's applications, and
//! SIGTERM stops `serve` with exit 0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn applyflow(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_applyflow"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .env_remove("APPLYFLOW_CONFIG")
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "applyflow {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn last_json(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().rev().find(|l| l.starts_with('{')).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_try_the_api_steps_work_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = last_json(&applyflow(d, &["demo"]));
    assert!(demo["workflows_completed"].as_u64().unwrap() > 0, "{demo}");

    let created = applyflow(d, &["user", "create", "--email", "me@example.com"]);
    let api_key = last_json(&created)["api_key"].as_str().unwrap().to_owned();
    let profile = format!("{}/../discovery/data/sample_profile.json", env!("CARGO_MANIFEST_DIR"));
    applyflow(d, &["profile", "import", &profile, "--user", "me@example.com"]);

    let started = Instant::now();
    let idle = last_json(&applyflow(d, &["run", "--until-idle"]));
    assert!(started.elapsed() < Duration::from_secs(120), "run --until-idle must not wait for timers");
    assert!(idle["waiting_for_you"].as_u64().unwrap() > 0, "review mode: applications wait for approval: {idle}");
    assert_eq!(idle["stuck"], 0, "{idle}");

    // `apply list --status needs_user`, then approve the first one by the short id the table shows.
    let listed = applyflow(d, &["apply", "list", "--status", "needs_user", "--user", "me@example.com"]);
    let table = String::from_utf8_lossy(&listed.stdout).into_owned();
    let short = table.lines().nth(1).and_then(|l| l.split_whitespace().next()).unwrap_or_else(|| panic!("{table}"));
    let sent = last_json(&applyflow(d, &["apply", "approve", short, "--user", "me@example.com"]));
    assert_eq!(sent["status"], "sent", "{sent}");
    let idle = last_json(&applyflow(d, &["run", "--until-idle"]));
    assert!(idle["open_workflows"].as_u64().unwrap() > 0, "the sent one waits on the employer's timer: {idle}");

    let mut serve = Command::new(env!("CARGO_BIN_EXE_applyflow"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(d)
        .env_remove("DATABASE_URL")
        .env_remove("APPLYFLOW_CONFIG")
        .env("RUST_LOG", "error")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve exited before listening").unwrap();
        if let Some(rest) = line.strip_prefix("listening on ") {
            break rest.trim().to_owned();
        }
    };
    let body: Value = reqwest::Client::new()
        .get(format!("{addr}/api/v1/applications"))
        .bearer_auth(&api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = body["data"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert!(!items.is_empty(), "{body}");

    let status = Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = serve.wait().unwrap();
    assert!(exit.success(), "serve must exit 0 on SIGTERM, got {exit:?}");
}
