//! SubmitterAgent: `resume.generated` → send the selected variant → `application.submitted`.
//! Exactly once: the submission receipt has the application id as its primary key and is
//! committed with the state change, so a redelivered event cannot submit twice. Error
//! strategy `notify_user`: the application waits for the user.

use super::{application_of, fail_workflow, follow_up, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use async_trait::async_trait;
use domain::event::{ApplicationSubmitted, EventPayload};
use domain::{ApplicationState, AutomationMode, ErrorStrategy, EventEnvelope, EventType, StepName};
use store::{Notification, Submission, UnitOfWork, Write};

/// Submits applications (today through the `sandbox` method, which records locally).
pub struct SubmitterAgent;

#[async_trait]
impl Agent for SubmitterAgent {
    fn name(&self) -> &'static str {
        "submitter"
    }
    fn step(&self) -> StepName {
        StepName::Submit
    }
    fn consumes(&self) -> &'static [EventType] {
        &[EventType::ResumeGenerated]
    }

    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Generated {
            return Ok(unit);
        }
        let profile = ctx.store.get_profile(event.user_id).await?;
        let mode = profile.map(|p| p.preferences.automation_mode).unwrap_or_default();
        if mode != AutomationMode::Auto {
            // The user asked to review or submit themselves.
            unit.writes.push(Write::Transition {
                application_id: app.id,
                from: app.state,
                to: ApplicationState::NeedsUser,
                outcome: None,
                variant_id: None,
                reason: Some(format!("automation mode `{mode:?}` leaves submission to the user")),
                at: unit.at,
            });
            unit.writes.push(Write::Notify(Notification {
                id: ctx.clock.new_id(),
                user_id: event.user_id,
                application_id: Some(app.id),
                message: "A tailored resume is ready for your review.".into(),
                created_at: unit.at,
            }));
            return Ok(unit);
        }
        let variant_id = app.variant_id.clone().ok_or_else(|| AgentError::Permanent("no variant selected".into()))?;
        let method = ctx.policy(StepName::Submit)?.param("method").unwrap_or("sandbox").to_owned();
        let confirmation = submit::sandbox_confirmation(app.id);
        unit.writes.push(Write::RecordSubmission(Submission {
            application_id: app.id,
            user_id: event.user_id,
            method: method.clone(),
            variant_id: variant_id.clone(),
            confirmation: confirmation.clone(),
            submitted_at: unit.at,
        }));
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: ApplicationState::Generated,
            to: ApplicationState::Submitted,
            outcome: None,
            variant_id: None,
            reason: None,
            at: unit.at,
        });
        unit.events.push(follow_up(
            event,
            ctx,
            &EventPayload::ApplicationSubmitted(ApplicationSubmitted {
                job_id: app.job_id,
                application_id: app.id,
                method,
                variant_id,
                confirmation,
            }),
        ));
        Ok(unit)
    }

    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        fail_workflow(self.name(), self.step(), event, ctx, error, attempts, Some(ErrorStrategy::NotifyUser)).await
    }
}
