//! Budget caps limit what providers actually bill: every provider request that may have been
//! billed — a schema-invalid answer, a malformed body, a call cut off by the timeout (and its
//! retry), the expensive-tier escalation — is charged and recorded, not only the answer that was
//! used, so the requests the (wiremock) providers received and the recorded spend agree exactly.
//! Each billed attempt is written ahead (a hold) before it is sent, and a cap stops requests
//! before they reach a provider.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_trait::async_trait;
use common::{request, task_schema};
use domain::RetryPolicy;
use llm::budget::{BudgetConfig, Plan, PlanLimit, PlanLimits};
use llm::chain::ChainConfig;
use llm::observe::{SpendHold, SpendJournal, SpendRecord, SpendSink};
use llm::pricing::{ModelPrice, PriceTable};
use llm::providers::{OpenAiConfig, OpenAiProvider};
use llm::{AiClient, AiConfig, AiError, AiSinks, LlmRequest, Provider, Tier};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every spend record and every released hold.
#[derive(Default)]
struct Spend {
    records: Mutex<Vec<SpendRecord>>,
    released: Mutex<Vec<String>>,
}

impl SpendSink for Spend {
    fn record(&self, record: SpendRecord) {
        self.records.lock().unwrap().push(record);
    }
    fn release(&self, hold: &str) {
        self.released.lock().unwrap().push(hold.to_owned());
    }
}

impl Spend {
    fn records(&self) -> Vec<SpendRecord> {
        self.records.lock().unwrap().clone()
    }
}

/// Every hold written ahead.
#[derive(Default)]
struct Journal(Mutex<Vec<SpendHold>>);

#[async_trait]
impl SpendJournal for Journal {
    async fn hold(&self, hold: &SpendHold) -> Result<(), String> {
        self.0.lock().unwrap().push(hold.clone());
        Ok(())
    }
}

impl Journal {
    fn holds(&self) -> Vec<SpendHold> {
        self.0.lock().unwrap().clone()
    }
}

fn completion(model: &str, content: &str, prompt: u64, completion: u64) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": content }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion }
    })
}

fn valid() -> String {
    json!({"skills": ["rust"], "seniority": "senior", "years_experience": 6}).to_string()
}

fn invalid() -> String {
    // JSON, but not the task's schema.
    json!({"skills": "rust", "level": "senior"}).to_string()
}

/// A billed, OpenAI-compatible provider called `name` on `server`, with cheap and expensive
/// models `<name>-cheap` and `<name>-expensive`.
fn provider(name: &str, server: &MockServer) -> Arc<dyn Provider> {
    Arc::new(
        OpenAiProvider::new(OpenAiConfig {
            name: name.to_owned(),
            base_url: format!("{}/v1", server.uri()),
            api_key: Some("sk-test".to_owned()),
            cheap_model: format!("{name}-cheap"),
            expensive_model: format!("{name}-expensive"),
            timeout: Duration::from_secs(5),
            ..OpenAiConfig::default()
        })
        .unwrap(),
    )
}

fn prices(names: &[&str]) -> PriceTable {
    let mut prices = PriceTable::default();
    for name in names {
        prices.set(name, &format!("{name}-cheap"), ModelPrice::new(1.0, 4.0));
        prices.set(name, &format!("{name}-expensive"), ModelPrice::new(10.0, 40.0));
    }
    prices
}

fn unlimited() -> BudgetConfig {
    let limit = PlanLimit { calls_per_day: None, user_cap_usd: None };
    BudgetConfig {
        plans: PlanLimits { free: limit, pro: limit, enterprise: limit },
        cell_cap_usd: None,
        ..BudgetConfig::default()
    }
}

