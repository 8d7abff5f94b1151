//! Ollama's native API (`/api/chat`, `/api/embed`): the local provider. Structured output uses
//! `format` with the JSON Schema, which Ollama turns into a grammar the model must follow.

use super::http;
use super::{env_value, parse_structured, user_message};
use crate::types::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use async_trait::async_trait;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::time::Duration;

const DEFAULT_PORT: u16 = 11434;

#[derive(Debug, Clone, PartialEq)]
pub struct OllamaConfig {
    /// `ollama` by default; `local` if it stands in for a generic local server.
    pub name: String,
    pub base_url: String,
    pub cheap_model: String,
    pub expensive_model: String,
    pub embed_model: String,
    pub timeout: Duration,
}

impl Default for OllamaConfig {
    fn default() -> Self {
        Self {
            name: "ollama".to_owned(),
            base_url: format!("http://localhost:{DEFAULT_PORT}"),
            cheap_model: "llama3.1".to_owned(),
            expensive_model: "llama3.1:70b".to_owned(),
            embed_model: "nomic-embed-text".to_owned(),
            // Generous: the first call after idle loads the model into memory, and local
            // hardware generates far slower than a hosted API.
            timeout: Duration::from_secs(120),
        }
    }
}

#[derive(Debug)]
pub struct OllamaProvider {
    config: OllamaConfig,
    client: reqwest::Client,
}

impl OllamaProvider {
    pub fn new(mut config: OllamaConfig) -> Result<Self, LlmError> {
        config.base_url = http::base_url(&config.base_url)?;
        let client = http::client(config.timeout)?;
        Ok(Self { config, client })
    }

    /// From `OLLAMA_HOST`; `None` when it is unset, because a local server cannot be assumed.
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let host = env_value(&lookup, "OLLAMA_HOST")?;
        let config = OllamaConfig { base_url: host_to_base_url(&host), ..OllamaConfig::default() };
        Self::new(config).map_err(|e| tracing::warn!(error = %e, "Ollama configuration ignored")).ok()
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.client.post(format!("{}/{path}", self.config.base_url)).json(body)
    }
}

/// `OLLAMA_HOST` the way the ollama CLI reads it: `host`, `host:port` or a full URL; without a
/// scheme it is http on port 11434.
pub(crate) fn host_to_base_url(host: &str) -> String {
    let host = host.trim().trim_end_matches('/');
    if host.contains("://") {
        return host.to_owned();
    }
    let hostport = host.split('/').next().unwrap_or(host);
    let has_port = hostport.rsplit_once(':').is_some_and(|(left, port)| {
        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && (!left.contains(':') || left.ends_with(']'))
    });
    if has_port {
        format!("http://{host}")
    } else {
        let rest = &host[hostport.len()..];
        format!("http://{hostport}:{DEFAULT_PORT}{rest}")
    }
}

#[derive(Deserialize)]
struct ChatResponse {
    model: Option<String>,
    message: ChatMessage,
    // Absent when the whole prompt came from Ollama's prompt cache.
    #[serde(default)]
    prompt_eval_count: u64,
    #[serde(default)]
    eval_count: u64,
}

#[derive(Deserialize)]
struct ChatMessage {
    #[serde(default)]
    content: String,
}

#[derive(Deserialize)]
struct EmbedResponse {
    embeddings: Vec<Vec<f32>>,
}

fn classify(_status: u16, _headers: &HeaderMap, _body: &[u8]) -> Option<LlmError> {
    None
}

#[async_trait]
impl Provider for OllamaProvider {
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
        let mut messages = Vec::with_capacity(2);
        if !req.system.is_empty() {
            messages.push(json!({ "role": "system", "content": req.system }));
        }
        messages.push(json!({ "role": "user", "content": user_message(&req.input) }));
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model(req.tier)));
        body.insert("messages".into(), Value::Array(messages));
        // One JSON object instead of the default NDJSON stream of partial messages.
        body.insert("stream".into(), json!(false));
        if let Some(schema) = &req.schema {
            body.insert("format".into(), schema.clone());
        }
        body.insert("options".into(), json!({ "num_predict": req.max_tokens }));

        let raw = http::send(self.post("api/chat", &Value::Object(body)), self.config.timeout, classify).await?;
        let response: ChatResponse = http::parse(&raw)?;
        let text = response.message.content;
        let output = req.schema.as_ref().map(|_| parse_structured(&text)).transpose()?;
        Ok(LlmResponse {
            provider: self.config.name.clone(),
            model: response.model.unwrap_or_else(|| self.model(req.tier).to_owned()),
            text,
            output,
            usage: Usage { input_tokens: response.prompt_eval_count, output_tokens: response.eval_count },
        })
    }

    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let body = json!({ "model": self.config.embed_model, "input": texts });
        let raw = http::send(self.post("api/embed", &body), self.config.timeout, classify).await?;
        let response: EmbedResponse = http::parse(&raw)?;
        if response.embeddings.len() != texts.len() {
            return Err(LlmError::Malformed(format!(
                "{} embeddings for {} inputs",
                response.embeddings.len(),
                texts.len()
            )));
        }
        Ok(response.embeddings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ollama_host_forms() {
        assert_eq!(host_to_base_url("127.0.0.1:11434"), "http://127.0.0.1:11434");
        assert_eq!(host_to_base_url("0.0.0.0"), "http://0.0.0.0:11434");
        assert_eq!(host_to_base_url("gpu-box"), "http://gpu-box:11434");
        assert_eq!(host_to_base_url("[::1]"), "http://[::1]:11434");
        assert_eq!(host_to_base_url("[::1]:8080"), "http://[::1]:8080");
        assert_eq!(host_to_base_url("https://ollama.internal/"), "https://ollama.internal");
        assert_eq!(host_to_base_url("gpu-box/proxy"), "http://gpu-box:11434/proxy");
    }
}
