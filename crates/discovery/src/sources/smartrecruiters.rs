//! SmartRecruiters Posting API adapter: `/v1/companies/{company}/postings` paged with
//! `offset`/`limit` up to `totalFound`, then a detail call per posting for its job ad (the
//! listing has no description and no URLs).

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use domain::Salary;
use serde_json::Value;
use std::collections::HashSet;
use url::Url;

const KIND: SourceKind = SourceKind::SmartRecruiters;

/// The API's largest page.
const PAGE_SIZE: usize = 100;

/// Job-ad sections in the order the hosted page shows them.
const SECTIONS: [&str; 4] = ["companyDescription", "jobDescription", "qualifications", "additionalInformation"];

/// One listing page: its postings, skips, how many items it held and the board's `totalFound`.
struct Page {
    postings: Vec<RawPosting>,
    skipped: Vec<Skipped>,
    items: usize,
    total: Option<usize>,
}

/// Parses a listing page (`{offset, limit, totalFound, content: [...]}`) or one posting's
/// detail answer.
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    parse_page(body, id).map(|p| (p.postings, p.skipped))
}

fn parse_page(body: &str, id: &str) -> Result<Page, SourceError> {
    let v = j::parse_body(KIND, body)?;
    if let Some(items) = v.get("content").and_then(Value::as_array) {
        let (postings, skipped) = j::map_items(items, |item| posting(item, id));
        let total = v.get("totalFound").and_then(Value::as_u64).and_then(|t| usize::try_from(t).ok());
        return Ok(Page { postings, skipped, items: items.len(), total });
    }
    if v.get("id").is_some() && (v.get("jobAd").is_some() || v.get("name").is_some()) {
        let (postings, skipped) = j::map_items([&v], |item| posting(item, id));
        return Ok(Page { postings, skipped, items: 1, total: Some(1) });
    }
    Err(j::unexpected(KIND, &v, "an object with a `content` array"))
}

fn posting(item: &Value, company_id: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(item, "id", "name")?;
    let company = item.get("company").cloned().unwrap_or(Value::Null);
    let identifier = j::text(&company, "identifier").unwrap_or_else(|| company_id.to_owned());
    let loc = item.get("location").cloned().unwrap_or(Value::Null);
    let employment = item.get("typeOfEmployment").cloned().unwrap_or(Value::Null);
    let (salary, salary_text) = salary(item);
    let workplace_hint = if j::flag(&loc, "hybrid") {
        Some("hybrid")
    } else if j::flag(&loc, "remote") {
        Some("remote")
    } else {
        None
    };
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        company: j::text(&company, "name").unwrap_or_else(|| identifier.clone()),
        title,
        location_texts: j::text(&loc, "fullLocation").into_iter().collect(),
        locations: j::location(j::text(&loc, "city"), j::text(&loc, "region"), j::text(&loc, "country"))
            .into_iter()
            .collect(),
        workplace_hint: workplace_hint.map(str::to_owned),
        employment_type: j::text(&employment, "label").or_else(|| j::text(&employment, "id")),
        salary,
        salary_text,
        posted_at: j::text(item, "releasedDate"),
        description_html: job_ad(item),
        apply_url: j::text(item, "applyUrl"),
        // The listing has no page URL; the public job page answers at /{company}/{id}.
        url: j::text(item, "postingUrl")
            .or_else(|| j::segment(&source_id).map(|id| format!("https://jobs.smartrecruiters.com/{identifier}/{id}"))),
        source_id,
        ..RawPosting::default()
    })
}

