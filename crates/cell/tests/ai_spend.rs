//! The cell's AI wiring on every store engine: spend is persisted per charged provider request
//! (invalid answers, malformed bodies and timeouts included, so persisted spend equals what the
//! providers received), a restart starts from today's persisted spend and the holds of billed
//! calls a kill cut off (the cap still holds), `flush` writes everything pending, and crossing
//! an alert threshold yields an `ai.spend_alert` event, a metric and a webhook POST, resent
//! until delivered, across restarts too.
// Test fixtures stamp wall-clock times and fresh ids; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_trait::async_trait;
use cell::ai::{wire, AiSetup, WiredAi};
use chrono::{DateTime, Utc};
use domain::{CellId, EventType};
use llm::budget::{BudgetConfig, Payer, Plan, PlanLimit, PlanLimits};
use llm::pricing::{ModelPrice, PriceTable};
use llm::providers::{OpenAiConfig, OpenAiProvider};
use llm::{AiConfig, LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers with `max_tokens` output tokens of gpt-4o-mini (0.60 USD per million at default
/// prices), so a call costs just under its reservation.
struct PricedProvider;

#[async_trait]
impl Provider for PricedProvider {
    fn name(&self) -> &str {
        "openai"
    }
    fn model(&self, _tier: Tier) -> &str {
        "gpt-4o-mini"
    }
    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        Ok(LlmResponse {
            provider: "openai".into(),
            model: "gpt-4o-mini".into(),
            text: format!("ok {}", req.input),
            output: None,
            usage: Usage { input_tokens: 0, output_tokens: u64::from(req.max_tokens) },
        })
    }
}

fn setup(webhook: &str) -> AiSetup {
    let limit = PlanLimit { calls_per_day: None, user_cap_usd: Some(1.0) };
    let budget = BudgetConfig {
        plans: PlanLimits { free: limit, pro: limit, enterprise: limit },
        cell_cap_usd: Some(100.0),
        alert_thresholds: vec![0.5],
        ..BudgetConfig::default()
    };
    AiSetup {
        providers: vec![Arc::new(PricedProvider)],
        config: AiConfig { budget, ..AiConfig::default() },
        plan: Plan::Pro,
        alert_webhook: Some(webhook.to_owned()),
        clock: cell::clock::system(),
    }
}

fn request(i: usize) -> LlmRequest {
    LlmRequest {
        task: "echo".into(),
        tier: Tier::Cheap,
        system: "echo".into(),
        input: format!("call number {i} with distinct words {}", i * 7919),
        schema: None,
        // 250k output tokens: exactly 0.15 USD.
        max_tokens: 250_000,
        user_id: None,
    }
}

async fn eventually<F: std::future::Future<Output = bool>>(mut check: impl FnMut() -> F) {
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("condition not reached in 2 s");
}

#[tokio::test]
async fn spend_is_persisted_restored_and_alerts_reach_log_metric_and_webhook() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = common::new_user(&store, &format!("spend-{}@example.com", ts.name)).await;
        let hook = MockServer::start().await;
        Mock::given(method("POST")).and(path("/alerts")).respond_with(ResponseTemplate::new(204)).mount(&hook).await;
        let webhook = format!("{}/alerts", hook.uri());
        let cell = common::cell_with(store.clone(), vec![]);
        let user_id = user.id.to_string();
        let payer = Payer { user: &user_id, cell: "cell-test", plan: Plan::Pro };

        let wired = wire(store.clone(), CellId::new("cell-test"), &cell.metrics(), setup(&webhook)).await.unwrap();
        // Four calls of 0.15 USD: 0.60 of the 1.00 cap, crossing 50 % on the fourth.
        for i in 0..4 {
            wired.client.run(&request(i), &payer).await.unwrap();
        }
        let today = chrono::Utc::now().date_naive();
        eventually(|| {
            let store = store.clone();
            async move { store.spend_on(today).await.unwrap().first().is_some_and(|t| t.calls == 4) }
        })
        .await;
        let totals = store.spend_on(today).await.unwrap();
        assert_eq!((totals[0].user.as_str(), totals[0].cost_nanos), (user_id.as_str(), 600_000_000), "{}", ts.name);

        eventually(|| {
            let store = store.clone();
            async move {
                store
                    .events_after(Some(user.id), 0, 100)
                    .await
                    .unwrap()
                    .iter()
                    .any(|e| e.event.as_ref().is_ok_and(|e| e.event_type == EventType::SpendAlert))
            }
        })
        .await;
        let alert = store.events_after(Some(user.id), 0, 100).await.unwrap().pop().unwrap().event.unwrap();
        assert_eq!(alert.payload["scope"], "user");
        assert_eq!(alert.payload["threshold"], 0.5);
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/../../docs/events/ai.spend_alert.schema.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&serde_json::to_value(&alert).unwrap()), "the event matches its schema");
        eventually(|| {
            let hook = &hook;
            async move { hook.received_requests().await.is_some_and(|r| !r.is_empty()) }
        })
        .await;
        let posted: serde_json::Value =
            serde_json::from_slice(&hook.received_requests().await.unwrap()[0].body).unwrap();
        assert_eq!((posted["scope"].as_str(), posted["id"].as_str()), (Some("user"), Some(user_id.as_str())));
        let text = cell.metrics().render();
        assert!(text.contains("applyflow_ai_spend_alerts_total{scope=\"user\",threshold=\"0.5\"} 1"), "{text}");
        assert!(text.contains("applyflow_ai_spend_usd_total{provider=\"openai\",model=\"gpt-4o-mini\"} 0.6"), "{text}");

        // A restart: the new client starts from the persisted 0.60, so only two more calls fit.
        for t in wired.tasks {
            t.abort();
        }
        let again = wire(store.clone(), CellId::new("cell-test"), &cell.metrics(), setup(&webhook)).await.unwrap();
        let mut answered = 0;
        for i in 10..20 {
            if again.client.run(&request(i), &payer).await.is_ok() {
                answered += 1;
            }
        }
        assert_eq!(answered, 2, "{}: 0.60 + 2 × 0.15 = 0.90; a third would pass 1.00", ts.name);
    }
}

