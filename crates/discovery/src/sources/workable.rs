//! Workable career-widget adapter: `apply.workable.com/api/v1/widget/accounts/{subdomain}?details=true`
//! answers every published job at once (no pagination).

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::canonical::JobLocation;
use crate::raw::RawPosting;
use serde_json::Value;
use url::Url;

const KIND: SourceKind = SourceKind::Workable;

/// Parses a widget answer (`{"name", "description", "jobs": [...]}`).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let v = j::parse_body(KIND, body)?;
    let Some(jobs) = v.get("jobs").and_then(Value::as_array) else {
        return Err(j::unexpected(KIND, &v, "an object with a `jobs` array"));
    };
    let company = j::text(&v, "name").unwrap_or_else(|| id.to_owned());
    Ok(j::map_items(jobs, |job| posting(job, &company)))
}

fn posting(job: &Value, company: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(job, "shortcode", "title")?;
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        company: company.to_owned(),
        title,
        locations: locations(job),
        // `workplace` is the newer feeds' word; the widget only has the telecommuting flag.
        workplace_hint: j::text(job, "workplace").or_else(|| j::flag(job, "telecommuting").then(|| "true".to_owned())),
        employment_type: j::text(job, "employment_type"),
        posted_at: j::text(job, "published_on").or_else(|| j::text(job, "created_at")),
        description_html: j::body_text(job, "description"),
        apply_url: j::text(job, "application_url"),
        url: j::text(job, "url").or_else(|| j::text(job, "shortlink")),
        ..RawPosting::default()
    })
}

/// `locations[]` without the ones the company marked hidden; the top-level city/state/country
/// only when the job has no `locations` list at all (they repeat a hidden location otherwise).
fn locations(job: &Value) -> Vec<JobLocation> {
    let Some(list) = job.get("locations").and_then(Value::as_array) else {
        return j::location(j::text(job, "city"), j::text(job, "state"), j::text(job, "country")).into_iter().collect();
    };
    let mut out = Vec::new();
    for l in list.iter().filter(|l| !j::flag(l, "hidden")) {
        let country = j::text(l, "countryCode").or_else(|| j::text(l, "country"));
        if let Some(loc) = j::location(j::text(l, "city"), j::text(l, "region"), country).filter(|l| !out.contains(l)) {
            out.push(loc);
        }
    }
    out
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let account = j::spec_segment(KIND, id)?;
    let url = api_url(KIND, base, &format!("/api/v1/widget/accounts/{account}?details=true"))?;
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

    const WIDGET: &str = include_str!("../../tests/fixtures/workable_widget_accounts_details.json");

    fn gb(city: &str) -> JobLocation {
        JobLocation { city: Some(city.into()), region: Some("England".into()), country: Some("GB".into()) }
    }

    #[test]
    fn maps_the_widget_feed() {
        let (postings, skipped) = parse(WIDGET, "kroo").unwrap();
        assert_eq!((postings.len(), skipped.len()), (7, 0));
        let p = &postings[0];
        assert_eq!(p.source, "workable");
        assert_eq!(p.source_id, "83183A94A5");
        assert_eq!(p.company, "Kroo Bank Ltd");
        assert_eq!(p.title, "Compliance Manager");
        assert_eq!(p.locations, [gb("London")]);
        assert!(p.location_texts.is_empty());
        assert_eq!(p.workplace_hint, None, "telecommuting: false says nothing about on-site vs hybrid");
        assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(p.posted_at.as_deref(), Some("2024-07-02"));
        assert!(p.description_html.as_deref().unwrap().starts_with("<p><strong>What We’re All About at Kroo</strong>"));
        assert_eq!(p.url.as_deref(), Some("https://apply.workable.com/j/83183A94A5"));
        assert_eq!(p.apply_url.as_deref(), Some("https://apply.workable.com/j/83183A94A5/apply"));

        let security = postings.iter().find(|p| p.source_id == "C4002EDABE").unwrap();
        assert_eq!(security.workplace_hint.as_deref(), Some("true"));
        assert_eq!(security.posted_at.as_deref(), Some("2024-06-13"), "published_on, not created_at");
        // Its only location is marked hidden.
        let hidden = postings.iter().find(|p| p.source_id == "F53433C12B").unwrap();
        assert!(hidden.locations.is_empty());
        assert_eq!(postings[2].locations, [gb("Manchester")]);
    }

    #[test]
    fn top_level_location_when_no_list() {
        let body = r#"{"jobs":[{"shortcode":"A1","title":"T","city":"Athens","state":"Attica","country":"Greece"}]}"#;
        let (postings, _) = parse(body, "acme").unwrap();
        assert_eq!(postings[0].company, "acme");
        assert_eq!(postings[0].locations[0].label(), "Athens, Attica, Greece");
    }

    #[test]
    fn unknown_accounts_and_bad_postings() {
        let e = parse(include_str!("../../tests/fixtures/workable_error_404.txt"), "nope").unwrap_err().to_string();
        assert!(e.starts_with("workable response is malformed") && e.contains("Not Found"), "{e}");
        assert!(parse("{\"name\":\"x\"}", "x").is_err());
        let mut v: Value = serde_json::from_str(WIDGET).unwrap();
        v["jobs"][0].as_object_mut().unwrap().remove("title");
        v["jobs"][1]["shortcode"] = Value::Null;
        let (postings, skipped) = parse(&v.to_string(), "kroo").unwrap();
        assert_eq!((postings.len(), skipped.len()), (5, 2));
        assert_eq!(
            (skipped[0].source_id.as_deref(), skipped[0].reason.as_str()),
            (Some("83183A94A5"), "posting has no title")
        );
        assert_eq!(skipped[1].reason, "posting has no id");
    }
}
