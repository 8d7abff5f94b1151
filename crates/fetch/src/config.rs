//! The knobs of [`PoliteClient`](crate::PoliteClient) and their production defaults.

use domain::RetryPolicy;
use std::time::Duration;

/// How the client behaves. `Default` is the production setting; tests loosen the SSRF guard
/// with `allow_hosts` and shrink the retry delays.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub user_agent: String,
    /// Whole-request deadline, body included (seed 002's external-service timeout).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body_bytes: usize,
    /// Requests in flight per host at once (at least 1).
    pub per_host_concurrency: usize,
    /// Sustained requests per second per host (at least 1); bursts of twice that are allowed.
    pub per_host_rate_per_sec: u32,
    pub retry: RetryPolicy,
    /// Turns the SSRF guard off entirely.
    pub allow_private: bool,
    /// Host names or IP literals the SSRF guard lets through, matched against the URL's host
    /// (not against what a name resolves to, so an allow-listed IP cannot be reached through
    /// some other name that happens to resolve to it).
    pub allow_hosts: Vec<String>,
    /// Honour robots.txt for page requests (`HttpRequest::is_page`).
    pub respect_robots: bool,
    pub max_redirects: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: "Applyflow/0.1 (+https://github.com/applyflow/applyflow)".to_owned(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_body_bytes: 5 * 1024 * 1024,
            per_host_concurrency: 2,
            per_host_rate_per_sec: 2,
            retry: RetryPolicy::new(3, Duration::from_secs(1)),
            allow_private: false,
            allow_hosts: Vec::new(),
            respect_robots: true,
            max_redirects: 5,
        }
    }
}
