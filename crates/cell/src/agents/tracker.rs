//! TrackerAgent: `application.submitted` → schedule the employer's answer (sandbox) or, for an
//! application that really left, the close of the response window (`track.no_response_days`;
//! a reply that arrives first moves the application on and the timer is dropped). The timer carries the `response.received` event, id and all,
//! so firing it twice cannot emit twice.

use super::{application_of, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use async_trait::async_trait;
use domain::event::{EventPayload, ResponseReceived};
use domain::{ApplicationState, EventEnvelope, EventId, EventType, Outcome, StepName};
use store::{Timer, UnitOfWork, Write};

/// Watches submitted applications for an answer.
pub struct TrackerAgent;

#[async_trait]
impl Agent for TrackerAgent {
    fn name(&self) -> &'static str {
        "tracker"
    }
    fn step(&self) -> StepName {
        StepName::Track
    }
    fn consumes(&self) -> &'static [EventType] {
        &[EventType::ApplicationSubmitted]
    }

    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Submitted {
            return Ok(unit);
        }
        let job = ctx
            .store
            .get_job(event.user_id, app.job_id)
            .await?
            .ok_or_else(|| AgentError::Permanent(format!("job {} not found", app.job_id)))?;
        let method = match event.typed_payload() {
            Ok(EventPayload::ApplicationSubmitted(s)) => s.method,
            _ => "sandbox".into(),
        };
        let decision = if method == "sandbox" {
            // Keyed by the posting, not by generated ids, so a rerun makes the same decision.
            ctx.config.sandbox.employer().decide(&format!("{}:{}", job.source, job.source_id))
        } else {
            let days = u64::from(ctx.config.track.no_response_days.max(1));
            submit::Decision { outcome: Outcome::NoResponse, after: std::time::Duration::from_secs(days * 86_400) }
        };
        let after = chrono::Duration::from_std(decision.after).unwrap_or(chrono::Duration::zero());
        let due_at = unit.at + after;
        let source = if decision.outcome == Outcome::NoResponse { "response_window" } else { "employer" };
        let mut ctx_at = event.follow_up(due_at);
        ctx_at.occurred_at = due_at;
        let response = EventEnvelope::new(
            EventId(ctx.clock.new_id()),
            ctx_at,
            &EventPayload::ResponseReceived(ResponseReceived {
                job_id: app.job_id,
                application_id: app.id,
                outcome: Some(decision.outcome),
                source: source.into(),
                reply: None,
            }),
        );
        unit.writes.push(Write::ScheduleTimer(Timer {
            id: ctx.clock.new_id(),
            user_id: event.user_id,
            application_id: app.id,
            due_at,
            event: response,
        }));
        Ok(unit)
    }
}
