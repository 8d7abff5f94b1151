//! One application as the user reviews it: where it stands (state and stage), its timeline,
//! the ledger of sends, the audit copy of what left, and — while it waits — exactly what an
//! approval would send (channel, recipient, answers, the PDF's name, size and SHA-256).

use super::ActionError;
use crate::submission::{flow, outgoing};
use crate::Cell;
use domain::{Application, ApplicationId, Stage, UserId};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What an approval would send.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// `None` when no channel reaches it (then `waiting_reason` says why).
    pub channel: Option<String>,
    pub recipient: Option<String>,
    pub applicant: submit::channel::Applicant,
    pub cover_note: String,
    pub answers: Vec<submit::channel::Answer>,
    /// Required questions still without an answer (`apply approve --answer FIELD=VALUE`).
    pub missing_answers: Vec<MissingAnswer>,
    /// `{name, bytes, sha256}` of each attachment.
    pub attachments: Vec<serde_json::Value>,
    pub waiting_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingAnswer {
    pub field: String,
    pub label: String,
    pub options: Vec<String>,
}

/// Everything about one application.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub id: ApplicationId,
    pub state: String,
    pub stage: Stage,
    /// Who set the stage: `user`, `email`, `employer`, `response_window`, `system`, or
    /// `derived` when nobody did yet.
    pub stage_source: String,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub company: String,
    pub title: String,
    pub location: String,
    pub apply_url: String,
    pub source: String,
    pub variant_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub submission: Option<serde_json::Value>,
    pub attempts: Vec<serde_json::Value>,
    pub timeline: Vec<serde_json::Value>,
    /// The audit copy of what was sent (attachments' bytes as base64).
    pub audit: Option<serde_json::Value>,
    pub preview: Option<Preview>,
}

impl Cell {
    /// One application with its stage, timeline, sends and (while waiting) the preview.
    pub async fn application_view(&self, user: UserId, id: ApplicationId) -> Result<ApplicationView, ActionError> {
        let store = &self.inner.store;
        let app = self.load(user, id).await?;
        let job = store.get_job(user, app.job_id).await?.ok_or(ActionError::NotFound(id))?;
        let (stage, stage_source) = match store.get_stage(user, id).await? {
            Some(s) => (s.stage, s.source),
            None => (Stage::of_state(app.state, app.outcome), "derived".to_owned()),
        };
        let submission = store.get_submission(user, id).await?.map(|s| {
            serde_json::json!({"channel": s.method, "variant_id": s.variant_id, "confirmation": s.confirmation,
                "submitted_at": s.submitted_at.to_rfc3339()})
        });
        let attempts = store
            .attempts_for(user, id)
            .await?
            .into_iter()
            .map(|a| {
                serde_json::json!({"channel": a.channel, "recipient": a.recipient, "status": a.status.as_str(),
                    "attempts": a.attempts, "last_error": a.last_error, "idempotency_key": a.idempotency_key,
                    "started_at": a.started_at.to_rfc3339(), "updated_at": a.updated_at.to_rfc3339()})
            })
            .collect();
        let timeline = store
            .timeline(user, id)
            .await?
            .into_iter()
            .map(|e| {
                serde_json::json!({"at": e.at.to_rfc3339(), "stage": e.stage.map(|s| s.as_str()), "note": e.note,
                    "source": e.source})
            })
            .collect();
        let audit = store.get_audit(user, id).await?.map(|a| a.audit);
        let waiting = matches!(app.state, domain::ApplicationState::Generated | domain::ApplicationState::NeedsUser);
        let preview = if waiting && submission.is_none() { Some(self.preview(&app, &job).await?) } else { None };
        Ok(ApplicationView {
            id,
            state: app.state.as_str().into(),
            stage,
            stage_source,
            reason: app.reason.clone(),
            outcome: app.outcome.map(|o| o.as_str().to_owned()),
            company: job.company,
            title: job.title,
            location: job.location,
            apply_url: job.apply_url,
            source: job.source,
            variant_id: app.variant_id.clone(),
            created_at: app.created_at.to_rfc3339(),
            updated_at: app.updated_at.to_rfc3339(),
            submission,
            attempts,
            timeline,
            audit,
            preview,
        })
    }

