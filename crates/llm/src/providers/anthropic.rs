//! Anthropic Messages API. Structured output is a forced tool call: the schema becomes the
//! tool's `input_schema` and the answer is the `tool_use` block's `input`.

use super::http;
use super::{env_value, user_message, wire_name};
use crate::types::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use async_trait::async_trait;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::fmt;
use std::time::Duration;

const API_VERSION: &str = "2023-06-01";

#[derive(Clone, PartialEq)]
pub struct AnthropicConfig {
    pub name: String,
    pub base_url: String,
    pub api_key: String,
    pub cheap_model: String,
    pub expensive_model: String,
    pub timeout: Duration,
}

impl AnthropicConfig {
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            name: "anthropic".to_owned(),
            base_url: "https://api.anthropic.com".to_owned(),
            api_key: api_key.into(),
            cheap_model: "claude-3-5-haiku-latest".to_owned(),
            expensive_model: "claude-sonnet-4-20250514".to_owned(),
            // Longer than OpenAI's: a Sonnet answer near max_tokens routinely takes over 30 s.
            timeout: Duration::from_secs(60),
        }
    }
}

// By hand, so the key never reaches a log line through `{:?}`.
impl fmt::Debug for AnthropicConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnthropicConfig")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("cheap_model", &self.cheap_model)
            .field("expensive_model", &self.expensive_model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub struct AnthropicProvider {
    config: AnthropicConfig,
    api_key: HeaderValue,
    client: reqwest::Client,
}

impl fmt::Debug for AnthropicProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnthropicProvider").field("config", &self.config).finish_non_exhaustive()
    }
}

impl AnthropicProvider {
    pub fn new(mut config: AnthropicConfig) -> Result<Self, LlmError> {
        config.base_url = http::base_url(&config.base_url)?;
        let mut api_key = HeaderValue::from_str(config.api_key.trim())
            .map_err(|_| LlmError::Auth("the Anthropic API key is not a valid header value".to_owned()))?;
        // Sensitive header values print as `Sensitive` in reqwest's and http's Debug output.
        api_key.set_sensitive(true);
        let client = http::client(config.timeout)?;
        Ok(Self { config, api_key, client })
    }

    /// From `ANTHROPIC_API_KEY` (required) and `ANTHROPIC_BASE_URL` (optional).
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let mut config = AnthropicConfig::new(env_value(&lookup, "ANTHROPIC_API_KEY")?);
        if let Some(base) = env_value(&lookup, "ANTHROPIC_BASE_URL") {
            config.base_url = base;
        }
        Self::new(config).map_err(|e| tracing::warn!(error = %e, "Anthropic configuration ignored")).ok()
    }

    /// Adds the key and API version headers; shared with the Message Batches client.
    pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.header("x-api-key", self.api_key.clone()).header("anthropic-version", API_VERSION)
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.config.base_url
    }

    pub(crate) fn http_client(&self) -> &reqwest::Client {
        &self.client
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.config.timeout
    }

    /// The Messages body for `req` (also each request's `params` in a Message Batch).
    pub(crate) fn request_body(&self, req: &LlmRequest) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model(req.tier)));
        body.insert("max_tokens".into(), json!(req.max_tokens));
        // Omitted rather than sent empty: the field is optional and an empty prompt says nothing.
        if !req.system.is_empty() {
            body.insert("system".into(), json!(req.system));
        }
        body.insert("messages".into(), json!([{ "role": "user", "content": user_message(&req.input) }]));
        if let Some(schema) = &req.schema {
            let name = wire_name(&req.task);
            let description =
                format!("Records the answer of the `{}` task. The input must follow the schema exactly.", req.task);
            body.insert(
                "tools".into(),
                json!([{
                    "name": name,
                    "description": description,
                    "input_schema": schema,
                }]),
            );
            body.insert("tool_choice".into(), json!({ "type": "tool", "name": name }));
        }
        Value::Object(body)
    }

    /// Reads a 2xx Messages body (also a succeeded Message Batch result's `message`).
    pub(crate) fn answer(&self, req: &LlmRequest, raw: &[u8]) -> Result<LlmResponse, LlmError> {
        let response: MessagesResponse = http::parse(raw)?;

        let mut text = String::new();
        let mut tool_input = None;
        let tool_name = wire_name(&req.task);
        for block in response.content {
            match block {
                ContentBlock::Text { text: part } => text.push_str(&part),
                ContentBlock::ToolUse { name, input } if name == tool_name && tool_input.is_none() => {
                    tool_input = Some(input);
                }
                ContentBlock::ToolUse { .. } | ContentBlock::Other => {}
            }
        }
        let output = match (&req.schema, tool_input) {
            (None, _) => None,
            (Some(_), Some(input)) => {
                // The raw text of a structured answer is its JSON, as with the other providers.
                text = input.to_string();
                Some(input)
            }
            (Some(_), None) => {
                return Err(LlmError::Malformed(format!("no `{tool_name}` tool_use block in the answer")));
            }
        };
        let usage = response
            .usage
            .map(|u| Usage { input_tokens: u.input_tokens, output_tokens: u.output_tokens })
            .unwrap_or_default();
        Ok(LlmResponse {
            provider: self.config.name.clone(),
            model: response.model.unwrap_or_else(|| self.model(req.tier).to_owned()),
            text,
            output,
            usage,
        })
    }
}

#[derive(Deserialize)]
struct MessagesResponse {
    model: Option<String>,
    content: Vec<ContentBlock>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ContentBlock {
    Text {
        text: String,
    },
    ToolUse {
        name: String,
        input: Value,
    },
    // Thinking and future block types carry nothing we use.
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    input_tokens: u64,
    #[serde(default)]
    output_tokens: u64,
}

/// Anthropic's error bodies name the error type, which is more precise than the status alone
/// (an `overloaded_error` can come with other statuses than 529).
pub(crate) fn classify(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<LlmError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let kind = value.pointer("/error/type").and_then(Value::as_str)?;
    let message = http::error_message(body);
    Some(match kind {
        "overloaded_error" => LlmError::Overloaded,
        "rate_limit_error" => LlmError::RateLimited { retry_after: http::retry_after(headers) },
        "api_error" | "timeout_error" => LlmError::Server { status, message },
        "authentication_error" | "permission_error" | "billing_error" => LlmError::Auth(message),
        "invalid_request_error" | "not_found_error" | "request_too_large" => LlmError::BadRequest(message),
        _ => return None,
    })
}

#[async_trait]
impl Provider for AnthropicProvider {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn model(&self, tier: Tier) -> &str {
        match tier {
            Tier::Cheap => &self.config.cheap_model,
            Tier::Expensive => &self.config.expensive_model,
        }
    }

    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        let request = self
            .authorize(self.client.post(format!("{}/v1/messages", self.config.base_url)))
            .json(&self.request_body(req));
        let raw = http::send(request, self.config.timeout, classify).await?;
        self.answer(req, &raw)
    }
}
