//! The `sigkill` row of the fault drill, with live discovery and billed AI spend: the real
//! binary runs `demo`, then `discover` against a loopback job board, then `run --until-idle`,
//! with a loopback OpenAI that answers (and bills) every analysis. Each step is SIGKILLed at a
//! random point and run again; the end state must equal an uninterrupted run's, and every
//! request the provider received must be in the spend journal (a spend row or an open hold).
//! The discovered applications are submitted in auto mode through the real webhook channel to
//! a loopback receiver that honours `Idempotency-Key`: every application recorded as sent must
//! have reached it, every key it accepted must be recorded, and none twice.

use super::{account, row, BenchFaultsArgs, FaultRow};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const EMAIL: &str = "alex.rivera@example.com";

/// Fast employer answers so `run --until-idle` finishes every sandbox workflow; auto mode with
/// the webhook channel (pointed at the mock) and caps that do not bind.
fn config(addr: std::net::SocketAddr) -> String {
    format!(
        "[cell]\ntime_compression = 1000\n\n[cell.sandbox]\nresponse_delay_secs = 0.0\nno_response_window_secs = 0.0\n\n\
         [submit]\nmode = \"auto\"\n\n[submit.caps]\nper_day = 10000\nper_company = 10000\nper_channel = 10000\n\n\
         [submit.channels.webhook]\nurl = \"http://{addr}/hook\"\nsecret = \"drill-secret-0123456789\"\n"
    )
}

/// A loopback OpenAI (every answer a schema-valid analysis, 1,000 prompt and 200 completion
/// tokens, after a short think) and a loopback Greenhouse board with `jobs` postings.
struct Mocks {
    addr: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    /// Webhook requests per `Idempotency-Key`.
    hooks: Arc<std::sync::Mutex<std::collections::BTreeMap<String, u64>>>,
    server: tokio::task::JoinHandle<()>,
}

