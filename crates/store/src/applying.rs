//! The submission and tracking side of the store: the idempotency ledger written before every
//! send (with the per-day caps), the audit copy of what was sent, the user-facing stage and
//! timeline of each application, notifications the user can dismiss, and the inbound
//! mailbox's cursor. Implemented for both engines by [`impl_apply_store!`].

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{ApplicationId, UserId};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Where one (user, job, channel) send stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttemptStatus {
    /// Recorded before the send; still so after a crash between send and record.
    Sending,
    /// The last try is known not to have been delivered (connection refused, 5xx): safe to resend.
    Retry,
    /// The last try may have been delivered (a timeout after the request left).
    Unknown,
    Sent,
    /// The receiver refused it; only the user's approval sends it again.
    Rejected,
}

impl AttemptStatus {
    pub const ALL: [Self; 5] = [Self::Sending, Self::Retry, Self::Unknown, Self::Sent, Self::Rejected];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Retry => "retry",
            Self::Unknown => "unknown",
            Self::Sent => "sent",
            Self::Rejected => "rejected",
        }
    }
}

impl fmt::Display for AttemptStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AttemptStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| format!("unknown attempt status `{s}`"))
    }
}

/// One row of the idempotency ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitAttempt {
    pub idempotency_key: String,
    pub user_id: UserId,
    pub application_id: ApplicationId,
    pub channel: String,
    /// Who receives it, as shown to the user.
    pub recipient: String,
    pub company: String,
    pub status: AttemptStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Sends allowed per UTC day: in all, per company and per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub per_day: u32,
    pub per_company: u32,
    pub per_channel: u32,
}

/// What [`ApplyStore::begin_attempt`] decided.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptStart {
    /// Recorded as `sending`: go ahead and send (with this row's key).
    Proceed(SubmitAttempt),
    /// A send may already have happened (`sending` after a crash, or `unknown`): reconcile,
    /// never resend blindly.
    InFlight(SubmitAttempt),
    /// Already sent.
    Done(SubmitAttempt),
    /// A cap is reached for today; nothing was recorded.
    OverCap { scope: String, limit: u32 },
}

/// The audit copy of one submission.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub application_id: ApplicationId,
    pub channel: String,
    pub audit: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// The user-facing stage of an application and who set it (`user`, `email`, `employer`, `system`).
#[derive(Debug, Clone, PartialEq)]
pub struct StageRecord {
    pub application_id: ApplicationId,
    pub stage: domain::Stage,
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

/// One line of an application's timeline: a stage change, a note, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub application_id: ApplicationId,
    pub stage: Option<domain::Stage>,
    pub note: Option<String>,
    pub source: String,
    pub at: DateTime<Utc>,
}

/// A notification as the user lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationRecord {
    pub id: Uuid,
    pub application_id: Option<ApplicationId>,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub dismissed_at: Option<DateTime<Utc>>,
}

/// How far the user's mailbox has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxCursor {
    pub uid_validity: u32,
    pub last_uid: u32,
}

