//! One Applyflow cell: the workflow engine (outbox relay, dispatcher, timers, replay), the
//! agents that run each workflow step, and the cell's HTTP API.
//!
//! **Architecture invariant:** an agent never writes to the store itself. It returns a
//! [`store::UnitOfWork`] (state change + events) and the engine commits it with the inbox
//! marker of the event it handled, so every step's effect is applied exactly once however often
//! the event is delivered. The one exception is the submission ledger
//! ([`AgentCtx::ledger`]): an idempotency key must be durable before the send it guards.

pub mod agent;
pub mod agents;
pub mod ai;
pub mod api;
pub mod applying;
pub mod clock;
pub mod config;
pub mod engine;
pub mod metrics;
pub mod submission;

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use agent::{Agent, AgentCtx, AgentError};
pub use config::CellConfig;
pub use engine::{Cell, DiscoveryReport, EngineError, IdleReport, RunHandle};
