//! The cell's HTTP API (axum): health, readiness, metrics, and the v1 resources of the user the
//! bearer API key belongs to: jobs and applications to read, and the user's actions on an
//! application (approve, reject, withdraw, stage, documents) and notifications
//! ([`applications`]).
//!
//! **API boundary:** every `/api/v1` handler receives an [`auth::AuthUser`] and passes its id to
//! every store call; ids of another user's rows therefore answer 404, never 403, so they do not
//! reveal that the row exists.

mod applications;
pub mod auth;
pub mod error;
mod limits;
mod routes;
mod server;
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
pub use limits::HttpLimits;
pub use server::serve;

/// What handlers share.
#[derive(Clone)]
pub struct ApiState {
    pub store: DynStore,
    pub metrics: Arc<Metrics>,
    /// The cell's AI client (tailoring rewrites go through it).
    pub ai: llm::AiClient,
    /// Time and request ids.
    pub clock: crate::clock::DynClock,
    /// The cell itself: the user's actions on applications go through it.
    pub cell: crate::Cell,
}

impl ApiState {
    /// The API of `cell`: its store, metrics, AI client and clock.
    pub fn for_cell(cell: &crate::Cell) -> Self {
        Self {
            store: cell.store().clone(),
            metrics: cell.metrics(),
            ai: cell.ctx().ai.clone(),
            clock: cell.ctx().clock.clone(),
            cell: cell.clone(),
        }
    }
}

/// The request id of the current request (set by the middleware, read by error bodies).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The whole API as a router with the default [`HttpLimits`] (tests drive it with `oneshot`,
/// no socket).
pub fn app(state: ApiState) -> Router {
    app_with_limits(state, &HttpLimits::default())
}

/// The whole API as a router, each request under `limits`' request timeout and in-flight cap.
pub fn app_with_limits(state: ApiState, limits: &HttpLimits) -> Router {
    let routes = Router::new()
        .route("/healthz", get(routes::healthz))
        .route("/readyz", get(routes::readyz))
        .route("/metrics", get(routes::metrics))
        .route("/api/v1/jobs", get(routes::list_jobs))
        .route("/api/v1/jobs/{id}", get(routes::get_job))
        .route("/api/v1/applications", get(applications::list))
        .route("/api/v1/applications/{id}", get(applications::show))
        .route("/api/v1/applications/{id}/events", get(routes::application_events))
        .route("/api/v1/applications/{id}/approve", post(applications::approve))
        .route("/api/v1/applications/{id}/reject", post(applications::reject))
        .route("/api/v1/applications/{id}/withdraw", post(applications::withdraw))
        .route("/api/v1/applications/{id}/stage", post(applications::set_stage))
        .route("/api/v1/applications/{id}/documents/{name}", get(applications::document))
        .route("/api/v1/notifications", get(applications::notifications))
        .route("/api/v1/notifications/{id}/dismiss", post(applications::dismiss))
        .route("/api/v1/tailor", post(tailor::tailor))
        .fallback(routes::not_found);
    with_request_layers(routes, state, limits)
}

/// Wraps every route of `routes` (and its fallback) as the API's own: the request context
/// (request id, log line, metrics, completed error bodies) outside, `limits`' request timeout
/// and in-flight cap (one cap for the whole router) inside.
pub fn with_request_layers(routes: Router<ApiState>, state: ApiState, limits: &HttpLimits) -> Router {
    routes
        .layer(middleware::from_fn_with_state(limits::Limiter::new(limits), limits::enforce))
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
        .unwrap_or_else(|| format!("req-{}", state.clock.new_id().simple()));
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if let Some(err) = response.extensions().get::<error::ErrorBody>().cloned() {
        let headers = std::mem::take(response.headers_mut());
        response = err.into_response_with(&request_id, state.clock.now());
        // Headers the error's producer set (`Retry-After`, ...) survive; the body's own win.
        for name in headers.keys() {
            if !response.headers().contains_key(name) {
                for value in headers.get_all(name) {
                    response.headers_mut().append(name, value.clone());
                }
            }
        }
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
