//! `applyflow ai ask`: run one AI task through the provider chain (OpenAI → Anthropic → local →
//! offline, each present only when configured), and `applyflow bench ai`: the AI layer's own
//! overhead, cache lookup latency and the cache's duplicate-call reduction and wrong-hit rate.
//!
//! One-shot commands that call providers (`ai ask`, `ai batch`, `tailor`) spend against the
//! same ledger as the cell ([`wired`]): today's persisted spend is restored, every charged
//! attempt is recorded in the store, billed ones are written ahead, and the payer `cli` is on
//! the configured plan (`ai.plan`, or `ai.budget.user_plans.cli`).

use analysis::task::ANALYZE_JOB;
use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use llm::budget::Plan;
use llm::cache::{evaluate_cache, parse_cache_corpus, CACHE_LABELLED};
use llm::{AiClient, AiConfig, LlmRequest, Provider};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum AiCommand {
    /// Run one task over FILE through the provider chain.
    Ask {
        /// The task (today: analyze_job)
        #[arg(long)]
        task: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = AskFormat::Text)]
        format: AskFormat,
    },
    /// Run one task over many files through a provider's batch API (OpenAI Batch or Anthropic
    /// Message Batches: half price, results within 24 h); prints one JSON line per file.
    Batch {
        /// The task (today: analyze_job)
        #[arg(long)]
        task: String,
        /// `openai` or `anthropic` [default: the first configured]
        #[arg(long)]
        provider: Option<String>,
        /// Seconds between status polls
        #[arg(long, default_value_t = 30)]
        poll_secs: u64,
        /// Give up (and cancel the batch) after this many hours
        #[arg(long, default_value_t = 24)]
        deadline_hours: u64,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show a day's AI spend per user, cell, provider and model against the budgets.
    Spend {
        /// The UTC day (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = AskFormat::Text)]
        format: AskFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AskFormat {
    Text,
    Json,
}

/// The request for a task over some input: for `analyze_job`, the same request the workflow's
/// analyzer sends (the first line is the title, the rest the description).
pub fn task_request(task: &str, input: String, user: &str) -> Result<LlmRequest> {
    if task != ANALYZE_JOB {
        bail!("unknown task `{task}` (known: {ANALYZE_JOB})");
    }
    let job = tailor::job_from_paste("cli", &input);
    let mut req = analysis::task::analyze_job_request(&job);
    req.user_id = Some(user.to_owned());
    Ok(req)
}

/// The payer of the CLI's own AI calls.
pub const CLI_PAYER: &str = "cli";

/// How long a one-shot command waits at exit for its spend and alerts to be written.
const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The AI layer of a one-shot command over `providers`, wired to the configured store like the
/// cell's. Hand it to [`finish`] before exiting.
pub async fn wired(env: &crate::runtime::Env, providers: Vec<Arc<dyn Provider>>) -> Result<cell::ai::WiredAi> {
    // Two one-shot commands started at once on a new data directory race to migrate it (SQLite
    // has no migration lock): the loser fails on a table the winner just made, and succeeds
    // when it looks again.
    let mut tries = 0;
    let store = loop {
        match env.store().await {
            Ok(store) => break store,
            Err(e) if tries < 4 => {
                tries += 1;
                tracing::debug!(error = %e, tries, "opening the store failed; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(100 * tries)).await;
            }
            Err(e) => return Err(e),
        }
    };
    let setup = cell::ai::AiSetup {
        providers,
        config: env.config.ai.ai_config()?,
        plan: env.config.ai.plan,
        alert_webhook: env.config.ai.alert_webhook.clone(),
        clock: cell::clock::system(),
    };
    let cell_id = domain::CellId::new(env.config.cell.cell_id.clone());
    let metrics = cell::metrics::Metrics::default();
    cell::ai::wire(store, cell_id, &metrics, setup).await.context("cannot set up the AI layer")
}

/// Writes what the command spent (and its alerts), then stops the writers.
pub async fn finish(wired: cell::ai::WiredAi) {
    match tokio::time::timeout(FLUSH_TIMEOUT, wired.flush()).await {
        Ok(flushed) if flushed.undelivered_alerts > 0 => eprintln!(
            "note: {} spend alert(s) could not be delivered yet; they are stored and resent on the next run",
            flushed.undelivered_alerts
        ),
        Ok(_) => {}
        Err(_) => eprintln!("warning: the AI spend could not be written within {FLUSH_TIMEOUT:?}"),
    }
    for task in wired.tasks {
        task.abort();
    }
}

pub async fn run(env: &crate::runtime::Env, cmd: AiCommand) -> Result<()> {
    match cmd {
        AiCommand::Ask { task, file, format } => ask(env, task, file, format).await,
        AiCommand::Batch { task, provider, poll_secs, deadline_hours, files } => {
            let every = std::time::Duration::from_secs(poll_secs.max(1));
            let deadline = std::time::Duration::from_secs(deadline_hours.max(1) * 3600);
            crate::ai_spend::batch(env, &task, provider.as_deref(), every, deadline, &files).await
        }
        AiCommand::Spend { date, format } => crate::ai_spend::run(env, date, format == AskFormat::Json).await,
    }
}

async fn ask(env: &crate::runtime::Env, task: String, file: PathBuf, format: AskFormat) -> Result<()> {
    let input = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    if input.len() > 1 << 20 {
        bail!("{} is larger than 1 MiB", file.display());
    }
    let req = task_request(&task, input, CLI_PAYER)?;
    let providers = analysis::chain_from_env();
    let names: Vec<String> = providers.iter().map(|p| p.name().to_owned()).collect();
    let wired = wired(env, providers).await?;
    let cell_id = env.config.cell.cell_id.clone();
    let payer = wired.client.payer(CLI_PAYER, &cell_id);
    let result = wired.client.run(&req, &payer).await;
    finish(wired).await;
    match result {
        Ok(answer) => {
            if format == AskFormat::Json {
                println!("{}", serde_json::to_string(&answer)?);
            } else {
                eprintln!("chain: {}", names.join(" → "));
                eprintln!("answered by {} ({}), charged ${:.6}", answer.provider, answer.model, answer.cost_usd);
                for a in &answer.attempts {
                    eprintln!("  {:<10} {:<28} {:<16} {} ms", a.provider, a.model, a.outcome, a.latency_ms);
                }
                println!("{}", serde_json::to_string_pretty(&answer.output)?);
            }
            Ok(())
        }
        Err(e) => bail!("{e}"),
    }
}

/// A loopback upstream speaking OpenAI's Chat Completions wire format that answers every call
/// at once with `answer` as the structured output.
async fn mock_upstream(answer: &serde_json::Value) -> Result<(String, tokio::task::JoinHandle<()>)> {
    use axum::routing::post;
    let body = serde_json::json!({
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": answer.to_string() },
            "finish_reason": "stop"
        }],
        "usage": { "prompt_tokens": 500, "completion_tokens": 100, "total_tokens": 600 }
    })
    .to_string();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(move || {
            let body = body.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("cannot bind a loopback port")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(error = %e, "bench upstream stopped");
        }
    });
    Ok((format!("http://{addr}/v1"), server))
}

