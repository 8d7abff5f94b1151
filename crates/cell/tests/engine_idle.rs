//! The engine driven by hand with a manual clock, on every engine: `run_until_idle` takes every
//! workflow as far as it can go without time passing, timers fire only when the clock is moved,
//! and nothing sleeps. Also: a panicking agent and an unavailable store stop nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;

use async_trait::async_trait;
use cell::{Agent, AgentCtx, AgentError, Cell, CellConfig, ManualClock};
use common::*;
use domain::{ApplicationState, EventEnvelope, EventType, StepName, WorkflowDefinition};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use store::UnitOfWork;

fn manual_cell(store: store::DynStore, clock: Arc<ManualClock>, agents: Vec<Arc<dyn Agent>>) -> Cell {
    // The sandbox employer answers after two days and closes silent applications after 14.
    let mut config = CellConfig { time_compression: 1000, ..CellConfig::default() };
    config.submit.mode = cell::config::SubmitMode::Auto;
    Cell::new(store, Arc::new(bus::InProcessBus::new(1024)), config, clock, WorkflowDefinition::standard(), agents)
}

fn states(apps: &[domain::Application]) -> Vec<ApplicationState> {
    let mut s: Vec<_> = apps.iter().map(|a| a.state).collect();
    s.dedup();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_until_idle_stops_at_timers_and_the_manual_clock_moves_them() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "idle@example.com").await;
        let clock = Arc::new(ManualClock::at_epoch());
        let cell = manual_cell(store.clone(), clock.clone(), cell::agents::standard());
        let profile = sample_profile();
        let postings = matching_postings(3);
        cell.discover(user.id, &profile, &postings, || {}).await.unwrap();

        let first = cell.run_until_idle().await.unwrap();
        assert_eq!(first.timers_fired, 0, "{}: {first:?}", ts.name);
        assert_eq!(first.stuck, 0);
        assert_eq!(states(&all_apps(&store, &user).await), [ApplicationState::Submitted], "{}", ts.name);
        // Idle means idle: a second call finds nothing to do.
        let again = cell.run_until_idle().await.unwrap();
        assert!(again.processed.is_empty() && again.timers_fired == 0, "{}: {again:?}", ts.name);

        clock.advance(Duration::from_secs(15 * 86_400));
        let later = cell.run_until_idle().await.unwrap();
        assert!(later.timers_fired >= 3, "{}: {later:?}", ts.name);
        assert_eq!(states(&all_apps(&store, &user).await), [ApplicationState::Completed], "{}", ts.name);
        let counts = store.event_counts(user.id).await.unwrap();
        assert_eq!(counts.get("workflow.completed"), Some(&3), "{}: {counts:?}", ts.name);
        // Every record carries the manual clock's time, not the wall clock's.
        let apps = all_apps(&store, &user).await;
        let epoch = cell::Clock::now(&ManualClock::at_epoch());
        assert!(apps.iter().all(|a| a.created_at == epoch), "{}", ts.name);
    }
}

/// Panics on every event of one application; the others pass through.
struct PanicsOnFirst {
    inner: Arc<dyn Agent>,
    target: std::sync::Mutex<Option<domain::ApplicationId>>,
}

#[async_trait]
impl Agent for PanicsOnFirst {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn step(&self) -> StepName {
        self.inner.step()
    }
    fn consumes(&self) -> &'static [EventType] {
        self.inner.consumes()
    }
    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let app = event.subject().ok().map(|(_, a)| a);
        let hit = {
            let mut t = self.target.lock().unwrap();
            *t.get_or_insert_with(|| app.unwrap()) == app.unwrap()
        };
        if hit {
            panic!("test panic in the analyzer");
        }
        self.inner.handle(event, ctx).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_agent_dead_letters_its_event_and_stops_nothing_else() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "panic@example.com").await;
        let mut agents = cell::agents::standard();
        let analyzer = agents.remove(0);
        agents.insert(0, Arc::new(PanicsOnFirst { inner: analyzer, target: std::sync::Mutex::new(None) }));
        let cell = cell_with(store.clone(), agents);
        run_to_idle(&cell, &user, &matching_postings(4)).await;
        let apps = all_apps(&store, &user).await;
        let failed: Vec<_> = apps.iter().filter(|a| a.state == ApplicationState::Failed).collect();
        assert_eq!(failed.len(), 1, "{}: {:?}", ts.name, states(&apps));
        assert_eq!(apps.iter().filter(|a| a.state == ApplicationState::Completed).count(), 3, "{}", ts.name);
        let dead = store.dead_letters(user.id).await.unwrap();
        assert_eq!(dead.len(), 1, "{}", ts.name);
        assert!(dead[0].error.contains("panicked: test panic in the analyzer"), "{}", dead[0].error);
        assert!(dead[0].attempts >= 2, "retried before the dead letter: {}", dead[0].attempts);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_outage_fails_no_workflow_and_the_engine_resumes_by_itself() {
    for ts in testkit::all_stores().await {
        let real = ts.store.clone();
        let user = new_user(&real, "outage@example.com").await;
        let faulty = Arc::new(store::fault::FaultyStore::new(real.clone()));
        let cell = cell_with(faulty.clone(), cell::agents::standard());
        let engine = cell.start().await.unwrap();
        let profile = sample_profile();
        let postings = matching_postings(5);
        let down = Arc::new(AtomicBool::new(false));
        let outage = {
            let (faulty, down) = (faulty.clone(), down.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                faulty.set_down(true);
                down.store(true, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(1500)).await;
                faulty.set_down(false);
            })
        };
        cell.discover(user.id, &profile, &postings, || {}).await.unwrap();
        outage.await.unwrap();
        wait_idle(&real, &user).await;
        engine.shutdown().await;
        assert!(down.load(Ordering::SeqCst) && faulty.refused() > 0, "{}: the outage happened", ts.name);
        let apps = all_apps(&real, &user).await;
        assert_eq!(states(&apps), [ApplicationState::Completed], "{}", ts.name);
        assert!(real.dead_letters(user.id).await.unwrap().is_empty(), "{}", ts.name);
    }
}
