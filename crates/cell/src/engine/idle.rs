//! Driving the engine by hand: [`Cell::run_until_idle`] does, in the caller's task, what the
//! started engine does in the background — move the outbox, hand each consumer the events it
//! has not processed, fire due timers — until a round finds nothing to do. With a manual clock,
//! a test advances time and runs the engine to idle again: no sleeping, no polling.

use super::dispatcher::ProcessResult;
use super::Cell;
use domain::EventEnvelope;
use serde::Serialize;
use std::collections::BTreeMap;

/// What [`Cell::run_until_idle`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct IdleReport {
    /// Rounds until nothing was left to do.
    pub rounds: usize,
    /// Events handled per consumer.
    pub processed: BTreeMap<String, usize>,
    pub timers_fired: usize,
    /// Events that could not be committed (the store stayed unavailable): still pending.
    pub stuck: usize,
}

impl Cell {
    /// Runs every consumer over the log and fires due timers until nothing can progress
    /// without waiting for time to pass. Timers due later (an employer's answer in two days)
    /// are left to a later call; so is an event whose step could not be committed. Meant for
    /// an engine that is not [started](Cell::start): both would handle the same events (the
    /// inbox keeps that harmless, but the work is done twice).
    pub async fn run_until_idle(&self) -> Result<IdleReport, super::EngineError> {
        let mut report = IdleReport::default();
        let store = &self.inner.store;
        loop {
            report.rounds += 1;
            let mut progressed = 0;
            while super::relay::relay_once(self).await? > 0 {}
            for agent in &self.inner.agents {
                let batch = store.pending_for(agent.name(), agent.consumes(), 1000).await?;
                // Per user in log order; users concurrently.
                let mut by_user: BTreeMap<domain::UserId, Vec<EventEnvelope>> = BTreeMap::new();
                for row in batch {
                    if let Ok(ev) = row.event {
                        by_user.entry(ev.user_id).or_default().push(ev);
                    }
                }
                let runs = by_user.into_values().map(|events| async move {
                    let mut results = Vec::with_capacity(events.len());
                    for ev in &events {
                        results.push(self.process(agent.as_ref(), ev).await);
                    }
                    results
                });
                for result in futures::future::join_all(runs).await.into_iter().flatten() {
                    match result {
                        ProcessResult::Stuck => report.stuck += 1,
                        _ => {
                            progressed += 1;
                            *report.processed.entry(agent.name().to_owned()).or_default() += 1;
                        }
                    }
                }
            }
            let fired = self.fire_due_timers().await?;
            report.timers_fired += fired;
            progressed += fired;
            if progressed == 0 || self.is_stopping() {
                return Ok(report);
            }
        }
    }
}