// --- the caps are real money: billed attempts, write-ahead, flush, alerts at least once ---

/// A billed provider whose answer never comes (the process dies while it is in flight).
struct Hanging;

#[async_trait]
impl Provider for Hanging {
    fn name(&self) -> &str {
        "openai"
    }
    fn model(&self, _tier: Tier) -> &str {
        "gpt-4o-mini"
    }
    async fn complete(&self, _req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        std::future::pending().await
    }
}

fn clock_at(at: DateTime<Utc>, seed: u64) -> cell::clock::DynClock {
    Arc::new(cell::clock::ManualClock::new(at, seed))
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-14T12:00:00Z").unwrap().with_timezone(&Utc)
}

fn budget(cap: f64) -> BudgetConfig {
    let limit = PlanLimit { calls_per_day: None, user_cap_usd: Some(cap) };
    BudgetConfig {
        plans: PlanLimits { free: limit, pro: limit, enterprise: limit },
        cell_cap_usd: Some(1_000.0),
        alert_thresholds: vec![0.5],
        ..BudgetConfig::default()
    }
}

fn setup_with(
    providers: Vec<Arc<dyn Provider>>,
    config: AiConfig,
    webhook: Option<String>,
    clock: cell::clock::DynClock,
) -> AiSetup {
    AiSetup { providers, config, plan: Plan::Pro, alert_webhook: webhook, clock }
}

async fn wire_with(store: &store::DynStore, setup: AiSetup) -> WiredAi {
    wire(store.clone(), CellId::new("cell-test"), &cell::metrics::Metrics::default(), setup).await.unwrap()
}

/// A hard kill: the writers stop at once (whatever they hold in memory is gone), then the calls.
fn kill(wired: WiredAi, calls: Vec<tokio::task::JoinHandle<()>>) {
    for t in wired.tasks {
        t.abort();
    }
    for c in calls {
        c.abort();
    }
}

#[tokio::test]
async fn a_billed_call_cut_off_by_a_kill_still_counts_and_is_charged_in_full() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let config = AiConfig { budget: budget(1.0), ..AiConfig::default() };
        let wired =
            wire_with(&store, setup_with(vec![Arc::new(Hanging)], config.clone(), None, clock_at(start(), 1))).await;
        let client = wired.client.clone();
        let call = tokio::spawn(async move {
            let payer = llm::client::payer("u-1", "cell-test", Plan::Pro);
            let _ = client.run(&request(1), &payer).await;
        });
        let day = start().date_naive();
        let mut holds = Vec::new();
        for _ in 0..200 {
            holds = store.open_spend_holds(day).await.unwrap();
            if !holds.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(holds.len(), 1, "{}: the hold is durable before the request is sent", ts.name);
        let reserved = holds[0].reserved_nanos;
        assert!(reserved > 0);
        kill(wired, vec![call]);

        // The next start counts the open hold in full: the cap still holds.
        let again =
            wire_with(&store, setup_with(vec![Arc::new(PricedProvider)], config.clone(), None, clock_at(start(), 2)))
                .await;
        let report = again.client.spend();
        assert_eq!(report.by_user["u-1"].calls, 1, "{}", ts.name);
        assert!((report.by_user["u-1"].usd - reserved as f64 / 1e9).abs() < 1e-9, "{}", ts.name);
        kill(again, vec![]);

        // Once stale (no live call can close it), the hold becomes a spend row of its amount.
        let later = start() + chrono::Duration::hours(1);
        let recovered = wire_with(&store, setup_with(vec![], config, None, clock_at(later, 3))).await;
        assert!(store.open_spend_holds(day).await.unwrap().is_empty(), "{}", ts.name);
        let totals = store.spend_on(day).await.unwrap();
        assert_eq!((totals.len(), totals[0].calls, totals[0].cost_nanos), (1, 1, reserved), "{}", ts.name);
        assert_eq!(recovered.client.spend().by_user["u-1"].calls, 1);
        kill(recovered, vec![]);
    }
}

