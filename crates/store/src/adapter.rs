//! The one implementation of [`crate::Store`], generated for each engine's pool by
//! [`impl_store!`]. Both engines run the same SQL text ([`crate::sql`]); what differs between
//! them (identity columns, booleans, collations) lives in their migrations.

/// Implements `Store` for `$store` (a struct with a `pool: sqlx::Pool<$db>` field).
/// `$conn` is the engine's connection type, `$migrator` its embedded migrations.
macro_rules! impl_store {
    ($store:ty, $db:ty, $conn:ty, $backend:literal, $migrator:path) => {
        const _: () = {
            use domain::{
                Application, ApplicationId, EventType, Job, JobAnalysis, JobId, Preferences, Profile, TailoredResume,
                UserId,
            };
            use std::collections::BTreeMap;
            use $crate::sql::{self, RowExt as _};
            use $crate::{
                Committed, DeadLetter, LoggedEvent, Page, Store, StoreError, Submission, Timer, UnitOfWork, User,
            };

            /// Decodes a JSON column (a macro: the crate does not name serde's traits).
            macro_rules! from_json {
                ($s:expr) => {
                    serde_json::from_str($s).map_err(StoreError::corrupt)
                };
            }

            #[async_trait::async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                async fn migrate(&self) -> Result<(), StoreError> {
                    $migrator.run(&self.pool).await?;
                    Ok(())
                }

                async fn ping(&self) -> Result<(), StoreError> {
                    sqlx::query(sql::PING).execute(&self.pool).await?;
                    Ok(())
                }

                async fn create_user(&self, user: &User, api_key_hash: &str) -> Result<(), StoreError> {
                    let mut tx = self.pool.begin().await?;
                    let result = async {
                        sqlx::query(sql::INSERT_USER)
                            .bind(user.id.to_string())
                            .bind(&user.email)
                            .bind(user.cell_id.as_str())
                            .bind(sql::ts(user.created_at))
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| sql::write_err(e, || format!("user {} <{}>", user.id, user.email)))?;
                        insert_api_key(&mut tx, user.id, api_key_hash).await
                    }
                    .await;
                    settle(tx, true, result).await
                }

                async fn add_api_key(&self, user_id: UserId, api_key_hash: &str) -> Result<(), StoreError> {
                    let mut conn = self.pool.acquire().await?;
                    insert_api_key(&mut conn, user_id, api_key_hash).await
                }

                async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
                    let row = sqlx::query(&sql::user_by_email()).bind(email).fetch_optional(&self.pool).await?;
                    row.as_ref().map(sql::user).transpose()
                }

                async fn user_by_api_key_hash(&self, api_key_hash: &str) -> Result<Option<User>, StoreError> {
                    let q = sql::user_by_api_key();
                    let row = sqlx::query(&q).bind(api_key_hash).fetch_optional(&self.pool).await?;
                    row.as_ref().map(sql::user).transpose()
                }

                async fn list_users(&self) -> Result<Vec<User>, StoreError> {
                    let rows = sqlx::query(&sql::list_users()).fetch_all(&self.pool).await?;
                    rows.iter().map(sql::user).collect()
                }

                async fn put_profile(&self, user_id: UserId, profile: &Profile) -> Result<(), StoreError> {
                    sqlx::query(sql::PUT_PROFILE)
                        .bind(user_id.to_string())
                        .bind(serde_json::to_string(&profile.resume_json).map_err(StoreError::corrupt)?)
                        .bind(serde_json::to_string(&profile.preferences).map_err(StoreError::corrupt)?)
                        .bind(sql::ts(self.clock.now()))
                        .execute(&self.pool)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("profile of user {user_id}")))?;
                    Ok(())
                }

                async fn get_profile(&self, user_id: UserId) -> Result<Option<Profile>, StoreError> {
                    let q = sqlx::query(sql::GET_PROFILE).bind(user_id.to_string());
                    let Some(row) = q.fetch_optional(&self.pool).await? else {
                        return Ok(None);
                    };
                    let resume: serde_json::Value =
                        serde_json::from_str(&row.text("resume_json")?).map_err(StoreError::corrupt)?;
                    let preferences: Preferences =
                        serde_json::from_str(&row.text("preferences_json")?).map_err(StoreError::corrupt)?;
                    Profile::from_parts(resume, preferences, "").map(Some).map_err(StoreError::corrupt)
                }

                async fn commit(&self, unit: &UnitOfWork) -> Result<Committed, StoreError> {
                    let mut tx = self.pool.begin().await?;
                    let result = apply_unit(&mut tx, unit).await;
                    let keep = matches!(result, Ok(Committed::Applied));
                    settle(tx, keep, result).await
                }

                async fn is_processed(&self, consumer: &str, key: &str) -> Result<bool, StoreError> {
                    let q = sqlx::query(sql::IS_PROCESSED).bind(consumer).bind(key);
                    Ok(q.fetch_optional(&self.pool).await?.is_some())
                }

                async fn get_job(&self, user_id: UserId, job_id: JobId) -> Result<Option<Job>, StoreError> {
                    let q = sqlx::query(sql::GET_JOB).bind(user_id.to_string()).bind(job_id.to_string());
                    let row = q.fetch_optional(&self.pool).await?;
                    row.map(|r| from_json!(&r.text("job_json")?)).transpose()
                }

                async fn list_jobs(&self, user_id: UserId, page: &Page) -> Result<Vec<Job>, StoreError> {
                    let rows = sqlx::query(sql::LIST_JOBS)
                        .bind(user_id.to_string())
                        .bind(page.after.map(|id| id.to_string()).unwrap_or_default())
                        .bind(sql::int(page.limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(|r| from_json!(&r.text("job_json")?)).collect()
                }

                async fn get_application(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Option<Application>, StoreError> {
                    let q = sql::get_application();
                    let q = sqlx::query(&q).bind(user_id.to_string()).bind(id.to_string());
                    q.fetch_optional(&self.pool).await?.as_ref().map(sql::application).transpose()
                }

                async fn list_applications(
                    &self,
                    user_id: UserId,
                    page: &Page,
                ) -> Result<Vec<Application>, StoreError> {
                    let rows = sqlx::query(&sql::list_applications())
                        .bind(user_id.to_string())
                        .bind(page.after.map(|id| id.to_string()).unwrap_or_default())
                        .bind(sql::int(page.limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(sql::application).collect()
                }

                async fn get_analysis(
                    &self,
                    user_id: UserId,
                    job_id: JobId,
                ) -> Result<Option<JobAnalysis>, StoreError> {
                    let q = sqlx::query(sql::GET_ANALYSIS).bind(user_id.to_string()).bind(job_id.to_string());
                    let row = q.fetch_optional(&self.pool).await?;
                    row.map(|r| from_json!(&r.text("analysis_json")?)).transpose()
                }

                async fn recent_analyses(
                    &self,
                    user_id: UserId,
                    limit: u32,
                ) -> Result<Vec<(String, JobAnalysis)>, StoreError> {
                    let q = sqlx::query(sql::RECENT_ANALYSES).bind(user_id.to_string()).bind(sql::int(limit));
                    let rows = q.fetch_all(&self.pool).await?;
                    rows.iter().map(|r| Ok((r.text("title")?, from_json!(&r.text("analysis_json")?)?))).collect()
                }

                async fn list_resumes(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Vec<TailoredResume>, StoreError> {
                    let q = sqlx::query(sql::LIST_RESUMES).bind(user_id.to_string()).bind(id.to_string());
                    let rows = q.fetch_all(&self.pool).await?;
                    rows.iter().map(|r| from_json!(&r.text("resume_json")?)).collect()
                }

                async fn get_document(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                    variant_id: &str,
                    format: &str,
                ) -> Result<Option<String>, StoreError> {
                    let row = sqlx::query(sql::GET_DOCUMENT)
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .bind(variant_id)
                        .bind(format)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.map(|r| r.text("content")).transpose()
                }

                async fn get_submission(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                ) -> Result<Option<Submission>, StoreError> {
                    let q = sql::get_submission();
                    let q = sqlx::query(&q).bind(user_id.to_string()).bind(id.to_string());
                    q.fetch_optional(&self.pool).await?.as_ref().map(sql::submission).transpose()
                }

                async fn application_events(
                    &self,
                    user_id: UserId,
                    id: ApplicationId,
                    after_seq: i64,
                    limit: u32,
                ) -> Result<Vec<LoggedEvent>, StoreError> {
                    let rows = sqlx::query(sql::APPLICATION_EVENTS)
                        .bind(user_id.to_string())
                        .bind(id.to_string())
                        .bind(after_seq)
                        .bind(sql::int(limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(sql::logged).collect()
                }

                async fn dead_letters(&self, user_id: UserId) -> Result<Vec<DeadLetter>, StoreError> {
                    let q = sql::dead_letters();
                    let rows = sqlx::query(&q).bind(user_id.to_string()).fetch_all(&self.pool).await?;
                    rows.iter().map(sql::dead_letter).collect()
                }

                async fn event_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError> {
                    let q = sqlx::query(sql::EVENT_COUNTS).bind(user_id.to_string());
                    q.fetch_all(&self.pool).await?.iter().map(sql::count).collect()
                }

                async fn application_state_counts(&self, user_id: UserId) -> Result<BTreeMap<String, u64>, StoreError> {
                    let q = sqlx::query(sql::STATE_COUNTS).bind(user_id.to_string());
                    q.fetch_all(&self.pool).await?.iter().map(sql::count).collect()
                }

                async fn events_after(
                    &self,
                    user_id: Option<UserId>,
                    after_seq: i64,
                    limit: u32,
                ) -> Result<Vec<LoggedEvent>, StoreError> {
                    let q = match user_id {
                        Some(u) => sqlx::query(sql::USER_EVENTS_AFTER).bind(u.to_string()),
                        None => sqlx::query(sql::EVENTS_AFTER),
                    };
                    let rows = q.bind(after_seq).bind(sql::int(limit)).fetch_all(&self.pool).await?;
                    rows.iter().map(sql::logged).collect()
                }

                async fn unpublished_events(&self, limit: u32) -> Result<Vec<LoggedEvent>, StoreError> {
                    let rows = sqlx::query(sql::UNPUBLISHED).bind(sql::int(limit)).fetch_all(&self.pool).await?;
                    rows.iter().map(sql::logged).collect()
                }

                async fn mark_published(&self, seqs: &[i64]) -> Result<(), StoreError> {
                    for chunk in seqs.chunks(sql::IN_CHUNK) {
                        let q = sql::mark_published(chunk.len());
                        let query = chunk.iter().fold(sqlx::query(&q), |q, seq| q.bind(*seq));
                        query.execute(&self.pool).await?;
                    }
                    Ok(())
                }

                async fn pending_for(
                    &self,
                    consumer: &str,
                    types: &[EventType],
                    limit: u32,
                ) -> Result<Vec<LoggedEvent>, StoreError> {
                    if types.is_empty() {
                        return Ok(Vec::new());
                    }
                    let q = sql::pending_for(types.len());
                    let query = sqlx::query(&q).bind(consumer).bind(sql::int(limit));
                    let query = types.iter().fold(query, |q, t| q.bind(t.as_str()));
                    query.fetch_all(&self.pool).await?.iter().map(sql::logged).collect()
                }

                async fn due_timers(
                    &self,
                    now: chrono::DateTime<chrono::Utc>,
                    limit: u32,
                ) -> Result<Vec<Timer>, StoreError> {
                    let q = sqlx::query(sql::DUE_TIMERS).bind(sql::ts(now)).bind(sql::int(limit));
                    let mut timers = Vec::new();
                    for row in q.fetch_all(&self.pool).await? {
                        // One unreadable timer must not stop the others from firing.
                        match sql::timer(&row) {
                            Ok(t) => timers.push(t),
                            Err(e) => tracing::error!(error = %e, "skipping an unreadable timer"),
                        }
                    }
                    Ok(timers)
                }

                async fn append_raw_event_for_test(
                    &self,
                    user_id: UserId,
                    event_type: &str,
                    json: &str,
                ) -> Result<(), StoreError> {
                    sqlx::query(sql::APPEND_RAW_EVENT)
                        .bind(self.clock.new_id().to_string())
                        .bind(user_id.to_string())
                        .bind(event_type)
                        .bind(sql::ts(self.clock.now()))
                        .bind(json)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }
            }

            /// Commits (`keep`) or rolls back explicitly, so no lock outlives the call.
            async fn settle<T>(
                tx: sqlx::Transaction<'static, $db>,
                keep: bool,
                result: Result<T, StoreError>,
            ) -> Result<T, StoreError> {
                match result {
                    Ok(v) if keep => {
                        tx.commit().await?;
                        Ok(v)
                    }
                    Ok(v) => {
                        tx.rollback().await?;
                        Ok(v)
                    }
                    Err(e) => {
                        if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %rollback, "rollback failed");
                        }
                        Err(e)
                    }
                }
            }

            async fn insert_api_key(conn: &mut $conn, user_id: UserId, hash: &str) -> Result<(), StoreError> {
                sqlx::query(sql::INSERT_API_KEY)
                    .bind(hash)
                    .bind(user_id.to_string())
                    .execute(conn)
                    .await
                    .map_err(|e| sql::write_err(e, || format!("api key for user {user_id}")))?;
                Ok(())
            }

            /// The body of `commit`: inbox marker, writes, events. The caller settles.
            async fn apply_unit(conn: &mut $conn, unit: &UnitOfWork) -> Result<Committed, StoreError> {
                let user = unit.user_id.to_string();
                if let Some((consumer, key)) = &unit.inbox {
                    let marked = sqlx::query(sql::INSERT_INBOX)
                        .bind(consumer)
                        .bind(key)
                        .bind(&user)
                        .bind(sql::ts(unit.at))
                        .execute(&mut *conn)
                        .await?;
                    if marked.rows_affected() == 0 {
                        return Ok(Committed::Duplicate);
                    }
                }
                for write in &unit.writes {
                    apply_write(&mut *conn, unit, write).await?;
                }
                for event in &unit.events {
                    sql::same_user(unit.user_id, event.user_id, format_args!("event {}", event.event_id))?;
                    let application_id = event.subject().ok().map(|(_, app)| app.to_string());
                    sqlx::query(sql::INSERT_EVENT)
                        .bind(event.event_id.to_string())
                        .bind(&user)
                        .bind(event.event_type.as_str())
                        .bind(event.correlation_id.to_string())
                        .bind(application_id)
                        .bind(sql::ts(event.occurred_at))
                        .bind(serde_json::to_string(event).map_err(StoreError::corrupt)?)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("event {}", event.event_id)))?;
                }
                Ok(Committed::Applied)
            }

            $crate::writes::apply_write_fn!($conn);
        };
    };
}
pub(crate) use impl_store;
