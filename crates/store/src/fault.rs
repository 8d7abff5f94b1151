//! A store decorator for fault drills (`applyflow bench faults` and the fault tests): while it
//! is switched "down", every call fails the way an unreachable database does
//! (`sqlx::Error::PoolTimedOut`); switched back "up", calls reach the real store again. Nothing
//! else changes, so what a drill measures is the engine's own recovery.

use crate::{
    Committed, DeadLetter, LoggedEvent, Page, SeenPosting, SourceState, SpendRow, SpendTotal, Store, StoreError,
    Submission, Timer, UnitOfWork, User,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{Application, ApplicationId, EventType, Job, JobAnalysis, JobId, Profile, TailoredResume, UserId};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Wraps a store; [`FaultyStore::set_down`] simulates an outage.
pub struct FaultyStore {
    inner: Arc<dyn Store>,
    down: AtomicBool,
    refused: AtomicU64,
}

impl FaultyStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self { inner, down: AtomicBool::new(false), refused: AtomicU64::new(0) }
    }

    /// Starts (`true`) or ends (`false`) the outage.
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }

    /// Calls refused during outages so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::SeqCst)
    }

    fn check(&self) -> Result<(), StoreError> {
        if self.is_down() {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Err(StoreError::Database(sqlx::Error::PoolTimedOut));
        }
        Ok(())
    }
}

#[async_trait]
impl crate::SourceStore for FaultyStore {
    async fn add_source(&self, user_id: UserId, spec: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.add_source(user_id, spec, now).await
    }
    async fn set_source_interval(&self, user_id: UserId, spec: &str, secs: Option<u64>) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.set_source_interval(user_id, spec, secs).await
    }
    async fn remove_source(&self, user_id: UserId, spec: &str) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.remove_source(user_id, spec).await
    }
    async fn list_sources(&self, user_id: UserId) -> Result<Vec<SourceState>, StoreError> {
        self.check()?;
        self.inner.list_sources(user_id).await
    }
    async fn save_poll(
        &self,
        user_id: UserId,
        spec: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.check()?;
        self.inner.save_poll(user_id, spec, etag, last_modified, at).await
    }
    async fn seen_postings(&self, user_id: UserId, spec: &str) -> Result<Vec<SeenPosting>, StoreError> {
        self.check()?;
        self.inner.seen_postings(user_id, spec).await
    }
    async fn job_by_source(&self, user_id: UserId, source: &str, source_id: &str) -> Result<Option<JobId>, StoreError> {
        self.check()?;
        self.inner.job_by_source(user_id, source, source_id).await
    }
    async fn open_postings_of_job(&self, user_id: UserId, job_id: JobId) -> Result<Vec<(String, String)>, StoreError> {
        self.check()?;
        self.inner.open_postings_of_job(user_id, job_id).await
    }
}

#[async_trait]
impl crate::SpendStore for FaultyStore {
    async fn record_spend(&self, rows: &[SpendRow]) -> Result<(), StoreError> {
        self.check()?;
        self.inner.record_spend(rows).await
    }
    async fn spend_on(&self, day: NaiveDate) -> Result<Vec<SpendTotal>, StoreError> {
        self.check()?;
        self.inner.spend_on(day).await
    }
    fn keeps_spend_journal(&self) -> bool {
        self.inner.keeps_spend_journal()
    }
    async fn hold_spend(&self, hold: &crate::spend::SpendHoldRow) -> Result<(), StoreError> {
        self.check()?;
        self.inner.hold_spend(hold).await
    }
    async fn write_spend(&self, batch: &crate::spend::SpendBatch) -> Result<(), StoreError> {
        self.check()?;
        self.inner.write_spend(batch).await
    }
    async fn open_spend_holds(&self, day: NaiveDate) -> Result<Vec<crate::spend::SpendHoldRow>, StoreError> {
        self.check()?;
        self.inner.open_spend_holds(day).await
    }
    async fn recover_spend_holds(&self, now: DateTime<Utc>) -> Result<Vec<crate::spend::SpendHoldRow>, StoreError> {
        self.check()?;
        self.inner.recover_spend_holds(now).await
    }
    async fn spend_alerts_on(&self, day: NaiveDate) -> Result<Vec<crate::spend::SpendAlertRow>, StoreError> {
        self.check()?;
        self.inner.spend_alerts_on(day).await
    }
    async fn unsent_spend_alerts(&self) -> Result<Vec<crate::spend::SpendAlertRow>, StoreError> {
        self.check()?;
        self.inner.unsent_spend_alerts().await
    }
    async fn mark_spend_alert_sent(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.check()?;
        self.inner.mark_spend_alert_sent(key, at).await
    }
}

