//! ScraperAgent's step `discover`: the unit of work that turns a matching posting into a job,
//! an application and `job.discovered`. The engine (`Cell::discover`) commits it; idempotent
//! per `(user, source, source_id)`: rediscovering a posting changes nothing.

use crate::agent::AgentCtx;
use domain::event::{EventContext, EventPayload, JobDiscovered};
use domain::{
    Application, ApplicationId, ApplicationState, CellId, CorrelationId, EventEnvelope, EventId, JobId, UserId,
};
use store::{UnitOfWork, Write};

/// The inbox key of a posting's discovery for a user: rediscovering it is a no-op.
pub(crate) fn discovery_key(user_id: UserId, posting: &domain::Job) -> String {
    domain::text::storable(&format!("{user_id}:{}:{}", posting.source, posting.source_id))
}

/// The unit that starts one workflow: job, application, job source and `job.discovered`.
pub(crate) fn discovery_unit(
    ctx: &AgentCtx,
    cell: &CellId,
    user_id: UserId,
    posting: &domain::Job,
    reasons: Vec<String>,
    key: String,
) -> (UnitOfWork, JobId) {
    let now = ctx.clock.now();
    let job = discovery::to_job(posting, JobId(ctx.clock.new_id()), user_id, now);
    let app = Application {
        id: ApplicationId(ctx.clock.new_id()),
        user_id,
        job_id: job.id,
        correlation_id: CorrelationId(ctx.clock.new_id()),
        state: ApplicationState::Discovered,
        outcome: None,
        variant_id: None,
        reason: None,
        created_at: now,
        updated_at: now,
    };
    let event = EventEnvelope::new(
        EventId(ctx.clock.new_id()),
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
