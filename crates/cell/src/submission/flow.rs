//! One submission, exactly once. The idempotency key of (user, job, channel) is recorded in the
//! ledger *before* the send; the receipt, the audit copy, the state change, the stage and
//! `application.submitted` commit together *after* it. A crash between the two leaves the row
//! `sending`, and the next attempt reconciles instead of resending blindly: a channel whose
//! receiver deduplicates by our key gets a keyed resend (answered, not applied twice); any
//! other channel parks the application with the user, who checks and decides.
//!
//! Errors follow the seed's `notify_user`: a refusal (4xx) or a missing answer is a visible
//! state (`needs_user` with the reason), a notification and a `workflow.failed` event; a
//! transient failure (5xx, time-out) is retried by the caller, with the same key.

use super::outgoing;
use crate::agent::{AgentCtx, AgentError};
use crate::agents::{fresh_event, workflow_ctx};
use crate::config::SubmitMode;
use domain::event::{ApplicationSubmitted, EventPayload, WorkflowFailed};
use domain::{Application, ApplicationState, AutomationMode, EventEnvelope, EventId, Stage};
use store::{
    AttemptStart, AttemptStatus, Caps, Notification, Submission, SubmitAttempt, TimelineEntry, UnitOfWork, Write,
};
use submit::channel::{Attachment, Channel, Outgoing, Recipient, SendError};

/// Part of the reason of an application parked after an unconfirmed send.
pub const NEVER_CONFIRMED: &str = "was never confirmed";

/// What to submit, on whose say.
#[derive(Debug, Clone)]
pub struct SubmitRequest<'a> {
    pub app: &'a Application,
    /// The event that led here (`resume.generated`), or `None` for a user's approval.
    pub cause: Option<&'a EventEnvelope>,
    /// The user approved it (review mode; auto mode's caps still hold).
    pub by_user: bool,
    /// The user's answers to the job's questions (field → value).
    pub answers: Vec<(String, String)>,
    /// The user checked that an unconfirmed earlier send did not arrive: send again.
    pub resend: bool,
}

/// What the caller does next.
#[derive(Debug)]
pub enum Decision {
    /// Commit this unit (sent, or parked with the user with a reason and a notification).
    Commit(UnitOfWork),
    /// Nothing changed: tell the user why (a cap, or not ready).
    Refused(String),
}

