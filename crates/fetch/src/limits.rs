//! Politeness per host: a cap on requests in flight and a sustained rate (with bursts), both
//! waited on rather than failed, so a big discovery run queues up instead of hammering a board.

use discovery::sources::FetchError;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub(crate) struct HostLimits {
    concurrency: usize,
    semaphores: Mutex<HashMap<String, Arc<Semaphore>>>,
    rate: DefaultKeyedRateLimiter<String>,
}

impl HostLimits {
    /// Zero would mean "never send", so both limits are at least 1; bursts are twice the rate.
    pub(crate) fn new(concurrency: usize, rate_per_sec: u32) -> Self {
        let rate = NonZeroU32::new(rate_per_sec).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(rate.get().saturating_mul(2)).unwrap_or(rate);
        Self {
            concurrency: concurrency.max(1),
            semaphores: Mutex::new(HashMap::new()),
            rate: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
        }
    }

    /// Waits for a slot on `host` and then for its rate limit; the slot is held until the
    /// returned permit drops, i.e. until the body has been read.
    pub(crate) async fn acquire(&self, host: &str) -> Result<OwnedSemaphorePermit, FetchError> {
        let semaphore = {
            // A panic elsewhere while holding the lock leaves the map intact, so keep using it.
            let mut map = self.semaphores.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(map.entry(host.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(self.concurrency))))
        };
        let permit = semaphore
            .acquire_owned()
            .await
            .map_err(|_| FetchError::Network(format!("host limiter for {host} closed")))?;
        self.rate.until_key_ready(&host.to_owned()).await;
        Ok(permit)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn bursts_then_waits_for_the_rate() {
        let limits = HostLimits::new(10, 20);
        let start = Instant::now();
        // A burst of 40 goes at once; the 41st waits about 1/20 s.
        for _ in 0..41 {
            drop(limits.acquire("a.example").await.unwrap());
        }
        assert!(start.elapsed() >= Duration::from_millis(30), "{:?}", start.elapsed());
    }

    #[tokio::test]
    async fn hosts_do_not_share_slots() {
        let limits = HostLimits::new(1, 100);
        let _a = limits.acquire("a.example").await.unwrap();
        let b = tokio::time::timeout(Duration::from_secs(1), limits.acquire("b.example")).await;
        assert!(b.is_ok());
        let a2 = tokio::time::timeout(Duration::from_millis(50), limits.acquire("a.example")).await;
        assert!(a2.is_err(), "second request to a busy host must wait");
    }
}
