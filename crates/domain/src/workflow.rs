//! The workflow definition: seed 001's `standard_workflow` with its per-step policies
//! (retry with exponential backoff and jitter, timeout) and error strategies.

use crate::event::EventType;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// A step of the workflow. The first five are the seed's; `track` and `complete` close the loop
/// (employer response, completion) so every workflow ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    Discover,
    Analyze,
    Generate,
    Optimize,
    Submit,
    Track,
    Complete,
}

impl StepName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discover => "discover",
            Self::Analyze => "analyze",
            Self::Generate => "generate",
            Self::Optimize => "optimize",
            Self::Submit => "submit",
            Self::Track => "track",
            Self::Complete => "complete",
        }
    }
}

impl fmt::Display for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to do when a step keeps failing (seed 001's `error_handling`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorStrategy {
    /// Retry with exponential backoff; when retries run out, dead-letter and fail.
    RetryWithBackoff,
    /// Use the analysis of the most similar job already analyzed for this user.
    UseCachedSimilar,
    /// Generate from the plain template (profile order, no tailoring).
    FallbackToTemplate,
    /// Park the application with the user (`needs_user`) and tell them.
    NotifyUser,
}

impl ErrorStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RetryWithBackoff => "retry_with_backoff",
            Self::UseCachedSimilar => "use_cached_similar",
            Self::FallbackToTemplate => "fallback_to_template",
            Self::NotifyUser => "notify_user",
        }
    }
}

/// Retries with exponential backoff and jitter (seed 002: 1 s, 2 s, 4 s, 8 s; 3 retries).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl RetryPolicy {
    pub const fn new(max_retries: u32, base_delay: Duration) -> Self {
        Self { max_retries, base_delay, max_delay: Duration::from_secs(60) }
    }

    /// Total attempts allowed (first try plus retries).
    pub fn max_attempts(&self) -> u32 {
        self.max_retries + 1
    }

    /// Delay before retry number `retry` (1-based) given a uniform sample `jitter` in [0, 1):
    /// "equal jitter" — half the exponential delay fixed, half random — so retries of many
    /// failing workflows spread out but never collapse to zero.
    pub fn delay(&self, retry: u32, jitter: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let half = exp / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// Same policy with every delay divided by `factor` (the demo compresses time).
    pub fn compressed(self, factor: u32) -> Self {
        let f = factor.max(1);
        Self { base_delay: self.base_delay / f, max_delay: self.max_delay / f, ..self }
    }
}

/// How one step runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepPolicy {
    pub step: StepName,
    /// The event that triggers it (`None` for discovery, which a schedule or command starts).
    pub consumes: Option<EventType>,
    /// The event its success emits (`None` when it rides along with another step's event).
    pub emits: Option<EventType>,
    pub retry: RetryPolicy,
    pub timeout: Duration,
    pub on_error: ErrorStrategy,
    /// The seed's per-step parameter, e.g. `versions=3`, `target=ats`.
    pub params: Vec<(String, String)>,
}

impl StepPolicy {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// An ordered list of steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowDefinition {
    pub name: String,
    pub steps: Vec<StepPolicy>,
}

impl WorkflowDefinition {
    /// Seed 001's `standard_workflow`, with seed 002's retry and timeout numbers:
    /// discover (retry 3), analyze (timeout 30 s), generate (3 versions), optimize (target ats),
    /// submit; and the error handling discover → retry_with_backoff, analyze →
    /// use_cached_similar, generate → fallback_to_template, submit → notify_user.
    pub fn standard() -> Self {
        let retry = RetryPolicy::new(3, Duration::from_secs(1));
        let step = |step, consumes, emits, timeout: u64, on_error, params: &[(&str, &str)]| StepPolicy {
            step,
            consumes,
            emits,
            retry,
            timeout: Duration::from_secs(timeout),
            on_error,
            params: params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        };
        use ErrorStrategy::*;
        use EventType::*;
        use StepName::*;
        Self {
            name: "standard_workflow".into(),
            steps: vec![
                step(Discover, None, Some(JobDiscovered), 15, RetryWithBackoff, &[("retry", "3")]),
                step(Analyze, Some(JobDiscovered), Some(JobAnalyzed), 30, UseCachedSimilar, &[]),
                step(Generate, Some(JobAnalyzed), Some(ResumeGenerated), 30, FallbackToTemplate, &[("versions", "3")]),
                step(Optimize, Some(JobAnalyzed), None, 30, RetryWithBackoff, &[("target", "ats")]),
                step(
                    Submit,
                    Some(ResumeGenerated),
                    Some(ApplicationSubmitted),
                    15,
                    NotifyUser,
                    &[("method", "sandbox")],
                ),
                step(Track, Some(ApplicationSubmitted), Some(ResponseReceived), 15, RetryWithBackoff, &[]),
                step(Complete, Some(ResponseReceived), Some(WorkflowCompleted), 15, RetryWithBackoff, &[]),
            ],
        }
    }

    pub fn step(&self, name: StepName) -> Option<&StepPolicy> {
        self.steps.iter().find(|s| s.step == name)
    }

    /// Every step's delays divided by `factor`.
    pub fn compressed(mut self, factor: u32) -> Self {
        for s in &mut self.steps {
            s.retry = s.retry.compressed(factor);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_workflow_matches_the_seed() {
        let wf = WorkflowDefinition::standard();
        let names: Vec<_> = wf.steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(names, ["discover", "analyze", "generate", "optimize", "submit", "track", "complete"]);
        assert_eq!(wf.step(StepName::Discover).map(|s| s.retry.max_retries), Some(3));
        assert_eq!(wf.step(StepName::Analyze).map(|s| s.timeout), Some(Duration::from_secs(30)));
        assert_eq!(wf.step(StepName::Generate).and_then(|s| s.param("versions")), Some("3"));
        assert_eq!(wf.step(StepName::Optimize).and_then(|s| s.param("target")), Some("ats"));
        assert_eq!(wf.step(StepName::Submit).map(|s| s.on_error), Some(ErrorStrategy::NotifyUser));
    }

    #[test]
    fn backoff_doubles_like_seed_002() {
        let p = RetryPolicy::new(3, Duration::from_secs(1));
        let full: Vec<_> = (1..=4).map(|r| p.delay(r, 0.999_999).as_millis()).collect();
        assert_eq!(full, [999, 1999, 3999, 7999]);
    }

    proptest! {
        #[test]
        fn backoff_stays_within_half_and_full(retry in 1u32..40, jitter in 0.0f64..1.0) {
            let p = RetryPolicy::new(3, Duration::from_millis(100));
            let d = p.delay(retry, jitter);
            let exp = Duration::from_millis(100).saturating_mul(1u32.checked_shl(retry - 1).unwrap_or(u32::MAX)).min(p.max_delay);
            prop_assert!(d >= exp / 2 && d <= exp);
        }
    }
}