#[tokio::test]
async fn flush_writes_every_pending_record_at_once() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let offline: Arc<dyn Provider> = Arc::new(analysis::OfflineProvider::new());
        let config = AiConfig { budget: budget(1.0), ..AiConfig::default() };
        let wired = wire_with(&store, setup_with(vec![offline], config, None, clock_at(start(), 1))).await;
        let payer = llm::client::payer("u-1", "cell-test", Plan::Pro);
        for i in 0..20 {
            let job = domain::Job::from_text("test", &format!("Engineer {i}"), &format!("Rust and Go, number {i}"));
            wired.client.run(&analysis::task::analyze_job_request(&job), &payer).await.unwrap();
        }
        assert!(
            store.open_spend_holds(start().date_naive()).await.unwrap().is_empty(),
            "a free provider writes nothing ahead"
        );
        let flushed = wired.flush().await;
        assert_eq!(flushed.undelivered_alerts, 0);
        let totals = store.spend_on(start().date_naive()).await.unwrap();
        assert_eq!(totals.iter().map(|t| t.calls).sum::<u64>(), 20, "{}: all written when flush returns", ts.name);
        kill(wired, vec![]);
    }
}

fn completion(model: &str, content: &str, prompt: u64, out: u64) -> serde_json::Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": model,
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": content }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out }
    })
}

fn compatible(name: &str, server: &MockServer) -> Arc<dyn Provider> {
    Arc::new(
        OpenAiProvider::new(OpenAiConfig {
            name: name.to_owned(),
            base_url: format!("{}/v1", server.uri()),
            api_key: Some("sk-test".to_owned()),
            cheap_model: format!("{name}-mini"),
            expensive_model: format!("{name}-large"),
            timeout: Duration::from_secs(5),
            ..OpenAiConfig::default()
        })
        .unwrap(),
    )
}

