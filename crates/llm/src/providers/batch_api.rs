//! Provider batch APIs for bulk, non-urgent work: OpenAI Batch and Anthropic Message Batches.
//! Requests go out with the same bodies the synchronous providers send, answers come back
//! through the same parsers, and structured answers are validated against their request's
//! schema, so a batch result means what a `complete` result means — at a lower price
//! ([`BATCH_DISCOUNT`]) and with up to 24 hours of latency.

use super::anthropic::{self, AnthropicConfig, AnthropicProvider};
use super::http;
use super::openai::{self, OpenAiConfig, OpenAiProvider};
use crate::pricing::PriceTable;
use crate::types::{LlmError, LlmRequest, LlmResponse, Provider, Tier};
use async_trait::async_trait;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// What a batch call costs relative to the same call made synchronously: both OpenAI and
/// Anthropic bill batch requests at 50 % of their normal per-token prices. [`batch_cost_usd`]
/// applies it to the synchronous [`PriceTable`].
pub const BATCH_DISCOUNT: f64 = 0.5;

/// The window both providers promise to finish a batch in; a request still unprocessed when it
/// closes comes back as [`LlmError::Timeout`] of this length.
pub const COMPLETION_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The status a canceled request is reported with (nginx's "client closed request"): the
/// request was never run, and running it again is safe.
const CANCELED_STATUS: u16 = 499;

/// The price of a batch answer: its usage at the synchronous price, times [`BATCH_DISCOUNT`].
pub fn batch_cost_usd(prices: &PriceTable, response: &LlmResponse) -> f64 {
    prices.cost_usd(&response.provider, &response.model, response.usage) * BATCH_DISCOUNT
}

/// A submitted batch. It carries the requests so results can be parsed and validated later,
/// and it is serializable so a caller can persist it and collect the results after a restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchHandle {
    /// The provider's name (`openai`, `anthropic`).
    pub provider: String,
    /// The provider's batch id (`batch_…`, `msgbatch_…`).
    pub id: String,
    /// `(custom_id, request)` in submission order; results come back in this order.
    pub requests: Vec<(String, LlmRequest)>,
}

/// Requests of a batch by outcome so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCounts {
    pub total: u64,
    pub processing: u64,
    pub succeeded: u64,
    pub errored: u64,
    pub canceled: u64,
    pub expired: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BatchStatus {
    /// Still running; `status` is the provider's word for it (`validating`, `in_progress`,
    /// `finalizing`, `cancelling`, `canceling`).
    InProgress { status: String, counts: BatchCounts },
    /// Finished: the results can be read. `status` says how (`completed`, `expired`,
    /// `cancelled` for OpenAI; `ended` for Anthropic, whose counts tell the rest).
    Ended { status: String, counts: BatchCounts },
}

/// Each request's outcome by custom_id, in submission order.
pub type BatchResults = Vec<(String, Result<LlmResponse, LlmError>)>;

/// A provider's asynchronous batch API.
#[async_trait]
pub trait BatchProvider: Send + Sync {
    fn name(&self) -> &str;
    /// The model a request of `tier` runs on (for its budget estimate before submission).
    fn model(&self, tier: Tier) -> &str;
    /// Sends the requests as one batch. custom_ids must be unique and non-empty.
    async fn submit(&self, requests: &[(String, LlmRequest)]) -> Result<BatchHandle, LlmError>;
    async fn poll(&self, batch: &BatchHandle) -> Result<BatchStatus, LlmError>;
    /// Every request's outcome, once the batch has ended. A structured answer that does not
    /// satisfy its request's schema is `Err(InvalidOutput)`; a request without a result line
    /// is an error too, so the list always covers every request.
    async fn results(&self, batch: &BatchHandle) -> Result<BatchResults, LlmError>;
    /// Asks the provider to stop the batch; requests not yet run end as canceled.
    async fn cancel(&self, batch: &BatchHandle) -> Result<(), LlmError>;

