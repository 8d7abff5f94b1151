//! Delivery of events to one agent: recovery from the log, then the bus; per-user ordering by
//! routing each user to one worker; per-step retry with backoff and jitter, timeout, and the
//! error strategy once retries run out.

use super::Cell;
use crate::agent::{Agent, AgentError};
use bus::Subscription;
use domain::{EventEnvelope, UserId};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Instant;
use store::{Committed, StoreError};
use tokio::sync::{mpsc, watch};

/// What happened to one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessResult {
    /// The step's effect was committed.
    Applied,
    /// The consumer had already processed it: nothing changed.
    Duplicate,
    /// Retries ran out and the error strategy's effect was committed.
    Exhausted,
    /// Not even the error strategy could be committed; it stays pending for the next start.
    Stuck,
}

fn worker_of(user: &UserId, workers: usize) -> usize {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    user.hash(&mut h);
    (h.finish() % workers as u64) as usize
}

pub(super) async fn run(
    cell: Cell,
    agent: Arc<dyn Agent>,
    mut sub: Box<dyn Subscription>,
    mut stop: watch::Receiver<bool>,
) {
    let n = cell.inner.ctx.config.workers_per_consumer.max(1);
    let mut senders = Vec::with_capacity(n);
    let mut workers = Vec::with_capacity(n);
    for _ in 0..n {
        let (tx, mut rx) = mpsc::channel::<EventEnvelope>(256);
        senders.push(tx);
        let (cell, agent) = (cell.clone(), agent.clone());
        workers.push(tokio::spawn(async move {
            while let Some(ev) = rx.recv().await {
                cell.process(agent.as_ref(), &ev).await;
            }
        }));
    }
    if let Err(error) = recover(&cell, agent.as_ref(), &senders).await {
        tracing::error!(consumer = agent.name(), %error, "recovery from the log failed; relying on the bus");
    }
    loop {
        tokio::select! {
            ev = sub.next() => match ev {
                Some(ev) => {
                    if senders[worker_of(&ev.user_id, n)].send(ev).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            _ = stop.changed() => break,
        }
    }
    drop(senders);
    for w in workers {
        let _ = w.await;
    }
}

/// Hands the consumer every event it has not processed yet, oldest first, through the same
/// per-user workers, and waits until they are handled.
async fn recover(cell: &Cell, agent: &dyn Agent, senders: &[mpsc::Sender<EventEnvelope>]) -> Result<(), StoreError> {
    let store = &cell.inner.ctx.store;
    let mut max_seq = i64::MIN;
    loop {
        let batch = store.pending_for(agent.name(), agent.consumes(), 500).await?;
        let fresh: Vec<_> = batch.into_iter().filter(|e| e.seq > max_seq).collect();
        if fresh.is_empty() {
            return Ok(());
        }
        let mut by_worker: Vec<Vec<EventEnvelope>> = vec![Vec::new(); senders.len()];
        for row in fresh {
            max_seq = max_seq.max(row.seq);
            match row.event {
                Ok(ev) => by_worker[worker_of(&ev.user_id, senders.len())].push(ev),
                Err(reason) => {
                    tracing::error!(seq = row.seq, %reason, consumer = agent.name(), "skipping malformed event in the log")
                }
            }
        }
        // Process this batch (per user in order, users in parallel) before asking again, so
        // the next query sees its effects.
        let jobs = by_worker.into_iter().map(|evs| async move {
            for ev in evs {
                cell.process(agent, &ev).await;
            }
        });
        futures::future::join_all(jobs).await;
    }
}

impl Cell {
    /// Handles one delivery with the agent's step policy. Safe to call any number of times
    /// for the same event: the inbox marker makes the second call a no-op.
    pub async fn process(&self, agent: &dyn Agent, ev: &EventEnvelope) -> ProcessResult {
        let ctx = &self.inner.ctx;
        let metrics = &self.inner.metrics;
        let name = agent.name();
        let key = ev.event_id.to_string();
        match ctx.store.is_processed(name, &key).await {
            Ok(true) => {
                metrics.processed(name, "duplicate");
                return ProcessResult::Duplicate;
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(consumer = name, %error, "inbox check failed; trying the step anyway"),
        }
        let Some(policy) = ctx.workflow.step(agent.step()).cloned() else {
            tracing::error!(consumer = name, step = %agent.step(), "no policy for step");
            return ProcessResult::Stuck;
        };
        let mut attempt = 0;
        let error = loop {
            attempt += 1;
            let started = Instant::now();
            let outcome = match tokio::time::timeout(policy.timeout, agent.handle(ev, ctx)).await {
                Err(_) => {
                    Err(AgentError::Transient(format!("step `{}` timed out after {:?}", policy.step, policy.timeout)))
                }
                Ok(Err(e)) => Err(e),
                Ok(Ok(mut unit)) => {
                    unit.inbox = Some((name.to_owned(), key.clone()));
                    self.commit(&unit).await
                }
            };
            metrics.step(policy.step.as_str(), started.elapsed());
            match outcome {
                Ok(Committed::Applied) => {
                    metrics.processed(name, "applied");
                    return ProcessResult::Applied;
                }
                Ok(Committed::Duplicate) => {
                    metrics.processed(name, "duplicate");
                    return ProcessResult::Duplicate;
                }
                Err(e) if e.is_transient() && attempt < policy.retry.max_attempts() => {
                    metrics.processed(name, "retried");
                    let delay = policy.retry.delay(attempt, rand::random::<f64>());
                    tracing::warn!(consumer = name, attempt, error = %e, ?delay, event_id = %ev.event_id, "step failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => break e,
            }
        };
        tracing::warn!(consumer = name, attempts = attempt, %error, event_id = %ev.event_id, strategy = policy.on_error.as_str(), "retries exhausted; applying error strategy");
        for _ in 0..3 {
            let unit = match agent.on_exhausted(ev, ctx, &error, attempt).await {
                Ok(mut unit) => {
                    unit.inbox = Some((name.to_owned(), key.clone()));
                    unit
                }
                Err(e) => {
                    tracing::error!(consumer = name, error = %e, "error strategy failed");
                    continue;
                }
            };
            match self.commit(&unit).await {
                Ok(_) => {
                    metrics.processed(name, "exhausted");
                    return ProcessResult::Exhausted;
                }
                Err(e) => tracing::error!(consumer = name, error = %e, "could not record the failure"),
            }
        }
        ProcessResult::Stuck
    }

    /// Commits a unit and wakes the relay when it wrote events.
    pub(crate) async fn commit(&self, unit: &store::UnitOfWork) -> Result<Committed, AgentError> {
        match self.inner.ctx.store.commit(unit).await {
            Ok(c) => {
                if c == Committed::Applied && !unit.events.is_empty() {
                    self.inner.relay_wake.notify_one();
                }
                Ok(c)
            }
            Err(e @ StoreError::StateConflict { .. }) => Err(AgentError::Permanent(e.to_string())),
            Err(e) => Err(e.into()),
        }
    }
}
