//! OpenAI Chat Completions / Embeddings, and the same provider as a keyless `local` server.

use crate::common::{analysis_json, body_where, closed_port_url, fenced, headers_where, request, JOB, SYSTEM};
use llm::providers::{OpenAiConfig, OpenAiProvider};
use llm::{LlmError, Provider, Tier, Usage};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn provider(server: &MockServer) -> OpenAiProvider {
    OpenAiProvider::new(OpenAiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Some("sk-test-secret".to_owned()),
        timeout: Duration::from_millis(500),
        ..OpenAiConfig::default()
    })
    .unwrap()
}

fn completion(content: Value) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content, "refusal": null },
            "finish_reason": "stop"
        }],
        "usage": { "prompt_tokens": 412, "completion_tokens": 57, "total_tokens": 469 }
    })
}

async fn answering(template: ResponseTemplate) -> (MockServer, OpenAiProvider) {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(template).mount(&server).await;
    let p = provider(&server);
    (server, p)
}

async fn error_of(template: ResponseTemplate) -> LlmError {
    let (_server, p) = answering(template).await;
    p.complete(&request("analyze_job", Tier::Cheap, Some(crate::common::task_schema()))).await.unwrap_err()
}

#[tokio::test]
async fn structured_completion_sends_the_wire_format_and_parses_the_answer() {
    let server = MockServer::start().await;
    let schema = crate::common::task_schema();
    let expected_schema = schema.clone();
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-test-secret"))
        .and(body_where(move |b| {
            b["model"] == "gpt-4o-mini"
                && b["max_tokens"] == 512
                && b["messages"]
                    == json!([
                        { "role": "system", "content": SYSTEM },
                        { "role": "user", "content": fenced(JOB) }
                    ])
                && b["response_format"]
                    == json!({
                        "type": "json_schema",
                        "json_schema": { "name": "analyze_job", "schema": expected_schema, "strict": true }
                    })
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(json!(analysis_json().to_string()))))
        .expect(1)
        .mount(&server)
        .await;

    let answer = provider(&server).complete(&request("analyze_job", Tier::Cheap, Some(schema))).await.unwrap();
    assert_eq!(answer.provider, "openai");
    assert_eq!(answer.model, "gpt-4o-mini-2024-07-18");
    assert_eq!(answer.output, Some(analysis_json()));
    assert_eq!(answer.usage, Usage { input_tokens: 412, output_tokens: 57 });
}

#[tokio::test]
async fn plain_completion_uses_the_expensive_model_and_no_response_format() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_where(|b| b["model"] == "gpt-4o" && b.get("response_format").is_none()))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(json!("A short summary."))))
        .expect(1)
        .mount(&server)
        .await;
    let answer = provider(&server).complete(&request("summarize", Tier::Expensive, None)).await.unwrap();
    assert_eq!((answer.text.as_str(), answer.output), ("A short summary.", None));
}