    /// Submits, polls every `poll_every` until the batch ends, and returns the results. Poll
    /// errors worth retrying are retried at the next poll; past `deadline` the batch is
    /// canceled (best effort) and the call fails with [`LlmError::Timeout`].
    async fn run_to_completion(
        &self,
        requests: &[(String, LlmRequest)],
        poll_every: Duration,
        deadline: Duration,
    ) -> Result<BatchResults, LlmError> {
        let batch = self.submit(requests).await?;
        self.wait(&batch, poll_every, deadline).await
    }

    /// Polls a submitted batch every `poll_every` until it ends and returns the results, as
    /// [`BatchProvider::run_to_completion`] does after submitting (so a caller can account for
    /// the submission on its own: once it succeeded, the requests may be billed).
    async fn wait(
        &self,
        batch: &BatchHandle,
        poll_every: Duration,
        deadline: Duration,
    ) -> Result<BatchResults, LlmError> {
        let started = tokio::time::Instant::now();
        loop {
            match self.poll(batch).await {
                Ok(BatchStatus::Ended { .. }) => return self.results(batch).await,
                Ok(BatchStatus::InProgress { status, counts }) => {
                    tracing::debug!(batch = %batch.id, %status, ?counts, "batch still running");
                }
                Err(e) if e.is_retryable() => tracing::warn!(batch = %batch.id, error = %e, "batch poll failed"),
                Err(e) => return Err(e),
            }
            if started.elapsed() + poll_every > deadline {
                tracing::warn!(batch = %batch.id, ?deadline, "batch missed its deadline; canceling it");
                if let Err(e) = self.cancel(batch).await {
                    tracing::warn!(batch = %batch.id, error = %e, "batch cancel failed");
                }
                return Err(LlmError::Timeout(deadline));
            }
            tokio::time::sleep(poll_every).await;
        }
    }
}

/// Rejects what both APIs reject, before anything is uploaded.
fn check_requests(requests: &[(String, LlmRequest)], id_ok: fn(&str) -> bool) -> Result<(), LlmError> {
    if requests.is_empty() {
        return Err(LlmError::BadRequest("a batch needs at least one request".to_owned()));
    }
    let mut seen = HashSet::with_capacity(requests.len());
    for (id, _) in requests {
        if !id_ok(id) {
            return Err(LlmError::BadRequest(format!("invalid custom_id {id:?}")));
        }
        if !seen.insert(id.as_str()) {
            return Err(LlmError::BadRequest(format!("duplicate custom_id {id:?}")));
        }
    }
    Ok(())
}

fn check_provider(batch: &BatchHandle, name: &str) -> Result<(), LlmError> {
    if batch.provider == name {
        Ok(())
    } else {
        Err(LlmError::BadRequest(format!("batch {} belongs to {}, not {name}", batch.id, batch.provider)))
    }
}

/// Puts the parsed lines in submission order, validates structured answers, and reports a
/// request without a line with `missing`.
fn finish(
    batch: &BatchHandle,
    mut found: HashMap<String, Result<LlmResponse, LlmError>>,
    missing: impl Fn(&str) -> LlmError,
) -> BatchResults {
    let mut validators: Vec<(&Value, Result<Arc<jsonschema::Validator>, LlmError>)> = Vec::new();
    let mut results = Vec::with_capacity(batch.requests.len());
    for (id, req) in &batch.requests {
        let result = match found.remove(id) {
            None => Err(missing(id)),
            Some(Err(e)) => Err(e),
            Some(Ok(response)) => match &req.schema {
                None => Ok(response),
                Some(schema) => {
                    let validator = match validators.iter().find(|(s, _)| *s == schema) {
                        Some((_, v)) => v.clone(),
                        None => {
                            let v = jsonschema::validator_for(schema).map(Arc::new).map_err(|e| {
                                LlmError::BadRequest(format!("schema of task {} does not compile: {e}", req.task))
                            });
                            validators.push((schema, v.clone()));
                            v
                        }
                    };
                    validator.and_then(|v| validate(&v, response))
                }
            },
        };
        if let Err(e) = &result {
            tracing::debug!(batch = %batch.id, custom_id = %id, error = %e, "batch request failed");
        }
        results.push((id.clone(), result));
    }
    if !found.is_empty() {
        tracing::warn!(batch = %batch.id, unknown = found.len(), "batch results name custom_ids we did not submit");
    }
    results
}

