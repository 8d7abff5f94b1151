//! Greenhouse Job Board API adapter: one `/v1/boards/{token}/jobs?content=true` listing (no
//! pagination), then a `?questions=true` detail call per job for its application form.

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use serde_json::{Map, Value};
use url::Url;

const KIND: SourceKind = SourceKind::Greenhouse;

/// Keys of a `?questions=true` detail answer that describe the application form.
const FORM_KEYS: [&str; 5] =
    ["questions", "location_questions", "compliance", "demographic_questions", "data_compliance"];

/// Parses a listing (`{"jobs": [...]}`) or one job's detail answer (`/jobs/{id}?questions=true`).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let v = j::parse_body(KIND, body)?;
    if let Some(jobs) = v.get("jobs") {
        let jobs = jobs.as_array().ok_or_else(|| SourceError::malformed(KIND, "`jobs` is not an array"))?;
        return Ok(j::map_items(jobs, |job| posting(job, id)));
    }
    if is_detail(&v) {
        return Ok(j::map_items([&v], |job| posting(job, id)));
    }
    Err(j::unexpected(KIND, &v, "an object with a `jobs` array"))
}

fn is_detail(v: &Value) -> bool {
    v.get("id").is_some() && (v.get("title").is_some() || v.get("absolute_url").is_some())
}

fn posting(job: &Value, token: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(job, "id", "title")?;
    let mut location_texts = Vec::new();
    j::push_unique(&mut location_texts, job.get("location").and_then(|l| j::text(l, "name")));
    // Offices by name: they repeat `location.name`'s spelling, so duplicates collapse here.
    for office in job.get("offices").and_then(Value::as_array).into_iter().flatten() {
        j::push_unique(&mut location_texts, j::text(office, "name").or_else(|| j::text(office, "location")));
    }
    let url = j::text(job, "absolute_url");
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        company: j::text(job, "company_name").unwrap_or_else(|| token.to_owned()),
        title,
        location_texts,
        workplace_hint: workplace(job),
        posted_at: j::text(job, "first_published").or_else(|| j::text(job, "updated_at")),
        closes_at: j::text(job, "application_deadline"),
        description_html: j::body_text(job, "content"),
        salary_text: pay_ranges(job),
        // The hosted post page carries the application form.
        apply_url: url.clone(),
        url,
        application_questions: form(job),
        ..RawPosting::default()
    })
}

/// The board's "Location Type" / "Workplace Type" custom field (Remote, Hybrid, On-Site).
fn workplace(job: &Value) -> Option<String> {
    let fields = job.get("metadata")?.as_array()?;
    fields.iter().find_map(|m| {
        let name = m.get("name")?.as_str()?.to_ascii_lowercase();
        if !(name.contains("location type") || name.contains("workplace")) {
            return None;
        }
        match m.get("value")? {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Array(items) => {
                let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                (!words.is_empty()).then(|| words.join(", "))
            }
            _ => None,
        }
    })
}

/// `pay_input_ranges` (detail answers only) as text: the amounts are in cents and the board
/// gives no period, so normalization reads them like any posted range.
fn pay_ranges(job: &Value) -> Option<String> {
    let ranges = job.get("pay_input_ranges")?.as_array()?;
    let texts: Vec<String> = ranges
        .iter()
        .filter_map(|r| {
            let min = j::amount(r.get("min_cents")).map(cents);
            let max = j::amount(r.get("max_cents")).map(cents);
            let amounts = match (min, max) {
                (Some(a), Some(b)) => format!("{a} – {b}"),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => return None,
            };
            Some(match j::text(r, "currency_type") {
                Some(cur) => format!("{amounts} {cur}"),
                None => amounts,
            })
        })
        .collect();
    (!texts.is_empty()).then(|| texts.join("; "))
}

fn cents(c: f64) -> String {
    let units = c / 100.0;
    if units.fract() == 0.0 {
        format!("{units:.0}")
    } else {
        format!("{units:.2}")
    }
}

/// The application form parts of a detail answer, as the board sent them.
fn form(job: &Value) -> Option<Value> {
    job.get("questions")?;
    let parts: Map<String, Value> =
        FORM_KEYS.iter().filter_map(|k| job.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
    Some(Value::Object(parts))
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let token = j::spec_segment(KIND, id)?;
    let url = api_url(KIND, base, &format!("/v1/boards/{token}/jobs?content=true"))?;
    let Some((body, validators)) = j::get_listing(client, url, validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let (mut postings, skipped) = parse(&body, id)?;
    for p in &mut postings {
        let Some(job_id) = j::segment(&p.source_id) else { continue };
        let url = api_url(KIND, base, &format!("/v1/boards/{token}/jobs/{job_id}?questions=true"))?;
        // A failed detail call costs the posting its questions, not its place in the batch.
        let Ok(Some(detail)) = j::get(client, url).await else { continue };
        let Ok(detail) = serde_json::from_str::<Value>(&detail) else { continue };
        if j::id(&detail, "id").as_deref() != Some(p.source_id.as_str()) {
            continue;
        }
        p.application_questions = form(&detail).or(p.application_questions.take());
        p.salary_text = pay_ranges(&detail).or(p.salary_text.take());
    }
    Ok(SourceBatch { postings, skipped, validators, not_modified: false })
}

#[cfg(test)]
#[path = "greenhouse_tests.rs"]
mod tests;