fn pct(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    (v[((v.len() - 1) as f64 * q).round() as usize] * 10.0).round() / 10.0
}

pub async fn bench(corpus: Option<&Path>, calls: usize) -> Result<()> {
    let answer = analysis::task::analyze_job_output(&analysis::HeuristicAnalyzer.analyze(&sample_job()));
    let (base_url, server) = mock_upstream(&answer).await?;
    let openai = llm::providers::OpenAiProvider::new(llm::providers::OpenAiConfig {
        base_url: base_url.clone(),
        api_key: Some("bench".into()),
        ..Default::default()
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let providers: Vec<Arc<dyn Provider>> = vec![Arc::new(openai)];
    let client = AiClient::new(providers, AiConfig { cache: analysis::cache_config(), ..AiConfig::default() });
    let direct = reqwest::Client::new();
    let feed = discovery::offline_feed()?;
    let payer = llm::client::payer("bench", "cell-bench", Plan::Enterprise);
    // The client's own overhead: each call (distinct input, so a cache miss through single
    // flight, the budget reservation, the chain, the OpenAI wire format, schema validation and
    // the cache fill) minus a bare HTTP round trip to the same upstream with the same body.
    let mut overhead = Vec::with_capacity(calls);
    let mut upstream = Vec::with_capacity(calls);
    for i in 0..calls.max(1) + 50 {
        let p = &feed[i % feed.len()];
        let req = task_request(ANALYZE_JOB, format!("{} #{i}\n{}", p.title, p.description), "bench")?;
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{ "role": "system", "content": req.system }, { "role": "user", "content": req.input }],
            "max_tokens": req.max_tokens,
            "response_format": { "type": "json_schema", "json_schema": { "name": "analyze_job", "strict": true, "schema": req.schema } },
        });
        let t = Instant::now();
        let raw = direct.post(format!("{base_url}/chat/completions")).bearer_auth("bench").json(&body).send().await?;
        let _: serde_json::Value = raw.json().await?;
        let bare = t.elapsed().as_secs_f64() * 1e6;
        let t = Instant::now();
        client.run(&req, &payer).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let full = t.elapsed().as_secs_f64() * 1e6;
        if i >= 50 {
            // The first 50 warm up connections and caches.
            overhead.push((full - bare).max(0.0));
            upstream.push(bare);
        }
    }
    server.abort();
    // Cache lookups against the filled cache.
    let mut lookups = Vec::with_capacity(calls);
    for i in 0..calls {
        let p = &feed[(i * 7) % feed.len()];
        let req = task_request(ANALYZE_JOB, format!("{} probe {i}\n{}", p.title, p.description), "bench")?;
        let t = Instant::now();
        let _ = client.cache().lookup(&req, client.clock().now()).await;
        lookups.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (pairs, corpus_name) = match corpus {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            (parse_cache_corpus(&text).map_err(anyhow::Error::msg)?, path.display().to_string())
        }
        None => (parse_cache_corpus(CACHE_LABELLED).map_err(anyhow::Error::msg)?, "built-in".to_owned()),
    };
    let score = evaluate_cache(&pairs, &analysis::analyze_job_semantic()).await;
    let cache_entries = client.cache().len().await?;
    println!(
        "{}",
        serde_json::json!({
            "benchmark": "ai",
            "calls": calls,
            "overhead_p50_us": pct(&mut overhead.clone(), 0.50),
            "overhead_p99_us": pct(&mut overhead, 0.99),
            "upstream": "loopback mock (OpenAI chat completions)",
            "upstream_round_trip_p50_us": pct(&mut upstream, 0.50),
            "cache_entries": cache_entries,
            "cache_lookup_p50_us": pct(&mut lookups.clone(), 0.50),
            "cache_lookup_p99_us": pct(&mut lookups, 0.99),
            "corpus": corpus_name,
            "corpus_pairs": score.pairs,
            "duplicate_call_reduction": (score.duplicate_call_reduction * 1000.0).round() / 1000.0,
            "wrong_hit_rate": (score.wrong_hit_rate * 1000.0).round() / 1000.0,
        })
    );
    Ok(())
}

fn sample_job() -> domain::Job {
    domain::Job {
        company: "Acme".into(),
        location: "Remote".into(),
        workplace: domain::WorkplaceType::Remote,
        ..domain::Job::from_text(
            "bench",
            "Senior Backend Engineer",
            "Rust, PostgreSQL and Kafka; 5+ years building distributed systems.",
        )
    }
}
