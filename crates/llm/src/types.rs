//! The vocabulary every part of the AI layer shares: requests, responses, usage, errors and the
//! provider port.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// How capable (and expensive) a model a task needs. Each provider maps a tier to one of its
/// models; quality routing tries `Cheap` first and `Expensive` only when needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Cheap,
    Expensive,
}

/// One call: a task's instructions and its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmRequest {
    /// The task name (`analyze_job`, ...): selects the schema, cache scope and offline fallback.
    pub task: String,
    pub tier: Tier,
    /// Our instructions.
    pub system: String,
    /// The data the task works on (a job description...). Third-party text: data, never
    /// instructions; providers send it as the user message.
    pub input: String,
    /// JSON Schema the answer must satisfy (structured output), if the task wants JSON.
    pub schema: Option<Value>,
    pub max_tokens: u32,
    /// Who pays (budgets and accounting).
    pub user_id: Option<String>,
}

/// Tokens a call used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// A provider's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmResponse {
    /// `openai`, `anthropic`, `ollama`, `local`, `offline`.
    pub provider: String,
    pub model: String,
    /// The raw text of the answer.
    pub text: String,
    /// The parsed JSON answer, for structured-output requests.
    pub output: Option<Value>,
    pub usage: Usage,
}

/// Why a provider call failed. The split decides what happens next: retry the same provider,
/// fall back to the next one, or stop and alert.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// 429: slow down; `retry_after` from `Retry-After` or the provider's rate-limit headers.
    #[error("rate limited (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    /// Anthropic 529 `overloaded_error` and similar.
    #[error("provider overloaded")]
    Overloaded,
    /// 5xx.
    #[error("server error {status}: {message}")]
    Server { status: u16, message: String },
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("network error: {0}")]
    Network(String),
    /// The response was not the provider's wire format.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// The answer did not satisfy the task's schema.
    #[error("invalid structured output: {0}")]
    InvalidOutput(String),
    /// 400 on our own request: a bug on our side; retrying or falling back won't help.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401/403: a key problem; alert, don't retry.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The provider cannot do this (e.g. embeddings on a provider without them).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The call would exceed a budget or a tier limit; nothing was sent.
    #[error("budget exceeded: {0}")]
    BudgetExceeded(String),
    /// The circuit breaker is open for this provider.
    #[error("circuit open for {0}")]
    CircuitOpen(String),
}

impl LlmError {
    /// Worth retrying on the same provider (after a backoff).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Overloaded | Self::Server { .. } | Self::Timeout(_) | Self::Network(_)
        )
    }

    /// Worth trying the next provider in the chain.
    pub fn falls_back(&self) -> bool {
        self.is_retryable()
            || matches!(
                self,
                Self::Malformed(_)
                    | Self::InvalidOutput(_)
                    | Self::CircuitOpen(_)
                    | Self::Unsupported(_)
                    | Self::Auth(_)
            )
    }

    /// Counts against the provider's circuit breaker.
    pub fn trips_breaker(&self) -> bool {
        self.is_retryable() || matches!(self, Self::Malformed(_) | Self::InvalidOutput(_))
    }

    /// The request reached the provider and may have been billed although no usable answer came
    /// back: an answer that failed validation, a body we could not read, or a call cut off by a
    /// timeout (the provider may have finished it). Budgets charge such attempts too.
    pub fn may_be_billed(&self) -> bool {
        matches!(self, Self::Timeout(_) | Self::Malformed(_) | Self::InvalidOutput(_))
    }

    /// A short label for metrics and attempt reports.
    pub fn label(&self) -> &'static str {
        match self {
            Self::RateLimited { .. } => "rate_limited",
            Self::Overloaded => "overloaded",
            Self::Server { .. } => "server_error",
            Self::Timeout(_) => "timeout",
            Self::Network(_) => "network",
            Self::Malformed(_) => "malformed",
            Self::InvalidOutput(_) => "invalid_output",
            Self::BadRequest(_) => "bad_request",
            Self::Auth(_) => "auth",
            Self::Unsupported(_) => "unsupported",
            Self::BudgetExceeded(_) => "budget_exceeded",
            Self::CircuitOpen(_) => "circuit_open",
        }
    }

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::RateLimited { .. } => Some(429),
            Self::Overloaded => Some(529),
            Self::Server { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// One LLM provider.
#[async_trait]
pub trait Provider: Send + Sync {
    /// `openai`, `anthropic`, `ollama`, `local`, `offline`.
    fn name(&self) -> &str;
    /// The model this provider uses for a tier.
    fn model(&self, tier: Tier) -> &str;
    /// One completion. Structured requests (`schema` set) use the API's own mechanism and
    /// return the parsed JSON in `output` (validation against the schema is the chain's job).
    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError>;
    /// Embeddings for several texts at once (one vector per text, same order).
    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        let _ = texts;
        Err(LlmError::Unsupported(format!("{} has no embeddings", self.name())))
    }
}
