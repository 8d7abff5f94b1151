//! The batch APIs (OpenAI Batch, Anthropic Message Batches) against loopback mock servers
//! speaking their wire formats: upload, create, poll, results, per-request errors, schema
//! validation, and how whole-batch failures surface. Never the internet.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{body_where, fenced, headers_where, request, JOB, SYSTEM};
use llm::pricing::{ModelPrice, PriceTable};
use llm::providers::batch_api::{
    batch_cost_usd, AnthropicBatch, BatchCounts, BatchProvider, BatchStatus, OpenAiBatch, BATCH_DISCOUNT,
    COMPLETION_WINDOW,
};
use llm::providers::{AnthropicConfig, OpenAiConfig};
use llm::{LlmError, LlmRequest, Tier, Usage};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const POLL: Duration = Duration::from_millis(5);
const DEADLINE: Duration = Duration::from_secs(5);

fn schema() -> Value {
    json!({
        "type": "object",
        "properties": { "skills": { "type": "array", "items": { "type": "string" } } },
        "required": ["skills"],
        "additionalProperties": false
    })
}

fn requests(ids: &[&str]) -> Vec<(String, LlmRequest)> {
    ids.iter().map(|id| (id.to_string(), request("extract", Tier::Cheap, Some(schema())))).collect()
}

fn openai(server: &MockServer) -> OpenAiBatch {
    OpenAiBatch::new(OpenAiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Some("sk-test-secret".to_owned()),
        timeout: Duration::from_secs(2),
        ..OpenAiConfig::default()
    })
    .unwrap()
}

