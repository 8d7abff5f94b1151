//! The workflow engine: it runs the agents of a workflow over the event log.
//!
//! ```text
//! commit(unit) ──► events (outbox) ──► OutboxRelay ──► EventBus ──► Dispatcher ──► worker(user)
//!                                                                     │              │
//!       TimerWheel ◄── timers ◄───────────────────────────────────────┘   process(): handle → commit
//! ```
//!
//! **Architecture invariant:** per consumer, one user's events are handled by one worker, in
//! log order. **Architecture invariant:** the engine is restartable at any instant: on start
//! every consumer first drains the events it has not processed (from the log, not the bus).

mod dispatcher;
mod idle;
mod intake;
mod relay;
mod replay;
mod schedule;
mod timers;

pub use dispatcher::ProcessResult;
pub use idle::IdleReport;
pub use intake::DiscoveryReport;
pub use replay::ReplayReport;
pub use schedule::record_poll;

use crate::agent::{Agent, AgentCtx};
use crate::clock::DynClock;
use crate::config::CellConfig;
use crate::metrics::Metrics;
use bus::{BusError, EventBus};
use domain::WorkflowDefinition;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use store::{DynStore, StoreView};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// Why an engine task could not do its round; the cause is kept.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("store")]
    Store(#[from] store::StoreError),
    #[error("event bus")]
    Bus(#[from] BusError),
}

pub(crate) struct Inner {
    /// The full store: only the engine writes.
    pub store: DynStore,
    /// What agents see (a read-only view of the same store).
    pub ctx: AgentCtx,
    pub bus: Arc<dyn EventBus>,
    pub agents: Vec<Arc<dyn Agent>>,
    pub metrics: Arc<Metrics>,
    /// Pokes the relay after a commit that wrote events.
    pub relay_wake: Notify,
    /// Set by [`RunHandle::shutdown`]: in-flight steps finish or hand their event back, and no
    /// new attempt starts.
    pub stopping: AtomicBool,
}

/// One cell's engine. Cheap to clone.
#[derive(Clone)]
pub struct Cell {
    pub(crate) inner: Arc<Inner>,
}

impl Cell {
    pub fn new(
        store: DynStore,
        bus: Arc<dyn EventBus>,
        config: CellConfig,
        clock: DynClock,
        workflow: WorkflowDefinition,
        agents: Vec<Arc<dyn Agent>>,
    ) -> Self {
        let workflow = workflow.compressed(config.time_compression);
        let metrics = Arc::new(Metrics::default());
        let ai = crate::agent::offline_ai(metrics.ai().clone());
        let artifacts = config.artifacts_dir.clone().map(|dir| {
            Arc::new(render::artifacts::LocalArtifacts::new(dir)) as Arc<dyn render::artifacts::ArtifactStore>
        });
        let channels = {
            let clock = clock.clone();
            let now_unix: submit::channel::UnixClock = Arc::new(move || clock.now().timestamp());
            crate::submission::Channels::from_config(&config.submit, now_unix).unwrap_or_else(|e| {
                tracing::error!(error = %e, "the submit channels are misconfigured: applications will wait");
                crate::submission::Channels::broken(e)
            })
        };
        let ctx = AgentCtx {
            store: StoreView::new(store.clone()),
            ledger: store.clone(),
            channels,
            clock,
            config: Arc::new(config),
            workflow: Arc::new(workflow),
            ai,
            artifacts,
        };
        let inner =
            Inner { store, ctx, bus, agents, metrics, relay_wake: Notify::new(), stopping: AtomicBool::new(false) };
        Self { inner: Arc::new(inner) }
    }

    /// The standard workflow and agents on the wall clock.
    pub fn standard(store: DynStore, bus: Arc<dyn EventBus>, config: CellConfig) -> Self {
        Self::new(store, bus, config, ::clock::system(), WorkflowDefinition::standard(), crate::agents::standard())
    }

    /// Replaces the AI client (call before [`Cell::start`]; the cell must not be cloned yet).
    pub fn with_ai(mut self, ai: llm::client::AiClient) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.ctx.ai = ai;
        }
        self
    }

    /// Replaces where rendered documents go (call before [`Cell::start`]).
    pub fn with_artifacts(mut self, artifacts: Option<Arc<dyn render::artifacts::ArtifactStore>>) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.ctx.artifacts = artifacts;
        }
        self
    }

    /// Replaces the submit channels (call before [`Cell::start`]): for tests and drills.
    pub fn with_channels(mut self, channels: crate::submission::Channels) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.ctx.channels = channels;
        }
        self
    }

    pub fn ctx(&self) -> &AgentCtx {
        &self.inner.ctx
    }

    pub fn store(&self) -> &DynStore {
        &self.inner.store
    }

    /// Asks every running step and [`Cell::run_until_idle`] to stop at the next step boundary
    /// (what [`RunHandle::shutdown`] does first).
    pub fn request_stop(&self) {
        self.inner.stopping.store(true, Ordering::SeqCst);
    }

    /// Whether shutdown has begun.
    pub fn is_stopping(&self) -> bool {
        self.inner.stopping.load(Ordering::SeqCst)
    }

    pub fn metrics(&self) -> Arc<Metrics> {
        self.inner.metrics.clone()
    }

    pub fn agents(&self) -> &[Arc<dyn Agent>] {
        &self.inner.agents
    }

    /// Starts the relay, one dispatcher per agent and the timer wheel.
    pub async fn start(&self) -> Result<RunHandle, BusError> {
        self.inner.stopping.store(false, Ordering::SeqCst);
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();
        // Subscribe every consumer before the relay publishes anything, so nothing is missed.
        for agent in &self.inner.agents {
            let sub = self.inner.bus.subscribe(agent.name(), agent.consumes()).await?;
            tasks.push(tokio::spawn(dispatcher::run(self.clone(), agent.clone(), sub, stop_rx.clone())));
        }
        tasks.push(tokio::spawn(relay::run(self.clone(), stop_rx.clone())));
        tasks.push(tokio::spawn(reconcile(self.clone(), stop_rx.clone())));
        tasks.push(tokio::spawn(timers::run(self.clone(), stop_rx)));
        Ok(RunHandle { stop: stop_tx, tasks, bus: self.inner.bus.clone(), cell: self.clone() })
    }

    /// Re-drives consumers from the log (see [`replay::replay`]).
    pub async fn replay(&self, user: Option<domain::UserId>) -> Result<ReplayReport, store::StoreError> {
        replay::replay(self, user).await
    }
}

/// Every half `submit.reconcile_after_secs` (at least 5 s): the reconcile step for sends never
/// confirmed (see [`Cell::reconcile_submissions`]).
async fn reconcile(cell: Cell, mut stop: watch::Receiver<bool>) {
    let after = std::time::Duration::from_secs(cell.inner.ctx.config.submit.reconcile_after_secs.max(1));
    let every = (after / 2).max(std::time::Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        match cell.reconcile_submissions(after).await {
            Ok(r) if r.looked_at > 0 => tracing::info!(?r, "reconciled unconfirmed sends"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "reconcile round failed"),
        }
    }
}

/// The running engine; dropping it without [`RunHandle::shutdown`] leaves tasks running.
pub struct RunHandle {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    bus: Arc<dyn EventBus>,
    cell: Cell,
}

impl RunHandle {
    /// Graceful drain: every task stops after the step it is in (a step that is mid-way either
    /// commits or hands its event back to the log, where the next run finds it), then returns.
    pub async fn shutdown(self) {
        self.cell.inner.stopping.store(true, Ordering::SeqCst);
        let _ = self.stop.send(true);
        self.bus.close();
        for t in self.tasks {
            let _ = t.await;
        }
    }
}
