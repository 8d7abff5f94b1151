//! Embedding micro-batching: embedding APIs charge per token but limit requests, and one call
//! with 64 texts costs the same latency as one with a single text. Callers ask for one vector;
//! a background task gathers texts for a few milliseconds and sends them as one call.

use crate::types::{LlmError, Provider};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// How long the first text of a batch waits for company.
    pub max_wait: Duration,
    pub max_batch: usize,
    /// Batches sent concurrently; more texts queue (and so batch better) meanwhile.
    pub max_in_flight: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self { max_wait: Duration::from_millis(5), max_batch: 64, max_in_flight: 4 }
    }
}

type Reply = oneshot::Sender<Result<Vec<f32>, LlmError>>;

struct Job {
    text: String,
    reply: Reply,
}

/// Owns the background task: dropping the batcher stops it (and any batch it is sending).
pub struct MicroBatcher {
    jobs: mpsc::Sender<Job>,
    worker: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MicroBatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let running = self.worker.as_ref().is_some_and(|w| !w.is_finished());
        f.debug_struct("MicroBatcher").field("running", &running).finish()
    }
}

impl MicroBatcher {
    /// Call inside a Tokio runtime: the worker is spawned on it. Outside one there is no
    /// worker and every `embed` fails (rather than panicking here).
    pub fn new(provider: Arc<dyn Provider>, config: BatchConfig) -> Self {
        let config =
            BatchConfig { max_batch: config.max_batch.max(1), max_in_flight: config.max_in_flight.max(1), ..config };
        let (jobs, rx) = mpsc::channel(config.max_batch * 4);
        let worker = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Some(runtime.spawn(run(provider, config, rx))),
            Err(e) => {
                tracing::error!(error = %e, "embedding batcher created outside a Tokio runtime");
                None
            }
        };
        Self { jobs, worker }
    }

    pub async fn embed(&self, text: impl Into<String>) -> Result<Vec<f32>, LlmError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || LlmError::Unsupported("embedding batcher has stopped".to_owned());
        self.jobs.send(Job { text: text.into(), reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

impl Drop for MicroBatcher {
    fn drop(&mut self) {
        if let Some(worker) = &self.worker {
            worker.abort();
        }
    }
}

async fn run(provider: Arc<dyn Provider>, config: BatchConfig, mut rx: mpsc::Receiver<Job>) {
    // Dropping the set (when the worker is aborted) aborts the batches being sent.
    let mut sending = JoinSet::new();
    let mut open = true;
    while open {
        let Some(first) = rx.recv().await else { break };
        let mut batch = vec![first];
        let deadline = Instant::now() + config.max_wait;
        while batch.len() < config.max_batch {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(job)) => batch.push(job),
                Ok(None) => {
                    open = false;
                    break;
                }
                Err(_) => break,
            }
        }
        while sending.try_join_next().is_some() {}
        while sending.len() >= config.max_in_flight {
            sending.join_next().await;
        }
        sending.spawn(send(Arc::clone(&provider), batch));
    }
    while sending.join_next().await.is_some() {}
}

/// One provider call for the batch; identical texts are sent once.
async fn send(provider: Arc<dyn Provider>, batch: Vec<Job>) {
    let mut unique: Vec<String> = Vec::with_capacity(batch.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(batch.len());
    let slots: Vec<usize> = batch
        .iter()
        .map(|job| {
            *index.entry(job.text.clone()).or_insert_with(|| {
                unique.push(job.text.clone());
                unique.len() - 1
            })
        })
        .collect();
    let result = provider.embed(&unique).await.and_then(|vectors| {
        if vectors.len() == unique.len() {
            Ok(vectors)
        } else {
            Err(LlmError::Malformed(format!("{} embeddings for {} texts", vectors.len(), unique.len())))
        }
    });
    for (job, slot) in batch.into_iter().zip(slots) {
        // A caller that gave up has dropped its receiver; nothing to deliver then.
        let _ = job.reply.send(match &result {
            Ok(vectors) => {
                vectors.get(slot).cloned().ok_or_else(|| LlmError::Malformed("missing embedding".to_owned()))
            }
            Err(e) => Err(e.clone()),
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::types::{LlmRequest, LlmResponse, Tier};
    use async_trait::async_trait;
    use std::sync::Mutex;

    /// Records every `embed` call; the vector for a text is `[len, first byte]`.
    #[derive(Default)]
    struct CountingEmbedder {
        batches: Mutex<Vec<usize>>,
        fail: bool,
    }

    #[async_trait]
    impl Provider for CountingEmbedder {
        fn name(&self) -> &str {
            "fake"
        }
        fn model(&self, _: Tier) -> &str {
            "fake-embed"
        }
        async fn complete(&self, _: &LlmRequest) -> Result<LlmResponse, LlmError> {
            Err(LlmError::Unsupported("fake".to_owned()))
        }
        async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
            self.batches.lock().unwrap().push(texts.len());
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            if self.fail {
                return Err(LlmError::RateLimited { retry_after: None });
            }
            Ok(texts.iter().map(|t| vec![t.len() as f32, f32::from(t.as_bytes()[0])]).collect())
        }
    }

    #[tokio::test]
    async fn micro_batcher_groups_concurrent_calls_and_routes_results() {
        let provider = Arc::new(CountingEmbedder::default());
        let config = BatchConfig { max_wait: std::time::Duration::from_millis(20), max_batch: 64, max_in_flight: 4 };
        let batcher = MicroBatcher::new(provider.clone(), config);
        let texts: Vec<String> =
            (0..100).map(|i| format!("{}{}", char::from(b'a' + (i % 26) as u8), "x".repeat(i))).collect();
        let results = futures::future::join_all(texts.iter().map(|t| batcher.embed(t.clone()))).await;
        for (text, result) in texts.iter().zip(results) {
            assert_eq!(result.unwrap(), vec![text.len() as f32, f32::from(text.as_bytes()[0])]);
        }
        let batches = provider.batches.lock().unwrap().clone();
        assert_eq!(batches.iter().sum::<usize>(), 100);
        assert!(batches.len() <= 3 && batches.iter().all(|&n| n <= 64), "{batches:?}");

        // Identical texts in one batch are sent once.
        let same = futures::future::join_all((0..10).map(|_| batcher.embed("same text"))).await;
        assert!(same.iter().all(|r| r.as_deref() == Ok(&[9.0, f32::from(b's')][..])));
        assert_eq!(provider.batches.lock().unwrap().last(), Some(&1));
    }

    #[tokio::test]
    async fn micro_batcher_delivers_errors_to_every_caller() {
        let provider = Arc::new(CountingEmbedder { fail: true, ..CountingEmbedder::default() });
        let batcher = MicroBatcher::new(provider.clone(), BatchConfig::default());
        let results = futures::future::join_all((0..5).map(|i| batcher.embed(format!("text {i}")))).await;
        assert!(results.iter().all(|r| matches!(r, Err(LlmError::RateLimited { .. }))));
        assert_eq!(provider.batches.lock().unwrap().len(), 1);
    }
}