fn anthropic(server: &MockServer) -> AnthropicBatch {
    AnthropicBatch::new(AnthropicConfig {
        base_url: server.uri(),
        timeout: Duration::from_secs(2),
        ..AnthropicConfig::new("ak-test-secret")
    })
    .unwrap()
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn openai_batch(status: &str, output: Option<&str>, error: Option<&str>, counts: (u64, u64, u64)) -> Value {
    json!({
        "id": "batch_abc", "object": "batch", "endpoint": "/v1/chat/completions",
        "errors": null, "input_file_id": "file-in", "completion_window": "24h", "status": status,
        "output_file_id": output, "error_file_id": error, "created_at": 1_714_508_499,
        "request_counts": { "total": counts.0, "completed": counts.1, "failed": counts.2 },
        "metadata": null
    })
}

fn completion_line(custom_id: &str, content: Value) -> Value {
    json!({
        "id": format!("batch_req_{custom_id}"), "custom_id": custom_id,
        "response": { "status_code": 200, "request_id": "req_1", "body": {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_711_475_054,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [{ "index": 0, "message": { "role": "assistant", "content": content.to_string(), "refusal": null },
                          "finish_reason": "stop" }],
            "usage": { "prompt_tokens": 300, "completion_tokens": 20, "total_tokens": 320 }
        }},
        "error": null
    })
}

#[tokio::test]
async fn openai_upload_create_poll_and_download_with_success_invalid_and_error_lines() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .and(header("authorization", "Bearer sk-test-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "file-in", "object": "file", "bytes": 1200, "filename": "batch.jsonl", "purpose": "batch"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/batches"))
        .and(body_where(|b| {
            *b == json!({ "input_file_id": "file-in", "endpoint": "/v1/chat/completions", "completion_window": "24h" })
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch("validating", None, None, (0, 0, 0))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/batches/batch_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch("in_progress", None, None, (3, 1, 0))))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/batches/batch_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch(
            "completed",
            Some("file-out"),
            Some("file-err"),
            (3, 2, 1),
        )))
        .mount(&server)
        .await;
    let output = jsonl(&[
        completion_line("ok", json!({ "skills": ["rust", "kafka"] })),
        completion_line("bad", json!({ "skills": "rust" })),
    ]);
    Mock::given(method("GET"))
        .and(path("/v1/files/file-out/content"))
        .respond_with(ResponseTemplate::new(200).set_body_string(output))
        .mount(&server)
        .await;
    let errors = jsonl(&[json!({
        "id": "batch_req_err", "custom_id": "err",
        "response": { "status_code": 400, "request_id": "req_3", "body": {
            "error": { "message": "Invalid schema for response_format", "type": "invalid_request_error", "code": null }
        }},
        "error": null
    })]);
    Mock::given(method("GET"))
        .and(path("/v1/files/file-err/content"))
        .respond_with(ResponseTemplate::new(200).set_body_string(errors))
        .mount(&server)
        .await;

    let batch = openai(&server);
    let results = batch.run_to_completion(&requests(&["ok", "bad", "err"]), POLL, DEADLINE).await.unwrap();

    let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["ok", "bad", "err"]);
    let ok = results[0].1.as_ref().unwrap();
    assert_eq!(ok.output, Some(json!({ "skills": ["rust", "kafka"] })));
    assert_eq!((ok.provider.as_str(), ok.model.as_str()), ("openai", "gpt-4o-mini-2024-07-18"));
    assert_eq!(ok.usage, Usage { input_tokens: 300, output_tokens: 20 });
    assert!(matches!(&results[1].1, Err(LlmError::InvalidOutput(_))), "{:?}", results[1].1);
    assert_eq!(results[2].1, Err(LlmError::BadRequest("Invalid schema for response_format".to_owned())));

    // The upload is a multipart form with purpose=batch and one JSONL line per request, each
    // carrying the very body the synchronous provider sends.
    let received = server.received_requests().await.unwrap();
    let upload = received.iter().find(|r| r.url.path() == "/v1/files").unwrap();
    let content_type = upload.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let form = String::from_utf8_lossy(&upload.body);
    assert!(form.contains("name=\"purpose\"\r\n\r\nbatch\r\n"), "{form}");
    assert!(form.contains("name=\"file\"; filename=\"batch.jsonl\""), "{form}");
    let lines: Vec<Value> =
        form.lines().filter(|l| l.starts_with("{\"")).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["custom_id"], "bad");
    assert_eq!((&lines[0]["method"], &lines[0]["url"]), (&json!("POST"), &json!("/v1/chat/completions")));
    let body = &lines[0]["body"];
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(
        body["messages"],
        json!([{ "role": "system", "content": SYSTEM }, { "role": "user", "content": fenced(JOB) }])
    );
    assert_eq!(
        body["response_format"],
        json!({ "type": "json_schema", "json_schema": { "name": "extract", "schema": schema(), "strict": true } })
    );
    let polls = received.iter().filter(|r| r.url.path() == "/v1/batches/batch_abc").count();
    assert!(polls >= 3, "in_progress, completed, then results read the batch: {polls}");

    let mut prices = PriceTable::default();
    prices.set("openai", "gpt-4o-mini-2024-07-18", ModelPrice { input_per_mtok: 1.0, output_per_mtok: 10.0 });
    let full = prices.cost_usd("openai", "gpt-4o-mini-2024-07-18", ok.usage);
    assert!((batch_cost_usd(&prices, ok) - full * BATCH_DISCOUNT).abs() < 1e-12);
    assert_eq!(BATCH_DISCOUNT, 0.5);
}

fn message_batch(server: &MockServer, status: &str, counts: Value, ended: bool) -> Value {
    let results_url = ended.then(|| format!("{}/v1/messages/batches/msgbatch_01/results", server.uri()));
    json!({
        "id": "msgbatch_01", "type": "message_batch", "processing_status": status,
        "request_counts": counts, "ended_at": null, "created_at": "2024-09-24T18:37:24.100435Z",
        "expires_at": "2024-09-25T18:37:24.100435Z", "cancel_initiated_at": null, "results_url": results_url
    })
}

