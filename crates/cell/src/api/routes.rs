//! The handlers: thin, each one parse → store call scoped by the user → JSON.

use super::auth::AuthUser;
use super::error::{ApiError, ErrorCode};
use super::ApiState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use domain::{ApplicationId, JobId};
use serde_json::{json, Value};
use std::collections::HashMap;
use store::Page;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

fn limit_of(q: &HashMap<String, String>) -> Result<u32, ApiError> {
    match q.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::validation("limit", format!("expected an integer from 1 to {MAX_LIMIT}, got {v:?}"))),
        },
    }
}

pub(super) fn page_of(q: &HashMap<String, String>) -> Result<Page, ApiError> {
    let limit = limit_of(q)?;
    let after = match q.get("cursor") {
        None => None,
        Some(c) => {
            Some(c.parse().map_err(|_| ApiError::validation("cursor", "expected a cursor from a previous page"))?)
        }
    };
    Ok(Page { after, limit })
}

pub(super) fn paged(data: Vec<Value>, limit: u32, next: Option<String>) -> Json<Value> {
    let has_more = data.len() as u32 == limit && next.is_some();
    Json(json!({
        "data": data,
        "pagination": { "limit": limit, "next_cursor": if has_more { next } else { None }, "has_more": has_more }
    }))
}

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub(super) async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub(super) async fn readyz(State(s): State<ApiState>) -> Result<Json<Value>, ApiError> {
    match s.store.ping().await {
        Ok(()) => Ok(Json(json!({ "status": "ready", "storage": s.store.backend() }))),
        Err(e) => Err(ApiError::new(ErrorCode::ServiceUnavailable, "storage is not reachable")
            .with_details(json!({ "storage": s.store.backend(), "reason": e.to_string() }))),
    }
}

pub(super) async fn metrics(State(s): State<ApiState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], s.metrics.render())
}

pub(super) async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}

pub(super) async fn list_jobs(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let page = page_of(&q)?;
    let jobs = s.store.list_jobs(user.id, &page).await?;
    let next = jobs.last().map(|j| j.id.to_string());
    Ok(paged(jobs.iter().map(to_json).collect(), page.limit, next))
}

pub(super) async fn get_job(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: JobId = id.parse().map_err(|_| ApiError::not_found("job"))?;
    let job = s.store.get_job(user.id, id).await?.ok_or_else(|| ApiError::not_found("job"))?;
    let analysis = s.store.get_analysis(user.id, id).await?;
    Ok(Json(json!({ "data": { "job": to_json(&job), "analysis": analysis.as_ref().map(to_json) } })))
}

async fn application_id(s: &ApiState, user: &store::User, id: &str) -> Result<ApplicationId, ApiError> {
    // A malformed id and another user's id answer alike.
    let id: ApplicationId = id.parse().map_err(|_| ApiError::not_found("application"))?;
    s.store.get_application(user.id, id).await?.ok_or_else(|| ApiError::not_found("application"))?;
    Ok(id)
}

pub(super) async fn application_events(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let id = application_id(&s, &user, &id).await?;
    let limit = limit_of(&q)?;
    let after = match q.get("cursor") {
        None => 0,
        Some(c) => {
            c.parse::<i64>().map_err(|_| ApiError::validation("cursor", "expected a cursor from a previous page"))?
        }
    };
    let rows = s.store.application_events(user.id, id, after, limit).await?;
    let next = rows.last().map(|r| r.seq.to_string());
    let data = rows
        .iter()
        .map(|r| match &r.event {
            Ok(ev) => json!({ "seq": r.seq, "event": to_json(ev) }),
            Err(reason) => json!({ "seq": r.seq, "error": reason }),
        })
        .collect();
    Ok(paged(data, limit, next))
}