fn client(
    providers: Vec<Arc<dyn Provider>>,
    prices: PriceTable,
    budget: BudgetConfig,
) -> (AiClient, Arc<Spend>, Arc<Journal>) {
    let spend = Arc::new(Spend::default());
    let journal = Arc::new(Journal::default());
    let config = AiConfig {
        chain: ChainConfig {
            call_timeout: Duration::from_millis(300),
            retry: RetryPolicy::new(1, Duration::from_millis(1)),
            ..ChainConfig::default()
        },
        budget,
        prices,
        plan: Plan::Pro,
        ..AiConfig::default()
    };
    let sinks = AiSinks { spend: spend.clone(), journal: Some(journal.clone()), ..AiSinks::default() };
    (AiClient::with_sinks(providers, config, sinks), spend, journal)
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn analyze_request() -> LlmRequest {
    request("analyze_job", Tier::Cheap, Some(task_schema()))
}

#[tokio::test]
async fn every_request_a_provider_received_is_charged_and_recorded() {
    let (invalid_json, malformed, slow, good) =
        (MockServer::start().await, MockServer::start().await, MockServer::start().await, MockServer::start().await);
    let answer = |model: &str, content: String, prompt, out| {
        ResponseTemplate::new(200).set_body_json(completion(model, &content, prompt, out))
    };
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(answer("alpha-cheap", invalid(), 1_000, 200))
        .mount(&invalid_json)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"choices\": [ oops"))
        .mount(&malformed)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(answer("gamma-cheap", valid(), 1_000, 200).set_delay(Duration::from_secs(2)))
        .mount(&slow)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(answer("delta-cheap", valid(), 800, 100))
        .mount(&good)
        .await;
    let names = ["alpha", "beta", "gamma", "delta"];
    let providers = vec![
        provider("alpha", &invalid_json),
        provider("beta", &malformed),
        provider("gamma", &slow),
        provider("delta", &good),
    ];
    let (client, spend, journal) = client(providers, prices(&names), unlimited());
    let req = analyze_request();
    let payer = client.payer("user-1", "cell-1");

    let answer = client.run(&req, &payer).await.unwrap();
    assert_eq!(answer.provider, "delta");
    let outcomes: Vec<(&str, &str, bool)> =
        answer.attempts.iter().map(|a| (a.provider.as_str(), a.outcome.as_str(), a.billed)).collect();
    assert_eq!(
        outcomes,
        [
            ("alpha", "invalid_output", true),
            ("beta", "malformed", true),
            ("gamma", "timeout", true),
            ("gamma", "timeout", true),
            ("delta", "ok", true)
        ]
    );

    // What each provider received is exactly what was charged to it.
    let records = spend.records();
    for (name, server) in names.iter().zip([&invalid_json, &malformed, &slow, &good]) {
        let charged = records.iter().filter(|r| r.provider == *name).count();
        assert_eq!(charged, received(server).await, "{name}: requests received = attempts charged");
    }
    assert_eq!(records.len(), 5);

    // With usage where the provider reported it, at the attempt's upper bound where it did not.
    let p = client.prices();
    let bound = |name: &str| p.max_cost_usd(name, &format!("{name}-cheap"), &req);
    let usage_cost = |name: &str, input: u64, output: u64| {
        p.cost_usd(name, &format!("{name}-cheap"), llm::Usage { input_tokens: input, output_tokens: output })
    };
    let expected = [
        ("alpha", usage_cost("alpha", 1_000, 200)),
        ("beta", bound("beta")),
        ("gamma", bound("gamma")),
        ("gamma", bound("gamma")),
        ("delta", usage_cost("delta", 800, 100)),
    ];
    for (r, (name, cost)) in records.iter().zip(expected) {
        assert_eq!(r.provider, name);
        assert!(close(r.cost_usd, cost), "{name}: charged {} expected {cost}", r.cost_usd);
    }
    let total: f64 = expected.iter().map(|(_, c)| c).sum();
    assert!(close(answer.cost_usd, total), "the answer reports everything the call cost");
    let report = client.spend();
    assert!(close(report.total.usd, total), "ledger {} recorded {total}", report.total.usd);
    assert_eq!(report.total.calls, 5);
    assert_eq!(report.by_user["user-1"].calls, 5, "every billed request counts against the plan's call limit");
    assert_eq!(report.reserved_usd, 0.0, "nothing is left held");

    // Each billed request was written ahead, and each record closes its own hold.
    let holds = journal.holds();
    assert_eq!(holds.len(), 5);
    let mut closed: Vec<&str> = records.iter().map(|r| r.hold.as_deref().unwrap()).collect();
    let mut written: Vec<&str> = holds.iter().map(|h| h.id.as_str()).collect();
    closed.sort_unstable();
    written.sort_unstable();
    assert_eq!(closed, written);
    assert!(holds.iter().all(|h| h.reserved_usd > 0.0 && h.stale_at > h.at));
}

