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
mod relay;
mod replay;
mod timers;

pub use dispatcher::ProcessResult;
pub use replay::ReplayReport;

use crate::agent::{Agent, AgentCtx};
use crate::clock::Clock;
use crate::config::CellConfig;
use crate::metrics::Metrics;
use bus::{BusError, EventBus};
use domain::WorkflowDefinition;
use std::sync::Arc;
use store::DynStore;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

pub(crate) struct Inner {
    pub ctx: AgentCtx,
    pub bus: Arc<dyn EventBus>,
    pub agents: Vec<Arc<dyn Agent>>,
    pub metrics: Arc<Metrics>,
    /// Pokes the relay after a commit that wrote events.
    pub relay_wake: Notify,
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
        clock: Arc<dyn Clock>,
        workflow: WorkflowDefinition,
        agents: Vec<Arc<dyn Agent>>,
    ) -> Self {
        let workflow = workflow.compressed(config.time_compression);
        let metrics = Arc::new(Metrics::default());
        let ai = crate::agent::offline_ai(metrics.ai().clone());
        let ctx = AgentCtx { store, clock, config: Arc::new(config), workflow: Arc::new(workflow), ai };
        Self { inner: Arc::new(Inner { ctx, bus, agents, metrics, relay_wake: Notify::new() }) }
    }

    /// The standard workflow and agents on the wall clock.
    pub fn standard(store: DynStore, bus: Arc<dyn EventBus>, config: CellConfig) -> Self {
        Self::new(
            store,
            bus,
            config,
            Arc::new(crate::clock::SystemClock),
            WorkflowDefinition::standard(),
            crate::agents::standard(),
        )
    }

    /// Replaces the AI client (call before [`Cell::start`]; the cell must not be cloned yet).
    pub fn with_ai(mut self, ai: llm::client::AiClient) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.ctx.ai = ai;
        }
        self
    }

    pub fn ctx(&self) -> &AgentCtx {
        &self.inner.ctx
    }

    pub fn store(&self) -> &DynStore {
        &self.inner.ctx.store
    }

    pub fn metrics(&self) -> Arc<Metrics> {
        self.inner.metrics.clone()
    }

    pub fn agents(&self) -> &[Arc<dyn Agent>] {
        &self.inner.agents
    }

    /// Starts the relay, one dispatcher per agent and the timer wheel.
    pub async fn start(&self) -> Result<RunHandle, BusError> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();
        // Subscribe every consumer before the relay publishes anything, so nothing is missed.
        for agent in &self.inner.agents {
            let sub = self.inner.bus.subscribe(agent.name(), agent.consumes()).await?;
            tasks.push(tokio::spawn(dispatcher::run(self.clone(), agent.clone(), sub, stop_rx.clone())));
        }
        tasks.push(tokio::spawn(relay::run(self.clone(), stop_rx.clone())));
        tasks.push(tokio::spawn(timers::run(self.clone(), stop_rx)));
        Ok(RunHandle { stop: stop_tx, tasks, bus: self.inner.bus.clone() })
    }

    /// Re-drives consumers from the log (see [`replay::replay`]).
    pub async fn replay(&self, user: Option<domain::UserId>) -> Result<ReplayReport, store::StoreError> {
        replay::replay(self, user).await
    }
}

/// The running engine; dropping it without [`RunHandle::shutdown`] leaves tasks running.
pub struct RunHandle {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    bus: Arc<dyn EventBus>,
}

impl RunHandle {
    /// Stops every task after the step it is in.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.bus.close();
        for t in self.tasks {
            let _ = t.await;
        }
    }
}
