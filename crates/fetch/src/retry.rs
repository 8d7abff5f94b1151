//! Which failed attempts are worth repeating and how long to wait before the next one.

use crate::guard::find_guard_error;
use discovery::sources::FetchError;
use domain::RetryPolicy;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use std::error::Error as StdError;
use std::time::Duration;

/// A server asking for a longer pause than this is not retried: waiting would stall the whole
/// discovery run, and retrying sooner would ignore what the server asked for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// One failed attempt.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: FetchError,
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
}

impl Failure {
    pub(crate) fn fatal(error: FetchError) -> Self {
        Self { error, retryable: false, retry_after: None }
    }

    fn transient(error: FetchError) -> Self {
        Self { error, retryable: true, retry_after: None }
    }

    /// 429 and 5xx may pass; any other status will not change by asking again.
    pub(crate) fn from_status(status: StatusCode, url: &str, headers: &HeaderMap) -> Self {
        Self {
            error: FetchError::Status { status: status.as_u16(), url: url.to_owned() },
            retryable: status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
            retry_after: parse_retry_after(headers),
        }
    }

    pub(crate) fn from_reqwest(err: &reqwest::Error) -> Self {
        if let Some(guard) = find_guard_error(err) {
            return Self::fatal(guard.clone().into());
        }
        if err.is_timeout() {
            Self::transient(FetchError::Timeout(error_chain(err)))
        } else if err.is_connect() || err.is_request() || err.is_body() {
            Self::transient(FetchError::Network(error_chain(err)))
        } else {
            Self::fatal(FetchError::Network(error_chain(err)))
        }
    }
}

/// The pause before retry number `retry` (1-based), or `None` when the failure is final.
/// `jitter` is a uniform sample in `[0, 1)` from the client's clock.
pub(crate) fn delay_before_retry(policy: &RetryPolicy, retry: u32, failure: &Failure, jitter: f64) -> Option<Duration> {
    if !failure.retryable || retry > policy.max_retries {
        return None;
    }
    let backoff = policy.delay(retry, jitter);
    match failure.retry_after {
        Some(asked) if asked > MAX_RETRY_AFTER => None,
        Some(asked) => Some(backoff.max(asked)),
        None => Some(backoff),
    }
}

/// Only the delay-seconds form; an HTTP-date falls back to our own backoff.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// reqwest's own message omits the causes ("error sending request"), which are the useful part.
pub(crate) fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = e.source();
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn status(code: u16, retry_after: Option<&str>) -> Failure {
        let mut headers = HeaderMap::new();
        if let Some(v) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        }
        Failure::from_status(StatusCode::from_u16(code).unwrap(), "https://x.example/", &headers)
    }

    #[test]
    fn retries_429_and_5xx_but_no_other_status() {
        let policy = RetryPolicy::new(3, Duration::from_millis(100));
        for code in [429, 500, 502, 503, 504] {
            assert!(delay_before_retry(&policy, 1, &status(code, None), 0.5).is_some(), "{code}");
        }
        for code in [400, 401, 403, 404, 410, 301] {
            assert!(delay_before_retry(&policy, 1, &status(code, None), 0.5).is_none(), "{code}");
        }
    }

    #[test]
    fn stops_after_max_retries_and_backs_off_exponentially() {
        let policy = RetryPolicy::new(3, Duration::from_millis(100));
        let f = status(503, None);
        let d1 = delay_before_retry(&policy, 1, &f, 0.5).unwrap();
        let d3 = delay_before_retry(&policy, 3, &f, 0.5).unwrap();
        assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100), "{d1:?}");
        assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400), "{d3:?}");
        assert!(delay_before_retry(&policy, 4, &f, 0.5).is_none());
    }

    #[test]
    fn honours_numeric_retry_after_up_to_a_minute() {
        let policy = RetryPolicy::new(3, Duration::from_millis(10));
        assert_eq!(delay_before_retry(&policy, 1, &status(429, Some("7")), 0.5), Some(Duration::from_secs(7)));
        assert!(delay_before_retry(&policy, 1, &status(429, Some("61")), 0.5).is_none());
        let date = delay_before_retry(&policy, 1, &status(503, Some("Wed, 21 Oct 2015 07:28:00 GMT")), 0.5).unwrap();
        assert!(date <= Duration::from_millis(10));
    }

    #[test]
    fn fatal_failures_are_never_retried() {
        let policy = RetryPolicy::new(3, Duration::from_millis(10));
        for error in [
            FetchError::Blocked("10.0.0.1".into()),
            FetchError::RobotsDisallowed("https://x.example/".into()),
            FetchError::TooLarge { limit: 1 },
        ] {
            assert!(delay_before_retry(&policy, 1, &Failure::fatal(error), 0.5).is_none());
        }
    }
}
