//! The agent port: one workflow step that consumes an event and decides what to write.

use crate::clock::Clock;
use crate::config::CellConfig;
use async_trait::async_trait;
use domain::{EventEnvelope, EventType, StepName, StepPolicy, WorkflowDefinition};
use std::sync::Arc;
use store::{DynStore, UnitOfWork};

/// Why a step failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AgentError {
    /// Worth retrying (a provider timeout, a busy database).
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help (missing data, invalid input); go to the error strategy at once.
    #[error("{0}")]
    Permanent(String),
}

impl AgentError {
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

impl From<store::StoreError> for AgentError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Database(_) => Self::Transient(e.to_string()),
            other => Self::Permanent(other.to_string()),
        }
    }
}

/// What an agent may read while deciding (writes go through the returned unit of work).
#[derive(Clone)]
pub struct AgentCtx {
    pub store: DynStore,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<CellConfig>,
    pub workflow: Arc<WorkflowDefinition>,
    /// The AI layer every LLM call goes through. Offline-only unless the composition root
    /// installs a chain with providers ([`crate::Cell::with_ai`]).
    pub ai: llm::client::AiClient,
}

/// An AI client with only the offline provider (no keys, no network), reporting to `metrics`.
pub fn offline_ai(metrics: llm::observe::AiMetrics) -> llm::client::AiClient {
    llm::client::AiClient::with_sinks(
        vec![Arc::new(llm::providers::OfflineProvider::new())],
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
