//! `applyflow bench faults`: the fault drill. Each fault runs the pipeline for a few users
//! while the fault is injected, then reports per fault how many workflows completed, how many
//! were lost (never reached an end they should have reached), how many steps were duplicated
//! (an event of one step twice for one application), and the time to recover. The goal of
//! every row: 0 lost, 0 duplicated, recovery without a restart (the signal rows restart by
//! design: that is what a signal does).

mod boards;
mod live;
mod signals;

use crate::commands::create_user;
use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use async_trait::async_trait;
use cell::{Agent, AgentCtx, AgentError, Cell, CellConfig};
use domain::{EventEnvelope, EventType, Profile, StepName, WorkflowDefinition};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{DynStore, Page, UnitOfWork, User};

/// The faults, by the names `--only` takes.
pub const FAULTS: &[&str] = &[
    "agent_panic",
    "database_unavailable",
    "llm_absurd_retry_after",
    "sigterm",
    "sigkill",
    "board_drops_posting",
    "nul_bytes",
];

#[derive(Debug, clap::Args)]
pub struct BenchFaultsArgs {
    /// Users per scenario
    #[arg(long, default_value_t = 3)]
    pub users: usize,
    /// Applications per user
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// How long the database stays unavailable, in milliseconds
    #[arg(long, default_value_t = 10_000)]
    pub outage_ms: u64,
    /// Run only these faults (comma-separated; see the list in `--help` of the JSON's `faults`)
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub only: Vec<String>,
    /// Seed of the random SIGKILL points
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// One row of the report.
#[derive(Debug, Serialize)]
struct FaultRow {
    fault: &'static str,
    workflows: u64,
    completed: u64,
    /// Workflows that ended `failed` by design (the poisoned event of `agent_panic`).
    failed: u64,
    lost: u64,
    duplicated: u64,
    recovery_ms: u64,
    /// What else the drill checked, per fault.
    detail: Value,
}

pub async fn run(env: &Env, args: BenchFaultsArgs) -> Result<()> {
    for name in &args.only {
        if !FAULTS.contains(&name.as_str()) {
            bail!("unknown fault `{name}` (known: {})", FAULTS.join(", "));
        }
    }
    if args.users == 0 || args.jobs == 0 {
        bail!("--users and --jobs must be at least 1");
    }
    let wanted = |f: &str| args.only.is_empty() || args.only.iter().any(|o| o == f);
    let started = Instant::now();
    let mut rows = Vec::new();
    for &fault in FAULTS {
        if !wanted(fault) {
            continue;
        }
        eprintln!("fault drill: {fault} ...");
        let row = match fault {
            "agent_panic" => agent_panic(env, &args).await,
            "database_unavailable" => database_unavailable(env, &args).await,
            "llm_absurd_retry_after" => absurd_retry_after(env, &args).await,
            "sigterm" => signals::sigterm(&args).await,
            "sigkill" => live::sigkill(&args).await,
            "board_drops_posting" => boards::board_drops_posting(env).await,
            _ => nul_bytes(env, &args).await,
        }
        .with_context(|| format!("fault drill `{fault}`"))?;
        eprintln!(
            "  {fault}: {} workflows, {} completed, {} lost, {} duplicated, recovery {} ms",
            row.workflows, row.completed, row.lost, row.duplicated, row.recovery_ms
        );
        rows.push(row);
    }
    let ok = rows.iter().all(|r| r.lost == 0 && r.duplicated == 0);
    println!(
        "{}",
        json!({ "faults": rows, "all_zero_lost_and_duplicated": ok, "elapsed_ms": started.elapsed().as_millis() as u64 })
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The harness: a scratch store, users with the sample profile, fast cell settings, accounting.

/// A scratch SQLite store (or `DATABASE_URL`'s engine when set) and its directory.
struct Scratch {
    _dir: tempfile::TempDir,
    env: Env,
    store: DynStore,
}

async fn scratch(env: &Env) -> Result<Scratch> {
    let dir = tempfile::tempdir().context("cannot create a scratch directory")?;
    let env = Env { data_dir: dir.path().to_path_buf(), config: env.config.clone() };
    let store = env.store().await?;
    Ok(Scratch { _dir: dir, env, store })
}

/// Settings that let a whole workflow finish in milliseconds (no employer delay, compressed
/// retries) and a short idle sweep.
fn fast_config(base: &CellConfig) -> CellConfig {
    let mut cfg = base.clone();
    cfg.sandbox.response_delay_secs = 0.0;
    cfg.sandbox.no_response_window_secs = 0.0;
    cfg.time_compression = 1000;
    cfg.poll_interval_ms = 5;
    cfg.sweep_interval_ms = 200;
    cfg.artifacts_dir = None;
    cfg.submit = cell::config::SubmitConfig { mode: cell::config::SubmitMode::Auto, ..Default::default() };
    cfg
}

/// `users` users with the sample profile and `jobs` matching postings each.
async fn users_with_postings(
    store: &DynStore,
    cell_id: &str,
    users: usize,
    jobs: usize,
    tag: &str,
) -> Result<(Profile, Vec<(User, Vec<domain::Job>)>)> {
    let profile = Profile::import(discovery::SAMPLE_PROFILE)?;
    let feed: Vec<_> = discovery::offline_feed()?
        .into_iter()
        .filter(|p| discovery::match_preferences(&profile.preferences, p).is_some())
        .collect();
    if feed.is_empty() {
        bail!("the sample profile matches no posting of the offline feed");
    }
    let mut out = Vec::new();
    for u in 0..users {
        let email = format!("drill-{tag}-{u}-{}@drill.applyflow.local", run_id());
        let (user, _) = create_user(store, &email, cell_id).await?;
        store.put_profile(user.id, &profile).await?;
        let postings = (0..jobs)
            .map(|i| {
                let mut p = feed[i % feed.len()].clone();
                p.source_id = format!("{}-drill-{i}", p.source_id);
                p
            })
            .collect();
        out.push((user, postings));
    }
    Ok((profile, out))
}

/// A fresh token, so drills can share one database (PostgreSQL) run after run.
fn run_id() -> String {
    cell::Clock::new_id(&cell::SystemClock).simple().to_string()
}

/// What the store says about a set of users' workflows.
#[derive(Debug, Default, Clone)]
struct Accounting {
    workflows: u64,
    completed: u64,
    failed: u64,
    /// Not yet at an end (`completed`, `failed`, `withdrawn`, `needs_user`).
    open: u64,
    duplicated: u64,
}

/// The step events an application may have at most once each.
const ONCE_PER_APPLICATION: &[&str] = &[
    "job.discovered",
    "job.analyzed",
    "resume.generated",
    "application.submitted",
    "response.received",
    "workflow.completed",
    "workflow.failed",
];

async fn account(store: &DynStore, users: &[User]) -> Result<Accounting> {
    let mut a = Accounting::default();
    for u in users {
        for (state, n) in store.application_state_counts(u.id).await? {
            a.workflows += n;
            match state.as_str() {
                "completed" => a.completed += n,
                "failed" => a.failed += n,
                "withdrawn" | "needs_user" => {}
                _ => a.open += n,
            }
        }
        let mut seen: HashMap<(String, String), u64> = HashMap::new();
        let mut after = 0;
        loop {
            let rows = store.events_after(Some(u.id), after, 1000).await?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for row in rows {
                let Ok(ev) = row.event else { continue };
                let kind = ev.event_type.as_str().to_owned();
                if !ONCE_PER_APPLICATION.contains(&kind.as_str()) {
                    continue;
                }
                if let Ok((_, app)) = ev.subject() {
                    *seen.entry((app.to_string(), kind)).or_default() += 1;
                }
            }
        }
        a.duplicated += seen.values().map(|n| n.saturating_sub(1)).sum::<u64>();
    }
    Ok(a)
}

/// Starts the engine, discovers every batch, and waits until no workflow is open (or the
/// deadline passes); then drains the engine.
async fn run_pipeline(cell: &Cell, profile: &Profile, batches: &[(User, Vec<domain::Job>)]) -> Result<()> {
    let engine = cell.start().await?;
    for (user, postings) in batches {
        cell.discover(user.id, profile, postings, || {}).await?;
    }
    let users: Vec<User> = batches.iter().map(|(u, _)| u.clone()).collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while crate::commands::open_workflows(cell.store(), &users).await.unwrap_or(1) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    engine.shutdown().await;
    Ok(())
}

fn row(fault: &'static str, a: &Accounting, expected_failures: u64, recovery_ms: u64, detail: Value) -> FaultRow {
    FaultRow {
        fault,
        workflows: a.workflows,
        completed: a.completed,
        failed: a.failed,
        lost: a.workflows.saturating_sub(a.completed + expected_failures) + a.failed.saturating_sub(expected_failures),
        duplicated: a.duplicated,
        recovery_ms,
        detail,
    }
}

fn standard_cell(store: DynStore, cfg: CellConfig, agents: Vec<Arc<dyn Agent>>) -> Cell {
    Cell::new(
        store,
        Arc::new(bus::InProcessBus::default()),
        cfg,
        cell::clock::system(),
        WorkflowDefinition::standard(),
        agents,
    )
}

// ---------------------------------------------------------------------------------------------
// agent_panic

/// The analyzer, made to panic: always on one poisoned application, and once on every fifth
/// other event (the retry then succeeds).
struct PanickyAnalyzer {
    inner: Arc<dyn Agent>,
    poisoned: Mutex<Option<domain::ApplicationId>>,
    panicked_once: Mutex<HashSet<domain::EventId>>,
    seen: AtomicUsize,
    first_panic: Mutex<Option<Instant>>,
    recovered: Mutex<Option<Instant>>,
}

#[async_trait]
impl Agent for PanickyAnalyzer {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn step(&self) -> StepName {
        self.inner.step()
    }
    fn consumes(&self) -> &'static [EventType] {
        self.inner.consumes()
    }
    #[allow(clippy::panic)]
    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let app = event.subject().ok().map(|(_, a)| a);
        let poisoned = {
            let mut p = self.poisoned.lock().unwrap_or_else(|e| e.into_inner());
            if p.is_none() {
                *p = app;
            }
            *p == app
        };
        let n = self.seen.fetch_add(1, Ordering::SeqCst);
        let transient =
            n % 5 == 4 && self.panicked_once.lock().unwrap_or_else(|e| e.into_inner()).insert(event.event_id);
        if poisoned || transient {
            self.first_panic.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(Instant::now);
            panic!("drill: the analyzer panicked on event {}", event.event_id);
        }
        let unit = self.inner.handle(event, ctx).await;
        if unit.is_ok() && self.first_panic.lock().unwrap_or_else(|e| e.into_inner()).is_some() {
            self.recovered.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(Instant::now);
        }
        unit
    }
    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        self.inner.on_exhausted(event, ctx, error, attempts).await
    }
}

