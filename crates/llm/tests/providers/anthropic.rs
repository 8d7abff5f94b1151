//! Anthropic Messages: forced tool calls for structured output, typed error bodies.

use crate::common::{analysis_json, body_where, fenced, request, JOB, SYSTEM};
use llm::providers::{AnthropicConfig, AnthropicProvider};
use llm::{LlmError, Provider, Tier, Usage};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn provider(server: &MockServer) -> AnthropicProvider {
    AnthropicProvider::new(AnthropicConfig {
        base_url: server.uri(),
        timeout: Duration::from_millis(500),
        ..AnthropicConfig::new("sk-ant-test-secret")
    })
    .unwrap()
}

fn message(content: Value) -> Value {
    json!({
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-3-5-haiku-20241022",
        "content": content,
        "stop_reason": "tool_use",
        "stop_sequence": null,
        "usage": { "input_tokens": 523, "output_tokens": 88 }
    })
}

fn error_body(kind: &str, msg: &str) -> Value {
    json!({ "type": "error", "error": { "type": kind, "message": msg } })
}

async fn error_of(template: ResponseTemplate) -> LlmError {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/messages")).respond_with(template).mount(&server).await;
    provider(&server)
        .complete(&request("analyze_job", Tier::Cheap, Some(crate::common::task_schema())))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn structured_output_is_a_forced_tool_call() {
    let server = MockServer::start().await;
    let schema = crate::common::task_schema();
    let expected_schema = schema.clone();
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", "sk-ant-test-secret"))
        .and(header("anthropic-version", "2023-06-01"))
        .and(body_where(move |b| {
            b["model"] == "claude-3-5-haiku-latest"
                && b["max_tokens"] == 512
                && b["system"] == SYSTEM
                && b["messages"] == json!([{ "role": "user", "content": fenced(JOB) }])
                && b["tools"][0]["name"] == "analyze_job"
                && b["tools"][0]["description"].is_string()
                && b["tools"][0]["input_schema"] == expected_schema
                && b["tool_choice"] == json!({ "type": "tool", "name": "analyze_job" })
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(message(json!([
            { "type": "text", "text": "Here is the analysis." },
            { "type": "tool_use", "id": "toolu_01", "name": "analyze_job", "input": analysis_json() }
        ]))))
        .expect(1)
        .mount(&server)
        .await;

    let answer = provider(&server).complete(&request("analyze_job", Tier::Cheap, Some(schema))).await.unwrap();
    assert_eq!(answer.provider, "anthropic");
    assert_eq!(answer.model, "claude-3-5-haiku-20241022");
    assert_eq!(answer.output, Some(analysis_json()));
    assert_eq!(serde_json::from_str::<Value>(&answer.text).unwrap(), analysis_json());
    assert_eq!(answer.usage, Usage { input_tokens: 523, output_tokens: 88 });
}

#[tokio::test]
async fn text_answers_join_the_text_blocks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(body_where(|b| {
            b["model"] == "claude-sonnet-4-20250514" && b.get("tools").is_none() && b.get("tool_choice").is_none()
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(message(json!([
            { "type": "text", "text": "Strong " },
            { "type": "text", "text": "match." }
        ]))))
        .expect(1)
        .mount(&server)
        .await;
    let answer = provider(&server).complete(&request("summarize", Tier::Expensive, None)).await.unwrap();
    assert_eq!((answer.text.as_str(), answer.output), ("Strong match.", None));
}

#[tokio::test]
async fn typed_errors_map_to_the_error_split() {
    let overloaded = ResponseTemplate::new(529).set_body_json(error_body("overloaded_error", "Overloaded"));
    assert_eq!(error_of(overloaded).await, LlmError::Overloaded);

    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "12")
        .set_body_json(error_body("rate_limit_error", "Number of requests has exceeded your rate limit"));
    assert_eq!(error_of(limited).await, LlmError::RateLimited { retry_after: Some(Duration::from_secs(12)) });

    let api = ResponseTemplate::new(500).set_body_json(error_body("api_error", "Internal server error"));
    assert_eq!(error_of(api).await, LlmError::Server { status: 500, message: "Internal server error".to_owned() });

    let auth = ResponseTemplate::new(401).set_body_json(error_body("authentication_error", "invalid x-api-key"));
    assert_eq!(error_of(auth).await, LlmError::Auth("invalid x-api-key".to_owned()));

    let bad =
        ResponseTemplate::new(400).set_body_json(error_body("invalid_request_error", "max_tokens: Field required"));
    assert_eq!(error_of(bad).await, LlmError::BadRequest("max_tokens: Field required".to_owned()));

    let too_large =
        ResponseTemplate::new(413).set_body_json(error_body("request_too_large", "Request exceeds the maximum size"));
    assert!(matches!(error_of(too_large).await, LlmError::BadRequest(_)));

    // Without a typed body the status alone decides.
    assert_eq!(error_of(ResponseTemplate::new(529)).await, LlmError::Overloaded);
    assert!(matches!(error_of(ResponseTemplate::new(502)).await, LlmError::Server { status: 502, .. }));
}

#[tokio::test]
async fn malformed_answers_are_malformed() {
    let not_json = error_of(ResponseTemplate::new(200).set_body_string("upstream connect error")).await;
    assert!(matches!(not_json, LlmError::Malformed(_)), "{not_json:?}");
    let no_tool = error_of(
        ResponseTemplate::new(200).set_body_json(message(json!([{ "type": "text", "text": "I'd rather not." }]))),
    )
    .await;
    assert!(matches!(no_tool, LlmError::Malformed(_)), "{no_tool:?}");
}

#[tokio::test]
async fn unknown_content_blocks_are_skipped() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message(json!([
            { "type": "thinking", "thinking": "…", "signature": "sig" },
            { "type": "tool_use", "id": "toolu_01", "name": "analyze_job", "input": analysis_json() }
        ]))))
        .mount(&server)
        .await;
    let answer = provider(&server)
        .complete(&request("analyze_job", Tier::Cheap, Some(crate::common::task_schema())))
        .await
        .unwrap();
    assert_eq!(answer.output, Some(analysis_json()));
}

#[tokio::test]
async fn slow_answers_time_out() {
    let slow = ResponseTemplate::new(200).set_body_json(message(json!([]))).set_delay(Duration::from_secs(3));
    assert_eq!(error_of(slow).await, LlmError::Timeout(Duration::from_millis(500)));
}

#[test]
fn keys_never_show_in_debug_output_and_env_config_needs_a_key() {
    let p = AnthropicProvider::new(AnthropicConfig::new("sk-ant-live-xyz789")).unwrap();
    let shown = format!("{p:?}");
    assert!(!shown.contains("sk-ant-live-xyz789") && shown.contains("redacted"), "{shown}");
    assert!(AnthropicProvider::from_lookup(|_| None).is_none());
    let keyed = AnthropicProvider::from_lookup(|name: &str| match name {
        "ANTHROPIC_API_KEY" => Some("sk-ant-x".to_owned()),
        "ANTHROPIC_BASE_URL" => Some("http://127.0.0.1:9/".to_owned()),
        _ => None,
    });
    assert_eq!(keyed.map(|p| p.name().to_owned()).as_deref(), Some("anthropic"));
}
