//! How each [`crate::Write`] of a unit of work is applied inside the unit's transaction,
//! generated for each engine's connection type by [`apply_write_fn!`] (used by
//! [`crate::adapter::impl_store!`]).

/// Defines `async fn apply_write(conn: &mut $conn, unit: &UnitOfWork, write: &Write)`.
/// Every record must belong to the unit's user; every statement is scoped by it.
macro_rules! apply_write_fn {
    ($conn:ty) => {
        async fn apply_write(
            conn: &mut $conn,
            unit: &$crate::UnitOfWork,
            write: &$crate::Write,
        ) -> Result<(), $crate::StoreError> {
            use $crate::sql::{self, RowExt as _};
            use $crate::{StoreError, Write};

            let user = unit.user_id.to_string();
            match write {
                Write::InsertJob(job) => {
                    sql::same_user(unit.user_id, job.user_id, format_args!("job {}", job.id))?;
                    sqlx::query(sql::INSERT_JOB)
                        .bind(job.id.to_string())
                        .bind(&user)
                        .bind(&job.source)
                        .bind(&job.source_id)
                        .bind(&job.company)
                        .bind(&job.title)
                        .bind(sql::ts(job.discovered_at))
                        .bind(serde_json::to_string(job).map_err(StoreError::corrupt)?)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("job {}", job.id)))?;
                }
                Write::InsertApplication(app) => {
                    sql::same_user(unit.user_id, app.user_id, format_args!("application {}", app.id))?;
                    sqlx::query(&sql::insert_application())
                        .bind(app.id.to_string())
                        .bind(&user)
                        .bind(app.job_id.to_string())
                        .bind(app.correlation_id.to_string())
                        .bind(app.state.as_str())
                        .bind(app.outcome.map(|o| o.as_str()))
                        .bind(app.variant_id.as_deref())
                        .bind(app.reason.as_deref())
                        .bind(sql::ts(app.created_at))
                        .bind(sql::ts(app.updated_at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("application {}", app.id)))?;
                }
                Write::Transition { application_id, from, to, outcome, variant_id, reason, at } => {
                    let id = application_id.to_string();
                    let moved = sqlx::query(sql::TRANSITION)
                        .bind(to.as_str())
                        .bind(outcome.map(|o| o.as_str()))
                        .bind(variant_id.as_deref())
                        .bind(reason.as_deref())
                        .bind(sql::ts(*at))
                        .bind(&user)
                        .bind(&id)
                        .bind(from.as_str())
                        .execute(&mut *conn)
                        .await?;
                    if moved.rows_affected() == 0 {
                        let row = sqlx::query(sql::APPLICATION_STATE)
                            .bind(&user)
                            .bind(&id)
                            .fetch_optional(&mut *conn)
                            .await?;
                        let found = row.map(|r| r.text("state")).transpose()?;
                        return Err(StoreError::StateConflict {
                            application_id: id,
                            expected: *from,
                            found: found.unwrap_or_else(|| "missing".to_owned()),
                        });
                    }
                }
                Write::PutAnalysis(analysis) => {
                    let job = analysis.job_id;
                    sql::same_user(unit.user_id, analysis.user_id, format_args!("analysis of job {job}"))?;
                    sqlx::query(sql::PUT_ANALYSIS)
                        .bind(&user)
                        .bind(analysis.job_id.to_string())
                        .bind(&analysis.provider)
                        .bind(serde_json::to_string(analysis).map_err(StoreError::corrupt)?)
                        .bind(sql::ts(unit.at))
                        .execute(&mut *conn)
                        .await?;
                }
                Write::PutResume { resume, documents } => {
                    let what = || format!("resume {} of application {}", resume.variant_id, resume.application_id);
                    sql::same_user(unit.user_id, resume.user_id, what())?;
                    let app = resume.application_id.to_string();
                    let put = sqlx::query(sql::PUT_RESUME)
                        .bind(&app)
                        .bind(&resume.variant_id)
                        .bind(&user)
                        .bind(resume.job_id.to_string())
                        .bind(resume.selected)
                        .bind(serde_json::to_string(resume).map_err(StoreError::corrupt)?)
                        .execute(&mut *conn)
                        .await?;
                    if put.rows_affected() == 0 {
                        return Err(StoreError::Conflict(format!("{} belongs to another user", what())));
                    }
                    for doc in documents {
                        let put = sqlx::query(sql::PUT_DOCUMENT)
                            .bind(&app)
                            .bind(&resume.variant_id)
                            .bind(&doc.format)
                            .bind(&user)
                            .bind(&doc.content)
                            .execute(&mut *conn)
                            .await?;
                        if put.rows_affected() == 0 {
                            let msg = format!("{} document of {} belongs to another user", doc.format, what());
                            return Err(StoreError::Conflict(msg));
                        }
                    }
                }
                Write::RecordSubmission(s) => {
                    let what = || format!("submission for application {}", s.application_id);
                    sql::same_user(unit.user_id, s.user_id, what())?;
                    sqlx::query(&sql::insert_submission())
                        .bind(s.application_id.to_string())
                        .bind(&user)
                        .bind(&s.method)
                        .bind(&s.variant_id)
                        .bind(&s.confirmation)
                        .bind(sql::ts(s.submitted_at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, what))?;
                }
                Write::ScheduleTimer(timer) => {
                    sql::same_user(unit.user_id, timer.user_id, format_args!("timer {}", timer.id))?;
                    sqlx::query(sql::INSERT_TIMER)
                        .bind(timer.id.to_string())
                        .bind(&user)
                        .bind(timer.application_id.to_string())
                        .bind(sql::ts(timer.due_at))
                        .bind(serde_json::to_string(&timer.event).map_err(StoreError::corrupt)?)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("timer {}", timer.id)))?;
                }
                Write::DeleteTimer(id) => {
                    sqlx::query(sql::DELETE_TIMER).bind(&user).bind(id.to_string()).execute(&mut *conn).await?;
                }
                Write::DeadLetter(d) => {
                    sql::same_user(unit.user_id, d.user_id, format_args!("dead letter {}", d.id))?;
                    sqlx::query(&sql::insert_dead_letter())
                        .bind(d.id.to_string())
                        .bind(&user)
                        .bind(&d.consumer)
                        .bind(d.event_id.map(|id| id.to_string()))
                        .bind(&d.step)
                        .bind(i64::from(d.attempts))
                        .bind(&d.error)
                        .bind(serde_json::to_string(&d.payload).map_err(StoreError::corrupt)?)
                        .bind(sql::ts(d.created_at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("dead letter {}", d.id)))?;
                }
                Write::Notify(n) => {
                    sql::same_user(unit.user_id, n.user_id, format_args!("notification {}", n.id))?;
                    sqlx::query(sql::INSERT_NOTIFICATION)
                        .bind(n.id.to_string())
                        .bind(&user)
                        .bind(n.application_id.map(|id| id.to_string()))
                        .bind(&n.message)
                        .bind(sql::ts(n.created_at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("notification {}", n.id)))?;
                }
                Write::FinishAttempt { idempotency_key, status, error, at } => {
                    sqlx::query($crate::applying::SET_ATTEMPT)
                        .bind(status.as_str())
                        .bind(error.as_deref())
                        .bind(sql::ts(*at))
                        .bind(&user)
                        .bind(idempotency_key)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("submit attempt {idempotency_key}")))?;
                }
                Write::RecordAudit { application_id, channel, audit, at } => {
                    sqlx::query($crate::applying::INSERT_AUDIT)
                        .bind(application_id.to_string())
                        .bind(&user)
                        .bind(channel)
                        .bind(serde_json::to_string(audit).map_err(StoreError::corrupt)?)
                        .bind(sql::ts(*at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("audit of application {application_id}")))?;
                }
                Write::Track(entry) => {
                    let what = || format!("timeline of application {}", entry.application_id);
                    if let Some(stage) = entry.stage {
                        sqlx::query($crate::applying::UPSERT_STAGE)
                            .bind(entry.application_id.to_string())
                            .bind(&user)
                            .bind(stage.as_str())
                            .bind(&entry.source)
                            .bind(sql::ts(entry.at))
                            .execute(&mut *conn)
                            .await
                            .map_err(|e| sql::write_err(e, what))?;
                    }
                    sqlx::query($crate::applying::INSERT_TIMELINE)
                        .bind(entry.id.to_string())
                        .bind(&user)
                        .bind(entry.application_id.to_string())
                        .bind(entry.stage.map(|s| s.as_str()))
                        .bind(entry.note.as_deref())
                        .bind(&entry.source)
                        .bind(sql::ts(entry.at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, what))?;
                }
                Write::MailboxCursor { cursor, at } => {
                    sqlx::query($crate::applying::SET_MAILBOX_CURSOR)
                        .bind(&user)
                        .bind(i64::from(cursor.uid_validity))
                        .bind(i64::from(cursor.last_uid))
                        .bind(sql::ts(*at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || "mailbox cursor".to_owned()))?;
                }
                Write::RecordInbound { message_key, application_id, kind, subject, sender, received_at } => {
                    sqlx::query($crate::applying::INSERT_INBOUND)
                        .bind(&user)
                        .bind(message_key)
                        .bind(application_id.map(|a| a.to_string()))
                        .bind(kind)
                        .bind(subject)
                        .bind(sender)
                        .bind(sql::ts(*received_at))
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| sql::write_err(e, || format!("inbound email {message_key}")))?;
                }
                Write::SeePosting { spec, source_id, content_hash, job_id, at } => {
                    sqlx::query($crate::sources::SEE_POSTING)
                        .bind(&user)
                        .bind(spec)
                        .bind(source_id)
                        .bind(content_hash)
                        .bind(job_id.map(|j| j.to_string()))
                        .bind(sql::ts(*at))
                        .execute(&mut *conn)
                        .await?;
                }
                Write::ClosePosting { spec, source_id, at } => {
                    sqlx::query($crate::sources::CLOSE_POSTING)
                        .bind(sql::ts(*at))
                        .bind(&user)
                        .bind(spec)
                        .bind(source_id)
                        .execute(&mut *conn)
                        .await?;
                }
                Write::AddJobSource { job_id, source, source_id, url } => {
                    sqlx::query($crate::sources::ADD_JOB_SOURCE)
                        .bind(&user)
                        .bind(job_id.to_string())
                        .bind(source)
                        .bind(source_id)
                        .bind(url.as_deref())
                        .execute(&mut *conn)
                        .await?;
                }
                Write::UpdateJob(job) => {
                    sql::same_user(unit.user_id, job.user_id, format_args!("job {}", job.id))?;
                    sqlx::query($crate::sources::UPDATE_JOB)
                        .bind(&job.company)
                        .bind(&job.title)
                        .bind(serde_json::to_string(job).map_err(StoreError::corrupt)?)
                        .bind(&user)
                        .bind(job.id.to_string())
                        .execute(&mut *conn)
                        .await?;
                }
            }
            Ok(())
        }
    };
}
pub(crate) use apply_write_fn;
