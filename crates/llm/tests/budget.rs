//! Spend ledger (caps that hold under concurrency, call limits, alerts) and the price table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use llm::budget::{
    AlertScope, BudgetConfig, ChannelAlertSink, CollectingAlertSink, Ledger, NoAlerts, Payer, Plan, PlanLimit,
    PlanLimits, RestoredSpend,
};
use llm::pricing::{ModelPrice, PriceTable, DEFAULT_FALLBACK};
use llm::{LlmError, LlmRequest, LlmResponse, Tier, Usage};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Barrier;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap()
}

fn limit(calls: Option<u32>, cap: Option<f64>) -> PlanLimit {
    PlanLimit { calls_per_day: calls, user_cap_usd: cap }
}

fn config(free: PlanLimit, cell_cap_usd: Option<f64>) -> BudgetConfig {
    BudgetConfig {
        plans: PlanLimits { free, pro: limit(Some(3), None), enterprise: limit(None, None) },
        cell_cap_usd,
        alert_thresholds: vec![1.0, 0.5, 0.8],
        ..BudgetConfig::default()
    }
}

fn free(user: &str) -> Payer<'_> {
    Payer { user, cell: "cell-1", plan: Plan::Free }
}

/// Fires `tasks` concurrent reservations that all hold until every task has tried, then settle
/// at the full estimate; returns how many got through.
async fn contend(ledger: &Ledger, tasks: usize, users: usize, estimate: f64) -> usize {
    let barrier = Arc::new(Barrier::new(tasks));
    let granted = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let (ledger, barrier, granted) = (ledger.clone(), barrier.clone(), granted.clone());
            tokio::spawn(async move {
                let user = format!("user-{}", i % users);
                let reservation = ledger.reserve(&free(&user), estimate, now());
                barrier.wait().await;
                if let Ok(r) = reservation {
                    granted.fetch_add(1, Ordering::SeqCst);
                    r.settle("openai", "gpt-4o-mini", estimate);
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    granted.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn five_hundred_concurrent_calls_never_exceed_the_user_cap() {
    let ledger = Ledger::new(config(limit(None, Some(0.37)), None), Arc::new(NoAlerts));
    assert_eq!(contend(&ledger, 500, 1, 0.01).await, 37);
    let spent = ledger.spend().by_user["user-0"];
    assert_eq!(spent.calls, 37);
    assert!(spent.usd <= 0.37 + 1e-9, "spent {}", spent.usd);
    assert!(ledger.reserve(&free("user-0"), 0.01, now()).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn the_cap_holds_when_calls_settle_while_others_reserve() {
    let ledger = Ledger::new(config(limit(None, Some(0.5)), None), Arc::new(NoAlerts));
    let handles: Vec<_> = (0..500)
        .map(|i| {
            let ledger = ledger.clone();
            tokio::spawn(async move {
                if let Ok(r) = ledger.reserve(&free("u"), 0.01, now()) {
                    tokio::task::yield_now().await;
                    r.settle("anthropic", "claude-3-5-haiku", 0.01 * f64::from(i % 4) / 3.0);
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    let report = ledger.spend();
    assert!(report.by_user["u"].usd <= 0.5 + 1e-9, "spent {}", report.by_user["u"].usd);
    assert_eq!(report.reserved_usd, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn the_cell_cap_holds_across_users() {
    let ledger = Ledger::new(config(limit(None, Some(5.0)), Some(1.0)), Arc::new(NoAlerts));
    assert_eq!(contend(&ledger, 500, 25, 0.1).await, 10);
    let report = ledger.spend();
    assert!(report.by_cell["cell-1"].usd <= 1.0 + 1e-9);
    assert_eq!(report.by_cell["cell-1"].calls, 10);
    let other_cell = Payer { user: "user-0", cell: "cell-2", plan: Plan::Free };
    assert!(ledger.reserve(&other_cell, 0.1, now()).is_ok(), "other cells are unaffected");
}

#[test]
fn dropping_a_reservation_releases_its_hold() {
    let ledger = Ledger::new(config(limit(Some(2), Some(0.02)), None), Arc::new(NoAlerts));
    let first = ledger.reserve(&free("u"), 0.01, now()).unwrap();
    let _second = ledger.reserve(&free("u"), 0.01, now()).unwrap();
    assert!(matches!(ledger.reserve(&free("u"), 0.01, now()), Err(LlmError::BudgetExceeded(_))));
    assert!(ledger.spend().reserved_usd > 0.0199);
    drop(first);
    let third = ledger.reserve(&free("u"), 0.01, now()).unwrap();
    third.settle("openai", "gpt-4o", 0.004);
    assert_eq!(ledger.spend().by_user["u"].calls, 1);
}

#[test]
fn each_alert_threshold_fires_once_per_day() {
    let sink = Arc::new(CollectingAlertSink::default());
    let ledger = Ledger::new(config(limit(None, Some(1.0)), Some(10.0)), sink.clone());
    let spend = |usd: f64, at| ledger.reserve(&free("u"), usd, at).unwrap().settle("openai", "gpt-4o", usd);

    spend(0.3, now());
    assert!(sink.take().is_empty());
    spend(0.3, now());
    let alerts = sink.take();
    assert_eq!(alerts.len(), 1);
    assert_eq!((alerts[0].scope, alerts[0].id.as_str(), alerts[0].threshold), (AlertScope::User, "u", 0.5));
    spend(0.1, now());
    assert!(sink.take().is_empty(), "50 % does not fire twice");
    spend(0.3, now());
    let thresholds: Vec<f64> = sink.take().iter().map(|a| a.threshold).collect();
    assert_eq!(thresholds, [0.8, 1.0]);
    assert!(ledger.reserve(&free("u"), 0.01, now()).is_err(), "the cap is reached");

    let tomorrow = now() + Days::days(1);
    spend(0.6, tomorrow);
    let alerts = sink.take();
    assert_eq!(alerts.len(), 1, "a new day re-arms the thresholds");
    assert_eq!(alerts[0].date, tomorrow.date_naive());
}

#[test]
fn cell_alerts_fire_for_the_cell() {
    let sink = Arc::new(CollectingAlertSink::default());
    let ledger = Ledger::new(config(limit(None, None), Some(1.0)), sink.clone());
    for user in ["a", "b", "c"] {
        ledger.reserve(&free(user), 0.2, now()).unwrap().settle("openai", "gpt-4o", 0.2);
    }
    let alerts = sink.take();
    assert_eq!(alerts.len(), 1);
    assert_eq!((alerts[0].scope, alerts[0].id.as_str()), (AlertScope::Cell, "cell-1"));
    assert!((alerts[0].spent_usd - 0.6).abs() < 1e-9);
}

#[tokio::test]
async fn the_channel_sink_forwards_alerts() {
    let (sink, mut rx) = ChannelAlertSink::new();
    let ledger = Ledger::new(config(limit(None, Some(1.0)), None), Arc::new(sink));
    ledger.reserve(&free("u"), 1.0, now()).unwrap().settle("openai", "gpt-4o", 1.0);
    let thresholds: Vec<f64> = std::iter::from_fn(|| rx.try_recv().ok()).map(|a| a.threshold).collect();
    assert_eq!(thresholds, [0.5, 0.8, 1.0]);
}

#[test]
fn daily_call_limits_follow_the_plan_and_reset_at_utc_midnight() {
    let ledger = Ledger::new(config(limit(Some(2), None), None), Arc::new(NoAlerts));
    let call = |payer: &Payer<'_>, at| ledger.reserve(payer, 0.0, at).map(|r| r.settle("offline", "heuristic", 0.0));
    assert!(call(&free("f"), now()).is_ok());
    assert!(call(&free("f"), now()).is_ok());
    let err = call(&free("f"), now()).unwrap_err();
    assert!(err.to_string().contains("free plan"), "{err}");

    let pro = Payer { user: "p", cell: "cell-1", plan: Plan::Pro };
    assert_eq!((0..5).filter(|_| call(&pro, now()).is_ok()).count(), 3);
    let enterprise = Payer { user: "e", cell: "cell-1", plan: Plan::Enterprise };
    assert!((0..200).all(|_| call(&enterprise, now()).is_ok()));

    let midnight = Utc.with_ymd_and_hms(2025, 3, 15, 0, 0, 0).unwrap();
    assert!(call(&free("f"), midnight).is_ok());
}

#[test]
fn holds_in_flight_carry_over_midnight() {
    let ledger = Ledger::new(config(limit(None, Some(1.0)), None), Arc::new(NoAlerts));
    let held = ledger.reserve(&free("u"), 0.8, now()).unwrap();
    let tomorrow = now() + Days::days(1);
    assert!(ledger.reserve(&free("u"), 0.3, tomorrow).is_err(), "the in-flight hold still counts");
    held.settle("openai", "gpt-4o", 0.5);
    let report = ledger.spend();
    assert_eq!(report.date, Some(tomorrow.date_naive()));
    assert!((report.total.usd - 0.5).abs() < 1e-9);
}

#[test]
fn the_report_breaks_spend_down_by_provider_and_model() {
    let prices = PriceTable::default();
    let ledger = Ledger::new(BudgetConfig::default(), Arc::new(NoAlerts));
    let payer = Payer { user: "u", cell: "cell-1", plan: Plan::Pro };
    let response = LlmResponse {
        provider: "openai".into(),
        model: "gpt-4o-mini".into(),
        text: String::new(),
        output: None,
        usage: Usage { input_tokens: 1_000_000, output_tokens: 1_000_000 },
    };
    ledger.reserve(&payer, 1.0, now()).unwrap().settle_response(&response, &prices);
    ledger.reserve(&payer, 1.0, now()).unwrap().settle("ollama", "llama3.1", 0.0);
    let report = ledger.spend();
    assert!((report.by_provider["openai"].usd - 0.75).abs() < 1e-9);
    assert_eq!(report.by_model["ollama"]["llama3.1"].calls, 1);
    assert_eq!(report.total.calls, 2);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["by_model"]["openai"]["gpt-4o-mini"]["calls"], 1);
    assert_eq!(json["date"], "2025-03-14");
}

#[test]
fn invalid_estimates_are_refused() {
    let ledger = Ledger::new(BudgetConfig::default(), Arc::new(NoAlerts));
    assert!(ledger.reserve(&free("u"), f64::NAN, now()).is_err());
    assert!(ledger.reserve(&free("u"), -1.0, now()).is_err());
}

#[test]
fn prices_cover_the_default_models_and_never_price_a_paid_unknown_at_zero() {
    let prices = PriceTable::default();
    let million = Usage { input_tokens: 1_000_000, output_tokens: 1_000_000 };
    assert!((prices.cost_usd("openai", "gpt-4o-mini", million) - 0.75).abs() < 1e-9);
    assert!((prices.cost_usd("openai", "gpt-4o-mini-2024-07-18", million) - 0.75).abs() < 1e-9);
    assert!((prices.cost_usd("openai", "gpt-4o", million) - 12.5).abs() < 1e-9);
    assert!((prices.cost_usd("anthropic", "claude-3-5-haiku-latest", million) - 4.8).abs() < 1e-9);
    assert!((prices.cost_usd("anthropic", "claude-sonnet-4-20250514", million) - 18.0).abs() < 1e-9);
    for free in ["ollama", "local", "offline"] {
        assert_eq!(prices.cost_usd(free, "anything", million), 0.0);
    }
    assert!(prices.lookup("openai", "o9-preview").is_none());
    let fallback = DEFAULT_FALLBACK.cost_usd(1_000_000, 1_000_000);
    assert_eq!(prices.cost_usd("openai", "o9-preview", million), fallback);
    assert_eq!(prices.cost_usd("mistral", "large", million), fallback);
}

#[test]
fn configured_prices_overlay_the_defaults() {
    let prices: PriceTable = serde_json::from_value(serde_json::json!({
        "prices": {"openai": {"gpt-5": {"input_per_mtok": 1.25, "output_per_mtok": 10.0}}},
        "free_providers": ["ollama", "offline", "vllm"],
        "fallback": {"input_per_mtok": 20.0, "output_per_mtok": 80.0}
    }))
    .unwrap();
    assert_eq!(prices.lookup("openai", "gpt-5"), Some(ModelPrice::new(1.25, 10.0)));
    assert_eq!(prices.lookup("openai", "gpt-4o"), Some(ModelPrice::new(2.5, 10.0)));
    assert!(prices.is_free("vllm") && !prices.is_free("local"));
    assert_eq!(prices.price("anthropic", "claude-opus-9"), ModelPrice::new(20.0, 80.0));
}

#[test]
fn the_max_cost_bounds_any_answer_within_max_tokens() {
    let prices = PriceTable::default();
    let req = LlmRequest {
        task: "analyze_job".into(),
        tier: Tier::Cheap,
        system: "Extract the title.".into(),
        input: "Senior engineer wanted, Rust, remote".into(),
        schema: None,
        max_tokens: 500,
        user_id: None,
    };
    let bound = prices.max_cost_usd("openai", "gpt-4o", &req);
    let worst = Usage { input_tokens: (req.system.len() + req.input.len()) as u64, output_tokens: 500 };
    assert!(bound >= prices.cost_usd("openai", "gpt-4o", worst));
    assert_eq!(prices.max_cost_usd("offline", "heuristic", &req), 0.0);
}

#[test]
fn restored_spend_counts_against_caps_and_does_not_realert() {
    let sink = Arc::new(CollectingAlertSink::default());
    let ledger = Ledger::new(config(limit(Some(10), Some(1.0)), Some(10.0)), sink.clone());
    let row = |user: &str, calls, nanos, day| RestoredSpend {
        day,
        user: user.into(),
        cell: "cell-1".into(),
        provider: "openai".into(),
        model: "gpt-4o".into(),
        calls,
        cost_nanos: nanos,
    };
    let today = now().date_naive();
    let yesterday = today.pred_opt().unwrap();
    ledger.restore(now(), vec![row("u", 9, 600_000_000, today), row("v", 50, 999_000_000_000, yesterday)], |_| {
        Plan::Free
    });
    let report = ledger.spend();
    assert_eq!(report.by_user["u"].calls, 9);
    assert!((report.total.usd - 0.6).abs() < 1e-9, "yesterday's rows are ignored");
    assert!(!report.by_user.contains_key("v"));

    // 0.6 spent of 1.0: a 0.5 USD call does not fit, a 0.3 one does, and only 80 % alerts.
    assert!(ledger.reserve(&free("u"), 0.5, now()).is_err());
    ledger.reserve(&free("u"), 0.3, now()).unwrap().settle("openai", "gpt-4o", 0.3);
    let thresholds: Vec<f64> = sink.take().iter().map(|a| a.threshold).collect();
    assert_eq!(thresholds, [0.8], "the 50 % alert went out before the restart");
    assert!(ledger.reserve(&free("u"), 0.01, now()).is_err(), "10 calls: the plan's daily limit");
}
