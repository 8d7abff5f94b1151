//! Request coalescing: when several tasks ask for the same thing at the same moment (the same
//! posting analysed for many users right after discovery), one call is made and everyone
//! shares its answer. Nothing is kept afterwards; remembering answers is the cache's job.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use tokio::sync::watch;

/// The flight's id and where its result will be published.
type Flight<V> = (u64, watch::Receiver<Option<V>>);

pub struct SingleFlight<K, V> {
    flights: Mutex<HashMap<K, Flight<V>>>,
    next_id: AtomicU64,
}

impl<K, V> Default for SingleFlight<K, V> {
    fn default() -> Self {
        Self { flights: Mutex::new(HashMap::new()), next_id: AtomicU64::new(0) }
    }
}

impl<K, V> SingleFlight<K, V> {
    fn lock(&self) -> MutexGuard<'_, HashMap<K, Flight<V>>> {
        // The map is only touched in short sections that cannot leave it half-updated; a
        // poisoned lock still holds a consistent map.
        self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<K, V> std::fmt::Debug for SingleFlight<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleFlight").field("in_flight", &self.lock().len()).finish()
    }
}

impl<K, V> SingleFlight<K, V>
where
    K: Eq + Hash + Clone,
    V: Clone,
{
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `f` unless a call with the same key is already running, in which case this waits
    /// for that one and returns a clone of its result.
    ///
    /// The leader runs `f` in its own future, so `f` may borrow from the caller. If the leader
    /// is cancelled or panics, its waiters are not stranded: one of them becomes the new
    /// leader and runs its own `f`.
    pub async fn run<F, Fut>(&self, key: K, f: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let (id, result) = loop {
            let mut waiting = {
                let mut flights = self.lock();
                match flights.get(&key) {
                    Some((_, rx)) => rx.clone(),
                    None => {
                        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
                        let (tx, rx) = watch::channel(None);
                        flights.insert(key.clone(), (id, rx));
                        break (id, tx);
                    }
                }
            };
            // An error means the leader went away without an answer: look again.
            let published = waiting.wait_for(Option::is_some).await.ok().and_then(|value| value.clone());
            if let Some(value) = published {
                return value;
            }
        };
        let release = Release { owner: self, key: &key, id };
        let value = f().await;
        drop(release);
        if result.receiver_count() > 0 {
            result.send_replace(Some(value.clone()));
        }
        value
    }

    /// Keys with a call in progress.
    pub fn in_flight(&self) -> usize {
        self.lock().len()
    }
}

/// Frees the key when the leader finishes, is cancelled or unwinds. Only the flight it started
/// is removed: a newer one under the same key may be running by then.
struct Release<'a, K: Eq + Hash, V> {
    owner: &'a SingleFlight<K, V>,
    key: &'a K,
    id: u64,
}

impl<K: Eq + Hash, V> Drop for Release<'_, K, V> {
    fn drop(&mut self) {
        let mut flights = self.owner.lock();
        if flights.get(self.key).is_some_and(|(current, _)| *current == self.id) {
            flights.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[tokio::test]
    async fn single_flight_runs_concurrent_identical_calls_once() {
        let flights: Arc<SingleFlight<String, usize>> = Arc::new(SingleFlight::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let calls = (0..100).map(|_| {
            let (flights, runs) = (Arc::clone(&flights), Arc::clone(&runs));
            tokio::spawn(async move {
                flights
                    .run("analyze:42".to_owned(), || async move {
                        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                        runs.fetch_add(1, Ordering::SeqCst) + 7
                    })
                    .await
            })
        });
        let results = futures::future::join_all(calls).await;
        assert!(results.into_iter().all(|r| r.unwrap() == 7));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(flights.in_flight(), 0);
        // Released, not cached: the next call runs again.
        assert_eq!(flights.run("analyze:42".to_owned(), || async { 99 }).await, 99);
    }

    #[tokio::test]
    async fn single_flight_keeps_keys_apart_and_survives_a_cancelled_leader() {
        let flights: SingleFlight<u32, u32> = SingleFlight::new();
        let (a, b) = tokio::join!(flights.run(1, || async { 10 }), flights.run(2, || async { 20 }));
        assert_eq!((a, b), (10, 20));

        let leader = flights.run(3, || async {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            1
        });
        let follower = async {
            tokio::task::yield_now().await;
            flights.run(3, || async { 2 }).await
        };
        // The leader is dropped (cancelled) after a short wait; the follower must not hang.
        let (_, follower) = tokio::join!(tokio::time::timeout(std::time::Duration::from_millis(20), leader), follower);
        assert_eq!(follower, 2);
    }
}
