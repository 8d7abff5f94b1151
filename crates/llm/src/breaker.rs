//! Per-provider circuit breaker (seed 002: open after 5 failures in 10 s, stay open 30 s, then
//! let one probe through) so a provider that is down stops costing us a timeout on every call.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

// Time comes from the one injected clock (the `clock` crate): the breaker only asks for the
// monotonic `instant()`, so tests drive it by hand with `ManualClock` instead of sleeping.
pub use clock::{Clock, ManualClock, SystemClock};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BreakerConfig {
    /// Failures within `window` that open the circuit.
    pub failure_threshold: u32,
    pub window: Duration,
    /// How long an open circuit rejects everything before probing.
    pub open_for: Duration,
    /// Probes let through while half-open; all must succeed to close.
    pub half_open_probes: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            failure_threshold: 5,
            window: Duration::from_secs(10),
            open_for: Duration::from_secs(30),
            half_open_probes: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

impl BreakerState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "half_open",
        }
    }
}

#[derive(Debug)]
enum Phase {
    Closed,
    Open { until: Instant },
    HalfOpen { in_flight: u32, succeeded: u32 },
}

#[derive(Debug)]
struct Inner {
    phase: Phase,
    /// Failure times inside the window (closed phase only); bounded by the threshold.
    failures: VecDeque<Instant>,
    /// Bumped on every transition so a late result from an earlier phase (a call admitted while
    /// closed that finishes after the circuit opened) cannot be mistaken for a probe's.
    generation: u64,
}

impl Inner {
    fn transition(&mut self, phase: Phase) {
        self.phase = phase;
        self.failures.clear();
        self.generation = self.generation.wrapping_add(1);
    }

    /// An open circuit becomes half-open lazily, when someone next looks at it.
    fn refresh(&mut self, now: Instant) {
        if let Phase::Open { until } = self.phase {
            if now >= until {
                self.transition(Phase::HalfOpen { in_flight: 0, succeeded: 0 });
            }
        }
    }
}

/// One provider's breaker. Callers take a [`Permit`] per call and report through it.
pub struct CircuitBreaker {
    config: BreakerConfig,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CircuitBreaker").field("config", &self.config).field("state", &self.state()).finish()
    }
}

impl CircuitBreaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    pub fn with_clock(config: BreakerConfig, clock: Arc<dyn Clock>) -> Self {
        let config = BreakerConfig {
            failure_threshold: config.failure_threshold.max(1),
            half_open_probes: config.half_open_probes.max(1),
            ..config
        };
        let failures = VecDeque::with_capacity(config.failure_threshold as usize);
        Self { config, clock, inner: Mutex::new(Inner { phase: Phase::Closed, failures, generation: 0 }) }
    }

    pub fn config(&self) -> &BreakerConfig {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state stays consistent even if a holder panicked: every update is a few plain
        // assignments, so recovering the guard is safe.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn state(&self) -> BreakerState {
        let mut inner = self.lock();
        inner.refresh(self.clock.instant());
        match inner.phase {
            Phase::Closed => BreakerState::Closed,
            Phase::Open { .. } => BreakerState::Open,
            Phase::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Admission for one call, or `None` while the circuit is open (or half-open with its
    /// probes already out).
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut inner = self.lock();
        inner.refresh(self.clock.instant());
        let probe = match &mut inner.phase {
            Phase::Closed => false,
            Phase::Open { .. } => return None,
            Phase::HalfOpen { in_flight, succeeded } => {
                if *in_flight + *succeeded >= self.config.half_open_probes {
                    return None;
                }
                *in_flight += 1;
                true
            }
        };
        Some(Permit { breaker: self, generation: inner.generation, probe, done: false })
    }

    fn on_result(&self, generation: u64, probe: bool, outcome: Outcome) {
        let now = self.clock.instant();
        let mut inner = self.lock();
        inner.refresh(now);
        if inner.generation != generation {
            return;
        }
        match (&mut inner.phase, probe) {
            (Phase::Closed, false) if outcome == Outcome::Failure => self.record_closed_failure(&mut inner, now),
            (Phase::HalfOpen { in_flight, succeeded }, true) => {
                *in_flight = in_flight.saturating_sub(1);
                match outcome {
                    Outcome::Success => {
                        *succeeded += 1;
                        if *succeeded >= self.config.half_open_probes {
                            inner.transition(Phase::Closed);
                        }
                    }
                    Outcome::Failure => inner.transition(Phase::Open { until: now + self.config.open_for }),
                    Outcome::Neutral => {}
                }
            }
            _ => {}
        }
    }

    fn record_closed_failure(&self, inner: &mut Inner, now: Instant) {
        while inner.failures.front().is_some_and(|t| now.saturating_duration_since(*t) >= self.config.window) {
            inner.failures.pop_front();
        }
        inner.failures.push_back(now);
        if inner.failures.len() >= self.config.failure_threshold as usize {
            tracing::warn!(
                failures = inner.failures.len(),
                open_for_s = self.config.open_for.as_secs(),
                "circuit opened"
            );
            inner.transition(Phase::Open { until: now + self.config.open_for });
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Failure,
    /// Says nothing about the provider's health (our bad request, a cancelled call).
    Neutral,
}

/// Admission for one call. Report with [`Permit::success`] or [`Permit::failure`]; dropping it
/// unreported (cancelled call, an error that says nothing about health) frees a probe slot
/// without changing state, so a lost probe can't wedge the breaker half-open forever.
#[must_use = "report the call's outcome through the permit"]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    generation: u64,
    probe: bool,
    done: bool,
}

impl Permit<'_> {
    pub fn is_probe(&self) -> bool {
        self.probe
    }

    pub fn success(mut self) {
        self.finish(Outcome::Success);
    }

    pub fn failure(mut self) {
        self.finish(Outcome::Failure);
    }

    fn finish(&mut self, outcome: Outcome) {
        if !self.done {
            self.done = true;
            self.breaker.on_result(self.generation, self.probe, outcome);
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.finish(Outcome::Neutral);
    }
}
