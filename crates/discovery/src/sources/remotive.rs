//! Remotive (`GET https://remotive.com/api/remote-jobs[?category=…]`): one envelope with every
//! active job, no pagination. Terms: link back to each job's Remotive `url` and credit
//! Remotive; the README advises at most four requests a day.

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

const KIND: SourceKind = SourceKind::Remotive;

#[derive(Deserialize)]
struct Job {
    id: Option<Value>,
    url: Option<String>,
    title: Option<String>,
    company_name: Option<String>,
    job_type: Option<String>,
    publication_date: Option<String>,
    candidate_required_location: Option<String>,
    salary: Option<String>,
    description: Option<String>,
}

/// Parses one Remotive `remote-jobs` response body.
pub fn parse(body: &str, _id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let envelope: Value = serde_json::from_str(body)
        .map_err(|e| SourceError::malformed(KIND, format_args!("expected a JSON object: {e}")))?;
    let Some(jobs) = envelope.get("jobs").and_then(Value::as_array) else {
        return Err(SourceError::malformed(KIND, "no `jobs` array in the response"));
    };
    let mut postings = Vec::new();
    let mut skipped = Vec::new();
    for item in jobs {
        let raw_id = item.get("id").and_then(id_string);
        match serde_json::from_value::<Job>(item.clone()) {
            Ok(job) => match to_raw(job) {
                Ok(raw) => postings.push(raw),
                Err(skip) => skipped.push(skip),
            },
            Err(e) => skipped.push(Skipped { source_id: raw_id, reason: format!("unreadable job: {e}") }),
        }
    }
    Ok((postings, skipped))
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn to_raw(job: Job) -> Result<RawPosting, Skipped> {
    let Some(source_id) = job.id.as_ref().and_then(id_string) else {
        return Err(Skipped { source_id: None, reason: "job has no id".into() });
    };
    let Some(title) = non_empty(job.title) else {
        return Err(Skipped { source_id: Some(source_id), reason: "job has no title".into() });
    };
    // "Americas, Europe, Israel" lists several regions; each is kept as Remotive spells it.
    let remote_regions = job
        .candidate_required_location
        .as_deref()
        .unwrap_or_default()
        .split([',', ';'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    let url = non_empty(job.url);
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        company: non_empty(job.company_name).unwrap_or_default(),
        title,
        // Remotive lists remote jobs only.
        workplace_hint: Some("remote".into()),
        remote_regions,
        employment_type: non_empty(job.job_type),
        salary_text: non_empty(job.salary),
        posted_at: non_empty(job.publication_date),
        description_html: non_empty(job.description),
        apply_url: url.clone(),
        url,
        ..RawPosting::default()
    })
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let path = if id.eq_ignore_ascii_case("all") {
        "/api/remote-jobs".to_owned()
    } else {
        let category: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
        format!("/api/remote-jobs?category={category}")
    };
    let url = api_url(KIND, base, &path)?;
    let Some((body, validators)) = j::get_listing(client, url, validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let (postings, skipped) = parse(&body, id)?;
    Ok(SourceBatch { postings, skipped, validators, not_modified: false })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/remotive_remote_jobs.json");

    #[test]
    fn parses_the_fixture() {
        let (postings, skipped) = parse(FIXTURE, "all").unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 4);
        let ids: Vec<_> = postings.iter().map(|p| p.source_id.as_str()).collect();
        assert_eq!(ids, ["2090989", "2091068", "2091056", "1919265"]);

        let first = &postings[0];
        assert_eq!(first.source, "remotive");
        assert_eq!(first.title, "Assistant Account Payable");
        assert_eq!(first.company, "The Obesity Society");
        assert_eq!(first.workplace_hint.as_deref(), Some("remote"));
        assert_eq!(first.remote_regions, ["USA"]);
        assert_eq!(first.employment_type.as_deref(), Some("full_time"));
        assert_eq!(first.salary_text, None, "an empty salary is no salary");
        assert_eq!(first.posted_at.as_deref(), Some("2026-07-12T06:35:18"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://remotive.com/remote-jobs/medical/assistant-account-payable-2090989")
        );
        assert_eq!(first.apply_url, first.url);
        assert!(first.description_html.as_deref().unwrap().starts_with("<p><strong><span class=\"OOyDTc\""));

        assert_eq!(postings[1].title, "Head of Marketing & Communications");
        assert_eq!(postings[1].employment_type.as_deref(), Some("contract"));
        assert_eq!(postings[1].salary_text.as_deref(), Some("$150k - $230k"));
        assert_eq!(postings[1].remote_regions, ["Worldwide"]);
        assert_eq!(postings[2].company, "LawnStarter");
        assert_eq!(postings[2].remote_regions, ["Brazil"]);
        assert_eq!(postings[3].company, "A.Team");
        assert_eq!(postings[3].salary_text.as_deref(), Some("$90 - $150 /hour"));
        assert_eq!(postings[3].remote_regions, ["Americas", "Europe", "Israel"]);
    }

    #[test]
    fn malformed_bodies_are_errors_naming_the_source() {
        for body in ["", "[]", "{\"0-legal-notice\": \"x\"}", "{\"jobs\": {}}"] {
            let err = parse(body, "all").unwrap_err();
            assert!(err.to_string().starts_with("remotive response is malformed"), "{err}");
        }
    }

    #[test]
    fn odd_jobs_are_skipped_with_a_reason() {
        let body = r#"{"jobs":[{"id":1,"title":" "},{"title":"No id"},{"id":"2","title":7},
            {"id":3,"title":"Fine","company_name":"X","job_type":"","candidate_required_location":""}]}"#;
        let (postings, skipped) = parse(body, "all").unwrap();
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].employment_type, None);
        assert!(postings[0].remote_regions.is_empty());
        let ids: Vec<_> = skipped.iter().map(|s| s.source_id.as_deref()).collect();
        assert_eq!(ids, [Some("1"), None, Some("2")]);
    }
}
