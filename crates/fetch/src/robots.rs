//! robots.txt for page scrapes: fetched once per origin, parsed for our product token, and
//! cached for the client's lifetime (a discovery run), so a site is asked only once.

use discovery::sources::FetchError;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

/// What one origin's robots.txt permits us.
pub(crate) enum Rules {
    AllowAll,
    Robot(Box<Robot>),
}

impl Rules {
    /// A file we cannot make sense of restricts nothing, as if it were missing.
    pub(crate) fn parse(agent: &str, body: &str, origin: &str) -> Self {
        match Robot::new(agent, body.as_bytes()) {
            Ok(robot) => Self::Robot(Box::new(robot)),
            Err(e) => {
                tracing::warn!(origin, error = %e, "unparseable robots.txt; treating as allow-all");
                Self::AllowAll
            }
        }
    }

    pub(crate) fn allows(&self, url: &Url) -> bool {
        match self {
            Self::AllowAll => true,
            Self::Robot(robot) => robot.allowed(url.as_str()),
        }
    }
}

pub(crate) struct RobotsCache {
    agent: String,
    origins: Mutex<HashMap<String, Arc<OnceCell<Arc<Rules>>>>>,
}

impl RobotsCache {
    pub(crate) fn new(user_agent: &str) -> Self {
        Self { agent: product_token(user_agent).to_owned(), origins: Mutex::new(HashMap::new()) }
    }

    /// The name robots.txt groups are matched against.
    pub(crate) fn agent(&self) -> &str {
        &self.agent
    }

    /// The origin's rules, running `fetch` only for the first caller; concurrent callers wait
    /// for that one fetch. A failed fetch is not cached, so the next page request tries again.
    pub(crate) async fn rules<F, Fut>(&self, origin: &str, fetch: F) -> Result<Arc<Rules>, FetchError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Arc<Rules>, FetchError>>,
    {
        let cell = {
            let mut map = self.origins.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(map.entry(origin.to_owned()).or_default())
        };
        cell.get_or_try_init(fetch).await.cloned()
    }
}

/// robots.txt names crawlers by product token ("Applyflow"), not by the full User-Agent header.
fn product_token(user_agent: &str) -> &str {
    user_agent.split(|c: char| c == '/' || c.is_whitespace()).find(|s| !s.is_empty()).unwrap_or("*")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn product_token_is_the_name_before_the_version() {
        assert_eq!(product_token("Applyflow/0.1 (+https://github.com/applyflow/applyflow)"), "Applyflow");
        assert_eq!(product_token("  Bot"), "Bot");
        assert_eq!(product_token(""), "*");
    }

    #[test]
    fn our_group_wins_over_the_wildcard() {
        let txt = "User-agent: *\nDisallow: /\n\nUser-agent: applyflow\nDisallow: /private\n";
        let rules = Rules::parse("Applyflow", txt, "https://x.example");
        assert!(rules.allows(&Url::parse("https://x.example/jobs").unwrap()));
        assert!(!rules.allows(&Url::parse("https://x.example/private/1").unwrap()));
    }

    #[tokio::test]
    async fn fetches_once_per_origin() {
        let cache = RobotsCache::new("Applyflow/0.1");
        let calls = std::sync::atomic::AtomicUsize::new(0);
        for _ in 0..3 {
            let rules = cache
                .rules("https://x.example", || async {
                    calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Ok(Arc::new(Rules::AllowAll))
                })
                .await
                .unwrap();
            assert!(rules.allows(&Url::parse("https://x.example/a").unwrap()));
        }
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
