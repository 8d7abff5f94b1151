//! Normalization: a board's raw posting → one canonical job. Every rule about what a board's
//! fields mean lives here (and in the submodules), so adapters only map fields by name.

mod dates;
mod employment;
mod html;
pub(crate) mod location;
pub(crate) mod places;
mod plain;
mod salary;
mod title;

pub use dates::parse_date;
pub use employment::{employment_type, workplace_from_hint};
pub use html::{decode_entities, html_to_text, sanitize};
pub use location::{normalize_region, normalize_regions, parse_location, ParsedLocations};
pub use salary::parse_salary;
pub use title::{clean_title, seniority};

use crate::canonical::{CanonicalJob, SourceRef};
use crate::raw::{RawPosting, SkipReason};
use domain::{Salary, WorkplaceType};
use sha2::{Digest, Sha256};

/// Descriptions larger than this (either form) are refused: no real posting is that long, and
/// parsing it would cost more than it is worth.
pub const MAX_DESCRIPTION_BYTES: usize = 1024 * 1024;

/// Turns a raw posting into a canonical job, or says why it cannot be kept.
pub fn normalize(mut raw: RawPosting) -> Result<CanonicalJob, SkipReason> {
    // NUL and other control characters from a board: gone before anything keys on them
    // (PostgreSQL rejects NUL; the text fields are cleaned again on the way into a job).
    use domain::text::make_storable;
    for field in [&mut raw.source, &mut raw.source_id, &mut raw.company, &mut raw.title] {
        make_storable(field);
    }
    for field in [&mut raw.url, &mut raw.apply_url, &mut raw.description_html, &mut raw.description_text] {
        if let Some(f) = field.as_mut() {
            make_storable(f);
        }
    }
    raw.location_texts.iter_mut().for_each(make_storable);
    raw.remote_regions.iter_mut().for_each(make_storable);
    if let Some(q) = raw.application_questions.as_mut() {
        domain::text::make_json_storable(q);
    }
    let source_id = raw.source_id.trim().to_owned();
    if source_id.is_empty() {
        return Err(SkipReason::MissingId);
    }
    let title = clean_title(&raw.title);
    if title.is_empty() {
        return Err(SkipReason::MissingTitle);
    }
    let company = clean_title(&raw.company);
    if company.is_empty() {
        return Err(SkipReason::MissingCompany);
    }
    let url = raw.url.as_deref().and_then(usable_url);
    let apply_url =
        raw.apply_url.as_deref().and_then(usable_url).or_else(|| url.clone()).ok_or(SkipReason::MissingUrl)?;
    let size =
        raw.description_html.as_ref().map_or(0, String::len).max(raw.description_text.as_ref().map_or(0, String::len));
    if size > MAX_DESCRIPTION_BYTES {
        return Err(SkipReason::TooLarge(size));
    }

    let html_in = raw.description_html.as_deref().filter(|h| !h.trim().is_empty()).map(html::unescape_if_escaped);
    let description_text = match raw.description_text.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => plain::tidy_text(t),
        None => html_in.as_deref().map(html::unescaped_to_text).unwrap_or_default(),
    };
    let description_html =
        html_in.as_deref().map_or_else(|| plain::text_to_html(&description_text), html::sanitize_unescaped);

    let mut places = ParsedLocations::default();
    for loc in &raw.locations {
        places.add_structured(loc);
    }
    for text in &raw.location_texts {
        places.add_text(text);
    }
    let workplace = raw.workplace_hint.as_deref().and_then(workplace_from_hint).or(if places.remote {
        Some(WorkplaceType::Remote)
    } else if places.hybrid {
        Some(WorkplaceType::Hybrid)
    } else if places.onsite {
        Some(WorkplaceType::Onsite)
    } else {
        None
    });
    let mut remote_regions = normalize_regions(raw.remote_regions.iter().map(String::as_str));
    location::push_regions(&mut remote_regions, places.remote_regions);

    let salary = raw
        .salary
        .filter(|s| s.min.is_some() || s.max.is_some())
        .map(ordered)
        .or_else(|| raw.salary_text.as_deref().and_then(parse_salary))
        .or_else(|| salary::parse_salary_in_prose(&description_text));

    let mut job = CanonicalJob {
        seniority: seniority(&title, &description_text),
        sources: vec![SourceRef { source: raw.source.clone(), source_id: source_id.clone(), url: url.clone() }],
        source: raw.source,
        source_id,
        company,
        title,
        locations: places.locations,
        workplace,
        remote_regions,
        employment_type: raw.employment_type.as_deref().and_then(employment_type).map(str::to_owned),
        salary,
        posted_at: raw.posted_at.as_deref().and_then(parse_date),
        closes_at: raw.closes_at.as_deref().and_then(parse_date),
        description_html,
        description_text,
        apply_url,
        content_hash: String::new(),
        application_questions: raw.application_questions,
    };
    job.content_hash = content_hash(&job);
    Ok(job)
}

/// A board's range with its ends the right way round (some send them swapped).
fn ordered(mut s: Salary) -> Salary {
    if let (Some(lo), Some(hi)) = (s.min, s.max) {
        if lo > hi {
            (s.min, s.max) = (Some(hi), Some(lo));
        }
    }
    s
}

/// An absolute `http`, `https` or `mailto` URL; anything else (relative paths, `javascript:`)
/// could not be opened safely.
fn usable_url(s: &str) -> Option<String> {
    let s = s.trim();
    let u = url::Url::parse(s).ok()?;
    matches!(u.scheme(), "http" | "https" | "mailto").then(|| s.to_owned())
}

/// SHA-256 (hex) of the fields a candidate would care about, each followed by a separator byte
/// that cannot occur in text, so moving characters between fields changes the hash. `sources`
/// is left out: a job seen on one more board has not changed.
pub fn content_hash(job: &CanonicalJob) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update(s.as_bytes());
        h.update([0x1f]);
    };
    field(&job.source);
    field(&job.source_id);
    field(&job.company);
    field(&job.title);
    for l in &job.locations {
        field(&l.label());
    }
    field("\u{1e}");
    field(job.workplace.map_or("", WorkplaceType::as_str));
    field(&job.remote_regions.join("\u{1e}"));
    field(job.employment_type.as_deref().unwrap_or(""));
    field(&job.salary.as_ref().map(salary_label).unwrap_or_default());
    field(&job.posted_at.map(|t| t.to_rfc3339()).unwrap_or_default());
    field(&job.closes_at.map(|t| t.to_rfc3339()).unwrap_or_default());
    field(&job.description_text);
    field(&job.apply_url);
    hex::encode(h.finalize())
}

fn salary_label(s: &Salary) -> String {
    format!("{:?}-{:?} {} {}", s.min, s.max, s.currency, s.period.as_str())
}

#[cfg(test)]
mod tests;
