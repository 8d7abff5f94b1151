//! The event envelope and the typed payload of every event type (seed 001's six plus
//! `workflow.failed` and `job.closed`). Their JSON Schemas live in `docs/events/`; tests check emitted events
//! against them.

use crate::analysis::{MatchScore, Seniority};
use crate::application::Outcome;
use crate::ids::{ApplicationId, CellId, CorrelationId, EventId, JobId, UserId};
use crate::job::WorkplaceType;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The envelope version this code writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The kinds of event in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum EventType {
    #[serde(rename = "job.discovered")]
    JobDiscovered,
    #[serde(rename = "job.analyzed")]
    JobAnalyzed,
    #[serde(rename = "resume.generated")]
    ResumeGenerated,
    #[serde(rename = "application.submitted")]
    ApplicationSubmitted,
    #[serde(rename = "response.received")]
    ResponseReceived,
    #[serde(rename = "workflow.completed")]
    WorkflowCompleted,
    #[serde(rename = "workflow.failed")]
    WorkflowFailed,
    #[serde(rename = "job.closed")]
    JobClosed,
    #[serde(rename = "ai.spend_alert")]
    SpendAlert,
}

impl EventType {
    /// In causal order.
    pub const ALL: [Self; 9] = [
        Self::JobDiscovered,
        Self::JobAnalyzed,
        Self::ResumeGenerated,
        Self::ApplicationSubmitted,
        Self::ResponseReceived,
        Self::WorkflowCompleted,
        Self::WorkflowFailed,
        Self::JobClosed,
        Self::SpendAlert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobDiscovered => "job.discovered",
            Self::JobAnalyzed => "job.analyzed",
            Self::ResumeGenerated => "resume.generated",
            Self::ApplicationSubmitted => "application.submitted",
            Self::ResponseReceived => "response.received",
            Self::WorkflowCompleted => "workflow.completed",
            Self::WorkflowFailed => "workflow.failed",
            Self::JobClosed => "job.closed",
            Self::SpendAlert => "ai.spend_alert",
        }
    }

    /// Ends a workflow.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::WorkflowCompleted | Self::WorkflowFailed)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = EventError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| EventError::UnknownType(s.to_owned()))
    }
}

/// Why an event could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("unknown event type `{0}`")]
    UnknownType(String),
    #[error("unsupported schema_version {found} (this build reads {SCHEMA_VERSION})")]
    UnsupportedVersion { found: u32 },
    #[error("malformed event at `{path}`: {message}")]
    Malformed { path: String, message: String },
    #[error("a `{0}` event names no job or application")]
    NoSubject(EventType),
}

/// One event: who, what, when, and what caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEnvelope {
    pub event_id: EventId,
    pub event_type: EventType,
    pub schema_version: u32,
    pub occurred_at: DateTime<Utc>,
    pub user_id: UserId,
    pub cell_id: CellId,
    pub correlation_id: CorrelationId,
    /// The event this one was caused by; `None` for the first event of a workflow.
    pub causation_id: Option<EventId>,
    pub payload: serde_json::Value,
}

/// What a new event is about, before it gets its envelope.
#[derive(Debug, Clone, Copy)]
pub struct EventContext<'a> {
    pub user_id: UserId,
    pub cell_id: &'a CellId,
    pub correlation_id: CorrelationId,
    pub causation_id: Option<EventId>,
    pub occurred_at: DateTime<Utc>,
}

impl EventEnvelope {
    /// Wraps a payload. The id is minted by the caller (UUIDv7) so this stays pure.
    pub fn new(event_id: EventId, ctx: EventContext<'_>, payload: &EventPayload) -> Self {
        Self {
            event_id,
            event_type: payload.event_type(),
            schema_version: SCHEMA_VERSION,
            occurred_at: ctx.occurred_at,
            user_id: ctx.user_id,
            cell_id: ctx.cell_id.clone(),
            correlation_id: ctx.correlation_id,
            causation_id: ctx.causation_id,
            payload: payload.to_value(),
        }
    }

    /// The context for an event caused by this one (same user, cell and correlation).
    pub fn follow_up(&self, occurred_at: DateTime<Utc>) -> EventContext<'_> {
        EventContext {
            user_id: self.user_id,
            cell_id: &self.cell_id,
            correlation_id: self.correlation_id,
            causation_id: Some(self.event_id),
            occurred_at,
        }
    }

    /// Parses and checks one event from JSON (an exported line, a log row, a bus message):
    /// known type, supported version, payload of the right shape.
    pub fn parse(json: &str) -> Result<Self, EventError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let env: Self = serde_path_to_error::deserialize(de)
            .map_err(|e| EventError::Malformed { path: e.path().to_string(), message: e.inner().to_string() })?;
        env.validate()?;
        Ok(env)
    }

    /// Checks version and payload shape.
    pub fn validate(&self) -> Result<(), EventError> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(EventError::UnsupportedVersion { found: self.schema_version });
        }
        self.typed_payload().map(|_| ())
    }

    /// The payload as its typed struct.
    pub fn typed_payload(&self) -> Result<EventPayload, EventError> {
        EventPayload::from_value(self.event_type, &self.payload)
    }

    /// The job and application a workflow event names (`ai.spend_alert` names none: an error).
    pub fn subject(&self) -> Result<(JobId, ApplicationId), EventError> {
        let p = self.typed_payload()?;
        p.job_id().zip(p.application_id()).ok_or(EventError::NoSubject(self.event_type))
    }
}

