//! The HTTP limits — header-read timeout, request timeout and the cap on requests in flight —
//! and the middleware that enforces the last two with the seed-002 error body.

use super::error::{ApiError, ErrorCode};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How much one client, and all of them together, may ask of the HTTP server.
///
/// [`super::app_with_limits`] enforces `request_timeout` and `max_in_flight` on every request;
/// [`super::serve`] enforces `header_read_timeout` on every connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// How long a client may take to send a request's line and headers, counted from when the
    /// server starts waiting for them (a new connection, or an idle keep-alive one). Past it
    /// the connection is closed without an answer (slowloris clients hold nothing for long).
    pub header_read_timeout: Duration,
    /// How long one request may take once its headers are in, reading its body included.
    /// Past it the handler is dropped and the answer is 503 `SERVICE_UNAVAILABLE`
    /// (`details.reason = "request_timeout"`).
    pub request_timeout: Duration,
    /// Requests handled at once. One more is not queued: it answers 503
    /// `SERVICE_UNAVAILABLE` (`details.reason = "overloaded"`) with `Retry-After: 1`.
    /// `0` refuses every request.
    pub max_in_flight: usize,
}

impl HttpLimits {
    /// 10 s to send the headers, 30 s per request, 512 requests in flight.
    pub const DEFAULT: Self = Self {
        header_read_timeout: Duration::from_secs(10),
        request_timeout: Duration::from_secs(30),
        max_in_flight: 512,
    };
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The shared state of the limit middleware: one semaphore for the whole router.
#[derive(Clone)]
pub(super) struct Limiter {
    permits: Arc<Semaphore>,
    max_in_flight: usize,
    request_timeout: Duration,
}

impl Limiter {
    pub(super) fn new(limits: &HttpLimits) -> Self {
        let max_in_flight = limits.max_in_flight.min(Semaphore::MAX_PERMITS);
        Self {
            permits: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            request_timeout: limits.request_timeout,
        }
    }
}

/// Refuses a request over the in-flight cap at once, and answers 503 for one that runs past
/// the request timeout (dropping its handler).
pub(super) async fn enforce(State(limiter): State<Limiter>, req: Request, next: Next) -> Response {
    // Held until the handler has answered (or been dropped).
    let Ok(_permit) = limiter.permits.clone().try_acquire_owned() else {
        let mut response = ApiError::new(
            ErrorCode::ServiceUnavailable,
            "the server is handling as many requests as it can; retry shortly",
        )
        .with_details(json!({ "reason": "overloaded", "max_in_flight": limiter.max_in_flight }))
        .into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    match tokio::time::timeout(limiter.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let timeout_ms = u64::try_from(limiter.request_timeout.as_millis()).unwrap_or(u64::MAX);
            ApiError::new(ErrorCode::ServiceUnavailable, format!("the request took longer than {timeout_ms} ms"))
                .with_details(json!({ "reason": "request_timeout", "timeout_ms": timeout_ms }))
                .into_response()
        }
    }
}