/// Submits `req.app` (see the module docs). A transient channel failure comes back as
/// `Err(AgentError::Transient)` after the ledger row is marked for a safe retry.
pub async fn submit(ctx: &AgentCtx, req: SubmitRequest<'_>) -> Result<Decision, AgentError> {
    let app = req.app;
    let user = app.user_id;
    let now = ctx.clock.now();
    let mut unit = UnitOfWork { user_id: user, inbox: None, writes: Vec::new(), events: Vec::new(), at: now };
    let ready = matches!(app.state, ApplicationState::Generated | ApplicationState::NeedsUser);
    if !ready || app.variant_id.is_none() {
        return Ok(Decision::Refused(format!(
            "application {} is `{}`: only a generated application waiting to be sent can be submitted",
            app.id, app.state
        )));
    }
    let job = ctx
        .store
        .get_job(user, app.job_id)
        .await?
        .ok_or_else(|| AgentError::Permanent(format!("job {} not found", app.job_id)))?;
    let profile = ctx
        .store
        .get_profile(user)
        .await?
        .ok_or_else(|| AgentError::Permanent("the user has no profile: import one first".into()))?;
    let (channel, recipient) = match ctx.channels.choose(&job) {
        Ok(c) => c,
        Err(why) => return Ok(park(ctx, &req, unit, &format!("no channel to send it through: {why}"), false)),
    };
    if !req.by_user {
        let auto =
            ctx.config.submit.mode == SubmitMode::Auto && profile.preferences.automation_mode == AutomationMode::Auto;
        if !auto {
            let why = format!(
                "waiting for your approval: it will go to {} via {} (`applyflow apply show {}`, then `apply approve`)",
                recipient.describe(),
                channel.name(),
                app.id
            );
            return Ok(park(ctx, &req, unit, &why, false));
        }
    }
    let (answers, missing) = outgoing::answer(&job, &profile, &req.answers);
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|q| format!("{} (`--answer {}=…`)", q.label, q.field)).collect();
        let why = format!("the job asks questions your profile cannot answer truthfully: {}", list.join("; "));
        return Ok(park(ctx, &req, unit, &why, true));
    }
    let variant_id = app.variant_id.clone().unwrap_or_default();
    let attachments = match documents(ctx, app, &variant_id, &profile).await? {
        Some(a) => a,
        None if channel.name() == "sandbox" => Vec::new(),
        None => {
            let why = "the selected resume has no PDF (artifact storage is off or the render failed)";
            return Ok(park(ctx, &req, unit, why, true));
        }
    };
    let applicant = outgoing::applicant(&profile);
    let key = submit::channel::idempotency_key(&user.to_string(), &job.id.to_string(), channel.name());
    let msg = Outgoing {
        idempotency_key: key.clone(),
        user_id: user.to_string(),
        application_id: app.id.to_string(),
        job_id: job.id.to_string(),
        company: job.company.clone(),
        title: job.title.clone(),
        recipient: recipient.clone(),
        cover_note: outgoing::cover_note(&job, &applicant),
        applicant,
        attachments,
        answers,
    };
    let attempt = SubmitAttempt {
        idempotency_key: key.clone(),
        user_id: user,
        application_id: app.id,
        channel: channel.name().to_owned(),
        recipient: recipient.describe(),
        company: job.company.clone(),
        status: AttemptStatus::Sending,
        attempts: 0,
        last_error: None,
        started_at: now,
        updated_at: now,
    };
    if req.resend {
        // The user checked: the unconfirmed earlier send did not arrive.
        ctx.ledger.set_attempt_status(user, &key, AttemptStatus::Retry, Some("the user asked to resend"), now).await?;
    }
    let c = &ctx.config.submit.caps;
    let caps = Caps { per_day: c.per_day, per_company: c.per_company, per_channel: c.per_channel };
    // The caps protect the user's name with employers; the sandbox sends nothing anywhere.
    let caps = (channel.name() != "sandbox").then_some(&caps);
    match ctx.ledger.begin_attempt(&attempt, caps).await? {
        AttemptStart::Proceed(_) => {}
        AttemptStart::Done(_) => {
            return Ok(Decision::Refused(format!("application {} was already sent via {}", app.id, channel.name())))
        }
        AttemptStart::OverCap { scope, limit } => {
            let why = format!(
                "today's cap for {scope} ({limit} per day, `submit.caps`) is reached; approve it again tomorrow"
            );
            return Ok(if req.by_user { Decision::Refused(why) } else { park(ctx, &req, unit, &why, false) });
        }
        AttemptStart::InFlight(row) if !channel.accepts_idempotency_key() => {
            let why = format!(
                "a send via {} to {} started at {} and {NEVER_CONFIRMED} (a crash or a time-out); it may have \
                 arrived. Check with the employer, then `applyflow apply approve {} --resend` to send it again or \
                 `applyflow track set {} applied` if it arrived",
                row.channel, row.recipient, row.updated_at, app.id, app.id
            );
            return Ok(park(ctx, &req, unit, &why, true));
        }
        // The receiver deduplicates by our key: a keyed resend reconciles.
        AttemptStart::InFlight(_) => {}
    }
    match channel.send(&msg).await {
        Ok(receipt) => {
            sent(ctx, &req, &mut unit, channel.as_ref(), &msg, receipt, &variant_id);
            Ok(Decision::Commit(unit))
        }
        Err(e @ (SendError::Rejected { .. } | SendError::Config { .. })) => {
            unit.writes.push(Write::FinishAttempt {
                idempotency_key: key,
                status: AttemptStatus::Rejected,
                error: Some(e.to_string()),
                at: now,
            });
            Ok(park(ctx, &req, unit, &e.to_string(), true))
        }
        Err(e) => {
            let status = if e.maybe_delivered() && !channel.accepts_idempotency_key() {
                AttemptStatus::Unknown
            } else {
                AttemptStatus::Retry
            };
            ctx.ledger.set_attempt_status(user, &key, status, Some(&e.to_string()), now).await?;
            Err(AgentError::Transient(e.to_string()))
        }
    }
}

/// The event context of a follow-up: caused by `cause`, or a fresh one in the workflow.
fn event(ctx: &AgentCtx, req: &SubmitRequest<'_>, payload: &EventPayload) -> EventEnvelope {
    let now = ctx.clock.now();
    match req.cause {
        Some(cause) => EventEnvelope::new(EventId(ctx.clock.new_id()), cause.follow_up(now), payload),
        None => {
            let cell = domain::CellId::new(ctx.config.cell_id.clone());
            fresh_event(ctx.clock.as_ref(), workflow_ctx(&cell, req.app.user_id, req.app.correlation_id, now), payload)
        }
    }
}