#[tokio::test]
async fn anthropic_create_poll_and_results_with_succeeded_errored_and_expired() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/batches"))
        .and(header("x-api-key", "ak-test-secret"))
        .and(header("anthropic-version", "2023-06-01"))
        .and(body_where(|b| {
            let params = &b["requests"][0]["params"];
            b["requests"].as_array().map(Vec::len) == Some(3)
                && b["requests"][2]["custom_id"] == "job-3"
                && params["model"] == "claude-3-5-haiku-latest"
                && params["system"] == SYSTEM
                && params["messages"] == json!([{ "role": "user", "content": fenced(JOB) }])
                && params["tools"][0]["input_schema"] == schema()
                && params["tool_choice"] == json!({ "type": "tool", "name": "extract" })
        }))
        .respond_with(ResponseTemplate::new(200).set_body_json(message_batch(
            &server,
            "in_progress",
            json!({ "processing": 3, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0 }),
            false,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/messages/batches/msgbatch_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message_batch(
            &server,
            "in_progress",
            json!({ "processing": 2, "succeeded": 1, "errored": 0, "canceled": 0, "expired": 0 }),
            false,
        )))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/messages/batches/msgbatch_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message_batch(
            &server,
            "ended",
            json!({ "processing": 0, "succeeded": 1, "errored": 1, "canceled": 0, "expired": 1 }),
            true,
        )))
        .mount(&server)
        .await;
    let results = jsonl(&[
        json!({ "custom_id": "job-1", "result": { "type": "succeeded", "message": {
            "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
            "content": [{ "type": "tool_use", "id": "toolu_01", "name": "extract", "input": { "skills": ["go"] } }],
            "stop_reason": "tool_use", "stop_sequence": null,
            "usage": { "input_tokens": 500, "output_tokens": 30 }
        }}}),
        json!({ "custom_id": "job-2", "result": { "type": "errored", "error": {
            "type": "error", "error": { "type": "invalid_request_error", "message": "max_tokens: too large" }
        }}}),
        json!({ "custom_id": "job-3", "result": { "type": "expired" } }),
    ]);
    Mock::given(method("GET"))
        .and(path("/v1/messages/batches/msgbatch_01/results"))
        .and(headers_where(|h| h.get("x-api-key").is_some_and(|v| v == "ak-test-secret")))
        .respond_with(ResponseTemplate::new(200).set_body_string(results))
        .expect(1)
        .mount(&server)
        .await;

    let batch = anthropic(&server);
    let handle = batch.submit(&requests(&["job-1", "job-2", "job-3"])).await.unwrap();
    assert_eq!((handle.provider.as_str(), handle.id.as_str()), ("anthropic", "msgbatch_01"));
    let counts = |processing, succeeded, errored, expired| BatchCounts {
        total: 3,
        processing,
        succeeded,
        errored,
        canceled: 0,
        expired,
    };
    assert_eq!(
        batch.poll(&handle).await.unwrap(),
        BatchStatus::InProgress { status: "in_progress".to_owned(), counts: counts(2, 1, 0, 0) }
    );
    assert_eq!(
        batch.poll(&handle).await.unwrap(),
        BatchStatus::Ended { status: "ended".to_owned(), counts: counts(0, 1, 1, 1) }
    );
    let results = batch.results(&handle).await.unwrap();
    let ok = results[0].1.as_ref().unwrap();
    assert_eq!(ok.output, Some(json!({ "skills": ["go"] })));
    assert_eq!(ok.usage, Usage { input_tokens: 500, output_tokens: 30 });
    assert_eq!(results[1].1, Err(LlmError::BadRequest("max_tokens: too large".to_owned())));
    assert_eq!(results[2].1, Err(LlmError::Timeout(COMPLETION_WINDOW)));
}

#[tokio::test]
async fn auth_failures_are_reported_at_once_without_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": { "message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/batches"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "error", "error": { "type": "authentication_error", "message": "invalid x-api-key" }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = openai(&server).run_to_completion(&requests(&["a"]), POLL, DEADLINE).await.unwrap_err();
    assert_eq!(err, LlmError::Auth("Incorrect API key provided".to_owned()));
    let err = anthropic(&server).run_to_completion(&requests(&["a"]), POLL, DEADLINE).await.unwrap_err();
    assert_eq!(err, LlmError::Auth("invalid x-api-key".to_owned()));
}

