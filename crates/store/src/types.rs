//! The records the store keeps besides the domain's own types, and the unit of work.

use chrono::{DateTime, Utc};
use domain::{
    Application, ApplicationId, ApplicationState, CellId, EventEnvelope, Job, JobAnalysis, JobId, Outcome,
    TailoredResume, UserId,
};
use serde_json::Value;
use uuid::Uuid;

/// A user (tenant) of this cell.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub cell_id: CellId,
    pub created_at: DateTime<Utc>,
}

/// Keyset pagination over ids (UUIDv7 ids sort by creation time).
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Return rows after this id.
    pub after: Option<Uuid>,
    pub limit: u32,
}

/// One row of the event log: the sequence number and the envelope, or why it does not parse.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub seq: i64,
    pub event: Result<EventEnvelope, String>,
    /// The row as stored (JSON of the envelope).
    pub raw: String,
}

/// A receipt of a submission; at most one per application (a unique key enforces it).
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub application_id: ApplicationId,
    pub user_id: UserId,
    pub method: String,
    pub variant_id: String,
    pub confirmation: String,
    pub submitted_at: DateTime<Utc>,
}

/// A scheduled event: fires by committing `event` (whose id was minted when it was scheduled,
/// so firing twice cannot emit twice).
#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    pub id: Uuid,
    pub user_id: UserId,
    pub application_id: ApplicationId,
    pub due_at: DateTime<Utc>,
    pub event: EventEnvelope,
}

/// A step that exhausted its retries.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    pub id: Uuid,
    pub user_id: UserId,
    pub consumer: String,
    pub event_id: Option<Uuid>,
    pub step: String,
    pub attempts: u32,
    pub error: String,
    pub payload: Value,
    pub created_at: DateTime<Utc>,
}

/// A message for the user (the `notify_user` strategy).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: UserId,
    pub application_id: Option<ApplicationId>,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

/// One rendered document of a tailored resume.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub format: String,
    pub content: String,
}

/// A write inside a unit of work. (Variants differ in size; a unit lives for one commit, so
/// boxing the large ones would buy nothing.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Write {
    /// Inserts the job unless this user already has `(source, source_id)`.
    InsertJob(Job),
    InsertApplication(Application),
    /// Moves an application from `from` to `to` — only if it is still in `from`; otherwise the
    /// whole unit fails with `StateConflict`.
    Transition {
        application_id: ApplicationId,
        from: ApplicationState,
        to: ApplicationState,
        outcome: Option<Outcome>,
        variant_id: Option<String>,
        reason: Option<String>,
        at: DateTime<Utc>,
    },
    PutAnalysis(JobAnalysis),
    PutResume {
        resume: TailoredResume,
        documents: Vec<Document>,
    },
    RecordSubmission(Submission),
    ScheduleTimer(Timer),
    DeleteTimer(Uuid),
    DeadLetter(DeadLetter),
    Notify(Notification),
    /// Records that source `spec` shows posting `source_id` with `content_hash` (reopens it if
    /// it was closed); `job_id` links it to the user's job when it matched.
    SeePosting {
        spec: String,
        source_id: String,
        content_hash: String,
        job_id: Option<JobId>,
        at: DateTime<Utc>,
    },
    /// Source `spec` no longer shows `source_id`.
    ClosePosting {
        spec: String,
        source_id: String,
        at: DateTime<Utc>,
    },
    /// The user's job was (also) seen as `(source, source_id)`; a no-op if already recorded.
    AddJobSource {
        job_id: JobId,
        source: String,
        source_id: String,
        url: Option<String>,
    },
    /// Replaces a job's stored content (the posting changed on its board).
    UpdateJob(Job),
    /// The final status of a ledger row, committed with the submission it records.
    FinishAttempt {
        idempotency_key: String,
        status: crate::AttemptStatus,
        error: Option<String>,
        at: DateTime<Utc>,
    },
    /// The audit copy of what was sent (at most one per application).
    RecordAudit {
        application_id: ApplicationId,
        channel: String,
        audit: Value,
        at: DateTime<Utc>,
    },
    /// A timeline entry; with a stage, also the application's stage (a user's stage is only
    /// replaced by the user).
    Track(crate::TimelineEntry),
    /// How far the user's mailbox has been read.
    MailboxCursor {
        cursor: crate::MailboxCursor,
        at: DateTime<Utc>,
    },
    /// An inbound email, once per `message_key`.
    RecordInbound {
        message_key: String,
        application_id: Option<ApplicationId>,
        kind: String,
        subject: String,
        sender: String,
        received_at: DateTime<Utc>,
    },
}

/// Everything one step does, applied atomically by [`crate::Store::commit`].
#[derive(Debug, Clone)]
pub struct UnitOfWork {
    pub user_id: UserId,
    /// The inbox marker `(consumer, key)`: an event id, or a natural key for discovery.
    pub inbox: Option<(String, String)>,
    pub writes: Vec<Write>,
    /// Appended to the log (the outbox) in this order.
    pub events: Vec<EventEnvelope>,
    pub at: DateTime<Utc>,
}

/// What [`crate::Store::commit`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    Applied,
    /// The inbox marker was already there: nothing was written.
    Duplicate,
}
