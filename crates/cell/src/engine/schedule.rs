//! Live discovery on its schedule: every tick, each user's followed sources that are due are
//! polled (the agent decides, the engine commits — see `intake`), and the outcome is counted in
//! the cell's metrics. Runs inside `serve` beside the workflow engine until told to stop.

use super::Cell;
use crate::agents::PollReport;
use crate::metrics::Metrics;
use discovery::sources::{HttpClient, SourceSpec};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

impl Cell {
    /// Polls every due source of every user once; returns how many polls ran.
    pub async fn poll_due(&self, client: &dyn HttpClient, default_secs: u64) -> Result<usize, super::EngineError> {
        let store = self.store();
        let now = self.inner.ctx.clock.now();
        let mut polls = 0;
        for user in store.list_users().await? {
            let Some(profile) = store.get_profile(user.id).await? else { continue };
            for source in store.list_sources(user.id).await?.into_iter().filter(|s| s.is_due(now, default_secs)) {
                if self.is_stopping() {
                    return Ok(polls);
                }
                let Ok(spec) = source.spec.parse::<SourceSpec>() else {
                    tracing::warn!(spec = %source.spec, "unreadable source spec; skipped");
                    continue;
                };
                polls += 1;
                match self.poll_source(client, user.id, &profile, &spec, None).await {
                    Ok(report) => {
                        record_poll(&self.metrics(), &report);
                        tracing::info!(user = %user.email, source = %spec, discovered = report.discovered,
                            changed = report.changed, closed = report.closed, skipped = report.skipped.len(), "source polled")
                    }
                    Err(error) => {
                        self.metrics().discovery(spec.kind.as_str(), "failed", 1);
                        tracing::warn!(user = %user.email, source = %spec, %error, "source poll failed")
                    }
                }
            }
        }
        Ok(polls)
    }

    /// Discovery on its schedule: checks which sources are due every `tick` (each source has
    /// its own interval, `default_secs` when unset) until `stop` flips.
    pub async fn run_discovery(
        &self,
        client: Arc<dyn HttpClient>,
        default_secs: u64,
        tick: Duration,
        mut stop: watch::Receiver<bool>,
    ) {
        loop {
            if let Err(error) = self.poll_due(client.as_ref(), default_secs).await {
                tracing::warn!(%error, "discovery round failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// Counts a poll's outcome in the cell's metrics.
pub fn record_poll(metrics: &Metrics, r: &PollReport) {
    let kind = r.source.split(':').next().unwrap_or("unknown");
    for (result, n) in [
        ("discovered", r.discovered),
        ("not_matching", r.not_matching),
        ("duplicate", r.duplicates),
        ("changed", r.changed),
        ("unchanged", r.unchanged),
        ("closed", r.closed),
        ("skipped", r.skipped.len()),
    ] {
        metrics.discovery(kind, result, n as u64);
    }
}
