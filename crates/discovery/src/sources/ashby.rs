//! Ashby public job-posting API adapter: one
//! `/posting-api/job-board/{name}?includeCompensation=true` answer holds every job.

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::canonical::JobLocation;
use crate::raw::RawPosting;
use domain::Salary;
use serde_json::Value;
use url::Url;

const KIND: SourceKind = SourceKind::Ashby;

/// Parses a job board answer (`{"apiVersion": "1", "jobs": [...]}`).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let v = j::parse_body(KIND, body)?;
    match v.get("jobs").and_then(Value::as_array) {
        Some(jobs) => Ok(j::map_items(jobs, |job| posting(job, id))),
        None => Err(j::unexpected(KIND, &v, "an object with a `jobs` array")),
    }
}

fn posting(job: &Value, board: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(job, "id", "title")?;
    if job.get("isListed").and_then(Value::as_bool) == Some(false) {
        // Unlisted jobs are reachable by link only: the company chose not to advertise them.
        return Err(Skipped { source_id: Some(source_id), reason: "posting is unlisted (isListed: false)".into() });
    }
    let secondary = job.get("secondaryLocations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut location_texts = Vec::new();
    j::push_unique(&mut location_texts, j::text(job, "location"));
    let mut locations: Vec<JobLocation> = address(job).into_iter().collect();
    for s in secondary {
        j::push_unique(&mut location_texts, j::text(s, "location"));
        if let Some(l) = address(s).filter(|l| !locations.contains(l)) {
            locations.push(l);
        }
    }
    let compensation = job.get("compensation").cloned().unwrap_or(Value::Null);
    let salary = salary(&compensation);
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        // The answer names no organization; the board name is the company's slug.
        company: board.to_owned(),
        title,
        location_texts,
        locations,
        workplace_hint: j::text(job, "workplaceType").or_else(|| j::flag(job, "isRemote").then(|| "true".to_owned())),
        employment_type: j::text(job, "employmentType"),
        salary_text: if salary.is_some() {
            None
        } else {
            j::text(&compensation, "compensationTierSummary")
                .or_else(|| j::text(&compensation, "scrapeableCompensationSalarySummary"))
        },
        salary,
        posted_at: j::text(job, "publishedAt"),
        description_html: j::body_text(job, "descriptionHtml"),
        description_text: j::body_text(job, "descriptionPlain"),
        apply_url: j::text(job, "applyUrl"),
        url: j::text(job, "jobUrl"),
        ..RawPosting::default()
    })
}

/// `address.postalAddress` in parts (Ashby spells countries out: "United Kingdom", "USA").
fn address(holder: &Value) -> Option<JobLocation> {
    let a = holder.get("address")?.get("postalAddress")?;
    j::location(j::text(a, "addressLocality"), j::text(a, "addressRegion"), j::text(a, "addressCountry"))
}

/// The base-salary range: `summaryComponents` spans every tier; the tiers are the fallback.
fn salary(compensation: &Value) -> Option<Salary> {
    let summary = compensation.get("summaryComponents").and_then(Value::as_array).into_iter().flatten();
    let tiers = compensation.get("compensationTiers").and_then(Value::as_array).into_iter().flatten();
    let tier_parts = tiers.flat_map(|t| t.get("components").and_then(Value::as_array).into_iter().flatten());
    summary.chain(tier_parts).find_map(salary_component)
}