fn job_ad(item: &Value) -> Option<String> {
    let sections = item.get("jobAd")?.get("sections")?;
    let parts: Vec<String> = SECTIONS
        .iter()
        .filter_map(|key| {
            let s = sections.get(*key)?;
            let body = j::body_text(s, "text")?;
            Some(match j::text(s, "title") {
                Some(t) => format!("<h3>{}</h3>\n{body}", j::escape_html(&t)),
                None => body,
            })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Salary lives only in company-defined custom fields ("Maximum Annual Salary" = "75000 GBP").
fn salary(item: &Value) -> (Option<Salary>, Option<String>) {
    let fields = item.get("customField").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut salary: Option<Salary> = None;
    let mut texts = Vec::new();
    for f in fields {
        let (Some(label), Some(value)) = (j::text(f, "fieldLabel"), j::text(f, "valueLabel")) else { continue };
        let lower = label.to_ascii_lowercase();
        if !lower.contains("salary") {
            continue;
        }
        let parsed = money(&value).zip(j::period(&lower));
        let fits = |s: &Salary, cur: &str, per| s.currency == cur && s.period == per;
        match parsed {
            Some(((amount, currency), period)) if salary.as_ref().is_none_or(|s| fits(s, &currency, period)) => {
                let s = salary.get_or_insert(Salary { min: None, max: None, currency, period });
                if lower.contains("min") {
                    s.min = Some(amount);
                } else if lower.contains("max") {
                    s.max = Some(amount);
                } else {
                    (s.min, s.max) = (Some(amount), Some(amount));
                }
            }
            _ => texts.push(format!("{label}: {value}")),
        }
    }
    let text = (salary.is_none() && !texts.is_empty()).then(|| texts.join("; "));
    (salary, text)
}

/// "75000 GBP" or "GBP 75,000" → (75000, "GBP").
fn money(value: &str) -> Option<(f64, String)> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let [a, b] = words.as_slice() else { return None };
    let is_code = |w: &str| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic());
    let (num, code) = if is_code(b) {
        (a, b)
    } else if is_code(a) {
        (b, a)
    } else {
        return None;
    };
    let n = j::amount(Some(&Value::String((*num).to_owned())))?;
    Some((n, code.to_ascii_uppercase()))
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let company = j::spec_segment(KIND, id)?;
    let page_url = |offset: usize| {
        api_url(KIND, base, &format!("/v1/companies/{company}/postings?limit={PAGE_SIZE}&offset={offset}"))
    };
    let Some((body, validators)) = j::get_listing(client, page_url(0)?, validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let mut batch = SourceBatch { validators, ..SourceBatch::default() };
    let mut seen = HashSet::new();
    let (mut body, mut offset) = (Some(body), 0);
    for page in 1..=j::MAX_PAGES {
        let Some(text) = body.take() else { break };
        let p = parse_page(&text, id)?;
        let before = batch.postings.len();
        batch.postings.extend(p.postings.into_iter().filter(|p| seen.insert(p.source_id.clone())));
        batch.skipped.extend(p.skipped);
        offset += p.items;
        let done = p.total.map_or(p.items < PAGE_SIZE, |t| offset >= t);
        // Nothing new means the board ignored `offset`; asking again would repeat it.
        if done || p.items == 0 || batch.postings.len() == before || page == j::MAX_PAGES {
            break;
        }
        body = j::get(client, page_url(offset)?).await?;
    }
    for posting in batch.postings.iter_mut().filter(|p| p.description_html.is_none()) {
        let Some(posting_id) = j::segment(&posting.source_id) else { continue };
        let url = api_url(KIND, base, &format!("/v1/companies/{company}/postings/{posting_id}"))?;
        // A failed detail call leaves the listing's fields; the posting stays.
        let Ok(Some(body)) = j::get(client, url).await else { continue };
        let Ok((mut details, _)) = parse(&body, id) else { continue };
        let Some(detail) = details.pop().filter(|d| d.source_id == posting.source_id) else { continue };
        posting.description_html = detail.description_html;
        posting.url = detail.url.or(posting.url.take());
        posting.apply_url = detail.apply_url.or(posting.apply_url.take());
        if posting.salary.is_none() && posting.salary_text.is_none() {
            (posting.salary, posting.salary_text) = (detail.salary, detail.salary_text);
        }
    }
    Ok(batch)
}

#[cfg(test)]
#[path = "smartrecruiters_tests.rs"]
mod tests;
