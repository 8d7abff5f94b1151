//! What the SQLite and PostgreSQL adapters share: the SQL text (both engines accept `$n`
//! placeholders and `ON CONFLICT`), the column encodings (UUID strings, fixed-width RFC 3339
//! timestamps, JSON text) and the row decoders.

use crate::{DeadLetter, LoggedEvent, StoreError, Submission, Timer, User};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::{Application, ApplicationId, CellId, CorrelationId, EventEnvelope, JobId, UserId};
use std::fmt::Display;
use std::str::FromStr;
use uuid::Uuid;

pub(crate) const PING: &str = "SELECT 1";

// --- users, keys, profiles ---
const USER_COLS: &str = "u.id, u.email, u.cell_id, u.created_at";
pub(crate) const INSERT_USER: &str = "INSERT INTO users (id, email, cell_id, created_at) VALUES ($1, $2, $3, $4)";
pub(crate) const INSERT_API_KEY: &str = "INSERT INTO api_keys (key_hash, user_id) VALUES ($1, $2)";
pub(crate) fn user_by_email() -> String {
    format!("SELECT {USER_COLS} FROM users u WHERE u.email = $1")
}
pub(crate) fn user_by_api_key() -> String {
    format!("SELECT {USER_COLS} FROM users u JOIN api_keys k ON k.user_id = u.id WHERE k.key_hash = $1")
}
pub(crate) fn list_users() -> String {
    format!("SELECT {USER_COLS} FROM users u ORDER BY u.created_at, u.id")
}
pub(crate) const PUT_PROFILE: &str = "INSERT INTO profiles (user_id, resume_json, preferences_json, updated_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET resume_json = excluded.resume_json, \
     preferences_json = excluded.preferences_json, updated_at = excluded.updated_at";
pub(crate) const GET_PROFILE: &str = "SELECT resume_json, preferences_json FROM profiles WHERE user_id = $1";

// --- the write path ---
pub(crate) const INSERT_INBOX: &str = "INSERT INTO inbox (consumer, key, user_id, processed_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (consumer, key) DO NOTHING";
pub(crate) const IS_PROCESSED: &str = "SELECT 1 FROM inbox WHERE consumer = $1 AND key = $2";
pub(crate) const INSERT_JOB: &str = "INSERT INTO jobs \
     (id, user_id, source, source_id, company, title, discovered_at, job_json) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, source, source_id) DO NOTHING";
const APP_COLS: &str =
    "id, user_id, job_id, correlation_id, state, outcome, variant_id, reason, created_at, updated_at";