/// Submission and tracking reads, and the ledger (the one write outside a unit of work: it
/// must be durable *before* the send it guards). Every call is scoped by user.
#[async_trait]
pub trait ApplyStore: Send + Sync {
    /// Records `attempt` as `sending` before a send, taking one unit of each of today's caps
    /// (`None`: no caps) when the key is new; see [`AttemptStart`] for an existing key.
    async fn begin_attempt(&self, attempt: &SubmitAttempt, caps: Option<&Caps>) -> Result<AttemptStart, StoreError>;
    /// Sets the status of a ledger row (used between retries; the final status is a
    /// [`crate::Write::FinishAttempt`] committed with its effects).
    async fn set_attempt_status(
        &self,
        user_id: UserId,
        key: &str,
        status: AttemptStatus,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The ledger rows of one application, newest first.
    async fn attempts_for(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<SubmitAttempt>, StoreError>;
    /// Rows still `sending` or `unknown` and not touched since `before` (all users): what the
    /// reconcile step looks at after a crash.
    async fn stuck_attempts(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<SubmitAttempt>, StoreError>;
    async fn get_audit(&self, user_id: UserId, id: ApplicationId) -> Result<Option<AuditRecord>, StoreError>;
    async fn get_stage(&self, user_id: UserId, id: ApplicationId) -> Result<Option<StageRecord>, StoreError>;
    /// Every stage the user's applications have, keyed by application.
    async fn list_stages(&self, user_id: UserId) -> Result<Vec<StageRecord>, StoreError>;
    /// Oldest first.
    async fn timeline(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<TimelineEntry>, StoreError>;
    /// Newest first; dismissed ones only when asked.
    async fn notifications(
        &self,
        user_id: UserId,
        include_dismissed: bool,
    ) -> Result<Vec<NotificationRecord>, StoreError>;
    /// `false` when the user has no such notification (or it was already dismissed).
    async fn dismiss_notification(&self, user_id: UserId, id: Uuid, at: DateTime<Utc>) -> Result<bool, StoreError>;
    async fn mailbox_cursor(&self, user_id: UserId) -> Result<Option<MailboxCursor>, StoreError>;
    /// Whether the inbound message `key` was already recorded.
    async fn inbound_seen(&self, user_id: UserId, key: &str) -> Result<bool, StoreError>;
}

const ATTEMPT_COLS: &str = "idempotency_key, user_id, application_id, channel, recipient, company, status, \
     attempts, last_error, started_at, updated_at";

pub(crate) fn insert_attempt() -> String {
    format!(
        "INSERT INTO submit_attempts ({ATTEMPT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1, NULL, $7, $7) \
         ON CONFLICT (idempotency_key) DO NOTHING"
    )
}
pub(crate) fn get_attempt() -> String {
    format!("SELECT {ATTEMPT_COLS} FROM submit_attempts WHERE user_id = $1 AND idempotency_key = $2")
}
pub(crate) fn attempts_for() -> String {
    format!(
        "SELECT {ATTEMPT_COLS} FROM submit_attempts WHERE user_id = $1 AND application_id = $2 \
         ORDER BY updated_at DESC, idempotency_key"
    )
}
pub(crate) fn stuck_attempts() -> String {
    format!(
        "SELECT {ATTEMPT_COLS} FROM submit_attempts WHERE status IN ('sending', 'unknown') AND updated_at < $1 \
         ORDER BY updated_at LIMIT $2"
    )
}
pub(crate) const RESTART_ATTEMPT: &str = "UPDATE submit_attempts SET status = 'sending', attempts = attempts + 1, \
     updated_at = $1 WHERE user_id = $2 AND idempotency_key = $3 AND status IN ('retry', 'rejected')";
pub(crate) const SET_ATTEMPT: &str = "UPDATE submit_attempts SET status = $1, last_error = $2, updated_at = $3 \
     WHERE user_id = $4 AND idempotency_key = $5";
pub(crate) const QUOTA_ROW: &str = "INSERT INTO submit_quota (user_id, day, scope, used) VALUES ($1, $2, $3, 0) \
     ON CONFLICT (user_id, day, scope) DO NOTHING";
pub(crate) const TAKE_QUOTA: &str = "UPDATE submit_quota SET used = used + 1 \
     WHERE user_id = $1 AND day = $2 AND scope = $3 AND used < $4";
pub(crate) const INSERT_AUDIT: &str = "INSERT INTO submit_audits (application_id, user_id, channel, audit_json, \
     created_at) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const GET_AUDIT: &str = "SELECT application_id, channel, audit_json, created_at FROM submit_audits \
     WHERE user_id = $1 AND application_id = $2";
/// A user's stage always replaces; an automatic one never replaces a user's.
pub(crate) const UPSERT_STAGE: &str = "INSERT INTO application_stages (application_id, user_id, stage, source, \
     updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_id) DO UPDATE SET stage = excluded.stage, \
     source = excluded.source, updated_at = excluded.updated_at \
     WHERE application_stages.user_id = excluded.user_id \
     AND (application_stages.source <> 'user' OR excluded.source = 'user')";
pub(crate) const INSERT_TIMELINE: &str = "INSERT INTO application_timeline (id, user_id, application_id, stage, \
     note, source, at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const STAGE_COLS: &str = "application_id, stage, source, updated_at";
pub(crate) fn get_stage() -> String {
    format!("SELECT {STAGE_COLS} FROM application_stages WHERE user_id = $1 AND application_id = $2")
}
pub(crate) fn list_stages() -> String {
    format!("SELECT {STAGE_COLS} FROM application_stages WHERE user_id = $1 ORDER BY application_id")
}
pub(crate) const TIMELINE: &str = "SELECT id, application_id, stage, note, source, at FROM application_timeline \
     WHERE user_id = $1 AND application_id = $2 ORDER BY at, id";
pub(crate) const NOTIFICATIONS: &str = "SELECT id, application_id, message, created_at, dismissed_at \
     FROM notifications WHERE user_id = $1 AND ($2 OR dismissed_at IS NULL) ORDER BY created_at DESC, id DESC";
pub(crate) const DISMISS: &str = "UPDATE notifications SET dismissed_at = $1 \
     WHERE user_id = $2 AND id = $3 AND dismissed_at IS NULL";
pub(crate) const MAILBOX_CURSOR: &str = "SELECT uid_validity, last_uid FROM mailbox_cursors WHERE user_id = $1";
pub(crate) const SET_MAILBOX_CURSOR: &str = "INSERT INTO mailbox_cursors (user_id, uid_validity, last_uid, \
     synced_at) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET uid_validity = excluded.uid_validity, \
     last_uid = excluded.last_uid, synced_at = excluded.synced_at";
pub(crate) const INBOUND_SEEN: &str = "SELECT 1 FROM inbound_emails WHERE user_id = $1 AND message_key = $2";
pub(crate) const INSERT_INBOUND: &str = "INSERT INTO inbound_emails (user_id, message_key, application_id, kind, \
     subject, sender, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (user_id, message_key) DO NOTHING";

/// The UTC day of `at`, as quota rows key it.
pub(crate) fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// The three quota scopes of one send, with their limits.
pub(crate) fn scopes(a: &SubmitAttempt, caps: &Caps) -> [(String, u32); 3] {
    [
        ("all".to_owned(), caps.per_day),
        (format!("company:{}", a.company.trim().to_lowercase()), caps.per_company),
        (format!("channel:{}", a.channel), caps.per_channel),
    ]
}

pub(crate) fn attempt(r: &impl crate::sql::RowExt) -> Result<SubmitAttempt, StoreError> {
    use crate::sql::{parse_enum, parse_ts, parse_uuid};
    Ok(SubmitAttempt {
        idempotency_key: r.text("idempotency_key")?,
        user_id: UserId(parse_uuid(&r.text("user_id")?)?),
        application_id: ApplicationId(parse_uuid(&r.text("application_id")?)?),
        channel: r.text("channel")?,
        recipient: r.text("recipient")?,
        company: r.text("company")?,
        status: parse_enum(&r.text("status")?)?,
        attempts: r.int("attempts")?.clamp(0, u32::MAX as i64) as u32,
        last_error: r.opt_text("last_error")?,
        started_at: parse_ts(&r.text("started_at")?)?,
        updated_at: parse_ts(&r.text("updated_at")?)?,
    })
}

pub(crate) fn stage(r: &impl crate::sql::RowExt) -> Result<StageRecord, StoreError> {
    use crate::sql::{parse_enum, parse_ts, parse_uuid};
    Ok(StageRecord {
        application_id: ApplicationId(parse_uuid(&r.text("application_id")?)?),
        stage: parse_enum(&r.text("stage")?)?,
        source: r.text("source")?,
        updated_at: parse_ts(&r.text("updated_at")?)?,
    })
}

pub(crate) fn timeline_entry(r: &impl crate::sql::RowExt) -> Result<TimelineEntry, StoreError> {
    use crate::sql::{parse_enum, parse_ts, parse_uuid};
    Ok(TimelineEntry {
        id: parse_uuid(&r.text("id")?)?,
        application_id: ApplicationId(parse_uuid(&r.text("application_id")?)?),
        stage: r.opt_text("stage")?.map(|s| parse_enum(&s)).transpose()?,
        note: r.opt_text("note")?,
        source: r.text("source")?,
        at: parse_ts(&r.text("at")?)?,
    })
}

pub(crate) fn notification(r: &impl crate::sql::RowExt) -> Result<NotificationRecord, StoreError> {
    use crate::sql::{parse_ts, parse_uuid};
    Ok(NotificationRecord {
        id: parse_uuid(&r.text("id")?)?,
        application_id: r.opt_text("application_id")?.map(|a| parse_uuid(&a).map(ApplicationId)).transpose()?,
        message: r.text("message")?,
        created_at: parse_ts(&r.text("created_at")?)?,
        dismissed_at: r.opt_text("dismissed_at")?.map(|t| parse_ts(&t)).transpose()?,
    })
}

/// Implements [`ApplyStore`] for `$store` (a struct with a `pool` field).
macro_rules! impl_apply_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};
            use domain::{ApplicationId, UserId};
            use $crate::applying::{self as a, AttemptStart, AttemptStatus, Caps, SubmitAttempt};
            use $crate::sql::{self, RowExt as _};
            use $crate::StoreError;

            #[async_trait::async_trait]
            impl $crate::applying::ApplyStore for $store {
                async fn begin_attempt(
                    &self,
                    attempt: &SubmitAttempt,
                    caps: Option<&Caps>,
                ) -> Result<AttemptStart, StoreError> {
                    let user = attempt.user_id.to_string();
                    let now = sql::ts(attempt.updated_at);
                    let mut tx = self.pool.begin().await?;
                    // The write comes first, so SQLite takes its write lock at once.
                    let inserted = sqlx::query(&a::insert_attempt())
                        .bind(&attempt.idempotency_key)
                        .bind(&user)
                        .bind(attempt.application_id.to_string())
                        .bind(&attempt.channel)
                        .bind(&attempt.recipient)
                        .bind(&attempt.company)
                        .bind(&now)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        == 1;
                    if inserted {
                        if let Some(caps) = caps {
                            let day = a::day(attempt.updated_at);
                            for (scope, limit) in a::scopes(attempt, caps) {
                                sqlx::query(a::QUOTA_ROW).bind(&user).bind(&day).bind(&scope).execute(&mut *tx).await?;
                                let took = sqlx::query(a::TAKE_QUOTA)
                                    .bind(&user)
                                    .bind(&day)
                                    .bind(&scope)
                                    .bind(i64::from(limit))
                                    .execute(&mut *tx)
                                    .await?
                                    .rows_affected();
                                if took == 0 {
                                    tx.rollback().await?;
                                    return Ok(AttemptStart::OverCap { scope, limit });
                                }
                            }
                        }
                    }
                    let mut restarted = false;
                    if !inserted {
                        restarted = sqlx::query(a::RESTART_ATTEMPT)
                            .bind(&now)
                            .bind(&user)
                            .bind(&attempt.idempotency_key)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected()
                            == 1;
                    }
                    let row = sqlx::query(&a::get_attempt())
                        .bind(&user)
                        .bind(&attempt.idempotency_key)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or_else(|| {
                            StoreError::corrupt(format!(
                                "idempotency key {} belongs to another user",
                                attempt.idempotency_key
                            ))
                        })?;
                    let stored = a::attempt(&row)?;
                    tx.commit().await?;
                    Ok(match stored.status {
                        AttemptStatus::Sent => AttemptStart::Done(stored),
                        AttemptStatus::Sending if inserted || restarted => AttemptStart::Proceed(stored),
                        _ => AttemptStart::InFlight(stored),
                    })
                }

                async fn set_attempt_status(
                    &self,
                    user_id: UserId,
                    key: &str,
                    status: AttemptStatus,
                    error: Option<&str>,
                    at: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    sqlx::query(a::SET_ATTEMPT)
                        .bind(status.as_str())
                        .bind(error)
                        .bind(sql::ts(at))
                        .bind(user_id.to_string())
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }

                async fn attempts_for(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Vec<SubmitAttempt>, StoreError> {
                    let q = a::attempts_for();
                    let rows =
                        sqlx::query(&q).bind(user_id.to_string()).bind(id.to_string()).fetch_all(&self.pool).await?;
                    rows.iter().map(a::attempt).collect()
                }

                async fn stuck_attempts(
                    &self,
                    before: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<SubmitAttempt>, StoreError> {
                    let q = a::stuck_attempts();
                    let rows =
                        sqlx::query(&q).bind(sql::ts(before)).bind(sql::int(limit)).fetch_all(&self.pool).await?;
                    rows.iter().map(a::attempt).collect()
                }

                async fn get_audit(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Option<a::AuditRecord>, StoreError> {
                    let row = sqlx::query(a::GET_AUDIT)
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.map(|r| {
                        Ok(a::AuditRecord {
                            application_id: ApplicationId(sql::parse_uuid(&r.text("application_id")?)?),
                            channel: r.text("channel")?,
                            audit: serde_json::from_str(&r.text("audit_json")?).map_err(StoreError::corrupt)?,
                            created_at: sql::parse_ts(&r.text("created_at")?)?,
                        })
                    })
                    .transpose()
                }

                async fn get_stage(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Option<a::StageRecord>, StoreError> {
                    let q = a::get_stage();
                    let row = sqlx::query(&q)
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(a::stage).transpose()
                }

                async fn list_stages(&self, user_id: UserId) -> Result<Vec<a::StageRecord>, StoreError> {
                    let q = a::list_stages();
                    let rows = sqlx::query(&q).bind(user_id.to_string()).fetch_all(&self.pool).await?;
                    rows.iter().map(a::stage).collect()
                }

                async fn timeline(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Vec<a::TimelineEntry>, StoreError> {
                    let rows = sqlx::query(a::TIMELINE)
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(a::timeline_entry).collect()
                }

                async fn notifications(
                    &self,
                    user_id: UserId,
                    include_dismissed: bool,
                ) -> Result<Vec<a::NotificationRecord>, StoreError> {
                    let rows = sqlx::query(a::NOTIFICATIONS)
                        .bind(user_id.to_string())
                        .bind(include_dismissed)
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(a::notification).collect()
                }

                async fn dismiss_notification(
                    &self,
                    user_id: UserId,
                    id: uuid::Uuid,
                    at: DateTime<Utc>,
                ) -> Result<bool, StoreError> {
                    let r = sqlx::query(a::DISMISS)
                        .bind(sql::ts(at))
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .execute(&self.pool)
                        .await?;
                    Ok(r.rows_affected() == 1)
                }

                async fn mailbox_cursor(&self, user_id: UserId) -> Result<Option<a::MailboxCursor>, StoreError> {
                    let row =
                        sqlx::query(a::MAILBOX_CURSOR).bind(user_id.to_string()).fetch_optional(&self.pool).await?;
                    row.map(|r| {
                        Ok(a::MailboxCursor {
                            uid_validity: r.int("uid_validity")?.clamp(0, u32::MAX as i64) as u32,
                            last_uid: r.int("last_uid")?.clamp(0, u32::MAX as i64) as u32,
                        })
                    })
                    .transpose()
                }

                async fn inbound_seen(&self, user_id: UserId, key: &str) -> Result<bool, StoreError> {
                    let row = sqlx::query(a::INBOUND_SEEN)
                        .bind(user_id.to_string())
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(row.is_some())
                }
            }
        };
    };
}
pub(crate) use impl_apply_store;
