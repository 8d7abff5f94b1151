//! SubmitterAgent: `resume.generated` → [`crate::submission::submit`] → `application.submitted`
//! (auto mode, within the caps), or the application waits for the user's approval (review
//! mode, the default) or for what only the user can supply. Exactly once: see
//! [`crate::submission::flow`]. Error strategy `notify_user`.

use super::{application_of, fail_workflow, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use crate::submission::{submit, Decision, SubmitRequest};
use async_trait::async_trait;
use domain::{ApplicationState, ErrorStrategy, EventEnvelope, EventType, StepName};
use store::UnitOfWork;

/// Submits applications through the configured channels.
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
        if app.state != ApplicationState::Generated {
            return Ok(unit_for(event, ctx));
        }
        let req = SubmitRequest { app: &app, cause: Some(event), by_user: false, answers: Vec::new(), resend: false };
        match submit(ctx, req).await? {
            Decision::Commit(unit) => Ok(unit),
            Decision::Refused(why) => {
                tracing::info!(application = %app.id, %why, "not submitted");
                Ok(unit_for(event, ctx))
            }
        }
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