#[tokio::test]
async fn persisted_spend_equals_what_the_providers_received() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let schema = json!({
            "type": "object", "required": ["skills"], "additionalProperties": false,
            "properties": { "skills": { "type": "array", "items": { "type": "string" } } }
        });
        let (invalid, malformed, slow, good) = (
            MockServer::start().await,
            MockServer::start().await,
            MockServer::start().await,
            MockServer::start().await,
        );
        let answer = |model: &str, content: &str| {
            ResponseTemplate::new(200).set_body_json(completion(model, content, 2_000, 300))
        };
        Mock::given(method("POST")).respond_with(answer("a-mini", r#"{"skills": "rust"}"#)).mount(&invalid).await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops"))
            .mount(&malformed)
            .await;
        Mock::given(method("POST"))
            .respond_with(answer("c-mini", r#"{"skills": ["rust"]}"#).set_delay(Duration::from_secs(3)))
            .mount(&slow)
            .await;
        Mock::given(method("POST")).respond_with(answer("d-mini", r#"{"skills": ["rust"]}"#)).mount(&good).await;
        let mut prices = PriceTable::default();
        for name in ["a", "b", "c", "d"] {
            prices.set(name, &format!("{name}-mini"), ModelPrice::new(2.0, 8.0));
        }
        let chain = llm::chain::ChainConfig {
            call_timeout: Duration::from_millis(300),
            retry: domain::RetryPolicy::new(0, Duration::from_millis(1)),
            ..llm::chain::ChainConfig::default()
        };
        let config = AiConfig { budget: budget(10.0), prices, chain, ..AiConfig::default() };
        let providers = vec![
            compatible("a", &invalid),
            compatible("b", &malformed),
            compatible("c", &slow),
            compatible("d", &good),
        ];
        let wired = wire_with(&store, setup_with(providers, config, None, clock_at(start(), 1))).await;
        let payer = llm::client::payer("u-1", "cell-test", Plan::Pro);
        let mut total_usd = 0.0;
        for i in 0..3 {
            let req = LlmRequest { schema: Some(schema.clone()), max_tokens: 1_000, ..request(i) };
            let answer = wired.client.run(&req, &payer).await.unwrap();
            assert_eq!(answer.provider, "d", "{}", ts.name);
            total_usd += answer.cost_usd;
        }
        wired.flush().await;
        let mut requests = 0;
        for server in [&invalid, &malformed, &slow, &good] {
            requests += server.received_requests().await.map_or(0, |r| r.len() as u64);
        }
        assert_eq!(requests, 12, "{}: four requests per call", ts.name);
        let totals = store.spend_on(start().date_naive()).await.unwrap();
        assert_eq!(
            totals.iter().map(|t| t.calls).sum::<u64>(),
            requests,
            "{}: one spend row per request received",
            ts.name
        );
        for (name, server) in [("a", &invalid), ("b", &malformed), ("c", &slow), ("d", &good)] {
            let rows: u64 = totals.iter().filter(|t| t.provider == name).map(|t| t.calls).sum();
            assert_eq!(rows, server.received_requests().await.unwrap().len() as u64, "{}: {name}", ts.name);
        }
        let persisted: u64 = totals.iter().map(|t| t.cost_nanos).sum();
        assert!(
            (persisted as f64 / 1e9 - total_usd).abs() < 1e-6,
            "{}: persisted {persisted} charged {total_usd}",
            ts.name
        );
        assert!((wired.client.spend().total.usd - total_usd).abs() < 1e-9);
        assert!(
            store.open_spend_holds(start().date_naive()).await.unwrap().is_empty(),
            "{}: every hold closed",
            ts.name
        );
        kill(wired, vec![]);
    }
}

#[tokio::test]
async fn an_alert_is_marked_sent_only_once_delivered_and_resent_after_a_restart() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = common::new_user(&store, &format!("alerts-{}@example.com", ts.name)).await;
        let user_id = user.id.to_string();
        let hook = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&hook).await;
        let webhook = Some(format!("{}/alerts", hook.uri()));
        let config = AiConfig { budget: budget(1.0), ..AiConfig::default() };
        let wired = wire_with(
            &store,
            setup_with(vec![Arc::new(PricedProvider)], config.clone(), webhook.clone(), clock_at(start(), 1)),
        )
        .await;
        let payer = llm::client::payer(&user_id, "cell-test", Plan::Pro);
        for i in 0..4 {
            wired.client.run(&request(i), &payer).await.unwrap();
        }
        let flushed = wired.flush().await;
        assert_eq!(flushed.undelivered_alerts, 1, "{}: the webhook refused it", ts.name);
        assert_eq!(store.unsent_spend_alerts().await.unwrap().len(), 1);
        kill(wired, vec![]);

        // The webhook is back; the next start resends the stored alert.
        hook.reset().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&hook).await;
        let again =
            wire_with(&store, setup_with(vec![Arc::new(PricedProvider)], config, webhook, clock_at(start(), 2))).await;
        assert_eq!(again.flush().await.undelivered_alerts, 0, "{}", ts.name);
        assert!(store.unsent_spend_alerts().await.unwrap().is_empty());
        let posted = hook.received_requests().await.unwrap();
        assert_eq!(posted.len(), 1);
        let body: serde_json::Value = serde_json::from_slice(&posted[0].body).unwrap();
        assert_eq!((body["scope"].as_str(), body["threshold"].as_f64()), (Some("user"), Some(0.5)));
        let alerts = store
            .events_after(Some(user.id), 0, 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event.as_ref().is_ok_and(|e| e.event_type == EventType::SpendAlert))
            .count();
        assert_eq!(alerts, 1, "{}: retried, but logged once", ts.name);
        kill(again, vec![]);
    }
}

#[tokio::test]
async fn a_threshold_crossed_before_a_crash_without_its_alert_is_alerted_on_start() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = common::new_user(&store, &format!("crash-{}@example.com", ts.name)).await;
        // The spend was written, but the process died before its alert was.
        let row = store::SpendRow {
            at: start(),
            user: user.id.to_string(),
            cell: "cell-test".into(),
            task: "echo".into(),
            provider: "openai".into(),
            model: "gpt-4o-mini".into(),
            input_tokens: 0,
            output_tokens: 1_000_000,
            cost_nanos: 600_000_000,
        };
        store.record_spend(&[row]).await.unwrap();
        let hook = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&hook).await;
        let config = AiConfig { budget: budget(1.0), ..AiConfig::default() };
        let wired = wire_with(
            &store,
            setup_with(vec![], config, Some(hook.uri()), clock_at(start() + chrono::Duration::minutes(5), 1)),
        )
        .await;
        assert_eq!(wired.flush().await.undelivered_alerts, 0, "{}", ts.name);
        assert_eq!(hook.received_requests().await.unwrap().len(), 1, "{}", ts.name);
        let stored = store.spend_alerts_on(start().date_naive()).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(stored[0].sent_at.is_some());
        kill(wired, vec![]);
    }
}
