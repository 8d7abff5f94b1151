//! What a user does with an application after it was prepared: look at exactly what would be
//! sent ([`Cell::application_view`]), approve it (sent once, through [`crate::submission`]),
//! reject or withdraw it, and record its stage by hand (a user's stage wins). The CLI and the
//! HTTP API both call these; every change is one committed unit with its event.

pub mod classify;
mod mailbox;
mod view;

pub use mailbox::SyncReport;
pub use view::{ApplicationView, Preview};

use crate::agent::AgentError;
use crate::agents::{fresh_event, workflow_ctx};
use crate::submission::{flow, submit, Decision, SubmitRequest};
use crate::Cell;
use domain::event::{EventPayload, ResponseReceived};
use domain::{Application, ApplicationId, ApplicationState, Outcome, Stage, UserId};
use store::{TimelineEntry, UnitOfWork, Write};

/// Why a user's action could not be done; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("application {0} not found")]
    NotFound(ApplicationId),
    /// The action does not fit the application's state, or a cap, or a channel refused.
    #[error("{0}")]
    Refused(String),
    /// A channel was unavailable (retry later: the same key is used, so never twice).
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Agent(#[from] AgentError),
}

impl From<store::StoreError> for ActionError {
    fn from(e: store::StoreError) -> Self {
        Self::Agent(e.into())
    }
}

/// What an approval did.
#[derive(Debug, Clone, PartialEq)]
pub enum Approved {
    /// Sent: the channel and its confirmation.
    Sent { channel: String, confirmation: String },
    /// Not sent; the application waits for the user with this reason (also a notification).
    Waiting(String),
}

impl Cell {
    async fn load(&self, user: UserId, id: ApplicationId) -> Result<Application, ActionError> {
        self.inner.store.get_application(user, id).await?.ok_or(ActionError::NotFound(id))
    }