async fn agent_panic(env: &Env, args: &BenchFaultsArgs) -> Result<FaultRow> {
    let s = scratch(env).await?;
    let (profile, batches) =
        users_with_postings(&s.store, &env.config.cell.cell_id, args.users, args.jobs, "panic").await?;
    let mut agents = cell::agents::standard();
    let panicky = Arc::new(PanickyAnalyzer {
        inner: agents.remove(0),
        poisoned: Mutex::new(None),
        panicked_once: Mutex::new(HashSet::new()),
        seen: AtomicUsize::new(0),
        first_panic: Mutex::new(None),
        recovered: Mutex::new(None),
    });
    agents.insert(0, panicky.clone());
    let cell = standard_cell(s.store.clone(), fast_config(&s.env.config.cell), agents);
    // The panics are the point: keep their default report off the terminal.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = run_pipeline(&cell, &profile, &batches).await;
    std::panic::set_hook(hook);
    result?;
    let users: Vec<User> = batches.iter().map(|(u, _)| u.clone()).collect();
    let a = account(&s.store, &users).await?;
    let mut dead_with_panic = 0;
    for u in &users {
        dead_with_panic += s.store.dead_letters(u.id).await?.iter().filter(|d| d.error.contains("panicked")).count();
    }
    let recovery = match (
        *panicky.first_panic.lock().unwrap_or_else(|e| e.into_inner()),
        *panicky.recovered.lock().unwrap_or_else(|e| e.into_inner()),
    ) {
        (Some(p), Some(r)) => r.saturating_duration_since(p).as_millis() as u64,
        _ => 0,
    };
    Ok(row(
        "agent_panic",
        &a,
        1,
        recovery,
        json!({
            "panicking_events": 1 + panicky.panicked_once.lock().unwrap_or_else(|e| e.into_inner()).len(),
            "dead_letters_with_panic_message": dead_with_panic,
            "note": "one event always panics (dead letter after its retries, workflow failed); one in five panics once and succeeds on retry",
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// database_unavailable

async fn database_unavailable(env: &Env, args: &BenchFaultsArgs) -> Result<FaultRow> {
    let s = scratch(env).await?;
    let (profile, batches) =
        users_with_postings(&s.store, &env.config.cell.cell_id, args.users, args.jobs, "db").await?;
    let faulty = Arc::new(store::fault::FaultyStore::new(s.store.clone()));
    let cell = standard_cell(faulty.clone(), fast_config(&s.env.config.cell), cell::agents::standard());
    let users: Vec<User> = batches.iter().map(|(u, _)| u.clone()).collect();
    let outage = Duration::from_millis(args.outage_ms);
    let real = s.store.clone();
    let injector = {
        let (faulty, users) = (faulty.clone(), users.clone());
        async move {
            // Let the pipeline get going, then take the database away mid-run.
            tokio::time::sleep(Duration::from_millis(60)).await;
            let before = total_events(&real, &users).await;
            faulty.set_down(true);
            tokio::time::sleep(outage).await;
            faulty.set_down(false);
            let up = Instant::now();
            // Recovered: the first step committed after the database came back.
            let deadline = up + Duration::from_secs(60);
            let mut last = total_events(&real, &users).await;
            let _ = before;
            loop {
                tokio::time::sleep(Duration::from_millis(5)).await;
                let now = total_events(&real, &users).await;
                if now > last || Instant::now() > deadline {
                    break;
                }
                last = now;
            }
            up.elapsed().as_millis() as u64
        }
    };
    let (run, recovery_ms) = tokio::join!(run_pipeline(&cell, &profile, &batches), injector);
    run?;
    let a = account(&s.store, &users).await?;
    Ok(row(
        "database_unavailable",
        &a,
        0,
        recovery_ms,
        json!({ "outage_ms": args.outage_ms, "calls_refused_during_outage": faulty.refused() }),
    ))
}

async fn total_events(store: &DynStore, users: &[User]) -> u64 {
    let mut n = 0;
    for u in users {
        if let Ok(c) = store.event_counts(u.id).await {
            n += c.values().sum::<u64>();
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// llm_absurd_retry_after

async fn absurd_retry_after(env: &Env, args: &BenchFaultsArgs) -> Result<FaultRow> {
    use axum::http::{HeaderMap, HeaderValue, StatusCode};
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let mock = axum::Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut h = HeaderMap::new();
            h.insert("retry-after", HeaderValue::from_static("1e20"));
            h.insert("retry-after-ms", HeaderValue::from_static("1e300"));
            h.insert("x-ratelimit-reset-requests", HeaderValue::from_static("99999999999999999999h"));
            h.insert("x-ratelimit-remaining-requests", HeaderValue::from_static("0"));
            (StatusCode::TOO_MANY_REQUESTS, h, r#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, mock).await;
    });

    let s = scratch(env).await?;
    let (profile, batches) =
        users_with_postings(&s.store, &env.config.cell.cell_id, args.users, args.jobs, "llm").await?;
    let openai = llm::providers::OpenAiProvider::new(llm::providers::OpenAiConfig {
        base_url: format!("http://{addr}/v1"),
        api_key: Some("sk-drill".into()),
        timeout: Duration::from_secs(5),
        ..Default::default()
    })?;
    let providers: Vec<Arc<dyn llm::Provider>> = vec![Arc::new(openai), Arc::new(analysis::OfflineProvider::new())];
    let cell = standard_cell(s.store.clone(), fast_config(&s.env.config.cell), cell::agents::standard())
        .with_ai(llm::AiClient::new(providers, llm::AiConfig::default()));
    let result = run_pipeline(&cell, &profile, &batches).await;
    server.abort();
    result?;
    let users: Vec<User> = batches.iter().map(|(u, _)| u.clone()).collect();
    let a = account(&s.store, &users).await?;
    Ok(row(
        "llm_absurd_retry_after",
        &a,
        0,
        0,
        json!({
            "provider_requests": hits.load(Ordering::SeqCst),
            "note": "every call got 429 with retry-after 1e20 and an absurd reset; the chain capped the wait, fell back to the offline analyzer, and nothing panicked",
        }),
    ))
}

// ---------------------------------------------------------------------------------------------
// nul_bytes

async fn nul_bytes(env: &Env, args: &BenchFaultsArgs) -> Result<FaultRow> {
    let s = scratch(env).await?;
    let (profile, mut batches) = users_with_postings(&s.store, &env.config.cell.cell_id, 1, args.jobs, "nul").await?;
    // NUL and friends in every field a board fills.
    for p in &mut batches[0].1 {
        p.source_id.push_str("\0x");
        p.company.push_str("\0 Inc\u{1}");
        p.title.push('\0');
        p.location = format!("{}\0", p.location);
        p.description = format!("\0{}\u{7}\0", p.description);
        p.apply_url.push('\0');
        if let Some(sal) = p.salary.as_mut() {
            sal.currency.push('\0');
        }
    }
    let cell = standard_cell(s.store.clone(), fast_config(&s.env.config.cell), cell::agents::standard());
    run_pipeline(&cell, &profile, &batches).await?;
    let users: Vec<User> = batches.iter().map(|(u, _)| u.clone()).collect();
    let a = account(&s.store, &users).await?;
    let jobs = s.store.list_jobs(users[0].id, &Page { after: None, limit: 1000 }).await?;
    let clean =
        jobs.iter().all(|j| !format!("{}{}{}{}", j.company, j.title, j.description, j.source_id).contains('\0'));
    Ok(row(
        "nul_bytes",
        &a,
        0,
        0,
        json!({ "engine": s.store.backend(), "jobs_stored": jobs.len(), "stored_text_has_no_nul": clean }),
    ))
}