#[tokio::test]
async fn the_expensive_escalation_is_charged_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"model": "alpha-cheap"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("alpha-cheap", &invalid(), 500, 50)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"model": "alpha-expensive"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("alpha-expensive", &valid(), 500, 60)))
        .mount(&server)
        .await;
    let (client, spend, journal) = client(vec![provider("alpha", &server)], prices(&["alpha"]), unlimited());
    let answer = client.run(&analyze_request(), &client.payer("u", "c")).await.unwrap();
    assert_eq!(answer.model, "alpha-expensive");
    let records = spend.records();
    assert_eq!(records.len(), received(&server).await);
    let models: Vec<&str> = records.iter().map(|r| r.model.as_str()).collect();
    assert_eq!(models, ["alpha-cheap", "alpha-expensive"]);
    let cheap = client.prices().cost_usd("alpha", "alpha-cheap", llm::Usage { input_tokens: 500, output_tokens: 50 });
    let dear =
        client.prices().cost_usd("alpha", "alpha-expensive", llm::Usage { input_tokens: 500, output_tokens: 60 });
    assert!(close(records[0].cost_usd, cheap) && close(records[1].cost_usd, dear));
    assert!(close(client.spend().total.usd, cheap + dear));
    assert_eq!(journal.holds().len(), 2);
}

#[tokio::test]
async fn a_cap_stops_requests_before_they_reach_a_provider() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    for server in [&first, &second] {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string("not json at all"))
            .mount(server)
            .await;
    }
    let prices = prices(&["alpha", "beta"]);
    let req = analyze_request();
    // Room for exactly one attempt's upper bound.
    let bound = prices.max_cost_usd("alpha", "alpha-cheap", &req);
    let limit = PlanLimit { calls_per_day: None, user_cap_usd: Some(bound * 1.5) };
    let budget = BudgetConfig {
        plans: PlanLimits { free: limit, pro: limit, enterprise: limit },
        cell_cap_usd: None,
        ..BudgetConfig::default()
    };
    let providers = vec![provider("alpha", &first), provider("beta", &second)];
    let (client, spend, _) = client(providers, prices, budget);
    let payer = client.payer("u", "c");
    let err = client.run(&req, &payer).await.unwrap_err();
    let AiError::Failed { attempts, .. } = err else { panic!("one request was sent: {err:?}") };
    let outcomes: Vec<&str> = attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["malformed", "budget_exceeded"]);
    assert_eq!((received(&first).await, received(&second).await), (1, 0), "the cap kept the second request home");
    assert_eq!(spend.records().len(), 1);
    assert!(client.spend().total.usd <= bound * 1.5);

    // Nothing fits any more: refused before anything is sent.
    let again = client.run(&request("analyze_job", Tier::Cheap, Some(json!({"type": "object"}))), &payer).await;
    assert!(matches!(again, Err(AiError::Refused(_))), "{again:?}");
    assert_eq!(received(&first).await, 1);
}