/// Mounts an upload and a create that always succeed, so a test only adds the polls.
async fn openai_submitted(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "file-in", "object": "file" })))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/batches"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch("validating", None, None, (0, 0, 0))))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_failed_batch_is_a_clear_error() {
    let server = MockServer::start().await;
    openai_submitted(&server).await;
    let mut failed = openai_batch("failed", None, None, (0, 0, 0));
    failed["errors"] = json!({ "object": "list", "data": [
        { "code": "invalid_json_line", "message": "This line is not parseable as valid JSON.", "param": null, "line": 2 }
    ]});
    Mock::given(method("GET"))
        .and(path("/v1/batches/batch_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(failed))
        .mount(&server)
        .await;

    let err = openai(&server).run_to_completion(&requests(&["a", "b"]), POLL, DEADLINE).await.unwrap_err();
    assert_eq!(
        err,
        LlmError::BadRequest(
            "openai batch batch_abc failed: line 2: This line is not parseable as valid JSON.".to_owned()
        )
    );
}

#[tokio::test]
async fn an_expired_batch_reports_each_unfinished_request_as_expired() {
    let server = MockServer::start().await;
    openai_submitted(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/batches/batch_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch(
            "expired",
            None,
            Some("file-err"),
            (2, 0, 0),
        )))
        .mount(&server)
        .await;
    let errors = jsonl(&[json!({
        "id": "batch_req_a", "custom_id": "a", "response": null,
        "error": { "code": "batch_expired", "message": "This request could not be executed before the completion window expired." }
    })]);
    Mock::given(method("GET"))
        .and(path("/v1/files/file-err/content"))
        .respond_with(ResponseTemplate::new(200).set_body_string(errors))
        .mount(&server)
        .await;

    let batch = openai(&server);
    let handle = batch.submit(&requests(&["a", "b"])).await.unwrap();
    let BatchStatus::Ended { status, counts } = batch.poll(&handle).await.unwrap() else { panic!("not ended") };
    assert_eq!((status.as_str(), counts.expired, counts.processing), ("expired", 2, 0));
    let results = batch.results(&handle).await.unwrap();
    // `a` has an error line, `b` none at all: both expired.
    assert_eq!(results[0], ("a".to_owned(), Err(LlmError::Timeout(COMPLETION_WINDOW))));
    assert_eq!(results[1], ("b".to_owned(), Err(LlmError::Timeout(COMPLETION_WINDOW))));
}

#[tokio::test]
async fn a_batch_past_its_deadline_is_canceled_and_times_out() {
    let server = MockServer::start().await;
    openai_submitted(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/batches/batch_abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch("in_progress", None, None, (1, 0, 0))))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/batches/batch_abc/cancel"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_batch("cancelling", None, None, (1, 0, 0))))
        .expect(1)
        .mount(&server)
        .await;

    let deadline = Duration::from_millis(40);
    let err = openai(&server).run_to_completion(&requests(&["a"]), POLL, deadline).await.unwrap_err();
    assert_eq!(err, LlmError::Timeout(deadline));
}

#[tokio::test]
async fn bad_batches_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let duplicate = [requests(&["a"]), requests(&["a"])].concat();
    assert!(matches!(openai(&server).submit(&duplicate).await, Err(LlmError::BadRequest(_))));
    assert!(matches!(openai(&server).submit(&[]).await, Err(LlmError::BadRequest(_))));
    assert!(matches!(anthropic(&server).submit(&requests(&["has space"])).await, Err(LlmError::BadRequest(_))));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_key_is_never_sent_to_a_results_url_on_another_host() {
    let server = MockServer::start().await;
    let mut ended = message_batch(&server, "ended", json!({ "succeeded": 1 }), true);
    ended["results_url"] = json!("https://elsewhere.example/results");
    Mock::given(method("GET"))
        .and(path("/v1/messages/batches/msgbatch_01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ended))
        .mount(&server)
        .await;
    let handle = llm::providers::batch_api::BatchHandle {
        provider: "anthropic".to_owned(),
        id: "msgbatch_01".to_owned(),
        requests: requests(&["a"]),
    };
    assert!(matches!(anthropic(&server).results(&handle).await, Err(LlmError::Malformed(_))));
}
