//! AI infrastructure (seed 001's "AI Infrastructure", the ai-optimizer service): every LLM call
//! in Applyflow goes through this crate — providers behind one trait (OpenAI, Anthropic,
//! Ollama / OpenAI-compatible local servers; the caller supplies the floor of the chain, e.g.
//! the `analysis` crate's offline analyzer, so this gateway knows no task of its own),
//! a fallback chain with circuit breakers and retries, a semantic cache, request coalescing and
//! embedding micro-batching, quality routing, and spend accounting with budgets that hold.
//!
//! **API boundary:** text from a job posting is data. It is sent to a model only inside a
//! delimited data block of the user message, never as instructions, and every structured
//! answer is validated against its task's schema before anyone uses it.

pub mod batch;
pub mod breaker;
pub mod budget;
pub mod cache;
pub mod chain;
pub mod client;
pub mod embed;
pub mod observe;
pub mod pricing;
pub mod providers;
pub mod singleflight;
pub mod types;

pub use client::{AiAnswer, AiClient, AiConfig, AiError, AiSinks, Held, Throttled};
pub use types::*;
