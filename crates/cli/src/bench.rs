//! `applyflow bench pipeline`: end-to-end applications per second and per-step latency on the
//! configured store (SQLite in a scratch directory by default), printed as JSON.

use crate::commands::{create_user, open_workflows};
use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use domain::Profile;
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Full workflows (discover → complete) for synthetic users; reports throughput and p50/p95
    /// step latency.
    Pipeline {
        /// Applications to run in total
        #[arg(long, default_value_t = 2000)]
        applications: usize,
        /// Users to spread them over
        #[arg(long, default_value_t = 20)]
        users: usize,
    },
    /// The AI layer: its own overhead per call, cache lookup latency, and the semantic cache's
    /// duplicate-call reduction and wrong-hit rate on a labelled corpus.
    Ai {
        /// Labelled pairs as JSON lines {"a": TEXT, "b": TEXT, "duplicate": bool}
        /// [default: the built-in corpus]
        #[arg(long, value_name = "FILE")]
        corpus: Option<std::path::PathBuf>,
        /// Calls to time
        #[arg(long, default_value_t = 2000)]
        calls: usize,
    },
    /// Normalization + deduplication throughput (one core) and dedup precision/recall.
    Discovery {
        /// Labelled pairs to score dedup on, as JSON lines {"a": POSTING, "b": POSTING,
        /// "duplicate": bool} [default: the built-in labelled set]
        #[arg(long, value_name = "FILE")]
        corpus: Option<std::path::PathBuf>,
        /// Postings to push through normalize + dedup
        #[arg(long, default_value_t = 20_000)]
        postings: usize,
    },
    /// Tailoring latency per job (without PDF) and the offline skill extractor's
    /// precision/recall on a labelled set.
    Tailor(crate::tailor_cmd::BenchTailorArgs),
    /// PDF rendering: cold and warm latency for a two-page resume, PDFs per second on all cores.
    Render(crate::render_cmd::BenchRenderArgs),
    /// The fault drill: runs the pipeline while injecting each fault (agent panic, database
    /// outage, absurd provider headers, SIGTERM, SIGKILL, a board dropping a deduplicated
    /// posting, NUL bytes) and prints, per fault, workflows completed, lost, duplicated and the
    /// time to recover, as JSON.
    Faults(crate::bench_faults::BenchFaultsArgs),
    /// Each submit channel (sandbox, Greenhouse, Lever, webhook, email) against a loopback
    /// receiver: submissions per second and p50/p99 latency, as JSON.
    Submit(crate::bench_submit::BenchSubmitArgs),
    /// The reply classifier on labelled recruiter emails: accuracy, macro-F1 and a per-label
    /// table, as JSON.
    Track(crate::bench_track::BenchTrackArgs),
}

pub async fn run(env: &Env, cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Pipeline { applications, users } => pipeline(env, applications, users).await,
        BenchCommand::Discovery { corpus, postings } => crate::bench_discovery::run(corpus.as_deref(), postings),
        BenchCommand::Ai { corpus, calls } => crate::ai::bench(corpus.as_deref(), calls.max(1)).await,
        BenchCommand::Tailor(args) => crate::tailor_cmd::bench(args).await,
        BenchCommand::Render(args) => crate::render_cmd::bench(args),
        BenchCommand::Faults(args) => crate::bench_faults::run(env, args).await,
        BenchCommand::Submit(args) => crate::bench_submit::run(args).await,
        BenchCommand::Track(args) => crate::bench_track::run(&args),
    }
}

async fn pipeline(env: &Env, applications: usize, users: usize) -> Result<()> {
    if users == 0 || applications == 0 {
        bail!("--applications and --users must be at least 1");
    }
    // A scratch data dir unless the caller named one (or a DATABASE_URL).
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    let data_dir =
        if std::env::args().any(|a| a == "--data-dir") { env.data_dir.clone() } else { scratch.path().to_path_buf() };
    let bench_env = Env { data_dir, config: env.config.clone() };
    let store = bench_env.store().await?;

    let profile = Profile::import(discovery::SAMPLE_PROFILE)?;
    let feed: Vec<_> = discovery::offline_feed()?
        .into_iter()
        .filter(|p| discovery::match_preferences(&profile.preferences, p).is_some())
        .collect();
    if feed.is_empty() {
        bail!("the sample profile matches no posting of the offline feed");
    }
    let per_user = applications.div_ceil(users);
    let run_id = cell::Clock::new_id(&cell::SystemClock).simple().to_string();
    let mut batches = Vec::new();
    for u in 0..users {
        let (user, _) =
            create_user(&store, &format!("bench-{run_id}-{u}@bench.applyflow.local"), &env.config.cell.cell_id).await?;
        store.put_profile(user.id, &profile).await?;
        let postings: Vec<_> = (0..per_user)
            .map(|i| {
                let mut p = feed[i % feed.len()].clone();
                p.source_id = format!("{}-bench-{i}", p.source_id);
                p
            })
            .collect();
        batches.push((user, postings));
    }

    let mut cfg = env.config.cell.clone();
    cfg.sandbox.response_delay_secs = 0.0;
    cfg.sandbox.no_response_window_secs = 0.0;
    cfg.time_compression = 1000;
    cfg.poll_interval_ms = 5;
    // The pipeline bench submits through the sandbox, on its own.
    cfg.submit = cell::config::SubmitConfig { mode: cell::config::SubmitMode::Auto, ..Default::default() };
    let (cell, ai) = bench_env.cell(store.clone(), cfg).await?;
    let engine = cell.start().await?;
    let started = Instant::now();
    let discover = batches.iter().map(|(user, postings)| {
        let cell = cell.clone();
        let profile = profile.clone();
        async move { cell.discover(user.id, &profile, postings, || {}).await }
    });
    for r in futures::future::join_all(discover).await {
        r?;
    }
    let discovered_in = started.elapsed();
    let all_users: Vec<_> = batches.iter().map(|(u, _)| u.clone()).collect();
    while open_workflows(&store, &all_users).await? > 0 {
        if started.elapsed() > Duration::from_secs(1800) {
            bail!("benchmark did not finish within 30 minutes");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    engine.shutdown().await;
    ai.finish().await;

    let mut completed = 0;
    let mut failed = 0;
    for u in &all_users {
        let c = store.event_counts(u.id).await?;
        completed += c.get("workflow.completed").copied().unwrap_or(0);
        failed += c.get("workflow.failed").copied().unwrap_or(0);
    }
    let per_sec = completed as f64 / elapsed.as_secs_f64();
    let steps: serde_json::Map<String, serde_json::Value> = cell
        .metrics()
        .step_percentiles()
        .into_iter()
        .map(|(k, (p50, p95, n))| (k, serde_json::json!({ "p50_ms": round(p50), "p95_ms": round(p95), "count": n })))
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "benchmark": "pipeline",
            "storage": store.backend(),
            "bus": "in_process",
            "users": users,
            "applications": completed + failed,
            "workflows_completed": completed,
            "workflows_failed": failed,
            "discovery_ms": discovered_in.as_millis() as u64,
            "elapsed_ms": elapsed.as_millis() as u64,
            "applications_per_sec": round(per_sec),
            "applications_per_hour": (per_sec * 3600.0).round(),
            "seed_target_per_sec": round(300_000.0 / 3600.0),
            "step_latency": steps,
        })
    );
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
