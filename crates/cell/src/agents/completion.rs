//! CompletionAgent: `response.received` → the application's outcome → `workflow.completed`.

use super::{application_of, follow_up, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use async_trait::async_trait;
use domain::event::{EventPayload, WorkflowCompleted};
use domain::{ApplicationState, EventEnvelope, EventType, StepName};
use store::{UnitOfWork, Write};

/// Closes workflows once the employer answered or the window closed.
pub struct CompletionAgent;

#[async_trait]
impl Agent for CompletionAgent {
    fn name(&self) -> &'static str {
        "completion"
    }
    fn step(&self) -> StepName {
        StepName::Complete
    }
    fn consumes(&self) -> &'static [EventType] {
        &[EventType::ResponseReceived]
    }

    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Responded {
            return Ok(unit);
        }
        let outcome = match event.typed_payload() {
            Ok(EventPayload::ResponseReceived(r)) => r.outcome,
            _ => return Err(AgentError::Permanent("response.received payload expected".into())),
        };
        // A reply that decides nothing (an acknowledgement) leaves the workflow open.
        let Some(outcome) = outcome else { return Ok(unit) };
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: ApplicationState::Responded,
            to: ApplicationState::Completed,
            outcome: Some(outcome),
            variant_id: None,
            reason: None,
            at: unit.at,
        });
        unit.events.push(follow_up(
            event,
            ctx,
            &EventPayload::WorkflowCompleted(WorkflowCompleted { job_id: app.job_id, application_id: app.id, outcome }),
        ));
        Ok(unit)
    }
}
