//! The user's applications and what they do with them: the list (optionally by workflow state or
//! stage), one application with its stage, timeline, sends, audit summary and — while it waits
//! — exactly what an approval would send; approve, reject, withdraw, set the stage, download a
//! document; and the user's notifications.
//!
//! Thin wrappers over the [`crate::Cell`] actions of [`crate::applying`]. Every call is scoped
//! by the authenticated user, so a malformed id and another user's id both answer 404. A
//! refused action (it does not fit the application's state) answers 409 `CONFLICT` with the
//! reason; an unavailable channel 503 (approve again later: the same key is sent, never twice).

use super::auth::AuthUser;
use super::error::{ApiError, ErrorCode};
use super::routes::{page_of, paged, to_json};
use super::ApiState;
use crate::applying::Approved;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use domain::{Application, ApplicationId, ApplicationState, Stage};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use store::{NotificationRecord, Page};

/// Store rows read per query while `?status=` filters the list.
const FILTER_SCAN: u32 = 200;
/// The documents an application may have, by the name the API serves them under.
const DOCUMENTS: [&str; 3] = ["resume.pdf", "resume.md", "resume.html"];
/// The longest note `POST …/stage` keeps.
const MAX_NOTE: usize = 2_000;

/// A malformed id answers like another user's: 404.
fn app_id(id: &str) -> Result<ApplicationId, ApiError> {
    id.parse().map_err(|_| ApiError::not_found("application"))
}

/// `body` as JSON `T`; an empty body is `T::default()`.
fn body_of<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| ApiError::validation("body", e.to_string()))
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| name(*x)).collect()
}

/// What `?status=` selects: a workflow state, a stage, or either when the name is both
/// (`withdrawn`).
struct StatusFilter {
    state: Option<ApplicationState>,
    stage: Option<Stage>,
}

impl StatusFilter {
    fn of(q: &HashMap<String, String>) -> Result<Option<Self>, ApiError> {
        let Some(raw) = q.get("status") else { return Ok(None) };
        let key = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let state = ApplicationState::ALL.into_iter().find(|s| s.as_str() == key);
        let stage = key.parse::<Stage>().ok();
        if state.is_none() && stage.is_none() {
            let states = names(&ApplicationState::ALL, ApplicationState::as_str);
            let stages = names(&Stage::ALL, Stage::as_str);
            let reason =
                format!("unknown status {raw:?}: a state ({}) or a stage ({})", states.join(", "), stages.join(", "));
            return Err(ApiError::validation("status", reason.clone())
                .with_details(json!({ "field": "status", "reason": reason, "states": states, "stages": stages })));
        }
        Ok(Some(Self { state, stage }))
    }

    fn matches(&self, state: ApplicationState, stage: Stage) -> bool {
        self.state == Some(state) || self.stage == Some(stage)
    }
}

/// `GET /api/v1/applications[?status=S][&limit=N][&cursor=C]`: the user's applications, each
/// with its `stage`; `status` keeps those whose workflow state or stage it names.
pub(super) async fn list(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let page = page_of(&q)?;
    let filter = StatusFilter::of(&q)?;
    let stages: HashMap<ApplicationId, Stage> =
        s.store.list_stages(user.id).await?.into_iter().map(|r| (r.application_id, r.stage)).collect();
    let stage_of = |a: &Application| stages.get(&a.id).copied().unwrap_or_else(|| Stage::of_state(a.state, a.outcome));
    let scan = if filter.is_some() { FILTER_SCAN } else { page.limit };
    let mut data = Vec::new();
    let mut next = None;
    let mut after = page.after;
    'scan: loop {
        let batch = s.store.list_applications(user.id, &Page { after, limit: scan }).await?;
        for app in &batch {
            after = Some(app.id.0);
            let stage = stage_of(app);
            if filter.as_ref().is_some_and(|f| !f.matches(app.state, stage)) {
                continue;
            }
            let mut item = to_json(app);
            if let Some(fields) = item.as_object_mut() {
                fields.insert("stage".into(), json!(stage));
            }
            data.push(item);
            // The cursor is the last application answered: the next page starts after it.
            next = Some(app.id.to_string());
            if data.len() == page.limit as usize {
                break 'scan;
            }
        }
        if batch.len() < scan as usize {
            break;
        }
    }
    Ok(paged(data, page.limit, next))
}