pub(crate) fn insert_application() -> String {
    format!("INSERT INTO applications ({APP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
}
/// Conditional on the current state; the transition's `reason` replaces the old one.
pub(crate) const TRANSITION: &str = "UPDATE applications SET state = $1, outcome = COALESCE($2, outcome), \
     variant_id = COALESCE($3, variant_id), reason = $4, updated_at = $5 \
     WHERE user_id = $6 AND id = $7 AND state = $8";
pub(crate) const APPLICATION_STATE: &str = "SELECT state FROM applications WHERE user_id = $1 AND id = $2";
pub(crate) const PUT_ANALYSIS: &str = "INSERT INTO analyses (user_id, job_id, provider, analysis_json, updated_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, job_id) DO UPDATE SET provider = excluded.provider, \
     analysis_json = excluded.analysis_json, updated_at = excluded.updated_at";
/// Upserts never take over another user's row: the update is conditional on `user_id`.
pub(crate) const PUT_RESUME: &str = "INSERT INTO resumes \
     (application_id, variant_id, user_id, job_id, selected, resume_json) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (application_id, variant_id) DO UPDATE SET job_id = excluded.job_id, \
     selected = excluded.selected, resume_json = excluded.resume_json WHERE resumes.user_id = excluded.user_id";
pub(crate) const PUT_DOCUMENT: &str = "INSERT INTO documents \
     (application_id, variant_id, format, user_id, content) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (application_id, variant_id, format) DO UPDATE SET content = excluded.content \
     WHERE documents.user_id = excluded.user_id";
const SUBMISSION_COLS: &str = "application_id, user_id, method, variant_id, confirmation, submitted_at";
pub(crate) fn insert_submission() -> String {
    format!("INSERT INTO submissions ({SUBMISSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6)")
}
pub(crate) const INSERT_TIMER: &str =
    "INSERT INTO timers (id, user_id, application_id, due_at, event_json) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const DELETE_TIMER: &str = "DELETE FROM timers WHERE user_id = $1 AND id = $2";
const DEAD_LETTER_COLS: &str = "id, user_id, consumer, event_id, step, attempts, error, payload_json, created_at";
pub(crate) fn insert_dead_letter() -> String {
    format!("INSERT INTO dead_letters ({DEAD_LETTER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
}
pub(crate) const INSERT_NOTIFICATION: &str = "INSERT INTO notifications \
     (id, user_id, application_id, message, created_at) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const INSERT_EVENT: &str = "INSERT INTO events \
     (event_id, user_id, event_type, correlation_id, application_id, occurred_at, envelope_json) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

// --- reads ---
pub(crate) const GET_JOB: &str = "SELECT job_json FROM jobs WHERE user_id = $1 AND id = $2";
pub(crate) const LIST_JOBS: &str = "SELECT job_json FROM jobs WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3";
pub(crate) fn get_application() -> String {
    format!("SELECT {APP_COLS} FROM applications WHERE user_id = $1 AND id = $2")
}
pub(crate) fn list_applications() -> String {
    format!("SELECT {APP_COLS} FROM applications WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3")
}
pub(crate) const GET_ANALYSIS: &str = "SELECT analysis_json FROM analyses WHERE user_id = $1 AND job_id = $2";
pub(crate) const RECENT_ANALYSES: &str = "SELECT j.title, a.analysis_json FROM analyses a \
     JOIN jobs j ON j.user_id = a.user_id AND j.id = a.job_id \
     WHERE a.user_id = $1 ORDER BY a.updated_at DESC, a.job_id DESC LIMIT $2";
pub(crate) const LIST_RESUMES: &str =
    "SELECT resume_json FROM resumes WHERE user_id = $1 AND application_id = $2 ORDER BY variant_id";
pub(crate) const GET_DOCUMENT: &str = "SELECT content FROM documents \
     WHERE user_id = $1 AND application_id = $2 AND variant_id = $3 AND format = $4";
pub(crate) fn get_submission() -> String {
    format!("SELECT {SUBMISSION_COLS} FROM submissions WHERE user_id = $1 AND application_id = $2")
}
pub(crate) const APPLICATION_EVENTS: &str = "SELECT seq, envelope_json FROM events \
     WHERE user_id = $1 AND application_id = $2 AND seq > $3 ORDER BY seq LIMIT $4";
pub(crate) fn dead_letters() -> String {
    format!("SELECT {DEAD_LETTER_COLS} FROM dead_letters WHERE user_id = $1 ORDER BY created_at, id")
}
pub(crate) const EVENT_COUNTS: &str =
    "SELECT event_type AS k, COUNT(*) AS n FROM events WHERE user_id = $1 GROUP BY event_type";
pub(crate) const STATE_COUNTS: &str =
    "SELECT state AS k, COUNT(*) AS n FROM applications WHERE user_id = $1 GROUP BY state";

// --- the log ---
pub(crate) const EVENTS_AFTER: &str = "SELECT seq, envelope_json FROM events WHERE seq > $1 ORDER BY seq LIMIT $2";
pub(crate) const USER_EVENTS_AFTER: &str =
    "SELECT seq, envelope_json FROM events WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
pub(crate) const UNPUBLISHED: &str =
    "SELECT seq, envelope_json FROM events WHERE published = FALSE ORDER BY seq LIMIT $1";
/// `UPDATE ... WHERE seq IN ($1..$n)`.
pub(crate) fn mark_published(n: usize) -> String {
    format!("UPDATE events SET published = TRUE WHERE seq IN ({})", placeholders(1, n))
}
/// `$1` consumer, `$2` limit, `$3..` the event types.
pub(crate) fn pending_for(types: usize) -> String {
    format!(
        "SELECT e.seq, e.envelope_json FROM events e WHERE e.event_type IN ({}) AND NOT EXISTS \
         (SELECT 1 FROM inbox i WHERE i.consumer = $1 AND i.key = e.event_id) ORDER BY e.seq LIMIT $2",
        placeholders(3, types)
    )
}
pub(crate) const DUE_TIMERS: &str = "SELECT id, user_id, application_id, due_at, event_json FROM timers \
     WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2";
pub(crate) const APPEND_RAW_EVENT: &str = "INSERT INTO events \
     (event_id, user_id, event_type, correlation_id, application_id, occurred_at, envelope_json) \
     VALUES ($1, $2, $3, '', NULL, $4, $5)";

/// How many ids one `IN (...)` list binds at most.
pub(crate) const IN_CHUNK: usize = 500;

/// `$from, $from+1, ...` (`n` of them).
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

// --- encodings ---

/// A timestamp column: RFC 3339 UTC with nine fractional digits, so text order is time order
/// and values round-trip exactly.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("bad timestamp {s:?}: {e}")))
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad id {s:?}: {e}")))
}

/// Parses an enum column (`state`, `outcome`) with the domain's `FromStr`.
pub(crate) fn parse_enum<T: FromStr<Err = String>>(s: &str) -> Result<T, StoreError> {
    s.parse().map_err(StoreError::Corrupt)
}

/// `u32` limits and counts as the engines' `BIGINT`.
pub(crate) fn int(n: u32) -> i64 {
    i64::from(n)
}

/// Maps a constraint violation of a write to the store's own errors.
pub(crate) fn write_err(e: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what()),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::NotFound(format!("{} (it refers to a missing row)", what()))
        }
        _ => StoreError::Database(e),
    }
}

