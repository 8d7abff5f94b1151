//! `events replay`: re-drives every consumer from the log. Consumers are idempotent, so events
//! already processed change nothing and only the missing effects are applied.

use super::dispatcher::ProcessResult;
use super::Cell;
use domain::UserId;
use serde::Serialize;
use store::StoreError;

/// What a replay did.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct ReplayReport {
    /// Log rows read.
    pub events_read: u64,
    /// Deliveries to consumers (one event may go to several).
    pub deliveries: u64,
    pub applied: u64,
    pub duplicates: u64,
    pub exhausted: u64,
    pub stuck: u64,
    /// Rows that do not parse as events: reported, never acted on.
    pub malformed: Vec<MalformedRow>,
}

/// A log row that is not a valid event.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MalformedRow {
    pub seq: i64,
    pub error: String,
}

pub(super) async fn replay(cell: &Cell, user: Option<UserId>) -> Result<ReplayReport, StoreError> {
    let store = cell.store().clone();
    let mut report = ReplayReport::default();
    let mut after = 0i64;
    loop {
        let rows = store.events_after(user, after, 500).await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            report.events_read += 1;
            let ev = match row.event {
                Ok(ev) => ev,
                Err(error) => {
                    tracing::error!(seq = row.seq, %error, "malformed event in the log; skipped");
                    report.malformed.push(MalformedRow { seq: row.seq, error });
                    continue;
                }
            };
            for agent in cell.agents().iter().filter(|a| a.consumes().contains(&ev.event_type)) {
                report.deliveries += 1;
                match cell.process(agent.as_ref(), &ev).await {
                    ProcessResult::Applied => report.applied += 1,
                    ProcessResult::Duplicate => report.duplicates += 1,
                    ProcessResult::Exhausted => report.exhausted += 1,
                    ProcessResult::Stuck => report.stuck += 1,
                }
            }
        }
        // Effects of this batch may have appended events; the loop reads them next.
    }
    Ok(report)
}
