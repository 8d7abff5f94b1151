//! The `sigterm` row of the fault drill: the real binary (`demo`) as a child process, stopped by
//! SIGTERM at a random point — it must drain and exit 0 — then resumed; the result must equal an
//! uninterrupted run's. (SIGKILL, with live discovery and spend, is in `live`.)

use super::{account, row, BenchFaultsArgs, FaultRow};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

fn demo(dir: &Path, jobs: usize) -> std::process::Command {
    let exe = std::env::current_exe().unwrap_or_else(|_| "applyflow".into());
    let mut c = std::process::Command::new(exe);
    c.arg("--data-dir").arg(dir).arg("demo").arg("--jobs").arg(jobs.to_string());
    c.env_remove("DATABASE_URL").env("RUST_LOG", "error");
    c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null());
    c
}

fn summary_of(output: &std::process::Output) -> Result<Value> {
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().rev().find(|l| l.trim_start().starts_with('{')).unwrap_or("{}");
    Ok(serde_json::from_str(line)?)
}

fn sigterm_to(pid: u32) -> Result<()> {
    let status = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status()?;
    if !status.success() {
        bail!("kill -TERM {pid} failed");
    }
    Ok(())
}

pub(super) async fn sigterm(args: &BenchFaultsArgs) -> Result<FaultRow> {
    let jobs = (args.users * args.jobs).clamp(10, 40);
    // The reference: one clean run.
    let reference_dir = tempfile::tempdir()?;
    let t = Instant::now();
    let clean = tokio::task::spawn_blocking({
        let mut cmd = demo(reference_dir.path(), jobs);
        move || cmd.output()
    })
    .await??;
    let clean_ms = t.elapsed().as_millis() as u64;
    if !clean.status.success() {
        bail!("the reference demo run failed: {:?}", clean.status);
    }
    let reference = summary_of(&clean)?;

    let dir = tempfile::tempdir()?;
    let mut rng_state = args.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        rng_state = rng_state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (rng_state >> 33) as f64 / (1u64 << 31) as f64
    };
    let kills = 1;
    let mut drain_ms = Vec::new();
    let mut exit_codes = Vec::new();
    for _ in 0..kills {
        let at = Duration::from_millis(((0.1 + 0.8 * next()) * clean_ms.max(50) as f64) as u64);
        let mut child = demo(dir.path(), jobs).spawn()?;
        tokio::time::sleep(at).await;
        let sent = Instant::now();
        sigterm_to(child.id())?;
        let status = tokio::task::spawn_blocking(move || child.wait()).await??;
        drain_ms.push(sent.elapsed().as_millis() as u64);
        exit_codes.push(status.code());
    }
    // Resume: run again until done.
    let t = Instant::now();
    let resumed = tokio::task::spawn_blocking({
        let mut cmd = demo(dir.path(), jobs);
        move || cmd.output()
    })
    .await??;
    let resume_ms = t.elapsed().as_millis() as u64;
    if !resumed.status.success() {
        bail!("the resumed demo run failed: {:?}", resumed.status);
    }
    let fin = summary_of(&resumed)?;
    let store = store::connect(&format!("sqlite://{}", dir.path().join("applyflow.db").display())).await?;
    let users = store.list_users().await?;
    let mut a = account(&store, &users).await?;
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or(0);
    // Lost: whatever the clean run finished that the interrupted one did not.
    let lost = n(&reference, "workflows_completed").saturating_sub(n(&fin, "workflows_completed"))
        + n(&reference, "applications_submitted").saturating_sub(n(&fin, "applications_submitted"));
    a.completed = n(&fin, "workflows_completed");
    let mut r = row("sigterm", &a, 0, 0, Value::Null);
    r.lost = lost;
    r.workflows = n(&reference, "jobs_discovered");
    r.failed = n(&fin, "workflows_failed");
    let graceful = exit_codes.iter().all(|c| *c == Some(0));
    r.recovery_ms = drain_ms.first().copied().unwrap_or(0);
    r.detail = json!({
        "exit_code": exit_codes.first().copied().flatten(),
        "graceful_exit_0": graceful,
        "drain_ms": r.recovery_ms,
        "resume_ms": resume_ms,
        "reference": reference,
        "final": fin,
    });
    if !graceful {
        r.lost += 1;
    }
    Ok(r)
}