#[async_trait]
impl crate::ApplyStore for FaultyStore {
    async fn begin_attempt(
        &self,
        attempt: &crate::SubmitAttempt,
        caps: Option<&crate::Caps>,
    ) -> Result<crate::AttemptStart, StoreError> {
        self.check()?;
        self.inner.begin_attempt(attempt, caps).await
    }
    async fn set_attempt_status(
        &self,
        user_id: UserId,
        key: &str,
        status: crate::AttemptStatus,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.check()?;
        self.inner.set_attempt_status(user_id, key, status, error, at).await
    }
    async fn attempts_for(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<crate::SubmitAttempt>, StoreError> {
        self.check()?;
        self.inner.attempts_for(user_id, id).await
    }
    async fn stuck_attempts(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<crate::SubmitAttempt>, StoreError> {
        self.check()?;
        self.inner.stuck_attempts(before, limit).await
    }
    async fn get_audit(&self, user_id: UserId, id: ApplicationId) -> Result<Option<crate::AuditRecord>, StoreError> {
        self.check()?;
        self.inner.get_audit(user_id, id).await
    }
    async fn get_stage(&self, user_id: UserId, id: ApplicationId) -> Result<Option<crate::StageRecord>, StoreError> {
        self.check()?;
        self.inner.get_stage(user_id, id).await
    }
    async fn list_stages(&self, user_id: UserId) -> Result<Vec<crate::StageRecord>, StoreError> {
        self.check()?;
        self.inner.list_stages(user_id).await
    }
    async fn timeline(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<crate::TimelineEntry>, StoreError> {
        self.check()?;
        self.inner.timeline(user_id, id).await
    }
    async fn notifications(
        &self,
        user_id: UserId,
        include_dismissed: bool,
    ) -> Result<Vec<crate::NotificationRecord>, StoreError> {
        self.check()?;
        self.inner.notifications(user_id, include_dismissed).await
    }
    async fn dismiss_notification(
        &self,
        user_id: UserId,
        id: uuid::Uuid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.dismiss_notification(user_id, id, at).await
    }
    async fn mailbox_cursor(&self, user_id: UserId) -> Result<Option<crate::MailboxCursor>, StoreError> {
        self.check()?;
        self.inner.mailbox_cursor(user_id).await
    }
    async fn inbound_seen(&self, user_id: UserId, key: &str) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.inbound_seen(user_id, key).await
    }
}

#[async_trait]
impl Store for FaultyStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn migrate(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.migrate().await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.ping().await
    }
    async fn create_user(&self, user: &User, api_key_hash: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.create_user(user, api_key_hash).await
    }
    async fn add_api_key(&self, user_id: UserId, api_key_hash: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.add_api_key(user_id, api_key_hash).await
    }
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.check()?;
        self.inner.user_by_email(email).await
    }
    async fn user_by_api_key_hash(&self, api_key_hash: &str) -> Result<Option<User>, StoreError> {
        self.check()?;
        self.inner.user_by_api_key_hash(api_key_hash).await
    }
    async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        self.check()?;
        self.inner.list_users().await
    }
    async fn put_profile(&self, user_id: UserId, profile: &Profile) -> Result<(), StoreError> {
        self.check()?;
        self.inner.put_profile(user_id, profile).await
    }
    async fn get_profile(&self, user_id: UserId) -> Result<Option<Profile>, StoreError> {
        self.check()?;
        self.inner.get_profile(user_id).await
    }
    async fn commit(&self, unit: &UnitOfWork) -> Result<Committed, StoreError> {
        self.check()?;
        self.inner.commit(unit).await
    }
    async fn is_processed(&self, consumer: &str, key: &str) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.is_processed(consumer, key).await
    }
    async fn get_job(&self, user_id: UserId, job_id: JobId) -> Result<Option<Job>, StoreError> {
        self.check()?;
        self.inner.get_job(user_id, job_id).await
    }
    async fn list_jobs(&self, user_id: UserId, page: &Page) -> Result<Vec<Job>, StoreError> {
        self.check()?;
        self.inner.list_jobs(user_id, page).await
    }
    async fn get_application(&self, user_id: UserId, id: ApplicationId) -> Result<Option<Application>, StoreError> {
        self.check()?;
        self.inner.get_application(user_id, id).await
    }
    async fn list_applications(&self, user_id: UserId, page: &Page) -> Result<Vec<Application>, StoreError> {
        self.check()?;
        self.inner.list_applications(user_id, page).await
    }
    async fn get_analysis(&self, user_id: UserId, job_id: JobId) -> Result<Option<JobAnalysis>, StoreError> {
        self.check()?;
        self.inner.get_analysis(user_id, job_id).await
    }
    async fn recent_analyses(&self, user_id: UserId, limit: u32) -> Result<Vec<(String, JobAnalysis)>, StoreError> {
        self.check()?;
        self.inner.recent_analyses(user_id, limit).await
    }
    async fn list_resumes(&self, user_id: UserId, id: ApplicationId) -> Result<Vec<TailoredResume>, StoreError> {
        self.check()?;
        self.inner.list_resumes(user_id, id).await
    }
    async fn get_document(
        &self,
        user_id: UserId,
        id: ApplicationId,
        variant_id: &str,
        format: &str,
    ) -> Result<Option<String>, StoreError> {
        self.check()?;
        self.inner.get_document(user_id, id, variant_id, format).await
    }
    async fn get_submission(&self, user_id: UserId, id: ApplicationId) -> Result<Option<Submission>, StoreError> {
        self.check()?;
        self.inner.get_submission(user_id, id).await
    }
    async fn application_events(
        &self,
        user_id: UserId,
        id: ApplicationId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.check()?;
        self.inner.application_events(user_id, id, after_seq, limit).await
    }
    async fn dead_letters(&self, user_id: UserId) -> Result<Vec<DeadLetter>, StoreError> {
        self.check()?;
        self.inner.dead_letters(user_id).await
    }
    async fn event_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError> {
        self.check()?;
        self.inner.event_counts(user_id).await
    }
    async fn application_state_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError> {
        self.check()?;
        self.inner.application_state_counts(user_id).await
    }
    async fn events_after(
        &self,
        user_id: Option<UserId>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.check()?;
        self.inner.events_after(user_id, after_seq, limit).await
    }
    async fn unpublished_events(&self, limit: u32) -> Result<Vec<LoggedEvent>, StoreError> {
        self.check()?;
        self.inner.unpublished_events(limit).await
    }
    async fn mark_published(&self, seqs: &[i64]) -> Result<(), StoreError> {
        self.check()?;
        self.inner.mark_published(seqs).await
    }
    async fn pending_for(
        &self,
        consumer: &str,
        types: &[EventType],
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.check()?;
        self.inner.pending_for(consumer, types, limit).await
    }
    async fn due_timers(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Timer>, StoreError> {
        self.check()?;
        self.inner.due_timers(now, limit).await
    }
    async fn append_raw_event_for_test(&self, user_id: UserId, event_type: &str, json: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.append_raw_event_for_test(user_id, event_type, json).await
    }
}
