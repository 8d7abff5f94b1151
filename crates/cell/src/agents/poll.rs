//! ScraperAgent on live sources: fetch one followed board, normalize, deduplicate (within the
//! batch and against the user's known jobs), and decide what changed — new matching postings
//! start a workflow (`job.discovered`), changed ones update the job, vanished ones close it
//! (`job.closed`, withdrawing an application not yet submitted). Unchanged postings and a 304
//! produce nothing. It only reads: the engine (`Cell::poll_source`) commits the units.
//!
//! A job linked by dedup to several boards belongs to the board it was discovered on: only
//! that board's changes rewrite it, and it is closed only when no followed board lists it any
//! more — an aggregator dropping its copy neither overwrites nor withdraws the user's job.

use super::discovery::discovery_unit;
use super::{fresh_event, workflow_ctx};
use crate::agent::{AgentCtx, AgentError};
use discovery::dedup::{DedupOutcome, Deduper};
use discovery::sources::{fetch_source, HttpClient, SourceError, SourceSpec, Validators};
use discovery::CanonicalJob;
use domain::event::{EventPayload, JobClosed};
use domain::{ApplicationState, CellId, Profile, UserId};
use serde::Serialize;
use std::collections::HashMap;
use store::{Page, UnitOfWork, Write};
use url::Url;

/// What one poll of one source found and did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct PollReport {
    pub source: String,
    /// The listing answered 304.
    pub not_modified: bool,
    pub fetched: usize,
    /// Postings dropped by the adapter or by normalization, with why.
    pub skipped: Vec<String>,
    /// Postings merged into another (same job on another board or a repost).
    pub duplicates: usize,
    /// New postings that match the preferences: one `job.discovered` each.
    pub discovered: usize,
    /// New postings that do not match.
    pub not_matching: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub closed: usize,
    /// The deduplicated canonical jobs of this fetch.
    #[serde(skip)]
    pub jobs: Vec<CanonicalJob>,
}

/// Fetches and normalizes one source without writing anything (`--dry-run`).
pub async fn fetch_canonical(
    client: &dyn HttpClient,
    spec: &SourceSpec,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<(PollReport, Validators), SourceError> {
    let batch = fetch_source(client, spec, base, validators).await?;
    let mut report = PollReport {
        source: spec.to_string(),
        not_modified: batch.not_modified,
        fetched: batch.postings.len(),
        skipped: batch
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.source_id.as_deref().unwrap_or("?"), s.reason))
            .collect(),
        ..Default::default()
    };
    let mut dedup = Deduper::new();
    for raw in batch.postings {
        let id = raw.source_id.clone();
        match discovery::normalize::normalize(raw) {
            Ok(job) => {
                if let DedupOutcome::Merged { .. } = dedup.add(job) {
                    report.duplicates += 1;
                }
            }
            Err(reason) => {
                tracing::info!(source = %spec, source_id = %id, %reason, "posting skipped");
                report.skipped.push(format!("{id}: {reason}"));
            }
        }
    }
    report.jobs = dedup.into_jobs();
    Ok((report, batch.validators))
}

/// What one poll decided: the report, the units of work to commit in order, and the
/// validators to save for the next conditional request.
pub struct PollPlan {
    pub report: PollReport,
    pub units: Vec<UnitOfWork>,
    pub validators: Validators,
}

/// Polls one followed source for one user and decides what changed (reads only).
pub async fn plan_poll(
    ctx: &AgentCtx,
    client: &dyn HttpClient,
    user_id: UserId,
    profile: &Profile,
    spec: &SourceSpec,
    base: Option<&Url>,
) -> Result<PollPlan, AgentError> {
    let key = spec.to_string();
    let state = ctx.store.list_sources(user_id).await?.into_iter().find(|s| s.spec == key);
    let validators = state.map(|s| Validators { etag: s.etag, last_modified: s.last_modified }).unwrap_or_default();
    let (mut report, new_validators) =
        fetch_canonical(client, spec, base, &validators).await.map_err(|e| AgentError::Transient(e.to_string()))?;
    let now = ctx.clock.now();
    if report.not_modified {
        return Ok(PollPlan { report, units: Vec::new(), validators });
    }
    let seen: HashMap<String, store::SeenPosting> =
        ctx.store.seen_postings(user_id, &key).await?.into_iter().map(|p| (p.source_id.clone(), p)).collect();
    let known = known_jobs(ctx, user_id).await?;
    let cell = CellId::new(ctx.config.cell_id.clone());
    let jobs = std::mem::take(&mut report.jobs);
    let mut units = Vec::new();
    for job in &jobs {
        let previous = seen.get(&job.source_id);
        let unit = match previous {
            Some(p) if p.content_hash == job.content_hash && !p.closed => {
                report.unchanged += 1;
                continue;
            }
            Some(p) if p.job_id.is_some() => {
                report.changed += 1;
                changed_unit(ctx, user_id, &key, job, p, now).await?
            }
            _ => {
                let existing = existing_job(ctx, user_id, job, &known).await?;
                match (existing, discovery::match_preferences(&profile.preferences, &job.as_job())) {
                    (Some(job_id), _) => {
                        report.duplicates += 1;
                        link_unit(user_id, &key, job, Some(job_id), now)
                    }
                    (None, Some(reasons)) => {
                        report.discovered += 1;
                        let dkey = format!("{user_id}:{}:{}", job.source, job.source_id);
                        let (mut unit, job_id) = discovery_unit(ctx, &cell, user_id, &job.as_job(), reasons, dkey);
                        unit.writes.extend(link_unit(user_id, &key, job, Some(job_id), now).writes);
                        unit
                    }
                    (None, None) => {
                        report.not_matching += 1;
                        link_unit(user_id, &key, job, None, now)
                    }
                }
            }
        };
        units.push(unit);
    }
    let current: std::collections::HashSet<&str> = jobs.iter().map(|j| j.source_id.as_str()).collect();
    for gone in seen.values().filter(|p| !p.closed && !current.contains(p.source_id.as_str())) {
        report.closed += 1;
        units.push(closed_unit(ctx, user_id, spec, gone, now).await?);
    }
    report.jobs = jobs;
    Ok(PollPlan { report, units, validators: new_validators })
}

