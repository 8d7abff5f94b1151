//! What decides whether a cached answer may serve a similar input: a task's [`ReuseRule`]
//! reduces each input to an [`InputDigest`] (the text compared by similarity and the facts
//! that must agree), and confirms every semantic candidate before it is served.

use std::fmt;
use std::sync::Arc;

/// An input reduced to what decides its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDigest {
    /// Embedded to find candidates: the part of the input that carries its meaning (for a job
    /// posting, the text without its boilerplate).
    pub text: String,
    /// Kept with the cache entry and compared by [`ReuseRule::same_answer`].
    pub facts: String,
}

/// A task's rule for semantic reuse. Implementations must be deterministic and cheap: the
/// digest is computed on every lookup and store of the task.
pub trait ReuseRule: Send + Sync {
    fn digest(&self, input: &str) -> InputDigest;
    /// Whether the answer to an input with facts `stored` is exactly right for an input with
    /// facts `query`.
    fn same_answer(&self, stored: &str, query: &str) -> bool;
}

/// Reuse on similarity alone: only for tasks where any two inputs above the threshold have
/// the same answer (and for testing the cache's mechanics).
#[derive(Debug, Clone, Copy, Default)]
pub struct SimilarityOnly;

impl ReuseRule for SimilarityOnly {
    fn digest(&self, input: &str) -> InputDigest {
        InputDigest { text: input.to_owned(), facts: String::new() }
    }

    fn same_answer(&self, _stored: &str, _query: &str) -> bool {
        true
    }
}

/// One task's semantic layer: candidates at or above `threshold` cosine, confirmed by `rule`.
#[derive(Clone)]
pub struct SemanticTask {
    pub threshold: f32,
    pub rule: Arc<dyn ReuseRule>,
}

impl SemanticTask {
    pub fn new(threshold: f32, rule: impl ReuseRule + 'static) -> Self {
        Self { threshold, rule: Arc::new(rule) }
    }

    /// Similarity alone at `threshold` ([`SimilarityOnly`]).
    pub fn similarity_only(threshold: f32) -> Self {
        Self::new(threshold, SimilarityOnly)
    }
}

impl fmt::Debug for SemanticTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemanticTask").field("threshold", &self.threshold).finish_non_exhaustive()
    }
}
