//! OpenAI Chat Completions and Embeddings, which OpenAI-compatible local servers (llama.cpp,
//! vLLM, LM Studio) speak too — the same provider under the name `local`, without a key.

use super::http;
use super::{env_value, parse_structured, redacted, user_message, wire_name};
use crate::types::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use async_trait::async_trait;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::fmt;
use std::time::Duration;

/// Where and how to reach an OpenAI(-compatible) API.
#[derive(Clone, PartialEq)]
pub struct OpenAiConfig {
    /// `openai`, or `local` for a compatible server.
    pub name: String,
    pub base_url: String,
    /// Compatible local servers usually need none.
    pub api_key: Option<String>,
    pub cheap_model: String,
    pub expensive_model: String,
    pub embed_model: String,
    pub timeout: Duration,
}

impl Default for OpenAiConfig {
    fn default() -> Self {
        Self {
            name: "openai".to_owned(),
            base_url: "https://api.openai.com/v1".to_owned(),
            api_key: None,
            cheap_model: "gpt-4o-mini".to_owned(),
            expensive_model: "gpt-4o".to_owned(),
            embed_model: "text-embedding-3-small".to_owned(),
            timeout: Duration::from_secs(30),
        }
    }
}

impl OpenAiConfig {
    /// A keyless OpenAI-compatible server (llama.cpp, vLLM) serving `model` for both tiers.
    pub fn local(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        let model = model.into();
        Self {
            name: "local".to_owned(),
            base_url: base_url.into(),
            api_key: None,
            cheap_model: model.clone(),
            expensive_model: model.clone(),
            embed_model: model,
            ..Self::default()
        }
    }
}

// By hand, so a key never reaches a log line through `{:?}`.
impl fmt::Debug for OpenAiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiConfig")
            .field("name", &self.name)
            .field("base_url", &self.base_url)
            .field("api_key", &redacted(&self.api_key))
            .field("cheap_model", &self.cheap_model)
            .field("expensive_model", &self.expensive_model)
            .field("embed_model", &self.embed_model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub struct OpenAiProvider {
    config: OpenAiConfig,
    client: reqwest::Client,
}

impl fmt::Debug for OpenAiProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiProvider").field("config", &self.config).finish_non_exhaustive()
    }
}

impl OpenAiProvider {
    pub fn new(mut config: OpenAiConfig) -> Result<Self, LlmError> {
        config.base_url = http::base_url(&config.base_url)?;
        let client = http::client(config.timeout)?;
        Ok(Self { config, client })
    }

    /// From `OPENAI_API_KEY` (required) and `OPENAI_BASE_URL` (optional).
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let api_key = env_value(&lookup, "OPENAI_API_KEY")?;
        let mut config = OpenAiConfig { api_key: Some(api_key), ..OpenAiConfig::default() };
        if let Some(base) = env_value(&lookup, "OPENAI_BASE_URL") {
            config.base_url = base;
        }
        Self::new(config).map_err(|e| tracing::warn!(error = %e, "OpenAI configuration ignored")).ok()
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.authorize(self.client.post(format!("{}/{path}", self.config.base_url)).json(body))
    }

    /// Adds the key, if any; shared with the Batch API client.
    pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.config.api_key {
            // bearer_auth marks the header sensitive, so reqwest's own Debug hides it too.
            Some(key) => request.bearer_auth(key),
            None => request,
        }
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

    /// The Chat Completions body for `req` (also each line of a Batch API input file).
    pub(crate) fn request_body(&self, req: &LlmRequest) -> Value {
        let mut messages = Vec::with_capacity(2);
        if !req.system.is_empty() {
            messages.push(json!({ "role": "system", "content": req.system }));
        }
        messages.push(json!({ "role": "user", "content": user_message(&req.input) }));
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model(req.tier)));
        body.insert("messages".into(), Value::Array(messages));
        // `max_tokens` rather than `max_completion_tokens`: the chat models we use and every
        // compatible server accept it, while the newer name is unknown to many local servers.
        body.insert("max_tokens".into(), json!(req.max_tokens));
        if let Some(schema) = &req.schema {
            body.insert(
                "response_format".into(),
                json!({
                    "type": "json_schema",
                    "json_schema": { "name": wire_name(&req.task), "schema": schema, "strict": true }
                }),
            );
        }
        Value::Object(body)
    }

    /// Reads a 2xx Chat Completions body (also a Batch API output line's `response.body`).
    pub(crate) fn answer(&self, req: &LlmRequest, raw: &[u8]) -> Result<LlmResponse, LlmError> {
        let response: ChatResponse = http::parse(raw)?;
        let message = response
            .choices
            .into_iter()
            .next()
            .map(|c| c.message)
            .ok_or_else(|| LlmError::Malformed("no choices in the completion".to_owned()))?;
        let text = match (message.content, message.refusal) {
            (_, Some(refusal)) if !refusal.is_empty() => {
                return Err(LlmError::InvalidOutput(format!("the model refused: {refusal}")));
            }
            (Some(content), _) => content,
            (None, _) => return Err(LlmError::Malformed("the completion has no content".to_owned())),
        };
        let output = req.schema.as_ref().map(|_| parse_structured(&text)).transpose()?;
        let usage = response
            .usage
            .map(|u| Usage { input_tokens: u.prompt_tokens, output_tokens: u.completion_tokens })
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
struct ChatResponse {
    model: Option<String>,
    choices: Vec<Choice>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChatMessage,
}

#[derive(Deserialize)]
struct ChatMessage {
    content: Option<String>,
    refusal: Option<String>,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

#[derive(Deserialize)]
struct EmbeddingResponse {
    data: Vec<EmbeddingItem>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    index: usize,
    embedding: Vec<f32>,
}

/// OpenAI's `insufficient_quota` arrives as a 429 but no wait will fix it: it is a billing
/// problem on the key, so treat it like one (alert, fall back, don't retry).
pub(crate) fn classify(status: u16, _headers: &HeaderMap, body: &[u8]) -> Option<LlmError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let code = value.pointer("/error/code").and_then(Value::as_str)?;
    (status == 429 && code == "insufficient_quota").then(|| LlmError::Auth(http::error_message(body)))
}

#[async_trait]
impl Provider for OpenAiProvider {
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
        let body = self.request_body(req);
        let raw = http::send(self.post("chat/completions", &body), self.config.timeout, classify).await?;
        self.answer(req, &raw)
    }
    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let body = json!({ "model": self.config.embed_model, "input": texts });
        let raw = http::send(self.post("embeddings", &body), self.config.timeout, classify).await?;
        let mut response: EmbeddingResponse = http::parse(&raw)?;
        // The API documents `index` as the position in the input; don't trust array order.
        response.data.sort_by_key(|item| item.index);
        let in_order = response.data.iter().enumerate().all(|(i, item)| item.index == i);
        if response.data.len() != texts.len() || !in_order {
            return Err(LlmError::Malformed(format!(
                "{} embeddings with indices {:?} for {} inputs",
                response.data.len(),
                response.data.iter().map(|d| d.index).collect::<Vec<_>>(),
                texts.len()
            )));
        }
        Ok(response.data.into_iter().map(|item| item.embedding).collect())
    }
}