    async fn commit_user_unit(&self, unit: &UnitOfWork) -> Result<(), ActionError> {
        match self.commit(unit).await {
            Ok(_) => Ok(()),
            Err(AgentError::Store(e)) if matches!(e.as_ref(), store::StoreError::StateConflict { .. }) => {
                Err(ActionError::Refused("the application changed meanwhile; look at it again".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Sends an application the user approved (review mode), with the user's answers to the
    /// job's questions. `resend`: the user checked that an unconfirmed earlier send did not
    /// arrive.
    pub async fn approve(
        &self,
        user: UserId,
        id: ApplicationId,
        answers: Vec<(String, String)>,
        resend: bool,
    ) -> Result<Approved, ActionError> {
        let app = self.load(user, id).await?;
        let req = SubmitRequest { app: &app, cause: None, by_user: true, answers, resend };
        let decision = match submit(&self.inner.ctx, req).await {
            Ok(d) => d,
            Err(AgentError::Transient(why)) => {
                return Err(ActionError::Unavailable(format!(
                    "{why}; nothing was lost: approve it again later (the same key is sent, never twice)"
                )))
            }
            Err(e) => return Err(e.into()),
        };
        match decision {
            Decision::Refused(why) => Err(ActionError::Refused(why)),
            Decision::Commit(unit) => {
                self.commit_user_unit(&unit).await?;
                let sent = unit.writes.iter().find_map(|w| match w {
                    Write::RecordSubmission(s) => Some((s.method.clone(), s.confirmation.clone())),
                    _ => None,
                });
                Ok(match sent {
                    Some((channel, confirmation)) => Approved::Sent { channel, confirmation },
                    None => {
                        let app = self.load(user, id).await?;
                        Approved::Waiting(app.reason.unwrap_or_else(|| "waiting for you".into()))
                    }
                })
            }
        }
    }

    /// The user declines to send it: withdrawn before it left.
    pub async fn reject(&self, user: UserId, id: ApplicationId) -> Result<(), ActionError> {
        let app = self.load(user, id).await?;
        if !matches!(app.state, ApplicationState::Generated | ApplicationState::NeedsUser)
            || self.inner.store.get_submission(user, id).await?.is_some()
        {
            return Err(ActionError::Refused(format!(
                "application {id} is `{}`: only one waiting to be sent can be rejected (use `apply withdraw`)",
                app.state
            )));
        }
        self.end(&app, "rejected by you before it was sent").await
    }

    /// The user withdraws it (sent or not): no further step runs.
    pub async fn withdraw(&self, user: UserId, id: ApplicationId) -> Result<(), ActionError> {
        let app = self.load(user, id).await?;
        if app.state.is_terminal() {
            return Err(ActionError::Refused(format!("application {id} is already `{}`", app.state)));
        }
        self.end(&app, "withdrawn by you").await
    }

    async fn end(&self, app: &Application, why: &str) -> Result<(), ActionError> {
        let ctx = &self.inner.ctx;
        let at = ctx.clock.now();
        let writes = vec![
            Write::Transition {
                application_id: app.id,
                from: app.state,
                to: ApplicationState::Withdrawn,
                outcome: None,
                variant_id: None,
                reason: Some(why.into()),
                at,
            },
            Write::Track(TimelineEntry {
                id: ctx.clock.new_id(),
                application_id: app.id,
                stage: Some(Stage::Withdrawn),
                note: Some(why.into()),
                source: "user".into(),
                at,
            }),
        ];
        self.commit_user_unit(&UnitOfWork { user_id: app.user_id, inbox: None, writes, events: vec![], at }).await
    }

    /// Records the stage the user names, with an optional note. A decisive stage (interview,
    /// offer, rejected, no response) on a sent application is the employer's answer as the user
    /// heard it: `response.received` (source `user`), and the workflow completes.
    pub async fn set_stage(
        &self,
        user: UserId,
        id: ApplicationId,
        stage: Stage,
        note: Option<String>,
    ) -> Result<(), ActionError> {
        let app = self.load(user, id).await?;
        let ctx = &self.inner.ctx;
        let at = ctx.clock.now();
        let mut unit = UnitOfWork { user_id: user, inbox: None, writes: Vec::new(), events: Vec::new(), at };
        unit.writes.push(Write::Track(TimelineEntry {
            id: ctx.clock.new_id(),
            application_id: id,
            stage: Some(stage),
            note,
            source: "user".into(),
            at,
        }));
        let outcome = match stage {
            Stage::Interview => Some(Outcome::Interview),
            Stage::Offer => Some(Outcome::Offer),
            Stage::Rejected => Some(Outcome::Rejection),
            Stage::NoResponse => Some(Outcome::NoResponse),
            _ => None,
        };
        if stage == Stage::Withdrawn && !app.state.is_terminal() {
            unit.writes.push(Write::Transition {
                application_id: id,
                from: app.state,
                to: ApplicationState::Withdrawn,
                outcome: None,
                variant_id: None,
                reason: Some("withdrawn by you".into()),
                at,
            });
        }
        if let (Some(outcome), ApplicationState::Submitted) = (outcome, app.state) {
            unit.writes.push(Write::Transition {
                application_id: id,
                from: ApplicationState::Submitted,
                to: ApplicationState::Responded,
                outcome: Some(outcome),
                variant_id: None,
                reason: None,
                at,
            });
            let cell = domain::CellId::new(ctx.config.cell_id.clone());
            let payload = EventPayload::ResponseReceived(ResponseReceived {
                job_id: app.job_id,
                application_id: id,
                outcome: Some(outcome),
                source: "user".into(),
                reply: None,
            });
            unit.events.push(fresh_event(
                ctx.clock.as_ref(),
                workflow_ctx(&cell, user, app.correlation_id, at),
                &payload,
            ));
        }
        self.commit_user_unit(&unit).await
    }
}

/// What a reconcile round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReconcileReport {
    /// Unconfirmed sends looked at.
    pub looked_at: usize,
    /// Resent with the same key to a receiver that deduplicates by it, and now recorded.
    pub resent: usize,
    /// Parked with the user: the send may have arrived (a keyless channel).
    pub parked: usize,
}

impl Cell {
    /// The reconcile step for sends that started and were never confirmed (a process killed
    /// between the send and its record) and are older than `older_than`: for an application
    /// that waits for the user (an approval whose process died), a keyed channel gets the same
    /// request again — the receiver answers it instead of applying it twice — and a keyless
    /// one parks it with the user, who checks. Applications the SubmitterAgent owns are
    /// reconciled when their event is redelivered, so they are left alone here.
    pub async fn reconcile_submissions(&self, older_than: std::time::Duration) -> Result<ReconcileReport, ActionError> {
        let ctx = &self.inner.ctx;
        let age = chrono::Duration::from_std(older_than).unwrap_or(chrono::Duration::zero());
        let stuck = self.inner.store.stuck_attempts(ctx.clock.now() - age, 256).await?;
        let mut report = ReconcileReport::default();
        for row in stuck {
            let Some(app) = self.inner.store.get_application(row.user_id, row.application_id).await? else { continue };
            // Only approvals wait in `needs_user`; one already parked for this is the user's now.
            let parked = app.reason.as_deref().is_some_and(|r| r.contains(flow::NEVER_CONFIRMED));
            if app.state != ApplicationState::NeedsUser || parked {
                continue;
            }
            report.looked_at += 1;
            match self.approve(row.user_id, row.application_id, Vec::new(), false).await {
                Ok(Approved::Sent { .. }) => report.resent += 1,
                Ok(Approved::Waiting(_)) => report.parked += 1,
                Err(e) => tracing::warn!(application = %row.application_id, error = %e, "reconcile: not yet"),
            }
        }
        Ok(report)
    }
}