fn sent(
    ctx: &AgentCtx,
    req: &SubmitRequest<'_>,
    unit: &mut UnitOfWork,
    channel: &dyn Channel,
    msg: &Outgoing,
    receipt: submit::channel::Receipt,
    variant_id: &str,
) {
    let app = req.app;
    let at = unit.at;
    unit.writes.push(Write::FinishAttempt {
        idempotency_key: msg.idempotency_key.clone(),
        status: AttemptStatus::Sent,
        error: None,
        at,
    });
    unit.writes.push(Write::RecordSubmission(Submission {
        application_id: app.id,
        user_id: app.user_id,
        method: channel.name().to_owned(),
        variant_id: variant_id.to_owned(),
        confirmation: receipt.confirmation.clone(),
        submitted_at: at,
    }));
    let audit = serde_json::json!({
        "channel": channel.name(),
        "recipient": msg.recipient,
        "idempotency_key": msg.idempotency_key,
        "confirmation": receipt.confirmation,
        "approved_by_user": req.by_user,
        "applicant": msg.applicant,
        "cover_note": msg.cover_note,
        "answers": msg.answers,
        "attachments": msg.attachments,
        "request": receipt.audit,
    });
    unit.writes.push(Write::RecordAudit { application_id: app.id, channel: channel.name().to_owned(), audit, at });
    unit.writes.push(Write::Transition {
        application_id: app.id,
        from: app.state,
        to: ApplicationState::Submitted,
        outcome: None,
        variant_id: None,
        reason: None,
        at,
    });
    unit.writes.push(Write::Track(TimelineEntry {
        id: ctx.clock.new_id(),
        application_id: app.id,
        stage: Some(Stage::Applied),
        note: Some(format!(
            "{} via {} to {} ({})",
            if req.by_user { "approved by you and sent" } else { "sent" },
            channel.name(),
            msg.recipient.describe(),
            receipt.confirmation
        )),
        // The stage follows the send; only a stage the user sets by hand is theirs.
        source: "system".into(),
        at,
    }));
    let payload = EventPayload::ApplicationSubmitted(ApplicationSubmitted {
        job_id: app.job_id,
        application_id: app.id,
        method: channel.name().to_owned(),
        variant_id: variant_id.to_owned(),
        confirmation: receipt.confirmation,
    });
    unit.events.push(event(ctx, req, &payload));
}

/// Parks the application with the user: `needs_user` with `why`, a notification, and — when
/// something went wrong rather than merely waiting for approval — `workflow.failed` with the
/// `notify_user` strategy.
fn park(ctx: &AgentCtx, req: &SubmitRequest<'_>, mut unit: UnitOfWork, why: &str, failure: bool) -> Decision {
    let app = req.app;
    if app.state == ApplicationState::NeedsUser && app.reason.as_deref() == Some(why) {
        // Already parked for this very reason: nothing new to record or announce.
        return Decision::Commit(unit);
    }
    {
        // (`needs_user` → `needs_user` only replaces the reason; the store checks `from`.)
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: app.state,
            to: ApplicationState::NeedsUser,
            outcome: None,
            variant_id: None,
            reason: Some(why.to_owned()),
            at: unit.at,
        });
        unit.writes.push(Write::Notify(Notification {
            id: ctx.clock.new_id(),
            user_id: app.user_id,
            application_id: Some(app.id),
            message: why.to_owned(),
            created_at: unit.at,
        }));
    }
    if failure {
        let payload = EventPayload::WorkflowFailed(WorkflowFailed {
            job_id: app.job_id,
            application_id: app.id,
            step: "submit".into(),
            attempts: 1,
            error: why.to_owned(),
            strategy: Some("notify_user".into()),
        });
        unit.events.push(event(ctx, req, &payload));
    }
    Decision::Commit(unit)
}

/// The selected variant's PDF, exactly as stored, named after the applicant.
async fn documents(
    ctx: &AgentCtx,
    app: &Application,
    variant_id: &str,
    profile: &domain::Profile,
) -> Result<Option<Vec<Attachment>>, AgentError> {
    let Some(path) = ctx.store.get_document(app.user_id, app.id, variant_id, "pdf").await? else {
        return Ok(None);
    };
    let Some(artifacts) = ctx.artifacts.clone() else { return Ok(None) };
    let Some(key) = artifact_key(&path) else { return Ok(None) };
    let bytes = tokio::task::spawn_blocking(move || artifacts.get(&key))
        .await
        .map_err(|e| AgentError::Transient(format!("reading the PDF: {e}")))?
        .map_err(|e| AgentError::Transient(format!("reading the PDF: {e}")))?;
    let Some(bytes) = bytes else { return Ok(None) };
    let name = profile.resume_json["basics"]["name"].as_str().unwrap_or("resume");
    let stem: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .trim_matches('_')
        .to_owned();
    let stem = if stem.is_empty() { "resume".to_owned() } else { format!("{stem}_resume") };
    Ok(Some(vec![Attachment { name: format!("{stem}.pdf"), content_type: "application/pdf".into(), bytes }]))
}

/// `ab/<sha256>.pdf` back to its key.
pub fn artifact_key(path: &str) -> Option<render::artifacts::ArtifactKey> {
    let file = path.rsplit('/').next()?;
    let sha = file.strip_suffix(".pdf")?;
    (sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| render::artifacts::ArtifactKey { sha256: sha.to_owned(), format: render::Format::Pdf })
}

/// `true` when the recipient is somewhere outside this machine.
pub fn leaves_the_machine(r: &Recipient) -> bool {
    !matches!(r, Recipient::Sandbox)
}