/// `job.discovered`: a posting matched the user's preferences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobDiscovered {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub source: String,
    pub source_id: String,
    pub company: String,
    pub title: String,
    pub location: String,
    pub workplace: WorkplaceType,
    pub apply_url: String,
    /// Why it matched (preference rules that fired).
    pub match_reasons: Vec<String>,
}

/// `job.analyzed`: requirements extracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobAnalyzed {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub provider: String,
    pub skills: Vec<String>,
    pub seniority: Seniority,
    pub workplace: WorkplaceType,
    /// Set when an error strategy supplied the result (`use_cached_similar`).
    pub strategy: Option<String>,
    /// The skills the posting requires (canonical taxonomy names).
    #[serde(default)]
    pub required_skills: Vec<String>,
    /// How well the user's profile fits the job, with its explanation; `None` when the user
    /// has no profile yet.
    #[serde(default)]
    pub match_score: Option<MatchScore>,
    /// The score was under the user's `min_match_score`: the workflow stops here (the
    /// application is withdrawn and nothing is generated).
    #[serde(default)]
    pub below_threshold: bool,
}

/// One generated variant, as summarized in `resume.generated`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSummary {
    pub variant_id: String,
    pub ats_score: f64,
    /// The strategy behind it: `skills_first`, `impact_first`, `concise` or `template`.
    #[serde(default)]
    pub strategy: String,
    /// The provider whose rewrite the truth guard accepted; `None` for verbatim text.
    #[serde(default)]
    pub rewritten_by: Option<String>,
    /// Why the truth guard rejected the AI rewrite (the verbatim variant was used instead).
    #[serde(default)]
    pub rejected_reasons: Vec<String>,
}

/// `resume.generated`: variants written and one selected by the optimizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeGenerated {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub variants: Vec<VariantSummary>,
    pub selected_variant_id: String,
    /// The optimizer's target (`ats`).
    pub optimized_for: String,
    pub formats: Vec<String>,
    /// Set when an error strategy supplied the result (`fallback_to_template`).
    pub strategy: Option<String>,
}

/// `application.submitted`: sent, exactly once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSubmitted {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    /// How it was sent (`sandbox`, later ATS APIs, email, webhook).
    pub method: String,
    pub variant_id: String,
    /// The receipt the submitter got back.
    pub confirmation: String,
}

/// `response.received`: the employer answered, or the response window closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseReceived {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    /// What the answer decides; `None` for a reply that decides nothing yet (an
    /// acknowledgement, a request for information).
    pub outcome: Option<Outcome>,
    /// `employer` (the sandbox employer), `response_window` when no answer came in time,
    /// `email` for a classified reply in the user's mailbox, `user` when the user recorded it.
    pub source: String,
    /// The classified kind of an email reply: `acknowledgement`, `rejection`, `interview`,
    /// `info_request`, `offer` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// `workflow.completed`: the application's workflow is finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowCompleted {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub outcome: Outcome,
}

/// `workflow.failed`: a step exhausted its retries and its error strategy could not help.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFailed {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub step: String,
    pub attempts: u32,
    pub error: String,
    /// The error strategy that was applied (`notify_user` leaves the application with the user).
    pub strategy: Option<String>,
}

/// `job.closed`: the posting disappeared from every board it was seen on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobClosed {
    pub job_id: JobId,
    pub application_id: ApplicationId,
    pub source: String,
    pub source_id: String,
    /// Whether the application was withdrawn because it had not been submitted yet.
    pub withdrawn: bool,
}

/// `ai.spend_alert`: AI spend crossed a configured fraction of a daily cap. Not part of a
/// workflow; the envelope's user is the one whose call crossed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendAlert {
    /// `user` or `cell`.
    pub scope: String,
    /// The user's or the cell's id.
    pub id: String,
    /// The fraction of the cap crossed (0.8 = 80 %).
    pub threshold: f64,
    pub spent_usd: f64,
    pub cap_usd: f64,
    /// The UTC day the spend counts against (`YYYY-MM-DD`).
    pub date: String,
}

/// The typed payload of an event.
#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    JobDiscovered(JobDiscovered),
    JobAnalyzed(JobAnalyzed),
    ResumeGenerated(ResumeGenerated),
    ApplicationSubmitted(ApplicationSubmitted),
    ResponseReceived(ResponseReceived),
    WorkflowCompleted(WorkflowCompleted),
    WorkflowFailed(WorkflowFailed),
    JobClosed(JobClosed),
    SpendAlert(SpendAlert),
}