    async fn preview(&self, app: &Application, job: &domain::Job) -> Result<Preview, ActionError> {
        let ctx = &self.inner.ctx;
        let profile = self.inner.store.get_profile(app.user_id).await?.unwrap_or_else(|| {
            domain::Profile::import(r#"{"basics":{"name":""}}"#).unwrap_or_else(|e| unreachable!("{e}"))
        });
        let applicant = outgoing::applicant(&profile);
        let (answers, missing) = outgoing::answer(job, &profile, &[]);
        let (channel, recipient, waiting_reason) = match ctx.channels.choose(job) {
            Ok((c, r)) => (Some(c.name().to_owned()), Some(r.describe()), app.reason.clone()),
            Err(why) => (None, None, Some(why)),
        };
        let mut attachments = Vec::new();
        if let Some(v) = &app.variant_id {
            if let Some(path) = self.inner.store.get_document(app.user_id, app.id, v, "pdf").await? {
                let bytes = match (flow::artifact_key(&path), ctx.artifacts.clone()) {
                    (Some(key), Some(store)) => store.get(&key).ok().flatten(),
                    _ => None,
                };
                if let Some(b) = bytes {
                    attachments.push(serde_json::json!({"name": path, "bytes": b.len(),
                        "sha256": hex::encode(Sha256::digest(&b))}));
                }
            }
        }
        Ok(Preview {
            channel,
            recipient,
            cover_note: outgoing::cover_note(job, &applicant),
            applicant,
            answers,
            missing_answers: missing
                .into_iter()
                .map(|q| MissingAnswer { field: q.field, label: q.label, options: q.options })
                .collect(),
            attachments,
            waiting_reason,
        })
    }

    /// The exact bytes of a document of an application: `resume.pdf` (the PDF that was sent, or
    /// the selected variant's while it waits), `resume.md`, `resume.html`. `None` if absent.
    pub async fn document(
        &self,
        user: UserId,
        id: ApplicationId,
        name: &str,
    ) -> Result<Option<(&'static str, Vec<u8>)>, ActionError> {
        let store = &self.inner.store;
        let app = self.load(user, id).await?;
        if name == "resume.pdf" {
            if let Some(audit) = store.get_audit(user, id).await? {
                let sent = audit.audit["attachments"].as_array().and_then(|a| {
                    a.iter().find(|x| x["content_type"] == "application/pdf").and_then(|x| x["bytes"].as_str())
                });
                if let Some(b64) = sent {
                    use base64::Engine as _;
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .map_err(|e| ActionError::Refused(format!("the audit copy is damaged: {e}")))?;
                    return Ok(Some(("application/pdf", bytes)));
                }
            }
        }
        let (format, mime) = match name {
            "resume.pdf" => ("pdf", "application/pdf"),
            "resume.md" => ("markdown", "text/markdown; charset=utf-8"),
            "resume.html" => ("html", "text/html; charset=utf-8"),
            _ => return Ok(None),
        };
        let Some(variant) = app.variant_id.as_deref() else { return Ok(None) };
        let Some(content) = store.get_document(user, id, variant, format).await? else { return Ok(None) };
        if format != "pdf" {
            return Ok(Some((mime, content.into_bytes())));
        }
        let (Some(key), Some(artifacts)) = (flow::artifact_key(&content), self.inner.ctx.artifacts.clone()) else {
            return Ok(None);
        };
        let bytes = artifacts.get(&key).map_err(|e| ActionError::Refused(format!("cannot read the PDF: {e}")))?;
        Ok(bytes.map(|b| (mime, b)))
    }
}
