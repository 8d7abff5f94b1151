//! Shared setup for the cell's end-to-end tests: a cell over a fresh store, the sample user,
//! and agents that fail on purpose.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use async_trait::async_trait;
use cell::{Agent, AgentCtx, AgentError, Cell, CellConfig};
use domain::{CellId, EventEnvelope, EventType, Profile, StepName, UserId, WorkflowDefinition};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{DynStore, Page, User};

pub fn fast_config() -> CellConfig {
    let mut c =
        CellConfig { time_compression: 1000, poll_interval_ms: 5, workers_per_consumer: 4, ..Default::default() };
    c.sandbox.response_delay_secs = 0.05;
    c.sandbox.no_response_window_secs = 0.1;
    c.submit.mode = cell::config::SubmitMode::Auto;
    c
}

pub fn sample_profile() -> Profile {
    Profile::import(discovery::SAMPLE_PROFILE).unwrap()
}

pub async fn new_user(store: &DynStore, email: &str) -> User {
    let user = User {
        id: UserId(uuid::Uuid::now_v7()),
        email: email.into(),
        cell_id: CellId::new("cell-test"),
        created_at: chrono::Utc::now(),
    };
    store.create_user(&user, &cell::api::auth::hash_api_key(&format!("key-{email}"))).await.unwrap();
    store.put_profile(user.id, &sample_profile()).await.unwrap();
    user
}

pub fn cell_with(store: DynStore, agents: Vec<Arc<dyn Agent>>) -> Cell {
    let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::new(1024));
    Cell::new(store, bus, fast_config(), Arc::new(cell::SystemClock), WorkflowDefinition::standard(), agents)
}

/// Runs discovery for `user` over `postings` and waits until every workflow has finished.
pub async fn run_to_idle(cell: &Cell, user: &User, postings: &[domain::Job]) {
    let engine = cell.start().await.unwrap();
    let profile = cell.store().get_profile(user.id).await.unwrap().unwrap();
    cell.discover(user.id, &profile, postings, || {}).await.unwrap();
    wait_idle(cell.store(), user).await;
    engine.shutdown().await;
}

pub async fn wait_idle(store: &DynStore, user: &User) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let counts = store.application_state_counts(user.id).await.unwrap();
        let open: u64 = counts
            .iter()
            .filter(|(s, _)| !matches!(s.as_str(), "completed" | "failed" | "withdrawn" | "needs_user"))
            .map(|(_, n)| n)
            .sum();
        if open == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "workflows did not finish: {counts:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn matching_postings(n: usize) -> Vec<domain::Job> {
    let profile = sample_profile();
    discovery::offline_feed()
        .unwrap()
        .into_iter()
        .filter(|p| discovery::match_preferences(&profile.preferences, p).is_some())
        .take(n)
        .collect()
}

pub async fn all_apps(store: &DynStore, user: &User) -> Vec<domain::Application> {
    store.list_applications(user.id, &Page { after: None, limit: 10_000 }).await.unwrap()
}

pub async fn app_events(store: &DynStore, user: &User, app: &domain::Application) -> Vec<EventEnvelope> {
    store.application_events(user.id, app.id, 0, 1000).await.unwrap().into_iter().map(|r| r.event.unwrap()).collect()
}

/// How an agent should misbehave.
#[derive(Clone, Copy)]
pub enum Fault {
    /// Fail the first `n` attempts of every event with a transient error.
    TransientFirst(u32),
    /// Always fail (transiently, so retries run out).
    Always,
}

/// Wraps an agent and fails on purpose; the error strategy is the inner agent's.
pub struct Faulty {
    pub inner: Arc<dyn Agent>,
    pub fault: Fault,
    pub attempts: Mutex<HashMap<domain::EventId, u32>>,
}

impl Faulty {
    pub fn wrap(inner: Arc<dyn Agent>, fault: Fault) -> Arc<dyn Agent> {
        Arc::new(Self { inner, fault, attempts: Mutex::new(HashMap::new()) })
    }
}

#[async_trait]
impl Agent for Faulty {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn step(&self) -> StepName {
        self.inner.step()
    }
    fn consumes(&self) -> &'static [EventType] {
        self.inner.consumes()
    }
    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<store::UnitOfWork, AgentError> {
        let n = {
            let mut a = self.attempts.lock().unwrap();
            let n = a.entry(event.event_id).or_default();
            *n += 1;
            *n
        };
        match self.fault {
            Fault::TransientFirst(k) if n <= k => Err(AgentError::Transient(format!("injected failure {n}"))),
            Fault::Always => Err(AgentError::Transient("injected: provider down".into())),
            _ => self.inner.handle(event, ctx).await,
        }
    }
    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<store::UnitOfWork, AgentError> {
        self.inner.on_exhausted(event, ctx, error, attempts).await
    }
}

/// The standard agents with the one named `name` replaced by `f(agent)`.
pub fn agents_with(name: &str, f: impl Fn(Arc<dyn Agent>) -> Arc<dyn Agent>) -> Vec<Arc<dyn Agent>> {
    cell::agents::standard().into_iter().map(|a| if a.name() == name { f(a) } else { a }).collect()
}