fn salary_component(c: &Value) -> Option<Salary> {
    if j::text(c, "compensationType").as_deref() != Some("Salary") {
        return None;
    }
    let interval = j::text(c, "interval")?;
    // "1 YEAR" is yearly; "2 WEEK" would be a period Salary cannot say.
    let (count, unit) = interval.split_once(' ')?;
    if count.trim() != "1" {
        return None;
    }
    let min = j::amount(c.get("minValue"));
    let max = j::amount(c.get("maxValue"));
    (min.is_some() || max.is_some()).then_some(())?;
    Some(Salary { min, max, currency: j::text(c, "currencyCode")?, period: j::period(unit)? })
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let board = j::spec_segment(KIND, id)?;
    let url = api_url(KIND, base, &format!("/posting-api/job-board/{board}?includeCompensation=true"))?;
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
    use domain::SalaryPeriod;

    const JOBS: &str = include_str!("../../tests/fixtures/ashby_jobs.json");
    const TIERS: &str = include_str!("../../tests/fixtures/ashby_jobs_compensation_tiers.json");

    fn loc(city: Option<&str>, region: Option<&str>, country: &str) -> JobLocation {
        JobLocation { city: city.map(Into::into), region: region.map(Into::into), country: Some(country.into()) }
    }

    #[test]
    fn maps_a_remote_board() {
        let (postings, skipped) = parse(JOBS, "lightdash").unwrap();
        assert_eq!((postings.len(), skipped.len()), (2, 0));
        let p = &postings[0];
        assert_eq!(p.source, "ashby");
        assert_eq!(p.source_id, "309706bc-1081-48b6-89dc-f769bbe17e6d");
        assert_eq!(p.company, "lightdash");
        assert_eq!(p.title, "Analytics Engineering Advocate");
        assert_eq!(p.location_texts, ["Remote"]);
        assert_eq!(p.locations, [loc(None, None, "United Kingdom")]);
        assert_eq!(p.workplace_hint.as_deref(), Some("true"), "no workplaceType: the isRemote flag");
        assert_eq!(p.employment_type.as_deref(), Some("FullTime"));
        let s = p.salary.as_ref().unwrap();
        assert_eq!(
            (s.min, s.max, s.currency.as_str(), s.period),
            (Some(60000.0), Some(95000.0), "GBP", SalaryPeriod::Year)
        );
        assert_eq!(p.salary_text, None);
        assert_eq!(p.posted_at.as_deref(), Some("2024-07-15T16:45:14.721+00:00"));
        assert!(p.description_html.as_deref().unwrap().starts_with("<h2>About Lightdash</h2>"));
        assert!(p.description_text.as_deref().unwrap().starts_with("ABOUT LIGHTDASH\n\nLightdash is an open source"));
        assert_eq!(p.url.as_deref(), Some("https://jobs.ashbyhq.com/lightdash/309706bc-1081-48b6-89dc-f769bbe17e6d"));
        assert_eq!(
            p.apply_url.as_deref(),
            Some("https://jobs.ashbyhq.com/lightdash/309706bc-1081-48b6-89dc-f769bbe17e6d/application")
        );
        assert_eq!(postings[1].salary.as_ref().unwrap().max, Some(110000.0));
    }

    #[test]
    fn maps_tiers_and_secondary_locations() {
        let (postings, skipped) = parse(TIERS, "ramp").unwrap();
        assert_eq!((postings.len(), skipped.len()), (4, 0));
        let p = &postings[0];
        assert_eq!(p.location_texts, ["Remote (US)", "San Francisco, CA", "New York, NY (HQ)"]);
        // Kept as the board wrote them ("San Fransisco", "California "→trimmed, "USA").
        assert_eq!(
            p.locations,
            [
                loc(None, None, "United States"),
                loc(Some("San Fransisco"), Some("California"), "USA"),
                loc(Some("New York City"), Some("NY"), "USA"),
            ]
        );
        assert_eq!(p.workplace_hint.as_deref(), Some("Remote"));
        let s = p.salary.as_ref().unwrap();
        assert_eq!(
            (s.min, s.max, s.currency.as_str()),
            (Some(151000.0), Some(231000.0), "USD"),
            "the summary spans tiers"
        );

        let london = &postings[1];
        assert_eq!((london.salary.as_ref(), london.salary_text.as_ref()), (None, None));
        assert_eq!(london.workplace_hint.as_deref(), Some("OnSite"));
        assert_eq!(london.locations, [loc(Some("London"), None, "United Kingdom")]);
        // workplaceType wins over the isRemote flag it contradicts.
        assert_eq!(postings[2].workplace_hint.as_deref(), Some("Hybrid"));
    }

    #[test]
    fn summary_text_when_no_structured_salary() {
        let mut v: Value = serde_json::from_str(TIERS).unwrap();
        let comp = v["jobs"][0]["compensation"].as_object_mut().unwrap();
        comp.remove("summaryComponents");
        comp.remove("compensationTiers");
        let p = parse(&v.to_string(), "ramp").unwrap().0.remove(0);
        assert_eq!(p.salary, None);
        assert_eq!(p.salary_text.as_deref(), Some("$151K – $231K • Offers Equity • Multiple Ranges"));
    }

    #[test]
    fn unlisted_and_untitled_jobs_are_skipped() {
        let mut v: Value = serde_json::from_str(TIERS).unwrap();
        v["jobs"][1]["isListed"] = Value::Bool(false);
        v["jobs"][2].as_object_mut().unwrap().remove("title");
        let (postings, skipped) = parse(&v.to_string(), "ramp").unwrap();
        assert_eq!((postings.len(), skipped.len()), (2, 2));
        assert!(skipped[0].reason.contains("unlisted"));
        assert_eq!(skipped[1].reason, "posting has no title");
        assert_eq!(skipped[1].source_id.as_deref(), Some("0907ae2a-5334-4d64-9a76-cc9428224546"));
    }

    #[test]
    fn unknown_boards_and_garbage() {
        let e = parse(include_str!("../../tests/fixtures/ashby_error_404.txt"), "nope").unwrap_err().to_string();
        assert!(e.starts_with("ashby response is malformed") && e.contains("Not Found"), "{e}");
        assert!(parse("<html></html>", "x").unwrap_err().to_string().contains("HTML"));
        assert!(parse("{\"apiVersion\":\"1\"}", "x").is_err());
        // Unknown boards may also come back as an empty board.
        assert_eq!(parse(r#"{"apiVersion":"1","jobs":[]}"#, "x").unwrap().0.len(), 0);
    }
}
