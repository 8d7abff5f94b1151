//! The agents of the standard workflow, one file each, and what they share.

mod analyzer;
mod completion;
pub(crate) mod discovery;
mod generator;
pub(crate) mod poll;
mod submitter;
mod tracker;

pub use analyzer::AnalyzerAgent;
pub use completion::CompletionAgent;
pub use generator::GeneratorAgent;
pub use poll::{fetch_canonical, plan_poll, PollPlan, PollReport};
pub use submitter::SubmitterAgent;
pub use tracker::TrackerAgent;

use crate::agent::{Agent, AgentCtx, AgentError};
use domain::event::{EventPayload, WorkflowFailed};
use domain::{Application, ApplicationState, EventEnvelope, EventId, StepName};
use std::sync::Arc;
use store::{DeadLetter, Notification, UnitOfWork, Write};

/// The agents of seed 001's `standard_workflow`, in causal order.
pub fn standard() -> Vec<Arc<dyn Agent>> {
    vec![
        Arc::new(AnalyzerAgent::default()),
        Arc::new(GeneratorAgent),
        Arc::new(SubmitterAgent),
        Arc::new(TrackerAgent),
        Arc::new(CompletionAgent),
    ]
}

/// An empty unit of work for the user of `event` (the engine adds the inbox marker).
pub fn unit_for(event: &EventEnvelope, ctx: &AgentCtx) -> UnitOfWork {
    UnitOfWork { user_id: event.user_id, inbox: None, writes: Vec::new(), events: Vec::new(), at: ctx.clock.now() }
}

/// The application an event is about, read within the event's user.
pub async fn application_of(event: &EventEnvelope, ctx: &AgentCtx) -> Result<Application, AgentError> {
    let (_, app_id) = event.subject().map_err(|e| AgentError::Permanent(e.to_string()))?;
    ctx.store
        .get_application(event.user_id, app_id)
        .await?
        .ok_or_else(|| AgentError::Permanent(format!("application {app_id} not found for this user")))
}

/// Wraps a payload as the follow-up of `cause`.
pub fn follow_up(cause: &EventEnvelope, ctx: &AgentCtx, payload: &EventPayload) -> EventEnvelope {
    EventEnvelope::new(EventId(ctx.clock.new_id()), cause.follow_up(ctx.clock.now()), payload)
}

/// The context of an event that no other event caused (a poll noticed it), in an existing
/// workflow.
pub fn workflow_ctx(
    cell: &domain::CellId,
    user_id: domain::UserId,
    correlation_id: domain::CorrelationId,
    now: chrono::DateTime<chrono::Utc>,
) -> domain::event::EventContext<'_> {
    domain::event::EventContext { user_id, cell_id: cell, correlation_id, causation_id: None, occurred_at: now }
}

/// A new event with a fresh id.
pub fn fresh_event(
    clock: &dyn crate::clock::Clock,
    ctx: domain::event::EventContext<'_>,
    payload: &EventPayload,
) -> EventEnvelope {
    EventEnvelope::new(EventId(clock.new_id()), ctx, payload)
}

/// The end of the road for a step: a dead-letter record, the application failed (or, for
/// `notify_user`, parked with the user and a notification), and `workflow.failed`.
pub async fn fail_workflow(
    consumer: &str,
    step: StepName,
    event: &EventEnvelope,
    ctx: &AgentCtx,
    error: &AgentError,
    attempts: u32,
    strategy: Option<domain::ErrorStrategy>,
) -> Result<UnitOfWork, AgentError> {
    let mut unit = unit_for(event, ctx);
    unit.writes.push(Write::DeadLetter(DeadLetter {
        id: ctx.clock.new_id(),
        user_id: event.user_id,
        consumer: consumer.to_owned(),
        event_id: Some(event.event_id.0),
        step: step.as_str().to_owned(),
        attempts,
        error: error.chain(),
        payload: serde_json::to_value(event).unwrap_or_default(),
        created_at: unit.at,
    }));
    let Ok(app) = application_of(event, ctx).await else {
        // Nothing to move (e.g. a malformed event): the dead letter is the whole record.
        return Ok(unit);
    };
    if app.state.is_terminal() {
        return Ok(unit);
    }
    let notify = strategy == Some(domain::ErrorStrategy::NotifyUser);
    let to = if notify { ApplicationState::NeedsUser } else { ApplicationState::Failed };
    if app.state != to {
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: app.state,
            to,
            outcome: None,
            variant_id: None,
            reason: Some(format!("{step}: {}", error.chain())),
            at: unit.at,
        });
    }
    if notify {
        unit.writes.push(Write::Notify(Notification {
            id: ctx.clock.new_id(),
            user_id: event.user_id,
            application_id: Some(app.id),
            message: format!(
                "Step `{step}` could not finish after {attempts} attempts ({}); please review this application.",
                error.chain()
            ),
            created_at: unit.at,
        }));
    }
    unit.events.push(follow_up(
        event,
        ctx,
        &EventPayload::WorkflowFailed(WorkflowFailed {
            job_id: app.job_id,
            application_id: app.id,
            step: step.as_str().to_owned(),
            attempts,
            error: error.chain(),
            strategy: strategy.map(|s| s.as_str().to_owned()),
        }),
    ));
    Ok(unit)
}
