//! One error-code table decides each HTTP status and the seed-002 error body:
//! `{"error":{"code","message","details","request_id","timestamp"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Every error code the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    ValidationError,
    Unauthorized,
    NotFound,
    /// The action does not fit the resource's current state (already sent, already withdrawn, …).
    Conflict,
    /// Too many requests: the user's request rate was exceeded.
    RateLimited,
    ServiceUnavailable,
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationError => "VALIDATION_ERROR",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::InternalError => "INTERNAL_ERROR",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Self::ValidationError => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error a handler returns.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: json!({}) }
    }
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }
    pub fn validation(field: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(ErrorCode::ValidationError, format!("invalid `{field}`: {reason}"))
            .with_details(json!({ "field": field, "reason": reason }))
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        // The cause is logged; the body says only that it was ours.
        tracing::error!(error = %e, "storage error");
        Self::new(ErrorCode::InternalError, "internal error; the request id identifies it in the logs")
    }
}

impl From<crate::applying::ActionError> for ApiError {
    fn from(e: crate::applying::ActionError) -> Self {
        use crate::agent::AgentError;
        use crate::applying::ActionError;
        match e {
            // Another user's id lands here too: 404, never 403.
            ActionError::NotFound(_) => Self::not_found("application"),
            ActionError::Refused(why) => Self::new(ErrorCode::Conflict, why),
            ActionError::Unavailable(why) => Self::new(ErrorCode::ServiceUnavailable, why),
            // Missing data the user must supply (a profile, ...): their own business, told as is.
            ActionError::Agent(AgentError::Permanent(why)) => Self::new(ErrorCode::Conflict, why),
            ActionError::Agent(AgentError::Transient(why)) => Self::new(ErrorCode::ServiceUnavailable, why),
            ActionError::Agent(e) => {
                tracing::error!(error = %e, cause = ?std::error::Error::source(&e), "user action failed");
                Self::new(ErrorCode::InternalError, "internal error; the request id identifies it in the logs")
            }
        }
    }
}

/// The body parts, carried to the middleware that adds the request id.
#[derive(Debug, Clone)]
pub(crate) struct ErrorBody(ApiError);

impl ErrorBody {
    pub(crate) fn into_response_with(self, request_id: &str, now: chrono::DateTime<chrono::Utc>) -> Response {
        let e = self.0;
        let body = json!({
            "error": {
                "code": e.code.as_str(),
                "message": e.message,
                "details": e.details,
                "request_id": request_id,
                "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            }
        });
        (e.code.status(), axum::Json(body)).into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let mut r = status.into_response();
        r.extensions_mut().insert(ErrorBody(self));
        r
    }
}
