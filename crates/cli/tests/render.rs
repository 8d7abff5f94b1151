//! `applyflow render`, `applyflow templates list` and `applyflow bench render` end to end:
//! the binary renders a JSON Resume file, the second identical request is an artifact-store
//! hit, bad input is refused naming the problem, and the bench prints its JSON fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const RESUME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../render/data/two_page.resume.json");

fn applyflow(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_applyflow"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("APPLYFLOW_CONFIG")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

fn json_line(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

#[test]
fn render_writes_the_file_and_hits_the_store_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("resume.pdf");
    let args = ["render", "--resume", RESUME, "--template", "modern", "--out", out.to_str().unwrap(), "--pages", "2"];
    let first = json_line(&applyflow(dir.path(), &args));
    assert_eq!(first["format"], "pdf", "format from the --out extension");
    assert_eq!(first["cache_hit"], false);
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(first["bytes"], pdf.len());
    let artifact = first["artifact"].as_str().unwrap();
    assert!(artifact.starts_with(dir.path().join("artifacts").to_str().unwrap()), "{artifact}");
    assert_eq!(std::fs::read(artifact).unwrap(), pdf);

    let second = json_line(&applyflow(dir.path(), &args));
    assert_eq!(second["cache_hit"], true);
    assert_eq!(second["sha256"], first["sha256"]);
    assert_eq!(std::fs::read(&out).unwrap(), pdf, "identical bytes");
}

#[test]
fn every_format_renders_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["pdf", "html", "md", "tex", "docx", "json"] {
        let out = dir.path().join(format!("r.{format}"));
        let args = [
            "render",
            "--resume",
            RESUME,
            "--template",
            "ats",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--no-store",
        ];
        let summary = json_line(&applyflow(dir.path(), &args));
        assert_eq!(summary["format"], format);
        assert!(std::fs::metadata(&out).unwrap().len() > 500, "{format}");
    }
    assert!(!dir.path().join("artifacts").exists(), "--no-store writes no artifact");
}

#[test]
fn bad_input_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"basics": {"name": "A"}, "work": [{"startDate": "March 2020"}]}"#).unwrap();
    let out = dir.path().join("r.pdf");
    let o = applyflow(dir.path(), &["render", "--resume", bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("work[0].startDate"));

    let o =
        applyflow(dir.path(), &["render", "--resume", RESUME, "--template", "fancy", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown template `fancy`"));

    let o = applyflow(dir.path(), &["render", "--resume", RESUME, "--pages", "3", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
}

#[test]
fn templates_list_names_all_three() {
    let dir = tempfile::tempdir().unwrap();
    let o = applyflow(dir.path(), &["templates", "list"]);
    assert!(o.status.success());
    let names: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["classic", "modern", "ats"]);
}

#[test]
fn bench_render_prints_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let o = applyflow(dir.path(), &["bench", "render", "--iterations", "3", "--per-thread", "1"]);
    let v = json_line(&o);
    for field in ["cold_ms", "warm_p50_ms", "warm_p99_ms", "pdfs_per_second", "cores"] {
        assert!(v[field].as_f64().is_some_and(|x| x > 0.0), "{field}: {v}");
    }
    assert_eq!(v["pages"], 2);
    assert_eq!(v["cache_hit"], true);
}
