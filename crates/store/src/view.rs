//! The read-only view of the store that agents get. It has no write method at all, so "an agent
//! never writes" is checked by the compiler: an agent returns a [`crate::UnitOfWork`] and only
//! the engine, which holds the full [`crate::DynStore`], commits it.

use crate::{DynStore, LoggedEvent, Page, SeenPosting, SourceState, StoreError};
use domain::{Application, ApplicationId, EventType, Job, JobAnalysis, JobId, Profile, UserId};

/// Reads only; cheap to clone.
#[derive(Clone)]
pub struct StoreView(DynStore);

impl StoreView {
    pub fn new(store: DynStore) -> Self {
        Self(store)
    }

    /// Which engine is behind the view (`sqlite` or `postgres`).
    pub fn backend(&self) -> &'static str {
        self.0.backend()
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.0.ping().await
    }

    pub async fn is_processed(&self, consumer: &str, key: &str) -> Result<bool, StoreError> {
        self.0.is_processed(consumer, key).await
    }

    pub async fn get_profile(&self, user_id: UserId) -> Result<Option<Profile>, StoreError> {
        self.0.get_profile(user_id).await
    }

    pub async fn get_job(&self, user_id: UserId, job_id: JobId) -> Result<Option<Job>, StoreError> {
        self.0.get_job(user_id, job_id).await
    }

    pub async fn list_jobs(&self, user_id: UserId, page: &Page) -> Result<Vec<Job>, StoreError> {
        self.0.list_jobs(user_id, page).await
    }

    pub async fn get_application(&self, user_id: UserId, id: ApplicationId) -> Result<Option<Application>, StoreError> {
        self.0.get_application(user_id, id).await
    }

    pub async fn list_applications(&self, user_id: UserId, page: &Page) -> Result<Vec<Application>, StoreError> {
        self.0.list_applications(user_id, page).await
    }

    pub async fn get_analysis(&self, user_id: UserId, job_id: JobId) -> Result<Option<JobAnalysis>, StoreError> {
        self.0.get_analysis(user_id, job_id).await
    }

    pub async fn recent_analyses(&self, user_id: UserId, limit: u32) -> Result<Vec<(String, JobAnalysis)>, StoreError> {
        self.0.recent_analyses(user_id, limit).await
    }

    pub async fn pending_for(
        &self,
        consumer: &str,
        types: &[EventType],
        limit: u32,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.0.pending_for(consumer, types, limit).await
    }

    pub async fn list_sources(&self, user_id: UserId) -> Result<Vec<SourceState>, StoreError> {
        self.0.list_sources(user_id).await
    }

    pub async fn seen_postings(&self, user_id: UserId, spec: &str) -> Result<Vec<SeenPosting>, StoreError> {
        self.0.seen_postings(user_id, spec).await
    }

    pub async fn job_by_source(
        &self,
        user_id: UserId,
        source: &str,
        source_id: &str,
    ) -> Result<Option<JobId>, StoreError> {
        self.0.job_by_source(user_id, source, source_id).await
    }

    pub async fn open_postings_of_job(
        &self,
        user_id: UserId,
        job_id: JobId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.0.open_postings_of_job(user_id, job_id).await
    }

    pub async fn list_resumes(
        &self,
        user_id: UserId,
        id: ApplicationId,
    ) -> Result<Vec<domain::TailoredResume>, StoreError> {
        self.0.list_resumes(user_id, id).await
    }

    pub async fn get_document(
        &self,
        user_id: UserId,
        id: ApplicationId,
        variant_id: &str,
        format: &str,
    ) -> Result<Option<String>, StoreError> {
        self.0.get_document(user_id, id, variant_id, format).await
    }

    pub async fn get_submission(
        &self,
        user_id: UserId,
        id: ApplicationId,
    ) -> Result<Option<crate::Submission>, StoreError> {
        self.0.get_submission(user_id, id).await
    }

    pub async fn attempts_for(
        &self,
        user_id: UserId,
        id: ApplicationId,
    ) -> Result<Vec<crate::SubmitAttempt>, StoreError> {
        self.0.attempts_for(user_id, id).await
    }

    pub async fn get_stage(
        &self,
        user_id: UserId,
        id: ApplicationId,
    ) -> Result<Option<crate::StageRecord>, StoreError> {
        self.0.get_stage(user_id, id).await
    }
}