/// The user's jobs as canonical jobs, to deduplicate new postings against.
async fn known_jobs(ctx: &AgentCtx, user_id: UserId) -> Result<Deduper, AgentError> {
    let mut dedup = Deduper::new();
    let mut page = Page { after: None, limit: 1000 };
    loop {
        let jobs = ctx.store.list_jobs(user_id, &page).await?;
        let Some(last) = jobs.last() else { break };
        page.after = Some(last.id.0);
        for j in &jobs {
            dedup.add(CanonicalJob::from_job(j));
        }
    }
    Ok(dedup)
}

/// The user's job this posting duplicates: seen before under one of its sources, or the same
/// job (by the dedup rules) as a known one.
async fn existing_job(
    ctx: &AgentCtx,
    user_id: UserId,
    job: &CanonicalJob,
    known: &Deduper,
) -> Result<Option<domain::JobId>, AgentError> {
    for s in &job.sources {
        if let Some(id) = ctx.store.job_by_source(user_id, &s.source, &s.source_id).await? {
            return Ok(Some(id));
        }
    }
    if let Some(twin) = known.find_duplicate(job) {
        if let Some(s) = twin.sources.first() {
            return Ok(ctx.store.job_by_source(user_id, &s.source, &s.source_id).await?);
        }
    }
    Ok(None)
}

/// Records the posting on its source and every source it was merged from.
fn link_unit(
    user_id: UserId,
    spec: &str,
    job: &CanonicalJob,
    job_id: Option<domain::JobId>,
    now: chrono::DateTime<chrono::Utc>,
) -> UnitOfWork {
    let mut writes = vec![Write::SeePosting {
        spec: spec.to_owned(),
        source_id: job.source_id.clone(),
        content_hash: job.content_hash.clone(),
        job_id,
        at: now,
    }];
    if let Some(job_id) = job_id {
        for s in &job.sources {
            writes.push(Write::AddJobSource {
                job_id,
                source: s.source.clone(),
                source_id: s.source_id.clone(),
                url: s.url.clone(),
            });
        }
    }
    UnitOfWork { user_id, inbox: None, writes, events: Vec::new(), at: now }
}

async fn changed_unit(
    ctx: &AgentCtx,
    user_id: UserId,
    spec: &str,
    job: &CanonicalJob,
    seen: &store::SeenPosting,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<UnitOfWork, AgentError> {
    let mut unit = link_unit(user_id, spec, job, seen.job_id, now);
    if let Some(job_id) = seen.job_id {
        // Only the board the job came from may rewrite it; another board's copy (an
        // aggregator's, a repost) is recorded as seen, nothing more.
        let owned = |old: &domain::Job| old.source == job.source && old.source_id == job.source_id;
        if let Some(old) = ctx.store.get_job(user_id, job_id).await?.filter(owned) {
            let mut updated = discovery::to_job(&job.as_job(), job_id, user_id, old.discovered_at);
            updated.id = old.id;
            unit.writes.push(Write::UpdateJob(updated));
        }
    }
    Ok(unit)
}

async fn closed_unit(
    ctx: &AgentCtx,
    user_id: UserId,
    spec: &SourceSpec,
    gone: &store::SeenPosting,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<UnitOfWork, AgentError> {
    let mut unit = UnitOfWork {
        user_id,
        inbox: Some(("discovery.closed".into(), format!("{user_id}:{spec}:{}:{}", gone.source_id, gone.content_hash))),
        writes: vec![Write::ClosePosting { spec: spec.to_string(), source_id: gone.source_id.clone(), at: now }],
        events: Vec::new(),
        at: now,
    };
    let Some(job_id) = gone.job_id else { return Ok(unit) };
    // Still listed by another followed board (dedup linked them): the job stays open.
    let elsewhere = ctx
        .store
        .open_postings_of_job(user_id, job_id)
        .await?
        .into_iter()
        .any(|(other_spec, other_id)| !(other_spec == spec.to_string() && other_id == gone.source_id));
    if elsewhere {
        return Ok(unit);
    }
    let apps = ctx.store.list_applications(user_id, &Page { after: None, limit: 10_000 }).await?;
    if let Some(app) = apps.into_iter().find(|a| a.job_id == job_id) {
        let withdraw = matches!(
            app.state,
            ApplicationState::Discovered
                | ApplicationState::Analyzed
                | ApplicationState::Generated
                | ApplicationState::NeedsUser
        );
        if withdraw {
            unit.writes.push(Write::Transition {
                application_id: app.id,
                from: app.state,
                to: ApplicationState::Withdrawn,
                outcome: None,
                variant_id: None,
                reason: Some(format!("the posting was closed on {spec}")),
                at: now,
            });
        }
        let cell = CellId::new(ctx.config.cell_id.clone());
        let payload = EventPayload::JobClosed(JobClosed {
            job_id,
            application_id: app.id,
            source: spec.kind.as_str().to_owned(),
            source_id: gone.source_id.clone(),
            withdrawn: withdraw,
        });
        unit.events.push(fresh_event(
            ctx.clock.as_ref(),
            workflow_ctx(&cell, user_id, app.correlation_id, now),
            &payload,
        ));
    }
    Ok(unit)
}
