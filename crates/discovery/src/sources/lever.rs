//! Lever Postings API adapter: `/v0/postings/{site}?mode=json`, a bare JSON array paged with
//! `skip`/`limit`.

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use domain::Salary;
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

const KIND: SourceKind = SourceKind::Lever;

/// Postings asked for per page.
const PAGE_SIZE: usize = 100;

/// Parses one page of postings (a bare array).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let v = j::parse_body(KIND, body)?;
    match v.as_array() {
        Some(items) => Ok(j::map_items(items, |item| posting(item, id))),
        None => Err(j::unexpected(KIND, &v, "a JSON array of postings")),
    }
}

fn posting(item: &Value, site: &str) -> Result<RawPosting, Skipped> {
    let (source_id, title) = j::id_and_title(item, "id", "text")?;
    let categories = item.get("categories").cloned().unwrap_or(Value::Null);
    let mut location_texts = Vec::new();
    j::push_unique(&mut location_texts, j::text(&categories, "location"));
    for loc in categories.get("allLocations").and_then(Value::as_array).into_iter().flatten() {
        j::push_unique(&mut location_texts, loc.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
    }
    let salary = item.get("salaryRange").and_then(salary);
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        source_id,
        // The postings carry no company name; the site is the closest thing.
        company: site.to_owned(),
        title,
        location_texts,
        locations: j::location(None, None, j::text(item, "country")).into_iter().collect(),
        workplace_hint: j::text(item, "workplaceType").filter(|w| !w.eq_ignore_ascii_case("unspecified")),
        employment_type: j::text(&categories, "commitment"),
        salary_text: if salary.is_some() { None } else { j::text(item, "salaryDescriptionPlain") },
        salary,
        // Epoch milliseconds, passed as their decimal string.
        posted_at: j::id(item, "createdAt"),
        description_html: description_html(item),
        description_text: description_text(item),
        apply_url: j::text(item, "applyUrl"),
        url: j::text(item, "hostedUrl"),
        ..RawPosting::default()
    })
}

fn salary(range: &Value) -> Option<Salary> {
    let min = j::amount(range.get("min"));
    let max = j::amount(range.get("max"));
    let currency = j::text(range, "currency")?;
    let period = j::period(&j::text(range, "interval")?)?;
    (min.is_some() || max.is_some()).then_some(Salary { min, max, currency, period })
}

/// `lists` as (heading, `<li>` HTML) pairs.
fn lists(item: &Value) -> Vec<(String, String)> {
    let lists = item.get("lists").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    lists.iter().filter_map(|l| Some((j::text(l, "text").unwrap_or_default(), j::body_text(l, "content")?))).collect()
}

/// The hosted page's order: description (opening + body), the lists, then `additional`.
fn description_html(item: &Value) -> Option<String> {
    let mut parts: Vec<String> = j::body_text(item, "description").into_iter().collect();
    for (heading, items) in lists(item) {
        if !heading.is_empty() {
            parts.push(format!("<h3>{}</h3>", j::escape_html(&heading)));
        }
        parts.push(format!("<ul>{items}</ul>"));
    }
    parts.extend(j::body_text(item, "additional"));
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// The plain versions Lever sends, with the lists (which only come as HTML) in between.
fn description_text(item: &Value) -> Option<String> {
    let mut parts: Vec<String> = j::body_text(item, "descriptionPlain").into_iter().collect();
    for (heading, items) in lists(item) {
        let bullets: Vec<String> = list_items(&items).into_iter().map(|i| format!("- {i}")).collect();
        let block = [heading].into_iter().chain(bullets).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n");
        if !block.is_empty() {
            parts.push(block);
        }
    }
    parts.extend(j::body_text(item, "additionalPlain"));
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

static LI_END: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)</li\s*>").ok());
static TAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<[^>]*>").ok());

/// The text of each `<li>` of a list's HTML.
fn list_items(html: &str) -> Vec<String> {
    let chunks: Vec<&str> = match LI_END.as_ref() {
        Some(re) => re.split(html).collect(),
        None => vec![html],
    };
    chunks.into_iter().map(plain).filter(|s| !s.is_empty()).collect()
}

fn plain(html: &str) -> String {
    let stripped = match TAG.as_ref() {
        Some(re) => re.replace_all(html, " ").into_owned(),
        None => html.to_owned(),
    };
    let decoded = decode_entities(&stripped);
    decoded
        .split(|c: char| c.is_whitespace() || c == '\u{200b}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entities Lever's list HTML uses; anything else stays as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').filter(|&end| end <= 10).and_then(|end| Some((entity(&tail[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "ndash" => '–',
        "mdash" => '—',
        "middot" => '·',
        "hellip" => '…',
        _ => return None,
    })
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let site = j::spec_segment(KIND, id)?;
    let page_url =
        |skip: usize| api_url(KIND, base, &format!("/v0/postings/{site}?mode=json&skip={skip}&limit={PAGE_SIZE}"));
    let Some((body, validators)) = j::get_listing(client, page_url(0)?, validators).await? else {
        return Ok(j::not_modified(validators));
    };
    let mut batch = SourceBatch { validators, ..SourceBatch::default() };
    let mut seen = HashSet::new();
    let mut body = Some(body);
    for page in 1..=j::MAX_PAGES {
        let Some(text) = body.take() else { break };
        let (postings, skipped) = parse(&text, id)?;
        let returned = postings.len() + skipped.len();
        let before = batch.postings.len();
        // A board that ignores `skip` would send page one forever: stop when nothing is new.
        batch.postings.extend(postings.into_iter().filter(|p| seen.insert(p.source_id.clone())));
        batch.skipped.extend(skipped);
        if returned < PAGE_SIZE || batch.postings.len() == before || page == j::MAX_PAGES {
            break;
        }
        body = j::get(client, page_url(page * PAGE_SIZE)?).await?;
    }
    Ok(batch)
}

#[cfg(test)]
#[path = "lever_tests.rs"]
mod tests;
