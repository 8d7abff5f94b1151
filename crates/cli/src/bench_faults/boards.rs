//! The `board_drops_posting` row of the fault drill: one requisition listed by the employer's
//! board (Greenhouse) and copied by an aggregator (Remotive), linked by dedup. The aggregator
//! rewriting or dropping its copy must neither overwrite the job nor withdraw the application;
//! only the employer's board closing it does.

use super::{create_user, fast_config, row, run_id, scratch, standard_cell, Accounting, FaultRow};
use crate::runtime::Env;
use anyhow::{bail, Result};
use async_trait::async_trait;
use discovery::sources::{FetchError, HttpClient, HttpRequest, HttpResponse, SourceSpec, Validators};
use domain::Profile;
use serde_json::{json, Value};
use std::sync::Mutex;
use store::{DynStore, Page};

/// Two boards listing one requisition: Greenhouse (where it is posted) and Remotive (an
/// aggregator copying it). Bodies are swapped between polls.
struct TwoBoards {
    greenhouse: Mutex<String>,
    remotive: Mutex<String>,
}

#[async_trait]
impl HttpClient for TwoBoards {
    async fn get(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError> {
        let path = req.url.path();
        let body = if path.starts_with("/v1/boards/drill/jobs/") {
            r#"{"id": 1, "questions": []}"#.to_owned()
        } else if path.starts_with("/v1/boards/drill/jobs") {
            self.greenhouse.lock().unwrap_or_else(|e| e.into_inner()).clone()
        } else if path.starts_with("/api/remote-jobs") {
            self.remotive.lock().unwrap_or_else(|e| e.into_inner()).clone()
        } else {
            return Err(FetchError::Status { status: 404, url: req.url.to_string() });
        };
        Ok(HttpResponse::Ok { body, validators: Validators::default() })
    }
}

const DRILL_DESCRIPTION: &str = "We are hiring a Senior Rust Engineer to build our payments platform. \
    You will design services in Rust and Go on PostgreSQL and Kafka, run them on Kubernetes, and mentor others. \
    Requirements: 5+ years building backend services; Rust; PostgreSQL; Kafka. Remote within Europe.";

fn greenhouse_body(jobs: &[(u64, &str)]) -> String {
    let list: Vec<Value> = jobs
        .iter()
        .map(|(id, description)| {
            json!({
                "id": id, "title": "Senior Rust Engineer", "company_name": "Northwind Payments",
                "absolute_url": format!("https://boards.example.com/northwind/jobs/{id}"),
                "location": {"name": "Remote - Europe"}, "updated_at": "2026-11-20T10:00:00Z",
                "first_published": "2026-11-20T10:00:00Z", "content": description,
            })
        })
        .collect();
    json!({ "jobs": list, "meta": {"total": list.len()} }).to_string()
}

fn remotive_body(description: Option<&str>) -> String {
    let jobs: Vec<Value> = description
        .into_iter()
        .map(|d| {
            json!({
                "id": 777, "url": "https://aggregator.example.com/remote-jobs/777", "title": "Senior Rust Engineer",
                "company_name": "Northwind Payments", "job_type": "full_time", "publication_date": "2026-11-20T10:00:00",
                "candidate_required_location": "Europe", "salary": "", "description": d, "tags": ["rust"],
            })
        })
        .collect();
    json!({ "0-legal-notice": "", "job-count": jobs.len(), "jobs": jobs }).to_string()
}

pub(super) async fn board_drops_posting(env: &Env) -> Result<FaultRow> {
    let s = scratch(env).await?;
    let mut profile = Profile::import(discovery::SAMPLE_PROFILE)?;
    // Anything that is a real job matches: this drill is about sources, not preferences.
    profile.preferences = domain::Preferences::default();
    let email = format!("drill-boards-{}@drill.applyflow.local", run_id());
    let (user, _) = create_user(&s.store, &email, &env.config.cell.cell_id).await?;
    s.store.put_profile(user.id, &profile).await?;
    let cell = standard_cell(s.store.clone(), fast_config(&s.env.config.cell), cell::agents::standard());
    let boards = TwoBoards {
        greenhouse: Mutex::new(greenhouse_body(&[(4001, DRILL_DESCRIPTION)])),
        remotive: Mutex::new(remotive_body(Some(DRILL_DESCRIPTION))),
    };
    let base = url::Url::parse("http://boards.drill.invalid")?;
    let gh: SourceSpec = "greenhouse:drill".parse().map_err(anyhow::Error::msg)?;
    let agg: SourceSpec = "remotive:all".parse().map_err(anyhow::Error::msg)?;
    let poll = |spec: SourceSpec| {
        let (cell, boards, profile, base) = (&cell, &boards, &profile, &base);
        async move { cell.poll_source(boards, user.id, profile, &spec, Some(base)).await }
    };

    poll(gh.clone()).await?;
    let aggregated = poll(agg.clone()).await?;
    let apps =
        |store: DynStore| async move { store.list_applications(user.id, &Page { after: None, limit: 100 }).await };
    let before = apps(s.store.clone()).await?;
    // The aggregator's copy changes (it rewrites the text) and then disappears.
    *boards.remotive.lock().unwrap_or_else(|e| e.into_inner()) =
        remotive_body(Some("Senior Rust Engineer at Northwind. Apply via our site! Sponsored listing."));
    poll(agg.clone()).await?;
    let job_after_aggregator_edit = s.store.list_jobs(user.id, &Page { after: None, limit: 10 }).await?;
    *boards.remotive.lock().unwrap_or_else(|e| e.into_inner()) = remotive_body(None);
    let dropped = poll(agg.clone()).await?;
    let after = apps(s.store.clone()).await?;
    // Then the employer's own board closes it: now the job is gone.
    *boards.greenhouse.lock().unwrap_or_else(|e| e.into_inner()) = greenhouse_body(&[]);
    poll(gh.clone()).await?;
    let closed = apps(s.store.clone()).await?;

    let withdrawn = |list: &[domain::Application]| {
        list.iter().filter(|a| a.state == domain::ApplicationState::Withdrawn).count() as u64
    };
    let overwritten = job_after_aggregator_edit.iter().any(|j| !j.description.contains("payments platform"));
    let linked = aggregated.duplicates > 0 && before.len() == 1;
    let a = Accounting { workflows: before.len() as u64, completed: before.len() as u64, ..Default::default() };
    let mut r = row("board_drops_posting", &a, 0, 0, Value::Null);
    // Lost: the user's application withdrawn while the employer still lists the job, or the
    // job's text replaced by the aggregator's.
    r.lost = withdrawn(&after) + u64::from(overwritten);
    r.completed = (after.len() as u64).saturating_sub(withdrawn(&after));
    r.detail = json!({
        "linked_by_dedup": linked,
        "aggregator_closed": dropped.closed,
        "withdrawn_while_still_listed": withdrawn(&after),
        "job_text_overwritten_by_aggregator": overwritten,
        "withdrawn_after_employer_closed": withdrawn(&closed),
    });
    if !linked {
        bail!("the two boards' copies were not linked by dedup: {}", r.detail);
    }
    Ok(r)
}