/// Applies `$e` to the workflow payloads (all of which name a job and an application); `$other`
/// is the value for the rest.
macro_rules! payload_dispatch {
    ($self:ident, $p:ident => $e:expr, $other:expr) => {
        match $self {
            EventPayload::JobDiscovered($p) => $e,
            EventPayload::JobAnalyzed($p) => $e,
            EventPayload::ResumeGenerated($p) => $e,
            EventPayload::ApplicationSubmitted($p) => $e,
            EventPayload::ResponseReceived($p) => $e,
            EventPayload::WorkflowCompleted($p) => $e,
            EventPayload::WorkflowFailed($p) => $e,
            EventPayload::JobClosed($p) => $e,
            EventPayload::SpendAlert(_) => $other,
        }
    };
}

impl EventPayload {
    pub fn event_type(&self) -> EventType {
        match self {
            Self::JobDiscovered(_) => EventType::JobDiscovered,
            Self::JobAnalyzed(_) => EventType::JobAnalyzed,
            Self::ResumeGenerated(_) => EventType::ResumeGenerated,
            Self::ApplicationSubmitted(_) => EventType::ApplicationSubmitted,
            Self::ResponseReceived(_) => EventType::ResponseReceived,
            Self::WorkflowCompleted(_) => EventType::WorkflowCompleted,
            Self::WorkflowFailed(_) => EventType::WorkflowFailed,
            Self::JobClosed(_) => EventType::JobClosed,
            Self::SpendAlert(_) => EventType::SpendAlert,
        }
    }

    pub fn job_id(&self) -> Option<JobId> {
        payload_dispatch!(self, p => Some(p.job_id), None)
    }

    pub fn application_id(&self) -> Option<ApplicationId> {
        payload_dispatch!(self, p => Some(p.application_id), None)
    }

    pub fn to_value(&self) -> serde_json::Value {
        // Serializing these plain structs cannot fail (no maps with non-string keys).
        match self {
            Self::SpendAlert(p) => serde_json::to_value(p).unwrap_or(serde_json::Value::Null),
            other => {
                payload_dispatch!(other, p => serde_json::to_value(p).unwrap_or(serde_json::Value::Null), serde_json::Value::Null)
            }
        }
    }

    pub fn from_value(t: EventType, v: &serde_json::Value) -> Result<Self, EventError> {
        fn de<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, EventError> {
            serde_path_to_error::deserialize(v).map_err(|e| EventError::Malformed {
                path: format!("payload.{}", e.path()),
                message: e.inner().to_string(),
            })
        }
        Ok(match t {
            EventType::JobDiscovered => Self::JobDiscovered(de(v)?),
            EventType::JobAnalyzed => Self::JobAnalyzed(de(v)?),
            EventType::ResumeGenerated => Self::ResumeGenerated(de(v)?),
            EventType::ApplicationSubmitted => Self::ApplicationSubmitted(de(v)?),
            EventType::ResponseReceived => Self::ResponseReceived(de(v)?),
            EventType::WorkflowCompleted => Self::WorkflowCompleted(de(v)?),
            EventType::WorkflowFailed => Self::WorkflowFailed(de(v)?),
            EventType::JobClosed => Self::JobClosed(de(v)?),
            EventType::SpendAlert => Self::SpendAlert(de(v)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn sample() -> EventEnvelope {
        let cell = CellId::new("cell-001");
        let ctx = EventContext {
            user_id: UserId(Uuid::nil()),
            cell_id: &cell,
            correlation_id: CorrelationId(Uuid::nil()),
            causation_id: None,
            occurred_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        };
        EventEnvelope::new(
            EventId(Uuid::nil()),
            ctx,
            &EventPayload::WorkflowCompleted(WorkflowCompleted {
                job_id: JobId(Uuid::nil()),
                application_id: ApplicationId(Uuid::nil()),
                outcome: Outcome::Interview,
            }),
        )
    }

    #[test]
    fn envelope_round_trips_through_json() {
        let e = sample();
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(EventEnvelope::parse(&json).unwrap(), e);
    }

    #[test]
    fn malformed_events_name_the_problem() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["payload"]["outcome"] = "maybe".into();
        let err = EventEnvelope::parse(&v.to_string()).unwrap_err().to_string();
        assert!(err.contains("payload.outcome"), "{err}");

        let mut v = serde_json::to_value(sample()).unwrap();
        v["event_type"] = "job.exploded".into();
        let err = EventEnvelope::parse(&v.to_string()).unwrap_err().to_string();
        assert!(err.contains("event_type"), "{err}");

        let mut v = serde_json::to_value(sample()).unwrap();
        v["schema_version"] = 9.into();
        assert!(matches!(EventEnvelope::parse(&v.to_string()), Err(EventError::UnsupportedVersion { found: 9 })));
        assert!(EventEnvelope::parse("{not json").is_err());
    }
}
