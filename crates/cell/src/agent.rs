//! The agent port: one workflow step that consumes an event and decides what to write.

use crate::clock::DynClock;
use crate::config::CellConfig;
use async_trait::async_trait;
use domain::{EventEnvelope, EventType, StepName, StepPolicy, WorkflowDefinition};
use std::sync::Arc;
use store::{StoreView, UnitOfWork};

/// Why a step failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AgentError {
    /// Worth retrying (a provider timeout, a busy database).
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help (missing data, invalid input); go to the error strategy at once.
    #[error("{0}")]
    Permanent(String),
    /// The store failed; the cause is kept. Transient when the database did (a busy or
    /// unreachable server), permanent otherwise (corrupt data, a state conflict).
    #[error("store")]
    Store(#[source] Arc<store::StoreError>),
}

impl AgentError {
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transient(_) => true,
            Self::Permanent(_) => false,
            Self::Store(e) => matches!(e.as_ref(), store::StoreError::Database(_)),
        }
    }

    /// The message with its causes (`store: database error: pool timed out`), for logs, dead
    /// letters and user-facing reasons.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

impl From<store::StoreError> for AgentError {
    fn from(e: store::StoreError) -> Self {
        Self::Store(Arc::new(e))
    }
}

/// What an agent may read while deciding. The store is a read-only [`StoreView`]: an agent's
/// only way to change anything is the unit of work it returns, which the engine commits.
#[derive(Clone)]
pub struct AgentCtx {
    pub store: StoreView,
    /// Time, ids and jitter.
    pub clock: DynClock,
    pub config: Arc<CellConfig>,
    pub workflow: Arc<WorkflowDefinition>,
    /// The AI layer every LLM call goes through. Offline-only unless the composition root
    /// installs a chain with providers ([`crate::Cell::with_ai`]).
    pub ai: llm::client::AiClient,
    /// Where rendered documents go (a local directory or S3-compatible storage, by
    /// configuration); `None`: the workflow renders no PDF. Content-addressed, so a repeated
    /// step writes the same object again, never a second one.
    pub artifacts: Option<Arc<dyn render::artifacts::ArtifactStore>>,
    /// The channels applications leave through (the sandbox alone unless configured).
    pub channels: crate::submission::Channels,
    /// The submission ledger: the one store write outside a unit of work, because the
    /// idempotency key must be durable *before* the send it guards.
    pub ledger: Arc<dyn store::ApplyStore>,
}

/// An AI client with only the offline provider (no keys, no network), reporting to `metrics`.
pub fn offline_ai(metrics: llm::observe::AiMetrics) -> llm::client::AiClient {
    llm::client::AiClient::with_sinks(
        vec![Arc::new(analysis::OfflineProvider::new())],
        llm::client::AiConfig::default(),
        llm::AiSinks { metrics, ..llm::AiSinks::default() },
    )
}

impl AgentCtx {
    /// The policy of a step (the standard workflow has every step).
    pub fn policy(&self, step: StepName) -> Result<&StepPolicy, AgentError> {
        self.workflow.step(step).ok_or_else(|| AgentError::Permanent(format!("workflow has no `{step}` step")))
    }
}

/// A workflow step that reacts to events.
#[async_trait]
pub trait Agent: Send + Sync + 'static {
    /// The consumer name, used as the inbox key and consumer group (`analyzer`, ...).
    fn name(&self) -> &'static str;
    /// The workflow step whose retry, timeout and error strategy apply.
    fn step(&self) -> StepName;
    /// The event types it consumes.
    fn consumes(&self) -> &'static [EventType];
    /// Decides the effect of one event. Must not write anywhere.
    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError>;
    /// Called when retries ran out (or the error was permanent): apply the step's error
    /// strategy. The default fails the workflow; see `agents::fail_workflow`.
    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        crate::agents::fail_workflow(self.name(), self.step(), event, ctx, error, attempts, None).await
    }
}