/// `GET /api/v1/applications/{id}`: `{"data": {application, resumes, submission}}` as before,
/// plus every field of [`crate::applying::ApplicationView`] (state, stage, stage_source,
/// timeline, attempts, preview, …) with the audit copy summarized (see [`audit_summary`]).
pub(super) async fn show(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = app_id(&id)?;
    let mut view = s.cell.application_view(user.id, id).await?;
    let audit = view.audit.take().map(audit_summary);
    let app = s.store.get_application(user.id, id).await?.ok_or_else(|| ApiError::not_found("application"))?;
    let resumes = s.store.list_resumes(user.id, id).await?;
    let submission = s.store.get_submission(user.id, id).await?.map(|sub| {
        json!({ "method": sub.method, "channel": sub.method, "variant_id": sub.variant_id,
                "confirmation": sub.confirmation, "submitted_at": sub.submitted_at })
    });
    let mut data = match to_json(&view) {
        Value::Object(fields) => fields,
        _ => Map::new(),
    };
    data.insert("audit".into(), audit.unwrap_or(Value::Null));
    data.insert("application".into(), to_json(&app));
    data.insert("resumes".into(), resumes.iter().map(to_json).collect());
    data.insert("submission".into(), submission.unwrap_or(Value::Null));
    Ok(Json(json!({ "data": data })))
}

/// The audit copy without its bytes: each attachment's `name`, `content_type`, `size` and
/// `sha256` (the bytes themselves: `documents/resume.pdf`), and the request without its body
/// (`body_bytes`: its size).
fn audit_summary(mut audit: Value) -> Value {
    let b64 = &base64::engine::general_purpose::STANDARD;
    if let Some(attachments) = audit.get_mut("attachments").and_then(Value::as_array_mut) {
        for a in attachments.iter_mut().filter_map(Value::as_object_mut) {
            let bytes = a.remove("bytes").and_then(|b| b.as_str().and_then(|b| b64.decode(b).ok()));
            if let Some(bytes) = bytes {
                a.insert("size".into(), json!(bytes.len()));
                a.insert("sha256".into(), json!(hex::encode(Sha256::digest(&bytes))));
            }
        }
    }
    if let Some(request) = audit.get_mut("request").and_then(Value::as_object_mut) {
        if let Some(body) = request.remove("body") {
            let size = body.as_str().and_then(|b| b64.decode(b).ok()).map_or(0, |b| b.len());
            request.insert("body_bytes".into(), json!(size));
        }
    }
    audit
}

/// The body of `POST …/approve` (optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ApproveBody {
    /// The job's questions the profile cannot answer: field → value.
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    /// The user checked that an unconfirmed earlier send did not arrive.
    #[serde(default)]
    resend: bool,
}

