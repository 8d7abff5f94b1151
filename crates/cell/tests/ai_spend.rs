//! The cell's AI wiring on every store engine: spend is persisted per call, a restart starts
//! from today's persisted spend (the cap still holds), and crossing an alert threshold yields
//! an `ai.spend_alert` event, a metric and a webhook POST.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_trait::async_trait;
use cell::ai::{wire, AiSetup};
use domain::{CellId, EventType};
use llm::budget::{BudgetConfig, Payer, Plan, PlanLimit, PlanLimits};
use llm::{AiConfig, LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
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
    };
    AiSetup {
        providers: vec![Arc::new(PricedProvider)],
        config: AiConfig { budget, ..AiConfig::default() },
        plan: Plan::Pro,
        alert_webhook: Some(webhook.to_owned()),
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
