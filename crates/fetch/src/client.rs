//! [`PoliteClient`]: discovery's HTTP port over reqwest, with the guard, limits, robots.txt,
//! retries, conditional requests and the body size limit wired together.

use crate::config::FetchConfig;
use crate::guard::{redirect_policy, Guard, GuardedResolver};
use crate::limits::HostLimits;
use crate::retry::{delay_before_retry, error_chain, Failure};
use crate::robots::{RobotsCache, Rules};
use async_trait::async_trait;
use discovery::sources::{FetchError, HttpClient, HttpRequest, HttpResponse, Validators};
use reqwest::header::{HeaderMap, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::Instant;
use tracing::{debug, warn};
use url::Url;

/// The production [`HttpClient`]. Cheap to share behind an `Arc`; its limits and robots.txt
/// cache are per client, so one discovery run should use one client.
pub struct PoliteClient {
    http: reqwest::Client,
    guard: Arc<Guard>,
    limits: HostLimits,
    robots: RobotsCache,
    config: FetchConfig,
    /// Retry jitter.
    clock: clock::DynClock,
}

impl std::fmt::Debug for PoliteClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoliteClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl PoliteClient {
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let guard = Arc::new(Guard::new(config.allow_private, &config.allow_hosts));
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.as_str())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect_policy(Arc::clone(&guard), config.max_redirects))
            .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(&guard))))
            // A proxy resolves names itself, out of the guard's sight.
            .no_proxy()
            .build()
            .map_err(|e| FetchError::Network(error_chain(&e)))?;
        Ok(Self {
            http,
            guard,
            limits: HostLimits::new(config.per_host_concurrency, config.per_host_rate_per_sec),
            robots: RobotsCache::new(&config.user_agent),
            config,
            clock: clock::system(),
        })
    }

    /// Draws retry jitter from `clock` instead of the system's randomness.
    pub fn with_clock(mut self, clock: clock::DynClock) -> Self {
        self.clock = clock;
        self
    }

    async fn get_with_retries(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError> {
        let mut retry = 0;
        loop {
            let failure = match self.attempt(req).await {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            retry += 1;
            let Some(delay) = delay_before_retry(&self.config.retry, retry, &failure, self.clock.random()) else {
                return Err(failure.error);
            };
            warn!(
                url = %req.url,
                attempt = retry,
                max_retries = self.config.retry.max_retries,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %failure.error,
                "request failed; retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One request, holding the host's concurrency slot until the body is read.
    async fn attempt(&self, req: &HttpRequest) -> Result<HttpResponse, Failure> {
        let url = &req.url;
        self.guard.check_url(url).map_err(|e| Failure::fatal(e.into()))?;
        let host = url.host_str().unwrap_or_default();
        let _permit = self.limits.acquire(host).await.map_err(Failure::fatal)?;

        let started = Instant::now();
        let mut request = self.http.get(url.clone());
        if let Some(etag) = &req.validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &req.validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, last_modified);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                let outcome = self.read(response).await;
                let bytes = match &outcome {
                    Ok(HttpResponse::Ok { body, .. }) => body.len(),
                    _ => 0,
                };
                debug!(host, status = status.as_u16(), bytes, elapsed_ms = elapsed_ms(started), "fetched");
                outcome
            }
            Err(e) => {
                let failure = Failure::from_reqwest(&e);
                debug!(host, elapsed_ms = elapsed_ms(started), error = %failure.error, "request failed");
                Err(failure)
            }
        }
    }

    async fn read(&self, mut response: reqwest::Response) -> Result<HttpResponse, Failure> {
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(HttpResponse::NotModified);
        }
        if !status.is_success() {
            return Err(Failure::from_status(status, response.url().as_str(), response.headers()));
        }
        let limit = self.config.max_body_bytes;
        let too_large = || Failure::fatal(FetchError::TooLarge { limit });
        let declared = response.content_length();
        if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
            return Err(too_large());
        }
        let validators = validators(response.headers());
        // The declared length can lie (or be absent, when chunked), so count what arrives.
        let capacity = declared.and_then(|n| usize::try_from(n).ok()).unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| Failure::from_reqwest(&e))? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse::Ok { body: String::from_utf8_lossy(&body).into_owned(), validators })
    }

    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let origin = url.origin().ascii_serialization();
        let rules = self.robots.rules(&origin, || self.fetch_robots(&origin)).await?;
        if rules.allows(url) {
            Ok(())
        } else {
            Err(FetchError::RobotsDisallowed(url.to_string()))
        }
    }

    /// One attempt, no retries: robots.txt only gates the page request, which retries itself.
    async fn fetch_robots(&self, origin: &str) -> Result<Arc<Rules>, FetchError> {
        let url = Url::parse(&format!("{origin}/robots.txt")).map_err(|e| FetchError::InvalidUrl(e.to_string()))?;
        let rules = match self.attempt(&HttpRequest::api(url)).await {
            Ok(HttpResponse::Ok { body, .. }) => Rules::parse(self.robots.agent(), &body, origin),
            Ok(HttpResponse::NotModified) => Rules::AllowAll,
            // A 4xx means there is no robots.txt for us: everything is allowed (RFC 9309 §2.3.1.3).
            Err(Failure { error: FetchError::Status { status, .. }, .. })
                if (400..500).contains(&status) && status != 429 =>
            {
                Rules::AllowAll
            }
            // The page itself would be refused for the same reason, so say so now.
            Err(Failure { error: error @ FetchError::Blocked(_), .. }) => return Err(error),
            Err(failure) => {
                warn!(origin, error = %failure.error, "robots.txt unreachable; treating as allow-all");
                Rules::AllowAll
            }
        };
        Ok(Arc::new(rules))
    }
}

#[async_trait]
impl HttpClient for PoliteClient {
    async fn get(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError> {
        self.guard.check_url(&req.url)?;
        if req.is_page && self.config.respect_robots {
            self.check_robots(&req.url).await?;
        }
        self.get_with_retries(req).await
    }
}

fn validators(headers: &HeaderMap) -> Validators {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    Validators { etag: text(ETAG), last_modified: text(LAST_MODIFIED) }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
