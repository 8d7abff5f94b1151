//! `applyflow demo`: the whole seed workflow for the bundled sample profile over the offline
//! feed, with progress bars, ending with a one-line JSON summary. Safe to rerun, and to kill at
//! any moment: a rerun finishes what was left and applies nothing twice.

use crate::commands::{create_user, open_workflows};
use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use domain::Profile;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

fn bar(len: u64, msg: &'static str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{spinner} {msg:<24} [{bar:30}] {pos}/{len} ({elapsed})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb.set_message(msg);
    pb
}

pub async fn run(env: &Env, jobs: Option<usize>) -> Result<()> {
    let started = Instant::now();
    let mut signalled = std::pin::pin!(crate::runtime::shutdown_signal());
    let store = env.store().await?;
    let profile = Profile::import(discovery::SAMPLE_PROFILE).context("the bundled sample profile is invalid")?;
    let email = profile.resume.basics.email.clone().unwrap_or_else(|| "demo@applyflow.local".into());
    let user = match store.user_by_email(&email).await? {
        Some(u) => u,
        None => {
            let (u, _key) = create_user(&store, &email, &env.config.cell.cell_id).await?;
            eprintln!("created demo user {email} (make an API key with `applyflow user create` for the HTTP API)");
            u
        }
    };
    store.put_profile(user.id, &profile).await?;

    let mut cfg = env.config.cell.clone();
    cfg.time_compression = env.config.demo.time_compression;
    cfg.sandbox.response_delay_secs = env.config.demo.response_delay_secs;
    cfg.sandbox.no_response_window_secs = env.config.demo.no_response_window_secs;
    // The demo sends through the sandbox only, on its own: nothing leaves this machine.
    cfg.submit = cell::config::SubmitConfig { mode: cell::config::SubmitMode::Auto, ..Default::default() };
    let (cell, ai) = env.cell(store.clone(), cfg).await?;
    let engine = cell.start().await?;

    let mut feed = discovery::offline_feed()?;
    if let Some(n) = jobs {
        feed.truncate(n);
    }
    let pb = bar(feed.len() as u64, "discovering jobs");
    let report = cell.discover(user.id, &profile, &feed, || pb.inc(1)).await?;
    pb.finish_and_clear();
    eprintln!(
        "discovery: {} postings, {} match your preferences, {} new",
        report.postings_seen, report.matched, report.discovered
    );

    let total = store.list_applications(user.id, &store::Page { after: None, limit: u32::MAX }).await?.len() as u64;
    let pb = bar(total, "running workflows");
    let deadline = Instant::now() + Duration::from_secs(env.config.demo.timeout_secs);
    let users = [user.clone()];
    loop {
        let open = open_workflows(&store, &users).await?;
        pb.set_position(total.saturating_sub(open));
        if open == 0 {
            break;
        }
        if Instant::now() > deadline {
            pb.abandon();
            engine.shutdown().await;
            ai.finish().await;
            bail!(
                "{open} workflow(s) still running after {}s; run the demo again to resume",
                env.config.demo.timeout_secs
            );
        }
        tokio::select! {
            _ = &mut signalled => {
                pb.abandon();
                engine.shutdown().await;
                ai.finish().await;
                eprintln!("stopped by a signal: in-flight steps finished or went back to the log; run the demo again to resume");
                return Ok(());
            }
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    pb.finish_and_clear();
    engine.shutdown().await;
    ai.finish().await;

    let counts = store.event_counts(user.id).await?;
    let n = |t: &str| counts.get(t).copied().unwrap_or(0);
    let states = store.application_state_counts(user.id).await?;
    eprintln!("applications by state: {}", serde_json::to_string(&states)?);
    eprintln!("export the log with `applyflow events export`; browse it with `applyflow serve`");
    let summary = serde_json::json!({
        "jobs_discovered": n("job.discovered"),
        "jobs_analyzed": n("job.analyzed"),
        "resumes_generated": n("resume.generated"),
        "applications_submitted": n("application.submitted"),
        "workflows_completed": n("workflow.completed"),
        "workflows_failed": n("workflow.failed"),
        "elapsed_ms": started.elapsed().as_millis() as u64,
    });
    println!("{summary}");
    Ok(())
}
