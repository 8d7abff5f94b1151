//! The discovery side of the store: the sources (job boards) each user follows with their
//! polling state, and what each source showed last time (to notice new, changed and closed
//! postings). Implemented for both engines by [`impl_source_store!`].

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{JobId, UserId};

/// A followed source with its polling state.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceState {
    /// `kind:id`, e.g. `greenhouse:anthropic`.
    pub spec: String,
    pub added_at: DateTime<Utc>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_polled_at: Option<DateTime<Utc>>,
    /// Seconds between polls; `None` means the configured default.
    pub interval_secs: Option<u64>,
}

impl SourceState {
    /// Whether the source should be polled at `now` given the default interval.
    pub fn is_due(&self, now: DateTime<Utc>, default_secs: u64) -> bool {
        let every = self.interval_secs.unwrap_or(default_secs).min(i64::MAX as u64) as i64;
        self.last_polled_at.is_none_or(|t| now >= t + chrono::Duration::seconds(every))
    }
}

/// A posting a source showed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenPosting {
    pub source_id: String,
    pub content_hash: String,
    /// The user's job it became, when it matched.
    pub job_id: Option<JobId>,
    pub closed: bool,
}

/// Sources and their polling state; every call is scoped by user.
#[async_trait]
pub trait SourceStore: Send + Sync {
    /// Follows a source; `false` when the user already did.
    async fn add_source(&self, user_id: UserId, spec: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Sets how often the source is polled (`None`: the configured default); `false` when the
    /// user does not follow it.
    async fn set_source_interval(&self, user_id: UserId, spec: &str, secs: Option<u64>) -> Result<bool, StoreError>;
    /// Stops following; `false` when the user did not.
    async fn remove_source(&self, user_id: UserId, spec: &str) -> Result<bool, StoreError>;
    async fn list_sources(&self, user_id: UserId) -> Result<Vec<SourceState>, StoreError>;
    /// Records a poll and the validators for the next conditional request.
    async fn save_poll(
        &self,
        user_id: UserId,
        spec: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// What the source showed so far.
    async fn seen_postings(&self, user_id: UserId, spec: &str) -> Result<Vec<SeenPosting>, StoreError>;
    /// The user's job already known under `(source, source_id)`, on any source it was seen on.
    async fn job_by_source(&self, user_id: UserId, source: &str, source_id: &str) -> Result<Option<JobId>, StoreError>;
    /// The followed sources that still list the user's job: `(spec, source_id)` of every
    /// posting linked to `job_id` and not closed.
    async fn open_postings_of_job(&self, user_id: UserId, job_id: JobId) -> Result<Vec<(String, String)>, StoreError>;
}

pub(crate) const ADD_SOURCE: &str = "INSERT INTO sources (user_id, spec, added_at) VALUES ($1, $2, $3) \
     ON CONFLICT (user_id, spec) DO NOTHING";
pub(crate) const REMOVE_SOURCE: &str = "DELETE FROM sources WHERE user_id = $1 AND spec = $2";
pub(crate) const SET_INTERVAL: &str = "UPDATE sources SET interval_secs = $1 WHERE user_id = $2 AND spec = $3";
pub(crate) const LIST_SOURCES: &str = "SELECT spec, added_at, etag, last_modified, last_polled_at, interval_secs \
     FROM sources \
     WHERE user_id = $1 ORDER BY spec";
pub(crate) const SAVE_POLL: &str = "UPDATE sources SET etag = $1, last_modified = $2, last_polled_at = $3 \
     WHERE user_id = $4 AND spec = $5";
pub(crate) const SEEN_POSTINGS: &str = "SELECT source_id, content_hash, job_id, closed_at FROM source_postings \
     WHERE user_id = $1 AND spec = $2 ORDER BY source_id";
pub(crate) const OPEN_POSTINGS_OF_JOB: &str = "SELECT spec, source_id FROM source_postings \
     WHERE user_id = $1 AND job_id = $2 AND closed_at IS NULL ORDER BY spec, source_id";
pub(crate) const JOB_BY_SOURCE: &str =
    "SELECT job_id FROM job_sources WHERE user_id = $1 AND source = $2 AND source_id = $3";
pub(crate) const SEE_POSTING: &str = "INSERT INTO source_postings \
     (user_id, spec, source_id, content_hash, job_id, first_seen, last_seen, closed_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $6, NULL) ON CONFLICT (user_id, spec, source_id) DO UPDATE SET \
     content_hash = excluded.content_hash, job_id = COALESCE(excluded.job_id, source_postings.job_id), \
     last_seen = excluded.last_seen, closed_at = NULL";
pub(crate) const CLOSE_POSTING: &str =
    "UPDATE source_postings SET closed_at = $1 WHERE user_id = $2 AND spec = $3 AND source_id = $4";
pub(crate) const ADD_JOB_SOURCE: &str = "INSERT INTO job_sources (user_id, job_id, source, source_id, url) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, source, source_id) DO NOTHING";
pub(crate) const UPDATE_JOB: &str = "UPDATE jobs SET company = $1, title = $2, job_json = $3 \
     WHERE user_id = $4 AND id = $5";

/// Implements [`SourceStore`] for `$store` (a struct with a `pool` field).
macro_rules! impl_source_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::sources::SourceStore for $store {
            async fn add_source(
                &self,
                user_id: domain::UserId,
                spec: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query($crate::sources::ADD_SOURCE)
                    .bind(user_id.to_string())
                    .bind(spec)
                    .bind($crate::sql::ts(now))
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn set_source_interval(
                &self,
                user_id: domain::UserId,
                spec: &str,
                secs: Option<u64>,
            ) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query($crate::sources::SET_INTERVAL)
                    .bind(secs.map(|s| s.min(i64::MAX as u64) as i64))
                    .bind(user_id.to_string())
                    .bind(spec)
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn remove_source(&self, user_id: domain::UserId, spec: &str) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query($crate::sources::REMOVE_SOURCE)
                    .bind(user_id.to_string())
                    .bind(spec)
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn list_sources(
                &self,
                user_id: domain::UserId,
            ) -> Result<Vec<$crate::sources::SourceState>, $crate::StoreError> {
                use $crate::sql::RowExt as _;
                let rows =
                    sqlx::query($crate::sources::LIST_SOURCES).bind(user_id.to_string()).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::sources::SourceState {
                            spec: r.text("spec")?,
                            added_at: $crate::sql::parse_ts(&r.text("added_at")?)?,
                            etag: r.opt_text("etag")?,
                            last_modified: r.opt_text("last_modified")?,
                            last_polled_at: r
                                .opt_text("last_polled_at")?
                                .map(|t| $crate::sql::parse_ts(&t))
                                .transpose()?,
                            interval_secs: r.opt_int("interval_secs")?.map(|n| n.max(0) as u64),
                        })
                    })
                    .collect()
            }

