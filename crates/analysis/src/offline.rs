//! The offline provider: the dictionary-and-rules heuristic analyzer behind the `Provider`
//! port. No network, no key, no cost — the floor the chain always lands on.

use crate::task::{analyze_job_output, posting_of, ANALYZE_JOB};
use crate::HeuristicAnalyzer;
use async_trait::async_trait;
use domain::Job;
use llm::{LlmError, LlmRequest, LlmResponse, Provider, Tier, Usage};
use std::sync::Arc;

const NAME: &str = "offline";
const MODEL: &str = "heuristic";

/// Answers `analyze_job` with [`HeuristicAnalyzer`]; every other task is unsupported, so the
/// chain reports the real failure instead of a made-up answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfflineProvider;

impl OfflineProvider {
    pub fn new() -> Self {
        Self
    }

    /// The input as a job: title on the first line, description after it (inside the
    /// `<posting>` delimiters when the input has them). Ids are nil because the answer carries
    /// none of them.
    fn job_from_input(input: &str) -> Result<Job, LlmError> {
        Ok(Job::from_posting_text(NAME, posting_of(input)))
    }
}

#[async_trait]
impl Provider for OfflineProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn model(&self, _tier: Tier) -> &str {
        MODEL
    }

    async fn complete(&self, req: &LlmRequest) -> Result<LlmResponse, LlmError> {
        if req.task != ANALYZE_JOB {
            return Err(LlmError::Unsupported(format!("the offline provider cannot do task {:?}", req.task)));
        }
        let analysis = HeuristicAnalyzer.analyze(&Self::job_from_input(&req.input)?);
        let output = analyze_job_output(&analysis);
        Ok(LlmResponse {
            provider: NAME.to_owned(),
            model: MODEL.to_owned(),
            text: output.to_string(),
            output: Some(output),
            usage: Usage::default(),
        })
    }
}

/// The default chain from the process environment (OpenAI → Anthropic → local), with the
/// offline provider as its floor.
pub fn chain_from_env() -> Vec<Arc<dyn Provider>> {
    llm::providers::chain_from_env(Arc::new(OfflineProvider::new()))
}

/// [`chain_from_env`] over any variable source.
pub fn chain_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Vec<Arc<dyn Provider>> {
    llm::providers::chain_from_lookup(lookup, Arc::new(OfflineProvider::new()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn splits_title_from_description() {
        let job = OfflineProvider::job_from_input("  Senior Rust Engineer \nWe use Rust.\nRemote.").unwrap();
        assert_eq!(job.title, "Senior Rust Engineer");
        assert_eq!(job.description, "We use Rust.\nRemote.");
        let only_title = OfflineProvider::job_from_input("Data Engineer").unwrap();
        assert_eq!((only_title.title.as_str(), only_title.description.as_str()), ("Data Engineer", ""));
        let delimited = OfflineProvider::job_from_input("<posting>\nRust Engineer\nWe use Rust.\n</posting>").unwrap();
        assert_eq!((delimited.title.as_str(), delimited.description.as_str()), ("Rust Engineer", "We use Rust."));
    }
}