/// Refuses a record that belongs to a user other than the unit's.
pub(crate) fn same_user(unit: UserId, owner: UserId, what: impl Display) -> Result<(), StoreError> {
    if unit == owner {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!("{what} belongs to user {owner}, not to the unit's user {unit}")))
    }
}

/// Column getters both row types provide.
pub(crate) trait RowExt {
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
}

macro_rules! row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn text(&self, col: &str) -> Result<String, StoreError> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn int(&self, col: &str) -> Result<i64, StoreError> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
            fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
                Ok(sqlx::Row::try_get(self, col)?)
            }
        }
    };
}
row_ext!(sqlx::sqlite::SqliteRow);
row_ext!(sqlx::postgres::PgRow);

// --- row decoders ---

pub(crate) fn user(r: &impl RowExt) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(parse_uuid(&r.text("id")?)?),
        email: r.text("email")?,
        cell_id: CellId::new(r.text("cell_id")?),
        created_at: parse_ts(&r.text("created_at")?)?,
    })
}

pub(crate) fn application(r: &impl RowExt) -> Result<Application, StoreError> {
    Ok(Application {
        id: ApplicationId(parse_uuid(&r.text("id")?)?),
        user_id: UserId(parse_uuid(&r.text("user_id")?)?),
        job_id: JobId(parse_uuid(&r.text("job_id")?)?),
        correlation_id: CorrelationId(parse_uuid(&r.text("correlation_id")?)?),
        state: parse_enum(&r.text("state")?)?,
        outcome: r.opt_text("outcome")?.map(|o| parse_enum(&o)).transpose()?,
        variant_id: r.opt_text("variant_id")?,
        reason: r.opt_text("reason")?,
        created_at: parse_ts(&r.text("created_at")?)?,
        updated_at: parse_ts(&r.text("updated_at")?)?,
    })
}

pub(crate) fn submission(r: &impl RowExt) -> Result<Submission, StoreError> {
    Ok(Submission {
        application_id: ApplicationId(parse_uuid(&r.text("application_id")?)?),
        user_id: UserId(parse_uuid(&r.text("user_id")?)?),
        method: r.text("method")?,
        variant_id: r.text("variant_id")?,
        confirmation: r.text("confirmation")?,
        submitted_at: parse_ts(&r.text("submitted_at")?)?,
    })
}

pub(crate) fn timer(r: &impl RowExt) -> Result<Timer, StoreError> {
    let json = r.text("event_json")?;
    Ok(Timer {
        id: parse_uuid(&r.text("id")?)?,
        user_id: UserId(parse_uuid(&r.text("user_id")?)?),
        application_id: ApplicationId(parse_uuid(&r.text("application_id")?)?),
        due_at: parse_ts(&r.text("due_at")?)?,
        event: EventEnvelope::parse(&json).map_err(StoreError::corrupt)?,
    })
}

pub(crate) fn dead_letter(r: &impl RowExt) -> Result<DeadLetter, StoreError> {
    Ok(DeadLetter {
        id: parse_uuid(&r.text("id")?)?,
        user_id: UserId(parse_uuid(&r.text("user_id")?)?),
        consumer: r.text("consumer")?,
        event_id: r.opt_text("event_id")?.map(|s| parse_uuid(&s)).transpose()?,
        step: r.text("step")?,
        attempts: u32::try_from(r.int("attempts")?).map_err(StoreError::corrupt)?,
        error: r.text("error")?,
        payload: serde_json::from_str(&r.text("payload_json")?).map_err(StoreError::corrupt)?,
        created_at: parse_ts(&r.text("created_at")?)?,
    })
}

/// A log row; a malformed envelope is reported in the row, not as an error of the call.
pub(crate) fn logged(r: &impl RowExt) -> Result<LoggedEvent, StoreError> {
    Ok(crate::parse_event_row(r.int("seq")?, &r.text("envelope_json")?))
}

/// A `(key, COUNT(*))` row.
pub(crate) fn count(r: &impl RowExt) -> Result<(String, u64), StoreError> {
    Ok((r.text("k")?, u64::try_from(r.int("n")?).map_err(StoreError::corrupt)?))
}