/// `POST /api/v1/applications/{id}/approve`: `{"status":"sent","channel","confirmation"}` or
/// `{"status":"waiting","reason"}`.
pub(super) async fn approve(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = app_id(&id)?;
    let body: ApproveBody = body_of(&body)?;
    let answers = body
        .answers
        .into_iter()
        .map(|(field, v)| match v {
            Value::String(v) => Ok((field, v)),
            Value::Number(n) => Ok((field, n.to_string())),
            Value::Bool(b) => Ok((field, b.to_string())),
            _ => Err(ApiError::validation("answers", format!("`{field}`: expected a string, number or boolean"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(match s.cell.approve(user.id, id, answers, body.resend).await? {
        Approved::Sent { channel, confirmation } => {
            json!({ "status": "sent", "channel": channel, "confirmation": confirmation })
        }
        Approved::Waiting(reason) => json!({ "status": "waiting", "reason": reason }),
    }))
}

/// `POST /api/v1/applications/{id}/reject`: declined before it was sent → `{"state":"withdrawn"}`.
pub(super) async fn reject(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = app_id(&id)?;
    s.cell.reject(user.id, id).await?;
    Ok(Json(json!({ "state": ApplicationState::Withdrawn.as_str() })))
}

/// `POST /api/v1/applications/{id}/withdraw`: sent or not → `{"state":"withdrawn"}`.
pub(super) async fn withdraw(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = app_id(&id)?;
    s.cell.withdraw(user.id, id).await?;
    Ok(Json(json!({ "state": ApplicationState::Withdrawn.as_str() })))
}

/// The body of `POST …/stage`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StageBody {
    stage: Option<String>,
    note: Option<String>,
}

/// `POST /api/v1/applications/{id}/stage` with `{"stage", "note"?}` → `{"stage","state"}`
/// (the state after it: a decisive stage on a sent application completes its workflow).
pub(super) async fn set_stage(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = app_id(&id)?;
    let body: StageBody = body_of(&body)?;
    let allowed = names(&Stage::ALL, Stage::as_str);
    let bad_stage = |reason: String| {
        ApiError::validation("stage", reason.clone())
            .with_details(json!({ "field": "stage", "reason": reason, "allowed": allowed }))
    };
    let stage: Stage = match body.stage {
        None => return Err(bad_stage(format!("missing `stage` (one of: {})", allowed.join(", ")))),
        Some(raw) => raw.parse().map_err(bad_stage)?,
    };
    let note = body.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ApiError::validation("note", format!("at most {MAX_NOTE} characters")));
    }
    s.cell.set_stage(user.id, id, stage, note).await?;
    let app = s.store.get_application(user.id, id).await?.ok_or_else(|| ApiError::not_found("application"))?;
    Ok(Json(json!({ "stage": stage, "state": app.state.as_str() })))
}

/// `GET /api/v1/applications/{id}/documents/{name}`: the exact bytes of `resume.pdf` (the PDF
/// that was sent, from the audit copy; or the selected variant's while it waits), `resume.md`
/// or `resume.html`, as an attachment; 404 when it has none.
pub(super) async fn document(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = app_id(&id)?;
    // The application first, so another user's id is 404 `application` whatever the name.
    let found = s.cell.document(user.id, id, &name).await?;
    let (mime, bytes) = found
        .filter(|_| DOCUMENTS.contains(&name.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("document `{name}` not found")))?;
    let headers = [
        (header::CONTENT_TYPE, mime.to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

fn notification_json(n: &NotificationRecord) -> Value {
    json!({ "id": n.id, "application_id": n.application_id, "message": n.message,
            "created_at": n.created_at, "dismissed_at": n.dismissed_at })
}

/// `GET /api/v1/notifications[?all=true]`: `[{id, application_id, message, created_at,
/// dismissed_at}]`, newest first; dismissed ones only with `all=true`.
pub(super) async fn notifications(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let all = match q.get("all").map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("false" | "0" | "no") => false,
        Some("true" | "1" | "yes" | "") => true,
        Some(_) => return Err(ApiError::validation("all", "expected `true` or `false`")),
    };
    let rows = s.store.notifications(user.id, all).await?;
    Ok(Json(rows.iter().map(notification_json).collect()))
}

/// `POST /api/v1/notifications/{id}/dismiss` → 204 (again for one already dismissed); 404 when
/// the user has no such notification.
pub(super) async fn dismiss(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: uuid::Uuid = id.parse().map_err(|_| ApiError::not_found("notification"))?;
    if s.store.dismiss_notification(user.id, id, s.clock.now()).await? {
        return Ok(StatusCode::NO_CONTENT);
    }
    // `false` is also an already dismissed one: dismissing is idempotent.
    if s.store.notifications(user.id, true).await?.iter().any(|n| n.id == id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("notification"))
    }
}