fn validate(validator: &jsonschema::Validator, response: LlmResponse) -> Result<LlmResponse, LlmError> {
    let Some(output) = &response.output else {
        return Err(LlmError::InvalidOutput("no structured output in the answer".to_owned()));
    };
    match validator.validate(output) {
        Ok(()) => Ok(response),
        Err(e) => {
            let message: String = format!("{e} at {}", e.instance_path).chars().take(300).collect();
            Err(LlmError::InvalidOutput(message))
        }
    }
}

/// Splits a JSONL download; a line that is not the expected shape is skipped with a warning
/// (its request then reports a missing result) rather than failing the whole batch.
fn jsonl<T: for<'de> Deserialize<'de>>(body: &[u8], batch: &str) -> Vec<T> {
    body.split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .filter_map(|line| match serde_json::from_slice(line) {
            Ok(parsed) => Some(parsed),
            Err(e) => {
                tracing::warn!(batch, error = %e, "unreadable batch result line skipped");
                None
            }
        })
        .collect()
}

fn to_bytes(value: &Value) -> Vec<u8> {
    // Serializing a `Value` cannot fail (its map keys are strings).
    serde_json::to_vec(value).unwrap_or_default()
}

/// OpenAI's Batch API over `/v1/chat/completions`: a JSONL file upload, a batch, and output
/// and error files to download.
#[derive(Debug)]
pub struct OpenAiBatch {
    provider: OpenAiProvider,
}

#[derive(Deserialize)]
struct OpenAiFile {
    id: String,
}

#[derive(Deserialize)]
struct OpenAiBatchObject {
    id: String,
    status: String,
    output_file_id: Option<String>,
    error_file_id: Option<String>,
    request_counts: Option<OpenAiCounts>,
    errors: Option<Value>,
}

#[derive(Deserialize, Default)]
struct OpenAiCounts {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    completed: u64,
    #[serde(default)]
    failed: u64,
}

#[derive(Deserialize)]
struct OpenAiLine {
    custom_id: String,
    response: Option<OpenAiLineResponse>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct OpenAiLineResponse {
    status_code: u16,
    body: Value,
}

impl OpenAiBatch {
    pub fn new(config: OpenAiConfig) -> Result<Self, LlmError> {
        Ok(Self { provider: OpenAiProvider::new(config)? })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.provider.base_url())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, LlmError> {
        http::send(self.provider.authorize(request), self.provider.timeout(), openai::classify).await
    }

    async fn batch(&self, batch: &BatchHandle) -> Result<OpenAiBatchObject, LlmError> {
        check_provider(batch, self.name())?;
        let raw = self.send(self.provider.http_client().get(self.url(&format!("batches/{}", batch.id)))).await?;
        let object: OpenAiBatchObject = http::parse(&raw)?;
        if object.status == "failed" {
            // A failed batch never ran: its input did not validate, which is our bug.
            let errors = object.errors.map(|e| openai_errors(&e)).unwrap_or_default();
            return Err(LlmError::BadRequest(format!("openai batch {} failed: {errors}", object.id)));
        }
        Ok(object)
    }

    async fn download(&self, file_id: &str, batch: &str) -> Result<Vec<OpenAiLine>, LlmError> {
        let raw = self.send(self.provider.http_client().get(self.url(&format!("files/{file_id}/content")))).await?;
        Ok(jsonl(&raw, batch))
    }