async fn mocks(jobs: usize) -> Result<Mocks> {
    use axum::routing::{get, post};
    let requests = Arc::new(AtomicUsize::new(0));
    let job = domain::Job::from_posting_text("drill", "Backend Engineer\nRust, Kafka and PostgreSQL. Remote.");
    let answer = analysis::analyze_job_output(&analysis::HeuristicAnalyzer.analyze(&job)).to_string();
    let completion = json!({
        "id": "chatcmpl-drill", "object": "chat.completion", "created": 1_767_225_600, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}
    });
    let listing: Vec<Value> = (0..jobs)
        .map(|i| {
            json!({
                "id": 7000 + i, "title": format!("Backend Engineer {i}"), "company_name": format!("Drill Co {}", i % 7),
                "absolute_url": format!("https://boards.example.com/drill/jobs/{}", 7000 + i),
                "location": {"name": "Remote - London"}, "updated_at": "2026-11-20T10:00:00Z",
                "first_published": "2026-11-20T10:00:00Z",
                "content": format!("We build payments in Rust and Go on PostgreSQL and Kafka (team {i}). Remote, London hours."),
            })
        })
        .collect();
    let board = json!({ "jobs": listing, "meta": {"total": jobs} }).to_string();
    let counter = requests.clone();
    let hooks = Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::<String, u64>::new()));
    let seen = hooks.clone();
    let app = axum::Router::new()
        .route(
            "/hook",
            post(move |headers: axum::http::HeaderMap, _body: axum::body::Bytes| {
                let seen = seen.clone();
                async move {
                    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    // A receiver that honours the key: the first request applies, a repeat is
                    // answered with the same result and applies nothing.
                    if let Ok(mut m) = seen.lock() {
                        *m.entry(key.clone()).or_default() += 1;
                    }
                    axum::Json(json!({ "id": format!("hook-{}", &key[..key.len().min(12)]) }))
                }
            }),
        )
        .route(
            "/v1/chat/completions",
            post(move || {
                let (counter, completion) = (counter.clone(), completion.clone());
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(15)).await;
                    axum::Json(completion)
                }
            }),
        )
        .route("/v1/boards/drill/jobs", get(move || std::future::ready(board.clone())))
        .route("/v1/boards/drill/jobs/{id}", get(|| std::future::ready(r#"{"questions": []}"#)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Mocks { addr, requests, hooks, server })
}

/// The three steps, as commands on `dir`.
fn steps(dir: &Path, addr: std::net::SocketAddr, jobs: usize) -> Vec<std::process::Command> {
    let exe = std::env::current_exe().unwrap_or_else(|_| "applyflow".into());
    let base = format!("http://{addr}");
    let args: [Vec<String>; 3] = [
        vec!["demo".into(), "--jobs".into(), jobs.to_string()],
        vec![
            "discover".into(),
            "--source".into(),
            "greenhouse:drill".into(),
            "--base-url".into(),
            base.clone(),
            "--allow-private".into(),
            "--user".into(),
            EMAIL.into(),
            "--format".into(),
            "jsonl".into(),
        ],
        vec!["run".into(), "--until-idle".into()],
    ];
    args.iter()
        .map(|a| {
            let mut c = std::process::Command::new(&exe);
            c.arg("--data-dir").arg(dir).args(a);
            c.env_remove("DATABASE_URL").env_remove("APPLYFLOW_CONFIG").env("RUST_LOG", "error");
            for k in ["ANTHROPIC_API_KEY", "OLLAMA_HOST"] {
                c.env_remove(k);
            }
            c.env("OPENAI_API_KEY", "sk-drill").env("OPENAI_BASE_URL", format!("{base}/v1"));
            c.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
            c
        })
        .collect()
}

async fn run_to_end(mut cmd: std::process::Command) -> Result<()> {
    let status = tokio::task::spawn_blocking(move || cmd.status()).await??;
    if !status.success() {
        bail!("a drill step failed: {status:?}");
    }
    Ok(())
}

/// Spend the store holds for today: (rows of `provider`, open holds of `provider`).
async fn journal(dir: &Path, provider: &str) -> Result<(u64, u64)> {
    let store = store::connect(&format!("sqlite://{}", dir.join("applyflow.db").display())).await?;
    let day = cell::Clock::now(&cell::SystemClock).date_naive();
    let rows = store.spend_on(day).await?.iter().filter(|t| t.provider == provider).map(|t| t.calls).sum();
    let holds = store.open_spend_holds(day).await?.iter().filter(|h| h.provider == provider).count() as u64;
    Ok((rows, holds))
}

pub(super) async fn sigkill(args: &BenchFaultsArgs) -> Result<FaultRow> {
    let jobs = (args.users * args.jobs).clamp(10, 40);
    let mocks = mocks(jobs).await?;

    // The reference: the three steps, uninterrupted.
    let reference = tempfile::tempdir()?;
    std::fs::write(reference.path().join("applyflow.toml"), config(mocks.addr))?;
    let mut step_ms = Vec::new();
    for cmd in steps(reference.path(), mocks.addr, jobs) {
        let t = Instant::now();
        run_to_end(cmd).await?;
        step_ms.push(t.elapsed().as_millis() as u64);
    }
    let ref_store = store::connect(&format!("sqlite://{}", reference.path().join("applyflow.db").display())).await?;
    let ref_users = ref_store.list_users().await?;
    let want = account(&ref_store, &ref_users).await?;
    let want_sent = mocks.hooks.lock().map(|m| m.len()).unwrap_or(0) as u64;
    if let Ok(mut m) = mocks.hooks.lock() {
        m.clear();
    }

    // The drill: each step killed once at a random point, then run again to its end.
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("applyflow.toml"), config(mocks.addr))?;
    mocks.requests.store(0, Ordering::SeqCst);
    let mut state = args.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut kills = Vec::new();
    let mut resume_ms = 0;
    let (killed, again) = (steps(dir.path(), mocks.addr, jobs), steps(dir.path(), mocks.addr, jobs));
    for ((mut cmd, retry), ms) in killed.into_iter().zip(again).zip(&step_ms) {
        let at = Duration::from_millis(((0.1 + 0.8 * next()) * (*ms).max(50) as f64) as u64);
        let mut child = cmd.spawn()?;
        tokio::time::sleep(at).await;
        let _ = std::process::Command::new("kill").arg("-KILL").arg(child.id().to_string()).status();
        let status = tokio::task::spawn_blocking(move || child.wait()).await??;
        kills.push(json!({ "after_ms": at.as_millis() as u64, "killed": status.code().is_none() }));
        let t = Instant::now();
        run_to_end(retry).await?;
        resume_ms += t.elapsed().as_millis() as u64;
    }
    let received = mocks.requests.load(Ordering::SeqCst) as u64;
    let hooks = mocks.hooks.lock().map(|m| m.clone()).unwrap_or_default();
    mocks.server.abort();

    let store = store::connect(&format!("sqlite://{}", dir.path().join("applyflow.db").display())).await?;
    let users = store.list_users().await?;
    let got = account(&store, &users).await?;
    let (rows, holds) = journal(dir.path(), "openai").await?;
    let sent = webhook_sent(&store, &users).await?;
    let mut r = row("sigkill", &got, 0, resume_ms, Value::Null);
    // Lost: what the clean run finished that this one did not, workflows left open that the
    // clean run did not leave open (sent applications wait for their answer in both), any billed
    // request that is neither a spend row nor an open hold, any application recorded as sent
    // that the receiver never got, and any key the receiver accepted that no application
    // records.
    let spend_lost = received.saturating_sub(rows + holds);
    let never_arrived = sent.iter().filter(|k| !hooks.contains_key(*k)).count() as u64;
    let unrecorded = hooks.keys().filter(|k| !sent.contains(*k)).count() as u64;
    r.lost = want.completed.saturating_sub(got.completed)
        + got.open.saturating_sub(want.open)
        + spend_lost
        + never_arrived
        + unrecorded;
    // Duplicated: a second accepted submission of one (user, job, channel). The receiver
    // honours the key, so a keyed resend after a kill is a replay, counted apart.
    let keyed_resends: u64 = hooks.values().map(|n| n.saturating_sub(1)).sum();
    r.duplicated += rows.saturating_sub(received) + (sent.len() as u64).saturating_sub(hooks.len() as u64);
    r.detail = json!({
        "steps": ["demo", "discover (live board)", "run --until-idle"],
        "kills": kills,
        "reference_completed": want.completed,
        "provider_requests": received,
        "spend_rows": rows,
        "open_holds": holds,
        "spend_lost": spend_lost,
        "webhook_submissions": hooks.len(),
        "webhook_requests": hooks.values().sum::<u64>(),
        "webhook_keyed_resends": keyed_resends,
        "webhook_reference_submissions": want_sent,
        "submissions_never_arrived": never_arrived,
        "submissions_unrecorded": unrecorded,
    });
    Ok(r)
}

/// The idempotency keys of every application recorded as sent through the webhook.
async fn webhook_sent(store: &store::DynStore, users: &[store::User]) -> Result<std::collections::BTreeSet<String>> {
    let mut keys = std::collections::BTreeSet::new();
    for u in users {
        let apps = store.list_applications(u.id, &store::Page { after: None, limit: u32::MAX }).await?;
        for app in apps {
            if store.get_submission(u.id, app.id).await?.is_some_and(|s| s.method == "webhook") {
                for a in store.attempts_for(u.id, app.id).await? {
                    if a.channel == "webhook" && a.status == store::AttemptStatus::Sent {
                        keys.insert(a.idempotency_key);
                    }
                }
            }
        }
    }
    Ok(keys)
}
