//! The storage port and its two adapters: SQLite (the embedded default, a WAL file in the data
//! directory) and PostgreSQL (`DATABASE_URL`). Both keep the same tables, each with its own
//! migration history (`migrations/sqlite`, `migrations/postgres`).
//!
//! **Architecture invariant:** every row that belongs to a user carries `user_id` and every
//! query that reads user data is scoped by it. **Architecture invariant:** a state change and
//! the events it causes are written by one [`Store::commit`] call, in one transaction, together
//! with the consumer's inbox marker — so a redelivered event has no second effect (the outbox
//! and inbox patterns).

mod adapter;
pub mod applying;
mod error;
pub mod fault;
mod postgres;
pub mod sources;
pub mod spend;
mod sql;
mod sqlite;
mod types;
mod view;
mod writes;

pub use applying::{
    ApplyStore, AttemptStart, AttemptStatus, AuditRecord, Caps, MailboxCursor, NotificationRecord, StageRecord,
    SubmitAttempt, TimelineEntry,
};
pub use error::StoreError;
pub use postgres::PgStore;
pub use sources::{SeenPosting, SourceState, SourceStore};
pub use spend::{SpendRow, SpendStore, SpendTotal};
pub use sqlite::SqliteStore;
pub use types::*;
pub use view::StoreView;

use async_trait::async_trait;
use domain::{
    Application, ApplicationId, EventEnvelope, EventType, Job, JobAnalysis, JobId, Profile, TailoredResume, UserId,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The one storage interface. Implementations: [`SqliteStore`], [`PgStore`].
#[async_trait]
pub trait Store: SourceStore + SpendStore + ApplyStore + Send + Sync + 'static {
    /// Which engine this is (`sqlite` or `postgres`).
    fn backend(&self) -> &'static str;
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<(), StoreError>;
    /// A cheap round trip, for `/readyz`.
    async fn ping(&self) -> Result<(), StoreError>;

    // --- users, keys, profiles ---
    async fn create_user(&self, user: &User, api_key_hash: &str) -> Result<(), StoreError>;
    async fn add_api_key(&self, user_id: UserId, api_key_hash: &str) -> Result<(), StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    async fn user_by_api_key_hash(&self, api_key_hash: &str) -> Result<Option<User>, StoreError>;
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    async fn put_profile(&self, user_id: UserId, profile: &Profile) -> Result<(), StoreError>;
    async fn get_profile(&self, user_id: UserId) -> Result<Option<Profile>, StoreError>;

    // --- the atomic write path ---
    /// Applies a unit of work in one transaction: its inbox marker, its writes, its events.
    /// Returns [`Committed::Duplicate`] and writes nothing when the marker already exists.
    async fn commit(&self, unit: &UnitOfWork) -> Result<Committed, StoreError>;
    async fn is_processed(&self, consumer: &str, key: &str) -> Result<bool, StoreError>;

    // --- reads, always scoped by user ---
    async fn get_job(&self, user_id: UserId, job_id: JobId) -> Result<Option<Job>, StoreError>;
    async fn list_jobs(&self, user_id: UserId, page: &Page) -> Result<Vec<Job>, StoreError>;
    async fn get_application(&self, user_id: UserId, id: ApplicationId) -> Result<Option<Application>, StoreError>;
    async fn list_applications(&self, user_id: UserId, page: &Page) -> Result<Vec<Application>, StoreError>;
    async fn get_analysis(&self, user_id: UserId, job_id: JobId) -> Result<Option<JobAnalysis>, StoreError>;
    /// Recent analyses of this user's jobs with the jobs' titles (for `use_cached_similar`).
    async fn recent_analyses(&self, user_id: UserId, limit: u32) -> Result<Vec<(String, JobAnalysis)>, StoreError>;
    async fn list_resumes(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<TailoredResume>, StoreError>;
    async fn get_document(
        &self,
        user_id: UserId,
        id: ApplicationId,
        variant_id: &str,
        format: &str,
    ) -> Result<Option<String>, StoreError>;
    async fn get_submission(&self, user_id: UserId, id: ApplicationId) -> Result<Option<Submission>, StoreError>;
    /// One application's events in log order, keyset-paginated by sequence number.
    async fn application_events(
        &self,
        user_id: UserId,
        id: ApplicationId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError>;
    async fn dead_letters(&self, user_id: UserId) -> Result<Vec<DeadLetter>, StoreError>;
    /// How many events of each type the user has.
    async fn event_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError>;
    /// How many applications are in each state.
    async fn application_state_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError>;

    // --- the log, across users (relay, replay, export) ---
    /// Events with `seq > after_seq`, in order; `user_id` narrows to one user.
    async fn events_after(
        &self,
        user_id: Option<UserId>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError>;
    /// Outbox rows not yet handed to the bus, in order.
    async fn unpublished_events(&self, limit: u32) -> Result<Vec<LoggedEvent>, StoreError>;
    async fn mark_published(&self, seqs: &[i64]) -> Result<(), StoreError>;
    /// Events of `types` that `consumer` has not processed yet, in order (crash recovery and
    /// `events replay`).
    async fn pending_for(
        &self,
        consumer: &str,
        types: &[EventType],
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError>;
    /// Timers due at or before `now`.
    async fn due_timers(&self, now: chrono::DateTime<chrono::Utc>, limit: u32) -> Result<Vec<Timer>, StoreError>;
    /// Appends one raw row to the log without checks. Only for tests that prove a malformed
    /// row is reported, not acted on.
    async fn append_raw_event_for_test(&self, user_id: UserId, event_type: &str, json: &str) -> Result<(), StoreError>;
}

/// A shared handle.
pub type DynStore = Arc<dyn Store>;

/// Opens the store a URL names: `sqlite://PATH` (or a bare path) or `postgres://...`.
pub async fn connect(url: &str) -> Result<DynStore, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Arc::new(SqliteStore::open(std::path::Path::new(path)).await?))
    }
}

/// Parses the user-supplied event rows back into envelopes, refusing what does not validate.
pub fn parse_event_row(seq: i64, json: &str) -> LoggedEvent {
    LoggedEvent { seq, event: EventEnvelope::parse(json).map_err(|e| e.to_string()), raw: json.to_owned() }
}