    fn line_result(&self, line: OpenAiLine, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        if let Some(error) = line.error.filter(|e| !e.is_null()) {
            let message = error.get("message").and_then(Value::as_str).unwrap_or("(no message)").to_owned();
            return Err(match error.get("code").and_then(Value::as_str) {
                Some("batch_expired") => LlmError::Timeout(COMPLETION_WINDOW),
                Some("batch_cancelled") => LlmError::Server { status: CANCELED_STATUS, message },
                _ => LlmError::BadRequest(message),
            });
        }
        let Some(response) = line.response else {
            return Err(LlmError::Malformed("batch line has neither response nor error".to_owned()));
        };
        let body = to_bytes(&response.body);
        if (200..300).contains(&response.status_code) {
            self.provider.answer(req, &body)
        } else {
            let headers = HeaderMap::new();
            Err(openai::classify(response.status_code, &headers, &body)
                .unwrap_or_else(|| http::status_error(response.status_code, &headers, &body)))
        }
    }
}

fn openai_errors(errors: &Value) -> String {
    let messages: Vec<String> = errors
        .get("data")
        .and_then(Value::as_array)
        .map(|data| {
            data.iter()
                .map(|e| {
                    let message = e.get("message").and_then(Value::as_str).unwrap_or("?");
                    match e.get("line").and_then(Value::as_u64) {
                        Some(line) => format!("line {line}: {message}"),
                        None => message.to_owned(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if messages.is_empty() {
        errors.to_string().chars().take(300).collect()
    } else {
        messages.join("; ")
    }
}

#[async_trait]
impl BatchProvider for OpenAiBatch {
    fn name(&self) -> &str {
        self.provider.name()
    }

    fn model(&self, tier: Tier) -> &str {
        self.provider.model(tier)
    }

    async fn submit(&self, requests: &[(String, LlmRequest)]) -> Result<BatchHandle, LlmError> {
        check_requests(requests, |id| !id.is_empty())?;
        let mut file = Vec::new();
        for (id, req) in requests {
            let line = json!({
                "custom_id": id,
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": self.provider.request_body(req),
            });
            file.extend_from_slice(&to_bytes(&line));
            file.push(b'\n');
        }
        let part = reqwest::multipart::Part::bytes(file)
            .file_name("batch.jsonl")
            .mime_str("application/jsonl")
            .map_err(|e| LlmError::BadRequest(format!("batch file part: {e}")))?;
        let form = reqwest::multipart::Form::new().text("purpose", "batch").part("file", part);
        let raw = self.send(self.provider.http_client().post(self.url("files")).multipart(form)).await?;
        let uploaded: OpenAiFile = http::parse(&raw)?;
        let body = json!({
            "input_file_id": uploaded.id,
            "endpoint": "/v1/chat/completions",
            "completion_window": "24h",
        });
        let raw = self.send(self.provider.http_client().post(self.url("batches")).json(&body)).await?;
        let created: OpenAiBatchObject = http::parse(&raw)?;
        tracing::info!(batch = %created.id, requests = requests.len(), "openai batch submitted");
        Ok(BatchHandle { provider: self.name().to_owned(), id: created.id, requests: requests.to_vec() })
    }

    async fn poll(&self, batch: &BatchHandle) -> Result<BatchStatus, LlmError> {
        let object = self.batch(batch).await?;
        let c = object.request_counts.unwrap_or_default();
        let mut counts = BatchCounts {
            total: c.total,
            processing: c.total.saturating_sub(c.completed + c.failed),
            succeeded: c.completed,
            errored: c.failed,
            ..BatchCounts::default()
        };
        match object.status.as_str() {
            "validating" | "in_progress" | "finalizing" | "cancelling" => {
                Ok(BatchStatus::InProgress { status: object.status, counts })
            }
            "completed" | "expired" | "cancelled" => {
                let unfinished = std::mem::take(&mut counts.processing);
                match object.status.as_str() {
                    "expired" => counts.expired = unfinished,
                    "cancelled" => counts.canceled = unfinished,
                    _ => {}
                }
                Ok(BatchStatus::Ended { status: object.status, counts })
            }
            other => Err(LlmError::Malformed(format!("unknown batch status {other:?}"))),
        }
    }

    async fn results(&self, batch: &BatchHandle) -> Result<BatchResults, LlmError> {
        let object = self.batch(batch).await?;
        if !matches!(object.status.as_str(), "completed" | "expired" | "cancelled") {
            return Err(LlmError::BadRequest(format!("batch {} has not ended ({})", batch.id, object.status)));
        }
        let requests: HashMap<&str, &LlmRequest> = batch.requests.iter().map(|(id, r)| (id.as_str(), r)).collect();
        let mut found = HashMap::new();
        for file in [&object.output_file_id, &object.error_file_id].into_iter().flatten() {
            for line in self.download(file, &batch.id).await? {
                let id = line.custom_id.clone();
                let result = match requests.get(id.as_str()) {
                    Some(req) => self.line_result(line, req),
                    None => Err(LlmError::Malformed("unknown custom_id".to_owned())),
                };
                found.insert(id, result);
            }
        }
        let status = object.status;
        Ok(finish(batch, found, |id| match status.as_str() {
            "expired" => LlmError::Timeout(COMPLETION_WINDOW),
            "cancelled" => LlmError::Server { status: CANCELED_STATUS, message: "batch canceled".to_owned() },
            _ => LlmError::Malformed(format!("no result line for custom_id {id:?}")),
        }))
    }

    async fn cancel(&self, batch: &BatchHandle) -> Result<(), LlmError> {
        check_provider(batch, self.name())?;
        let url = self.url(&format!("batches/{}/cancel", batch.id));
        self.send(self.provider.http_client().post(url)).await.map(drop)
    }
}

/// Anthropic's Message Batches API: one JSON request with every Messages body, and a JSONL
/// results file at the batch's `results_url`.
#[derive(Debug)]
pub struct AnthropicBatch {
    provider: AnthropicProvider,
}

#[derive(Deserialize)]
struct MessageBatch {
    id: String,
    processing_status: String,
    #[serde(default)]
    request_counts: AnthropicCounts,
    results_url: Option<String>,
}

#[derive(Deserialize, Default)]
struct AnthropicCounts {
    #[serde(default)]
    processing: u64,
    #[serde(default)]
    succeeded: u64,
    #[serde(default)]
    errored: u64,
    #[serde(default)]
    canceled: u64,
    #[serde(default)]
    expired: u64,
}

#[derive(Deserialize)]
struct AnthropicLine {
    custom_id: String,
    result: AnthropicResult,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum AnthropicResult {
    Succeeded { message: Value },
    Errored { error: Value },
    Canceled,
    Expired,
}

/// Anthropic's custom_id rule: `^[a-zA-Z0-9_-]{1,64}$`.
fn anthropic_id_ok(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl AnthropicBatch {
    pub fn new(config: AnthropicConfig) -> Result<Self, LlmError> {
        Ok(Self { provider: AnthropicProvider::new(config)? })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v1/messages/batches{path}", self.provider.base_url())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, LlmError> {
        http::send(self.provider.authorize(request), self.provider.timeout(), anthropic::classify).await
    }

    async fn batch(&self, batch: &BatchHandle) -> Result<MessageBatch, LlmError> {
        check_provider(batch, self.name())?;
        let raw = self.send(self.provider.http_client().get(self.url(&format!("/{}", batch.id)))).await?;
        http::parse(&raw)
    }

    fn line_result(&self, result: AnthropicResult, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        match result {
            AnthropicResult::Succeeded { message } => self.provider.answer(req, &to_bytes(&message)),
            AnthropicResult::Errored { error } => {
                // Documented as an error response (`{"type":"error","error":{"type",…}}`); a bare
                // `{"type","message"}` is wrapped so the same classifier reads both.
                let body = if error.get("error").is_some() { error } else { json!({ "error": error }) };
                let body = to_bytes(&body);
                Err(anthropic::classify(500, &HeaderMap::new(), &body)
                    .unwrap_or_else(|| LlmError::Server { status: 500, message: http::error_message(&body) }))
            }
            AnthropicResult::Canceled => {
                Err(LlmError::Server { status: CANCELED_STATUS, message: "request canceled".to_owned() })
            }
            AnthropicResult::Expired => Err(LlmError::Timeout(COMPLETION_WINDOW)),
        }
    }
}

#[async_trait]
impl BatchProvider for AnthropicBatch {
    fn name(&self) -> &str {
        self.provider.name()
    }

    fn model(&self, tier: Tier) -> &str {
        self.provider.model(tier)
    }

    async fn submit(&self, requests: &[(String, LlmRequest)]) -> Result<BatchHandle, LlmError> {
        check_requests(requests, anthropic_id_ok)?;
        let items: Vec<Value> = requests
            .iter()
            .map(|(id, req)| json!({ "custom_id": id, "params": self.provider.request_body(req) }))
            .collect();
        let request = self.provider.http_client().post(self.url("")).json(&json!({ "requests": items }));
        let created: MessageBatch = http::parse(&self.send(request).await?)?;
        tracing::info!(batch = %created.id, requests = requests.len(), "anthropic message batch submitted");
        Ok(BatchHandle { provider: self.name().to_owned(), id: created.id, requests: requests.to_vec() })
    }

    async fn poll(&self, batch: &BatchHandle) -> Result<BatchStatus, LlmError> {
        let object = self.batch(batch).await?;
        let c = object.request_counts;
        let counts = BatchCounts {
            total: c.processing + c.succeeded + c.errored + c.canceled + c.expired,
            processing: c.processing,
            succeeded: c.succeeded,
            errored: c.errored,
            canceled: c.canceled,
            expired: c.expired,
        };
        match object.processing_status.as_str() {
            "in_progress" | "canceling" => Ok(BatchStatus::InProgress { status: object.processing_status, counts }),
            "ended" => Ok(BatchStatus::Ended { status: object.processing_status, counts }),
            other => Err(LlmError::Malformed(format!("unknown processing_status {other:?}"))),
        }
    }

    async fn results(&self, batch: &BatchHandle) -> Result<BatchResults, LlmError> {
        let object = self.batch(batch).await?;
        if object.processing_status != "ended" {
            return Err(LlmError::BadRequest(format!(
                "batch {} has not ended ({})",
                batch.id, object.processing_status
            )));
        }
        let url = object
            .results_url
            .ok_or_else(|| LlmError::Malformed(format!("ended batch {} has no results_url", batch.id)))?;
        // The key goes along with the download, so only to the API we were configured with.
        if !url.starts_with(&format!("{}/", self.provider.base_url())) {
            return Err(LlmError::Malformed(format!("results_url {url:?} is not on the configured API")));
        }
        let raw = self.send(self.provider.http_client().get(url)).await?;
        let requests: HashMap<&str, &LlmRequest> = batch.requests.iter().map(|(id, r)| (id.as_str(), r)).collect();
        let mut found = HashMap::new();
        for line in jsonl::<AnthropicLine>(&raw, &batch.id) {
            let result = match requests.get(line.custom_id.as_str()) {
                Some(req) => self.line_result(line.result, req),
                None => Err(LlmError::Malformed("unknown custom_id".to_owned())),
            };
            found.insert(line.custom_id, result);
        }
        Ok(finish(batch, found, |id| LlmError::Malformed(format!("no result line for custom_id {id:?}"))))
    }

    async fn cancel(&self, batch: &BatchHandle) -> Result<(), LlmError> {
        check_provider(batch, self.name())?;
        let url = self.url(&format!("/{}/cancel", batch.id));
        self.send(self.provider.http_client().post(url)).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anthropic_custom_ids() {
        assert!(anthropic_id_ok("job-42_a"));
        assert!(!anthropic_id_ok(""));
        assert!(!anthropic_id_ok("job 42"));
        assert!(!anthropic_id_ok(&"x".repeat(65)));
    }

    #[test]
    fn openai_error_list() {
        let errors = json!({ "object": "list", "data": [{ "code": "invalid_json", "line": 2, "message": "bad" }] });
        assert_eq!(openai_errors(&errors), "line 2: bad");
    }
}
