//! Ollama's native `/api/chat` and `/api/embed`.

use crate::common::{analysis_json, body_where, fenced, request, JOB, SYSTEM};
use llm::providers::{OllamaConfig, OllamaProvider};
use llm::{LlmError, Provider, Tier, Usage};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn provider(server: &MockServer) -> OllamaProvider {
    OllamaProvider::new(OllamaConfig {
        base_url: server.uri(),
        timeout: Duration::from_millis(500),
        ..OllamaConfig::default()
    })
    .unwrap()
}

fn chat(content: &str) -> Value {
    json!({
        "model": "llama3.1",
        "created_at": "2024-07-22T20:33:28.123648Z",
        "message": { "role": "assistant", "content": content },
        "done_reason": "stop",
        "done": true,
        "total_duration": 1_234_000_000u64,
        "prompt_eval_count": 301,
        "eval_count": 64
    })
}

async fn error_of(template: ResponseTemplate) -> LlmError {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/api/chat")).respond_with(template).mount(&server).await;
    provider(&server)
        .complete(&request("analyze_job", Tier::Cheap, Some(crate::common::task_schema())))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn structured_chat_sends_the_schema_as_format() {
    let server = MockServer::start().await;
    let schema = crate::common::task_schema();
    let expected_schema = schema.clone();
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_where(move |b| {
            b["model"] == "llama3.1"
                && b["stream"] == false
                && b["format"] == expected_schema
                && b["options"] == json!({ "num_predict": 512 })
                && b["messages"]
                    == json!([
                        { "role": "system", "content": SYSTEM },
                        { "role": "user", "content": fenced(JOB) }
                    ])
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(chat(&analysis_json().to_string())))
        .expect(1)
        .mount(&server)
        .await;

    let answer = provider(&server).complete(&request("analyze_job", Tier::Cheap, Some(schema))).await.unwrap();
    assert_eq!((answer.provider.as_str(), answer.model.as_str()), ("ollama", "llama3.1"));
    assert_eq!(answer.output, Some(analysis_json()));
    assert_eq!(answer.usage, Usage { input_tokens: 301, output_tokens: 64 });
}

#[tokio::test]
async fn plain_chat_has_no_format_and_uses_the_expensive_model() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_where(|b| b["model"] == "llama3.1:70b" && b.get("format").is_none()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "llama3.1:70b",
            "message": { "role": "assistant", "content": "Looks good." },
            "done": true,
            "eval_count": 3
        })))
        .expect(1)
        .mount(&server)
        .await;
    let answer = provider(&server).complete(&request("summarize", Tier::Expensive, None)).await.unwrap();
    assert_eq!(answer.text, "Looks good.");
    assert_eq!(answer.usage, Usage { input_tokens: 0, output_tokens: 3 }, "a cached prompt reports no count");
}

#[tokio::test]
async fn error_statuses_map_to_the_error_split() {
    let missing = ResponseTemplate::new(404)
        .set_body_json(json!({ "error": "model \"llama3.1\" not found, try pulling it first" }));
    assert_eq!(
        error_of(missing).await,
        LlmError::BadRequest("model \"llama3.1\" not found, try pulling it first".to_owned())
    );
    let crashed = ResponseTemplate::new(500).set_body_json(json!({ "error": "llama runner process has terminated" }));
    assert_eq!(
        error_of(crashed).await,
        LlmError::Server { status: 500, message: "llama runner process has terminated".to_owned() }
    );
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "1");
    assert_eq!(error_of(busy).await, LlmError::RateLimited { retry_after: Some(Duration::from_secs(1)) });
    assert!(matches!(error_of(ResponseTemplate::new(401)).await, LlmError::Auth(_)));
    assert!(matches!(error_of(ResponseTemplate::new(400)).await, LlmError::BadRequest(_)));
}

#[tokio::test]
async fn malformed_answers_and_timeouts() {
    let not_json = error_of(ResponseTemplate::new(200).set_body_string("{\"model\":")).await;
    assert!(matches!(not_json, LlmError::Malformed(_)), "{not_json:?}");
    let prose = error_of(ResponseTemplate::new(200).set_body_json(chat("The skills are Rust and Go."))).await;
    assert!(matches!(prose, LlmError::Malformed(_)), "{prose:?}");
    let slow = ResponseTemplate::new(200).set_body_json(chat("{}")).set_delay(Duration::from_secs(3));
    assert_eq!(error_of(slow).await, LlmError::Timeout(Duration::from_millis(500)));
}

#[tokio::test]
async fn embeddings() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/embed"))
        .and(body_where(|b| b == &json!({ "model": "nomic-embed-text", "input": ["rust", "go"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "nomic-embed-text",
            "embeddings": [[0.1, 0.2], [0.3, 0.4]],
            "total_duration": 14_143_917u64,
            "prompt_eval_count": 2
        })))
        .expect(1)
        .mount(&server)
        .await;
    let vectors = provider(&server).embed(&["rust".to_owned(), "go".to_owned()]).await.unwrap();
    assert_eq!(vectors, vec![vec![0.1, 0.2], vec![0.3, 0.4]]);
}

#[test]
fn env_config_needs_ollama_host() {
    assert!(OllamaProvider::from_lookup(|_| None).is_none());
    let p = OllamaProvider::from_lookup(|name: &str| (name == "OLLAMA_HOST").then(|| "127.0.0.1:11434".to_owned()));
    assert_eq!(p.map(|p| p.model(Tier::Cheap).to_owned()).as_deref(), Some("llama3.1"));
}
