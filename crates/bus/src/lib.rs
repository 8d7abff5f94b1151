//! The event bus port and its in-process adapter. The outbox relay publishes committed events
//! here; each consumer group receives the event types it subscribed to.
//!
//! **Contract:** within one consumer group, events of one user arrive in publish order (the
//! Kafka adapter keys messages by `user_id` for the same guarantee). Delivery is at least once:
//! consumers dedupe through the store's inbox, so the bus never needs exactly-once.

use async_trait::async_trait;
use domain::{EventEnvelope, EventType};
use std::sync::Mutex;
use tokio::sync::mpsc;

/// What can go wrong on the bus.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("the bus is closed")]
    Closed,
    #[error("bus error: {0}")]
    Other(String),
    /// An adapter's own failure (a broker client error), with its cause kept.
    #[error("{context}")]
    Backend {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A stream of events for one consumer group.
#[async_trait]
pub trait Subscription: Send {
    /// The next event, or `None` when the bus shut down.
    async fn next(&mut self) -> Option<EventEnvelope>;
}

/// The bus port.
#[async_trait]
pub trait EventBus: Send + Sync + 'static {
    /// Which adapter this is (`in_process`, `kafka`).
    fn backend(&self) -> &'static str;
    /// Hands events to every group subscribed to their type, in order.
    async fn publish(&self, events: &[EventEnvelope]) -> Result<(), BusError>;
    /// Joins consumer group `group` for `types`.
    async fn subscribe(&self, group: &str, types: &[EventType]) -> Result<Box<dyn Subscription>, BusError>;
    /// Stops delivering; subscriptions end after draining.
    fn close(&self);
}

struct Group {
    name: String,
    types: Vec<EventType>,
    tx: mpsc::Sender<EventEnvelope>,
}

/// The in-process bus: one bounded queue per consumer group (a slow consumer applies
/// backpressure to the relay instead of growing memory without bound).
pub struct InProcessBus {
    capacity: usize,
    groups: Mutex<Vec<Group>>,
}

impl InProcessBus {
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), groups: Mutex::new(Vec::new()) }
    }

    fn senders_for(&self, t: EventType) -> Vec<mpsc::Sender<EventEnvelope>> {
        let groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
        groups.iter().filter(|g| g.types.contains(&t)).map(|g| g.tx.clone()).collect()
    }
}

impl Default for InProcessBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

struct InProcessSubscription {
    rx: mpsc::Receiver<EventEnvelope>,
}

#[async_trait]
impl Subscription for InProcessSubscription {
    async fn next(&mut self) -> Option<EventEnvelope> {
        self.rx.recv().await
    }
}

#[async_trait]
impl EventBus for InProcessBus {
    fn backend(&self) -> &'static str {
        "in_process"
    }

    async fn publish(&self, events: &[EventEnvelope]) -> Result<(), BusError> {
        for e in events {
            for tx in self.senders_for(e.event_type) {
                tx.send(e.clone()).await.map_err(|_| BusError::Closed)?;
            }
        }
        Ok(())
    }

    async fn subscribe(&self, group: &str, types: &[EventType]) -> Result<Box<dyn Subscription>, BusError> {
        let (tx, rx) = mpsc::channel(self.capacity);
        let mut groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
        if groups.iter().any(|g| g.name == group) {
            return Err(BusError::Other(format!("group `{group}` already subscribed")));
        }
        groups.push(Group { name: group.to_owned(), types: types.to_vec(), tx });
        Ok(Box::new(InProcessSubscription { rx }))
    }

    fn close(&self) {
        self.groups.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
