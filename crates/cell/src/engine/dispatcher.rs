//! Delivery of events to one agent: recovery from the log, then the bus; per-user ordering by
//! routing each user to one worker; per-step retry with backoff and jitter, timeout, and the
//! error strategy once retries run out.
//!
//! Faults stay local: a panicking agent is caught and treated as a failed attempt (after its
//! retries the event goes to a dead letter with the panic message), so the worker, the
//! dispatcher, the relay and other users go on. A store that stops answering is waited for —
//! an outage is not the step's fault and never uses up its retries — and an idle dispatcher
//! sweeps the log for events it has not processed, so nothing waits for a restart.

use super::Cell;
use crate::agent::{Agent, AgentError};
use bus::Subscription;
use domain::{EventEnvelope, UserId};
use futures::FutureExt;
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};
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
    /// Not committed: the engine is stopping (the event is handed back and stays pending in
    /// the log for the next run or the idle sweep), or not even the error strategy could be
    /// committed.
    Stuck,
}

/// The text of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
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
        tracing::error!(consumer = agent.name(), %error, "recovery from the log failed; the idle sweep will retry");
    }
    let sweep_every = cell.inner.ctx.config.sweep_interval();
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
            // Quiet for a while: anything still pending in the log was missed (delivered while
            // the store was down, or a failed recovery). Through the same workers, so per-user
            // order holds and a repeat is only an inbox hit.
            _ = tokio::time::sleep(sweep_every) => {
                if let Err(error) = sweep(&cell, agent.as_ref(), &senders).await {
                    tracing::warn!(consumer = agent.name(), %error, "idle sweep of the log failed");
                }
            }
            _ = stop.changed() => break,
        }
    }
    drop(senders);
    for w in workers {
        let _ = w.await;
    }
}

/// Queues the consumer's unprocessed events on their users' workers (without waiting).
async fn sweep(cell: &Cell, agent: &dyn Agent, senders: &[mpsc::Sender<EventEnvelope>]) -> Result<(), StoreError> {
    let batch = cell.inner.store.pending_for(agent.name(), agent.consumes(), 500).await?;
    if !batch.is_empty() {
        tracing::info!(consumer = agent.name(), pending = batch.len(), "idle sweep found unprocessed events");
    }
    for row in batch {
        if let Ok(ev) = row.event {
            if senders[worker_of(&ev.user_id, senders.len())].send(ev).await.is_err() {
                break;
            }
        }
    }
    Ok(())
}

/// Hands the consumer every event it has not processed yet, oldest first, through the same
/// per-user workers, and waits until they are handled.
async fn recover(cell: &Cell, agent: &dyn Agent, senders: &[mpsc::Sender<EventEnvelope>]) -> Result<(), StoreError> {
    let store = &cell.inner.store;
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
        let mut panicked = false;
        let error = loop {
            if self.is_stopping() {
                return ProcessResult::Stuck;
            }
            attempt += 1;
            let started = Instant::now();
            let handled =
                AssertUnwindSafe(tokio::time::timeout(policy.timeout, agent.handle(ev, ctx))).catch_unwind().await;
            let outcome = match handled {
                Err(panic) => {
                    panicked = true;
                    metrics.processed(name, "panicked");
                    let message = panic_message(panic.as_ref());
                    tracing::error!(consumer = name, attempt, panic = %message, event_id = %ev.event_id, "agent panicked");
                    Err(AgentError::Transient(format!("agent `{name}` panicked: {message}")))
                }
                Ok(Err(_)) => {
                    Err(AgentError::Transient(format!("step `{}` timed out after {:?}", policy.step, policy.timeout)))
                }
                Ok(Ok(Err(e))) => Err(e),
                Ok(Ok(Ok(mut unit))) => {
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
                Err(e) if e.is_transient() && !self.store_answers().await => {
                    // The store is down: not the step's fault. Wait, then try this attempt again.
                    tracing::warn!(consumer = name, error = %e.chain(), event_id = %ev.event_id, "store unavailable; waiting for it");
                    attempt -= 1;
                    if !self.wait_for_store().await {
                        return ProcessResult::Stuck;
                    }
                }
                Err(e) if e.is_transient() && attempt < policy.retry.max_attempts() => {
                    metrics.processed(name, "retried");
                    let delay = policy.retry.delay(attempt, ctx.clock.random());
                    tracing::warn!(consumer = name, attempt, error = %e.chain(), ?delay, event_id = %ev.event_id, "step failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => break e,
            }
        };
        tracing::warn!(consumer = name, attempts = attempt, error = %error.chain(), event_id = %ev.event_id, strategy = policy.on_error.as_str(), "retries exhausted; applying error strategy");
        let mut failures = 0;
        loop {
            if self.is_stopping() {
                return ProcessResult::Stuck;
            }
            // A panicking agent's own error strategy is not trusted: its event goes straight to a
            // dead letter with the panic message.
            let strategy = if panicked {
                AssertUnwindSafe(crate::agents::fail_workflow(name, agent.step(), ev, ctx, &error, attempt, None))
                    .catch_unwind()
                    .await
            } else {
                AssertUnwindSafe(agent.on_exhausted(ev, ctx, &error, attempt)).catch_unwind().await
            };
            let unit = match strategy {
                Ok(Ok(mut unit)) => {
                    unit.inbox = Some((name.to_owned(), key.clone()));
                    Some(unit)
                }
                Ok(Err(e)) => {
                    tracing::error!(consumer = name, error = %e.chain(), "error strategy failed");
                    None
                }
                Err(panic) => {
                    tracing::error!(consumer = name, panic = %panic_message(panic.as_ref()), "error strategy panicked");
                    panicked = true;
                    None
                }
            };
            if let Some(unit) = unit {
                match self.commit(&unit).await {
                    Ok(_) => {
                        metrics.processed(name, "exhausted");
                        return ProcessResult::Exhausted;
                    }
                    Err(e) => tracing::error!(consumer = name, error = %e.chain(), "could not record the failure"),
                }
            }
            if !self.store_answers().await {
                if !self.wait_for_store().await {
                    return ProcessResult::Stuck;
                }
                continue;
            }
            failures += 1;
            if failures >= 3 {
                return ProcessResult::Stuck;
            }
        }
    }

    /// Whether the store answers a ping right now.
    pub(crate) async fn store_answers(&self) -> bool {
        self.inner.ctx.store.ping().await.is_ok()
    }

    /// Waits (capped exponential backoff) until the store answers; `false` if the engine began
    /// stopping first.
    pub(crate) async fn wait_for_store(&self) -> bool {
        let mut delay = Duration::from_millis(50);
        let started = Instant::now();
        loop {
            if self.is_stopping() {
                return false;
            }
            tokio::time::sleep(delay).await;
            if self.store_answers().await {
                tracing::info!(waited_ms = started.elapsed().as_millis() as u64, "store answers again");
                return true;
            }
            delay = (delay * 2).min(Duration::from_secs(1));
        }
    }

    /// Commits a unit and wakes the relay when it wrote events.
    pub(crate) async fn commit(&self, unit: &store::UnitOfWork) -> Result<Committed, AgentError> {
        match self.inner.store.commit(unit).await {
            Ok(c) => {
                if c == Committed::Applied && !unit.events.is_empty() {
                    self.inner.relay_wake.notify_one();
                }
                Ok(c)
            }
            Err(e @ StoreError::StateConflict { .. }) => Err(AgentError::Store(Arc::new(e))),
            Err(e) => Err(e.into()),
        }
    }
}
