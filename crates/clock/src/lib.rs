//! The one source of time, ids and randomness. Every crate that needs "now", a fresh id or a
//! random number takes a [`Clock`] instead of calling `Utc::now()`, `Uuid::now_v7()` or
//! `rand::random()` (clippy's `disallowed-methods` forbids those calls everywhere but here), so
//! a test can drive time by hand with [`ManualClock`] and get the same ids and jitter each run.

// This file is where the forbidden calls are allowed: it is the system clock.
#![allow(clippy::disallowed_methods)]

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Time, ids and randomness.
pub trait Clock: Send + Sync + 'static {
    /// Wall-clock time (what is written into records and events).
    fn now(&self) -> DateTime<Utc>;
    /// Monotonic time, for measuring intervals (breakers, windows).
    fn instant(&self) -> Instant;
    /// A fresh time-ordered id (UUIDv7).
    fn new_id(&self) -> Uuid;
    /// A uniform sample in `[0, 1)` (retry jitter).
    fn random(&self) -> f64;
}

/// A shared clock.
pub type DynClock = Arc<dyn Clock>;

/// The real clock: system time, `Instant::now()`, random UUIDv7s and a thread-local RNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn instant(&self) -> Instant {
        Instant::now()
    }
    fn new_id(&self) -> Uuid {
        Uuid::now_v7()
    }
    fn random(&self) -> f64 {
        rand::random::<f64>()
    }
}

/// The system clock behind an `Arc`, for composition roots.
pub fn system() -> DynClock {
    Arc::new(SystemClock)
}

struct ManualState {
    now: DateTime<Utc>,
    elapsed: Duration,
    rng: rand::rngs::StdRng,
}

/// A clock that moves only when told to, with ids and randomness from a seeded generator: the
/// same test gives the same ids, jitter and timestamps on every run.
pub struct ManualClock {
    start: Instant,
    state: Mutex<ManualState>,
}

impl ManualClock {
    /// Starts at `now` with a generator seeded by `seed`.
    pub fn new(now: DateTime<Utc>, seed: u64) -> Self {
        Self {
            start: Instant::now(),
            state: Mutex::new(ManualState {
                now,
                elapsed: Duration::ZERO,
                rng: rand::rngs::StdRng::seed_from_u64(seed),
            }),
        }
    }

    /// Starts at 2026-01-01T00:00:00Z with seed 0.
    pub fn at_epoch() -> Self {
        Self::new(DateTime::from_timestamp(1_767_225_600, 0).unwrap_or(DateTime::UNIX_EPOCH), 0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves both the wall clock and the monotonic clock forward.
    pub fn advance(&self, by: Duration) {
        let mut s = self.lock();
        s.now += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
        s.elapsed += by;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::at_epoch()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().now
    }
    fn instant(&self) -> Instant {
        self.start + self.lock().elapsed
    }
    fn new_id(&self) -> Uuid {
        let mut s = self.lock();
        let millis = u64::try_from(s.now.timestamp_millis()).unwrap_or(0);
        let mut bytes = [0u8; 10];
        s.rng.fill(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
    }
    fn random(&self) -> f64 {
        self.lock().rng.gen::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_time_moves_only_when_told() {
        let c = ManualClock::at_epoch();
        let (t0, i0) = (c.now(), c.instant());
        assert_eq!(c.now(), t0);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now() - t0, chrono::Duration::seconds(90));
        assert_eq!(c.instant() - i0, Duration::from_secs(90));
    }

    #[test]
    fn manual_ids_and_randomness_repeat_with_the_seed() {
        let (a, b) = (ManualClock::at_epoch(), ManualClock::at_epoch());
        let ids_a: Vec<Uuid> = (0..3).map(|_| a.new_id()).collect();
        let ids_b: Vec<Uuid> = (0..3).map(|_| b.new_id()).collect();
        assert_eq!(ids_a, ids_b);
        assert_ne!(ids_a[0], ids_a[1]);
        assert_eq!(ids_a[0].get_version_num(), 7);
        let r = a.random();
        assert!((0.0..1.0).contains(&r));
        assert_eq!(r, b.random());
    }

    #[test]
    fn the_system_clock_gives_fresh_ids() {
        let c = SystemClock;
        assert_ne!(c.new_id(), c.new_id());
        assert!((0.0..1.0).contains(&c.random()));
    }
}
