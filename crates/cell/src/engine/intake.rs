//! Work that starts outside the event log — discovery over a batch of postings, and live polls
//! of followed sources. The ScraperAgent's code (`agents::discovery`, `agents::poll`) only reads
//! and returns units of work; the engine commits them here, with the discover step's retry
//! policy, and waits out a store outage instead of failing the batch.

use super::Cell;
use crate::agent::AgentError;
use crate::agents::poll::{plan_poll, PollReport};
use discovery::sources::{HttpClient, SourceSpec};
use domain::{CellId, Profile, StepName, UserId};
use serde::Serialize;
use store::{Committed, UnitOfWork};
use url::Url;

/// What one discovery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiscoveryReport {
    pub postings_seen: usize,
    pub matched: usize,
    /// Matched postings that were new for this user (a `job.discovered` each).
    pub discovered: usize,
    /// Matched postings this user already had.
    pub already_known: usize,
}

impl Cell {
    /// Commits a unit of work that no event caused, retrying a failed commit with the
    /// discover step's backoff; an unavailable store is waited for and costs no attempt.
    pub async fn commit_intake(&self, unit: &UnitOfWork) -> Result<Committed, AgentError> {
        let ctx = &self.inner.ctx;
        let policy = ctx.policy(StepName::Discover)?.clone();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.commit(unit).await {
                Ok(c) => return Ok(c),
                Err(e) if e.is_transient() && !self.store_answers().await => {
                    attempt -= 1;
                    if !self.wait_for_store().await {
                        return Err(e);
                    }
                }
                Err(e) if e.is_transient() && attempt < policy.retry.max_attempts() => {
                    let delay = policy.retry.delay(attempt, ctx.clock.random());
                    tracing::warn!(attempt, error = %e, "intake commit failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Runs discovery for one user over `postings`: each matching posting new to the user
    /// starts a workflow (`job.discovered`). Idempotent per `(user, source, source_id)`.
    /// `on_posting` is called after each posting (for progress bars).
    pub async fn discover(
        &self,
        user_id: UserId,
        profile: &Profile,
        postings: &[domain::Job],
        mut on_posting: impl FnMut(),
    ) -> Result<DiscoveryReport, AgentError> {
        let ctx = &self.inner.ctx;
        let cell = CellId::new(ctx.config.cell_id.clone());
        let mut report = DiscoveryReport { postings_seen: postings.len(), ..Default::default() };
        for posting in postings {
            on_posting();
            let Some(reasons) = discovery::match_preferences(&profile.preferences, posting) else {
                continue;
            };
            report.matched += 1;
            let key = crate::agents::discovery::discovery_key(user_id, posting);
            if ctx.store.is_processed("discovery", &key).await.unwrap_or(false) {
                report.already_known += 1;
                continue;
            }
            let (unit, _) = crate::agents::discovery::discovery_unit(ctx, &cell, user_id, posting, reasons, key);
            match self.commit_intake(&unit).await? {
                Committed::Applied => report.discovered += 1,
                Committed::Duplicate => report.already_known += 1,
            }
        }
        Ok(report)
    }

    /// Polls one followed source for one user: the agent fetches and decides, the engine
    /// follows the source, commits every unit the poll produced and saves the validators for
    /// the next conditional request.
    pub async fn poll_source(
        &self,
        client: &dyn HttpClient,
        user_id: UserId,
        profile: &Profile,
        spec: &SourceSpec,
        base: Option<&Url>,
    ) -> Result<PollReport, AgentError> {
        let store = &self.inner.store;
        let key = spec.to_string();
        // Polling a source means following it (its poll state lives there).
        store.add_source(user_id, &key, self.inner.ctx.clock.now()).await?;
        let plan = plan_poll(&self.inner.ctx, client, user_id, profile, spec, base).await?;
        for unit in &plan.units {
            if self.commit_intake(unit).await? == Committed::Duplicate {
                tracing::debug!(source = %key, "posting already recorded");
            }
        }
        store
            .save_poll(
                user_id,
                &key,
                plan.validators.etag.as_deref(),
                plan.validators.last_modified.as_deref(),
                self.inner.ctx.clock.now(),
            )
            .await?;
        Ok(plan.report)
    }
}