#[tokio::test]
async fn a_call_abandoned_mid_request_is_charged_in_full() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(completion("alpha-cheap", &valid(), 10, 10))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let (client, spend, journal) = client(vec![provider("alpha", &server)], prices(&["alpha"]), unlimited());
    let req = analyze_request();
    let payer = client.payer("u", "c");
    // The caller gives up once the request is at the provider (waiting for it to arrive, not
    // for a fixed time: on a loaded machine the request may take a while to get there).
    {
        let run = client.run(&req, &payer);
        tokio::pin!(run);
        let arrived = async {
            while received(&server).await == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::select! {
            _ = &mut run => panic!("the call answered before it was abandoned"),
            _ = tokio::time::timeout(Duration::from_secs(10), arrived) => {}
        }
    }
    let records = spend.records();
    assert_eq!(records.len(), received(&server).await);
    let bound = client.prices().max_cost_usd("alpha", "alpha-cheap", &req);
    assert!(close(records[0].cost_usd, bound));
    assert_eq!(records[0].hold.as_deref(), Some(journal.holds()[0].id.as_str()));
    assert_eq!(client.spend().reserved_usd, 0.0);
}

#[tokio::test]
async fn unbilled_failures_release_their_hold_and_free_providers_write_nothing_ahead() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("{\"error\": {\"message\": \"down\"}}"))
        .mount(&server)
        .await;
    let free = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion("llama", &valid(), 10, 10)))
        .mount(&free)
        .await;
    let local: Arc<dyn Provider> =
        Arc::new(OpenAiProvider::new(OpenAiConfig::local(format!("{}/v1", free.uri()), "llama")).unwrap());
    let (client, spend, journal) = client(vec![provider("alpha", &server), local], prices(&["alpha"]), unlimited());
    let answer = client.run(&analyze_request(), &client.payer("u", "c")).await.unwrap();
    assert_eq!(answer.provider, "local");
    assert_eq!(answer.cost_usd, 0.0);
    let holds = journal.holds();
    assert_eq!(holds.len(), 2, "one hold per request to the billed provider (and its retry)");
    let mut released = spend.released.lock().unwrap().clone();
    released.sort_unstable();
    let mut written: Vec<String> = holds.iter().map(|h| h.id.clone()).collect();
    written.sort_unstable();
    assert_eq!(released, written, "a 503 is not billed: its hold is closed without spend");
    let records = spend.records();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].provider.as_str(), records[0].cost_usd, records[0].hold.as_deref()), ("local", 0.0, None));
}

#[test]
fn plans_come_from_the_configuration_per_user() {
    let mut budget = BudgetConfig::default();
    budget.user_plans.insert("vip".into(), Plan::Enterprise);
    budget.user_plans.insert("trial".into(), Plan::Free);
    let config = AiConfig { budget, plan: Plan::Pro, ..AiConfig::default() };
    let client = AiClient::new(vec![], config);
    assert_eq!(client.payer("vip", "c").plan, Plan::Enterprise);
    assert_eq!(client.payer("trial", "c").plan, Plan::Free);
    assert_eq!(client.payer("anyone", "c").plan, Plan::Pro);
}

#[test]
fn interactive_requests_are_rate_limited_per_user_by_plan() {
    let clock = Arc::new(clock::ManualClock::at_epoch());
    let mut budget = BudgetConfig::default();
    budget.user_plans.insert("trial".into(), Plan::Free);
    budget.request_rates.free = Some(2);
    budget.request_rates.pro = None;
    let config = AiConfig { budget, plan: Plan::Pro, ..AiConfig::default() };
    let client = AiClient::with_sinks(vec![], config, AiSinks { clock: clock.clone(), ..AiSinks::default() });
    assert!(client.throttle("trial").is_ok() && client.throttle("trial").is_ok());
    let wait = client.throttle("trial").unwrap_err().retry_after;
    assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30), "{wait:?}");
    assert!((0..100).all(|_| client.throttle("pro-user").is_ok()), "unlimited plan");
    clock.advance(Duration::from_secs(30));
    assert!(client.throttle("trial").is_ok(), "the allowance refills over the minute");
}
