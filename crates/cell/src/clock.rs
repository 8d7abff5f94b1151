//! Time and ids come through here so tests can control them.

use chrono::{DateTime, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A fresh UUIDv7 (time-ordered).
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