            async fn save_poll(
                &self,
                user_id: domain::UserId,
                spec: &str,
                etag: Option<&str>,
                last_modified: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::sources::SAVE_POLL)
                    .bind(etag)
                    .bind(last_modified)
                    .bind($crate::sql::ts(at))
                    .bind(user_id.to_string())
                    .bind(spec)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn seen_postings(
                &self,
                user_id: domain::UserId,
                spec: &str,
            ) -> Result<Vec<$crate::sources::SeenPosting>, $crate::StoreError> {
                use $crate::sql::RowExt as _;
                let rows = sqlx::query($crate::sources::SEEN_POSTINGS)
                    .bind(user_id.to_string())
                    .bind(spec)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::sources::SeenPosting {
                            source_id: r.text("source_id")?,
                            content_hash: r.text("content_hash")?,
                            job_id: r
                                .opt_text("job_id")?
                                .map(|j| $crate::sql::parse_uuid(&j).map(domain::JobId))
                                .transpose()?,
                            closed: r.opt_text("closed_at")?.is_some(),
                        })
                    })
                    .collect()
            }

            async fn job_by_source(
                &self,
                user_id: domain::UserId,
                source: &str,
                source_id: &str,
            ) -> Result<Option<domain::JobId>, $crate::StoreError> {
                use $crate::sql::RowExt as _;
                let row = sqlx::query($crate::sources::JOB_BY_SOURCE)
                    .bind(user_id.to_string())
                    .bind(source)
                    .bind(source_id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|r| $crate::sql::parse_uuid(&r.text("job_id")?).map(domain::JobId)).transpose()
            }

            async fn open_postings_of_job(
                &self,
                user_id: domain::UserId,
                job_id: domain::JobId,
            ) -> Result<Vec<(String, String)>, $crate::StoreError> {
                use $crate::sql::RowExt as _;
                let rows = sqlx::query($crate::sources::OPEN_POSTINGS_OF_JOB)
                    .bind(user_id.to_string())
                    .bind(job_id.0.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|r| Ok((r.text("spec")?, r.text("source_id")?))).collect()
            }
        }
    };
}
pub(crate) use impl_source_store;
