//! `applyflow ai spend`: one UTC day's AI spend, from the store, per user, cell, provider and
//! model, against the configured budgets (each user's own plan), with what calls in flight
//! hold; and `applyflow ai batch`: bulk, non-urgent tasks through a provider's batch API,
//! admitted against the same ledger before submission (each request holds its worst case at
//! the batch price, written ahead) and recorded at the batch price.

use crate::runtime::Env;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use store::SpendTotal;

#[derive(Default)]
struct Line {
    calls: u64,
    input_tokens: u64,
    output_tokens: u64,
    nanos: u64,
}

impl Line {
    fn add(&mut self, t: &SpendTotal) {
        self.calls += t.calls;
        self.input_tokens += t.input_tokens;
        self.output_tokens += t.output_tokens;
        self.nanos += t.cost_nanos;
    }
    fn usd(&self) -> f64 {
        self.nanos as f64 / 1e9
    }
}

fn used_pct(spent: f64, cap: Option<f64>) -> Value {
    match cap {
        Some(cap) if cap > 0.0 => json!(((spent / cap) * 1000.0).round() / 10.0),
        _ => Value::Null,
    }
}

pub async fn run(env: &Env, date: Option<chrono::NaiveDate>, as_json: bool) -> Result<()> {
    let store = env.store().await?;
    let day = date.unwrap_or_else(|| cell::clock::system().now().date_naive());
    let totals = store.spend_on(day).await?;
    let emails: BTreeMap<String, String> =
        store.list_users().await?.into_iter().map(|u| (u.id.to_string(), u.email)).collect();
    let held: u64 = store.open_spend_holds(day).await?.iter().map(|h| h.reserved_nanos).sum();
    let held_usd = held as f64 / 1e9;
    let ai = &env.config.ai;
    let plan_of = |user: &str| ai.budget.plan_of(user, ai.plan);
    let user_cap = |user: &str| ai.budget.plans.get(plan_of(user)).user_cap_usd;
    let calls_cap = |user: &str| ai.budget.plans.get(plan_of(user)).calls_per_day;
    let cell_cap = ai.budget.cell_cap_usd;

    let (mut users, mut cells, mut models, mut total) =
        (BTreeMap::<&str, Line>::new(), BTreeMap::<&str, Line>::new(), BTreeMap::new(), Line::default());
    for t in &totals {
        users.entry(&t.user).or_default().add(t);
        cells.entry(&t.cell).or_default().add(t);
        models.entry((t.provider.as_str(), t.model.as_str())).or_insert_with(Line::default).add(t);
        total.add(t);
    }
    let name = |id: &str| emails.get(id).cloned().unwrap_or_else(|| id.to_owned());
    if as_json {
        let out = json!({
            "date": day.to_string(),
            "plan": ai.plan.as_str(),
            "total_usd": total.usd(),
            "calls": total.calls,
            "held_usd": held_usd,
            "users": users.iter().map(|(id, l)| json!({
                "user": id, "name": name(id), "plan": plan_of(id).as_str(), "calls": l.calls, "spent_usd": l.usd(),
                "cap_usd": user_cap(id), "calls_cap": calls_cap(id), "used_pct": used_pct(l.usd(), user_cap(id)),
            })).collect::<Vec<_>>(),
            "cells": cells.iter().map(|(id, l)| json!({
                "cell": id, "calls": l.calls, "spent_usd": l.usd(), "cap_usd": cell_cap,
                "used_pct": used_pct(l.usd(), cell_cap),
            })).collect::<Vec<_>>(),
            "models": models.iter().map(|((p, m), l)| json!({
                "provider": p, "model": m, "calls": l.calls, "input_tokens": l.input_tokens,
                "output_tokens": l.output_tokens, "spent_usd": l.usd(),
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let cap = |c: Option<f64>| c.map_or("unlimited".to_owned(), |c| format!("${c:.2}"));
    let pct = |spent: f64, c: Option<f64>| used_pct(spent, c).as_f64().map_or("-".to_owned(), |p| format!("{p:.1} %"));
    println!("AI spend on {day} (UTC): ${:.4} in {} calls; plan {}", total.usd(), total.calls, ai.plan.as_str());
    if held > 0 {
        println!("held by calls in flight (or cut off by a crash): ${held_usd:.4}");
    }
    if totals.is_empty() {
        println!("no AI calls recorded that day");
        return Ok(());
    }
    println!("\n{:<36} {:>7} {:>11} {:>11} {:>8}", "user", "calls", "spent", "daily cap", "used");
    for (id, l) in &users {
        println!(
            "{:<36} {:>7} {:>11} {:>11} {:>8}",
            name(id),
            l.calls,
            format!("${:.4}", l.usd()),
            cap(user_cap(id)),
            pct(l.usd(), user_cap(id))
        );
    }
    println!("\n{:<36} {:>7} {:>11} {:>11} {:>8}", "cell", "calls", "spent", "daily cap", "used");
    for (id, l) in &cells {
        println!(
            "{:<36} {:>7} {:>11} {:>11} {:>8}",
            id,
            l.calls,
            format!("${:.4}", l.usd()),
            cap(cell_cap),
            pct(l.usd(), cell_cap)
        );
    }
    println!("\n{:<36} {:>7} {:>11} {:>11} {:>11}", "provider / model", "calls", "in tokens", "out tokens", "spent");
    for ((p, m), l) in &models {
        println!(
            "{:<36} {:>7} {:>11} {:>11} {:>11}",
            format!("{p} / {m}"),
            l.calls,
            l.input_tokens,
            l.output_tokens,
            format!("${:.4}", l.usd())
        );
    }
    Ok(())
}

/// The batch client for `provider` (or the first configured), from the environment.
fn batch_client(provider: Option<&str>) -> Result<Box<dyn llm::providers::batch_api::BatchProvider>> {
    use llm::providers::batch_api::{AnthropicBatch, OpenAiBatch};
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let err = |e: llm::LlmError| anyhow::anyhow!("{e}");
    let openai = || -> Result<Option<Box<dyn llm::providers::batch_api::BatchProvider>>> {
        let Some(key) = var("OPENAI_API_KEY") else { return Ok(None) };
        let mut config = llm::providers::OpenAiConfig { api_key: Some(key), ..Default::default() };
        if let Some(base) = var("OPENAI_BASE_URL") {
            config.base_url = base;
        }
        Ok(Some(Box::new(OpenAiBatch::new(config).map_err(err)?)))
    };
    let anthropic = || -> Result<Option<Box<dyn llm::providers::batch_api::BatchProvider>>> {
        let Some(key) = var("ANTHROPIC_API_KEY") else { return Ok(None) };
        let mut config = llm::providers::AnthropicConfig::new(key);
        if let Some(base) = var("ANTHROPIC_BASE_URL") {
            config.base_url = base;
        }
        Ok(Some(Box::new(AnthropicBatch::new(config).map_err(err)?)))
    };
    let found = match provider {
        Some("openai") => openai()?,
        Some("anthropic") => anthropic()?,
        Some(other) => anyhow::bail!("unknown batch provider `{other}` (openai or anthropic)"),
        None => match openai()? {
            Some(p) => Some(p),
            None => anthropic()?,
        },
    };
    found.ok_or_else(|| {
        anyhow::anyhow!("no batch provider configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY (batch APIs need one)")
    })
}

/// How long after the deadline a batch's holds may stay open before recovery charges them.
const BATCH_HOLD_MARGIN: std::time::Duration = std::time::Duration::from_secs(3600);

pub async fn batch(
    env: &Env,
    task: &str,
    provider: Option<&str>,
    every: std::time::Duration,
    deadline: std::time::Duration,
    files: &[std::path::PathBuf],
) -> Result<()> {
    use anyhow::Context as _;
    let client = batch_client(provider)?;
    let mut requests = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let input = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        if input.len() > 1 << 20 {
            anyhow::bail!("{} is larger than 1 MiB", file.display());
        }
        requests.push((format!("req-{i}"), crate::ai::task_request(task, input, crate::ai::CLI_PAYER)?));
    }
    let wired = crate::ai::wired(env, Vec::new()).await?;
    let outcome = run_batch(&wired.client, env, client.as_ref(), &requests, every, deadline, files).await;
    crate::ai::finish(wired).await;
    let failed = outcome?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} request(s) failed", files.len());
    }
    Ok(())
}

/// Holds every request's worst case at the batch price (all or nothing), submits, waits, and
/// charges each request: its usage at the batch price when answered, its hold when the answer
/// was unusable (billed all the same), nothing when it never ran. Returns how many failed.
async fn run_batch(
    ai: &llm::AiClient,
    env: &Env,
    client: &dyn llm::providers::batch_api::BatchProvider,
    requests: &[(String, llm::LlmRequest)],
    every: std::time::Duration,
    deadline: std::time::Duration,
    files: &[std::path::PathBuf],
) -> Result<usize> {
    use llm::providers::batch_api::{batch_cost_usd, BATCH_DISCOUNT};
    let cell_id = env.config.cell.cell_id.clone();
    let payer = ai.payer(crate::ai::CLI_PAYER, &cell_id);
    let lifetime = deadline.saturating_add(BATCH_HOLD_MARGIN);
    let mut held = Vec::with_capacity(requests.len());
    for (i, (_, req)) in requests.iter().enumerate() {
        let model = client.model(req.tier);
        let estimate = ai.prices().max_cost_usd(client.name(), model, req) * BATCH_DISCOUNT;
        match ai.hold(&payer, &req.task, client.name(), model, estimate, lifetime).await {
            Ok(h) => held.push(h),
            Err(e) => {
                held.into_iter().for_each(llm::Held::release);
                anyhow::bail!("the batch does not fit the AI budget ({i} of {} requests fit): {e}", requests.len());
            }
        }
    }
    let batch = match client.submit(requests).await {
        Ok(batch) => batch,
        Err(e) => {
            held.into_iter().for_each(llm::Held::release);
            anyhow::bail!("{e}");
        }
    };
    let results = match client.wait(&batch, every, deadline).await {
        Ok(results) => results,
        Err(e) => {
            // Some requests may have run (and been billed) before the batch was given up.
            for (h, (_, req)) in held.into_iter().zip(requests) {
                h.charge(client.model(req.tier), None);
            }
            anyhow::bail!("{e}");
        }
    };
    let mut failed = 0;
    for ((((custom_id, result), file), h), (_, req)) in results.into_iter().zip(files).zip(held).zip(requests) {
        let line = match result {
            Ok(r) => {
                let cost = batch_cost_usd(ai.prices(), &r);
                h.charge_usd(&r.model, cost, r.usage);
                json!({ "custom_id": custom_id, "file": file, "provider": r.provider, "model": r.model,
                        "cost_usd": cost, "output": r.output.unwrap_or(Value::String(r.text)) })
            }
            Err(e) => {
                failed += 1;
                if matches!(e, llm::LlmError::InvalidOutput(_) | llm::LlmError::Malformed(_)) {
                    // Answered (and billed), but unusable: charged what it held.
                    h.charge(client.model(req.tier), None);
                } else {
                    h.release();
                }
                json!({ "custom_id": custom_id, "file": file, "error": e.to_string(), "kind": e.label() })
            }
        };
        println!("{line}");
    }
    Ok(failed)
}