#[tokio::test]
async fn a_compatible_local_server_needs_no_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(headers_where(|h| !h.contains_key("authorization")))
        .and(body_where(|b| b["model"] == "qwen2.5-7b-instruct"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "qwen2.5-7b-instruct",
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": "hi" } }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let local =
        OpenAiProvider::new(OpenAiConfig::local(format!("{}/v1/", server.uri()), "qwen2.5-7b-instruct")).unwrap();
    let answer = local.complete(&request("chat", Tier::Cheap, None)).await.unwrap();
    assert_eq!((answer.provider.as_str(), answer.text.as_str()), ("local", "hi"));
    assert_eq!(answer.usage, Usage::default(), "servers that report no usage count as zero");
}

#[tokio::test]
async fn rate_limits_carry_the_wait() {
    let retry_after = ResponseTemplate::new(429).insert_header("retry-after", "3").set_body_json(
        json!({ "error": { "message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded" } }),
    );
    assert_eq!(error_of(retry_after).await, LlmError::RateLimited { retry_after: Some(Duration::from_secs(3)) });

    let reset = ResponseTemplate::new(429)
        .insert_header("x-ratelimit-remaining-tokens", "0")
        .insert_header("x-ratelimit-reset-tokens", "6m0s")
        .insert_header("x-ratelimit-reset-requests", "1s");
    assert_eq!(error_of(reset).await, LlmError::RateLimited { retry_after: Some(Duration::from_secs(360)) });
}

#[tokio::test]
async fn exhausted_quota_is_a_key_problem_not_a_rate_limit() {
    let quota = ResponseTemplate::new(429).set_body_json(json!({
        "error": {
            "message": "You exceeded your current quota",
            "type": "insufficient_quota",
            "code": "insufficient_quota"
        }
    }));
    assert_eq!(error_of(quota).await, LlmError::Auth("You exceeded your current quota".to_owned()));
}

#[tokio::test]
async fn error_statuses_map_to_the_error_split() {
    let body = |msg: &str| json!({ "error": { "message": msg, "type": "x", "param": null, "code": null } });
    let server = error_of(ResponseTemplate::new(500).set_body_json(body("The server had an error"))).await;
    assert_eq!(server, LlmError::Server { status: 500, message: "The server had an error".to_owned() });
    let auth = error_of(ResponseTemplate::new(401).set_body_json(body("Incorrect API key provided"))).await;
    assert_eq!(auth, LlmError::Auth("Incorrect API key provided".to_owned()));
    let bad = error_of(ResponseTemplate::new(400).set_body_json(body("Invalid schema for response_format"))).await;
    assert_eq!(bad, LlmError::BadRequest("Invalid schema for response_format".to_owned()));
    assert!(matches!(error_of(ResponseTemplate::new(404)).await, LlmError::BadRequest(_)));
}

#[tokio::test]
async fn malformed_answers_are_malformed() {
    let not_json = error_of(ResponseTemplate::new(200).set_body_string("<html>gateway</html>")).await;
    assert!(matches!(not_json, LlmError::Malformed(_)), "{not_json:?}");
    let wrong_shape = error_of(ResponseTemplate::new(200).set_body_json(json!({ "object": "list" }))).await;
    assert!(matches!(wrong_shape, LlmError::Malformed(_)), "{wrong_shape:?}");
    let no_choices = error_of(ResponseTemplate::new(200).set_body_json(json!({ "choices": [] }))).await;
    assert!(matches!(no_choices, LlmError::Malformed(_)), "{no_choices:?}");
    let prose = error_of(ResponseTemplate::new(200).set_body_json(completion(json!("Sure! Here you go")))).await;
    assert!(matches!(prose, LlmError::Malformed(_)), "{prose:?}");
}

#[tokio::test]
async fn a_refusal_is_no_usable_output() {
    let mut refused = completion(Value::Null);
    refused["choices"][0]["message"]["refusal"] = json!("I can't help with that.");
    let err = error_of(ResponseTemplate::new(200).set_body_json(refused)).await;
    assert!(matches!(&err, LlmError::InvalidOutput(m) if m.contains("can't help")), "{err:?}");
}

#[tokio::test]
async fn slow_answers_time_out_and_dead_servers_are_network_errors() {
    let slow = ResponseTemplate::new(200).set_body_json(completion(json!("late"))).set_delay(Duration::from_secs(3));
    assert_eq!(error_of(slow).await, LlmError::Timeout(Duration::from_millis(500)));

    let dead = OpenAiProvider::new(OpenAiConfig { base_url: closed_port_url(), ..OpenAiConfig::default() }).unwrap();
    let err = dead.complete(&request("chat", Tier::Cheap, None)).await.unwrap_err();
    assert!(matches!(err, LlmError::Network(_)), "{err:?}");
}

#[tokio::test]
async fn embeddings_come_back_in_input_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/embeddings"))
        .and(header("authorization", "Bearer sk-test-secret"))
        .and(body_where(|b| b == &json!({ "model": "text-embedding-3-small", "input": ["rust", "go"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list",
            "data": [
                { "object": "embedding", "index": 1, "embedding": [0.0, 1.0] },
                { "object": "embedding", "index": 0, "embedding": [1.0, 0.0] }
            ],
            "model": "text-embedding-3-small",
            "usage": { "prompt_tokens": 2, "total_tokens": 2 }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let p = provider(&server);
    let vectors = p.embed(&["rust".to_owned(), "go".to_owned()]).await.unwrap();
    assert_eq!(vectors, vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
    assert_eq!(p.embed(&[]).await.unwrap(), Vec::<Vec<f32>>::new(), "nothing to embed, nothing sent");
}

#[tokio::test]
async fn missing_embeddings_are_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/embeddings"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [{ "object": "embedding", "index": 0, "embedding": [1.0] }] })),
        )
        .mount(&server)
        .await;
    let err = provider(&server).embed(&["a".to_owned(), "b".to_owned()]).await.unwrap_err();
    assert!(matches!(err, LlmError::Malformed(_)), "{err:?}");
}

#[test]
fn keys_never_show_in_debug_output_and_env_config_needs_a_key() {
    let p = OpenAiProvider::new(OpenAiConfig { api_key: Some("sk-live-abc123".to_owned()), ..OpenAiConfig::default() })
        .unwrap();
    let shown = format!("{p:?}");
    assert!(!shown.contains("sk-live-abc123") && shown.contains("redacted"), "{shown}");

    assert!(OpenAiProvider::from_lookup(|_| None).is_none());
    let vars = |name: &str| (name == "OPENAI_BASE_URL").then(|| "http://127.0.0.1:8080/v1".to_owned());
    assert!(OpenAiProvider::from_lookup(vars).is_none(), "a base url alone is not a configuration");
    let keyed = OpenAiProvider::from_lookup(|name: &str| (name == "OPENAI_API_KEY").then(|| "sk-x".to_owned()));
    assert_eq!(keyed.map(|p| p.model(Tier::Cheap).to_owned()).as_deref(), Some("gpt-4o-mini"));
}
