//! `POST /api/v1/tailor`: tailor the authenticated user's profile to one job — a posting in the
//! body (`{"job": {"title", "company", "description", ...}}`) or one of the user's jobs
//! (`{"job_id": ...}`) — and answer the report and the tailored resume (JSON Resume with each
//! line's provenance under `meta.provenance`). Nothing is stored. Rewrites go through the
//! cell's AI client (`tailor_with_ai`) and the truth guard; with no provider configured, the
//! verbatim variants, guarded, scored and optimized.
//!
//! Each call may start AI rewrites, so it is rate limited per user by plan (the AI client's
//! `throttle`): over the limit it answers 429 `RATE_LIMITED` with `details.retry_after_secs`.

use super::auth::AuthUser;
use super::error::{ApiError, ErrorCode};
use super::ApiState;
use axum::extract::State;
use axum::Json;
use domain::{ApplicationId, Job, JobId, MatchScore};
use serde::Deserialize;
use serde_json::{json, Value};

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TailorBody {
    job: Option<PostedJob>,
    job_id: Option<String>,
    /// 1-based variant to return instead of the optimizer's pick.
    variant: Option<usize>,
}

/// A posting given inline.
#[derive(Debug, Deserialize)]
pub(super) struct PostedJob {
    #[serde(default)]
    title: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    location: String,
}

const MAX_DESCRIPTION: usize = 200_000;

pub(super) async fn tailor(
    State(s): State<ApiState>,
    AuthUser(user): AuthUser,
    body: Result<Json<TailorBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let user_id = user.id.to_string();
    if let Err(throttled) = s.ai.throttle(&user_id) {
        let secs = throttled.retry_after.as_secs_f64().ceil().max(1.0) as u64;
        return Err(ApiError::new(ErrorCode::RateLimited, format!("too many tailoring requests; retry in {secs} s"))
            .with_details(json!({ "retry_after_secs": secs })));
    }
    let Json(body) = body.map_err(|e| ApiError::validation("body", e.body_text()))?;
    let job = match (body.job, body.job_id) {
        (Some(_), Some(_)) => return Err(ApiError::validation("job", "give either `job` or `job_id`, not both")),
        (None, None) => return Err(ApiError::validation("job", "give `job` (a posting) or `job_id`")),
        (Some(p), None) => {
            if p.title.trim().is_empty() && p.description.trim().is_empty() {
                return Err(ApiError::validation("job", "a posting needs a `title` or a `description`"));
            }
            if p.description.len() > MAX_DESCRIPTION {
                return Err(ApiError::validation("job.description", "longer than 200000 bytes"));
            }
            let mut job = ::tailor::job_for_text(&p.title, &p.description);
            job.user_id = user.id;
            // Seen now: experience in a current role counts up to today.
            job.discovered_at = s.clock.now();
            job.company = p.company;
            job.location = p.location;
            job
        }
        (None, Some(id)) => {
            let id: JobId = id.parse().map_err(|_| ApiError::not_found("job"))?;
            s.store.get_job(user.id, id).await?.ok_or_else(|| ApiError::not_found("job"))?
        }
    };
    let profile = s.store.get_profile(user.id).await?.ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, "you have no profile yet; import your resume (JSON Resume) first")
    })?;
    let analysis = match s.store.get_analysis(user.id, job.id).await? {
        Some(a) if !job.id.0.is_nil() => a,
        _ => analysis::HeuristicAnalyzer.analyze(&job),
    };
    let app = ApplicationId::from_uuid(Default::default());
    let payer = s.ai.payer(&user_id, user.cell_id.as_str()); // the user's configured plan
    let tailored =
        ::tailor::tailor_with_ai(&profile, &job, &analysis, app, 3, &s.ai, &payer).await.map_err(|e| match e {
            ::tailor::TailorError::EmptyProfile => ApiError::validation("profile", e.to_string()),
            other => ApiError::new(ErrorCode::InternalError, other.to_string()),
        })?;
    let score = score(&profile, &job, &analysis);
    let mut report = ::tailor::TailorReport::new(&score, &tailored);
    let pick = match body.variant {
        None => tailored.chosen,
        Some(n) if (1..=tailored.variants.len()).contains(&n) => n - 1,
        Some(n) => return Err(ApiError::validation("variant", format!("expected 1 to 3, got {n}"))),
    };
    let resume = &tailored.variants[pick];
    report.chosen_variant.clone_from(&resume.variant_id);
    Ok(Json(json!({ "data": {
        "report": report,
        "resume": ::tailor::json_resume_document(resume, &profile),
    }})))
}

fn score(profile: &domain::Profile, job: &Job, analysis: &domain::JobAnalysis) -> MatchScore {
    let m = analysis::match_score(profile, job, analysis);
    if m == MatchScore::default() {
        ::tailor::fallback_match_score(profile, analysis)
    } else {
        m
    }
}
