//! ScraperAgent's step `discover`: turn postings into jobs and applications for one user and
//! emit `job.discovered` for each that matches the user's preferences. Idempotent per
//! `(user, source, source_id)`: rediscovering a posting changes nothing.

use crate::agent::{AgentCtx, AgentError};
use crate::clock::new_id;
use domain::event::{EventContext, EventPayload, JobDiscovered};
use domain::{
    Application, ApplicationId, ApplicationState, CellId, CorrelationId, EventEnvelope, EventId, JobId, Profile,
    StepName, UserId,
};
use store::{Committed, UnitOfWork, Write};

/// What one discovery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DiscoveryReport {
    pub postings_seen: usize,
    pub matched: usize,
    /// Matched postings that were new for this user (a `job.discovered` each).
    pub discovered: usize,
    /// Matched postings this user already had.
    pub already_known: usize,
}

/// Runs discovery for one user over `postings`, retrying each commit with the step's backoff.
/// `on_posting` is called after each posting (for progress bars).
pub async fn discover(
    ctx: &AgentCtx,
    user_id: UserId,
    profile: &Profile,
    postings: &[discovery::Posting],
    mut on_posting: impl FnMut(),
) -> Result<DiscoveryReport, AgentError> {
    let policy = ctx.policy(StepName::Discover)?.clone();
    let cell = CellId::new(ctx.config.cell_id.clone());
    let mut report = DiscoveryReport { postings_seen: postings.len(), ..Default::default() };
    for posting in postings {
        on_posting();
        let Some(reasons) = discovery::match_preferences(&profile.preferences, posting) else {
            continue;
        };
        report.matched += 1;
        let key = format!("{user_id}:{}:{}", posting.source, posting.source_id);
        if ctx.store.is_processed("discovery", &key).await? {
            report.already_known += 1;
            continue;
        }
        let (unit, _) = discovery_unit(ctx, &cell, user_id, posting, reasons, key);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match ctx.store.commit(&unit).await {
                Ok(Committed::Applied) => {
                    report.discovered += 1;
                    break;
                }
                Ok(Committed::Duplicate) => {
                    report.already_known += 1;
                    break;
                }
                Err(e) if attempt < policy.retry.max_attempts() => {
                    let delay = policy.retry.delay(attempt, rand::random::<f64>());
                    tracing::warn!(attempt, error = %e, "discovery commit failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(report)
}

/// The unit that starts one workflow: job, application, job source and `job.discovered`.
pub(crate) fn discovery_unit(
    ctx: &AgentCtx,
    cell: &CellId,
    user_id: UserId,
    posting: &discovery::Posting,
    reasons: Vec<String>,
    key: String,
) -> (UnitOfWork, JobId) {
    let now = ctx.clock.now();
    let job = discovery::to_job(posting, JobId(new_id()), user_id, now);
    let app = Application {
        id: ApplicationId(new_id()),
        user_id,
        job_id: job.id,
        correlation_id: CorrelationId(new_id()),
        state: ApplicationState::Discovered,
        outcome: None,
        variant_id: None,
        reason: None,
        created_at: now,
        updated_at: now,
    };
    let event = EventEnvelope::new(
        EventId(new_id()),
        EventContext {
            user_id,
            cell_id: cell,
            correlation_id: app.correlation_id,
            causation_id: None,
            occurred_at: now,
        },
        &EventPayload::JobDiscovered(JobDiscovered {
            job_id: job.id,
            application_id: app.id,
            source: job.source.clone(),
            source_id: job.source_id.clone(),
            company: job.company.clone(),
            title: job.title.clone(),
            location: job.location.clone(),
            workplace: job.workplace,
            apply_url: job.apply_url.clone(),
            match_reasons: reasons,
        }),
    );
    let job_id = job.id;
    let unit = UnitOfWork {
        user_id,
        inbox: Some(("discovery".into(), key)),
        writes: vec![
            Write::AddJobSource {
                job_id: job.id,
                source: job.source.clone(),
                source_id: job.source_id.clone(),
                url: Some(job.apply_url.clone()).filter(|u| !u.is_empty()),
            },
            Write::InsertJob(job),
            Write::InsertApplication(app),
        ],
        events: vec![event],
        at: now,
    };
    (unit, job_id)
}
