//! The cell's HTTP API (axum): health, readiness, metrics, and the read-only v1 resources of
//! the user the bearer API key belongs to.
//!
//! **API boundary:** every `/api/v1` handler receives an [`auth::AuthUser`] and passes its id to
//! every store call; ids of another user's rows therefore answer 404, never 403, so they do not
//! reveal that the row exists.

pub mod auth;
pub mod error;
mod routes;
mod tailor;

use crate::metrics::Metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Instant;
use store::DynStore;

pub use error::{ApiError, ErrorCode};

/// What handlers share.
#[derive(Clone)]
pub struct ApiState {
    pub store: DynStore,
    pub metrics: Arc<Metrics>,
    /// The cell's AI client (tailoring rewrites go through it).
    pub ai: llm::AiClient,
}

/// The request id of the current request (set by the middleware, read by error bodies).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The whole API as a router (tests drive it with `oneshot`, no socket).
pub fn app(state: ApiState) -> Router {
    Router::new()
        .route("/healthz", get(routes::healthz))
        .route("/readyz", get(routes::readyz))
        .route("/metrics", get(routes::metrics))
        .route("/api/v1/jobs", get(routes::list_jobs))
        .route("/api/v1/jobs/{id}", get(routes::get_job))
        .route("/api/v1/applications", get(routes::list_applications))
        .route("/api/v1/applications/{id}", get(routes::get_application))
        .route("/api/v1/applications/{id}/events", get(routes::application_events))
        .route("/api/v1/tailor", post(tailor::tailor))
        .fallback(routes::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), request_context))
        .with_state(state)
}

/// Gives each request an id (or keeps the caller's `x-request-id`), logs it once as JSON with
/// its outcome, counts it, and completes error bodies with the request id.
async fn request_context(State(state): State<ApiState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("req-{}", crate::clock::new_id().simple()));
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if let Some(err) = response.extensions().get::<error::ErrorBody>().cloned() {
        response = err.into_response_with(&request_id);
    }
    if let Ok(v) = request_id.parse() {
        response.headers_mut().insert("x-request-id", v);
    }
    let status = response.status().as_u16();
    let took = started.elapsed();
    state.metrics.http(&method, &route, status, took);
    if status >= 500 {
        tracing::error!(request_id, method, path, status, elapsed_ms = took.as_millis() as u64, "request failed");
    } else {
        tracing::info!(request_id, method, path, status, elapsed_ms = took.as_millis() as u64, "request");
    }
    response
}
