//! Remote OK (`GET https://remoteok.com/api`): one bare JSON array whose first element is the
//! API's legal notice, followed by about the 100 latest jobs. No pagination. Terms: link back to
//! the Remote OK URL of each job (kept as `url`) and name Remote OK as the source.

use super::ats_json as j;
use super::{api_url, HttpClient, Skipped, SourceBatch, SourceError, SourceKind, Validators};
use crate::raw::RawPosting;
use domain::{Salary, SalaryPeriod};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use url::Url;

const KIND: SourceKind = SourceKind::RemoteOk;

#[derive(Deserialize)]
struct Job {
    id: Option<Value>,
    epoch: Option<i64>,
    date: Option<String>,
    company: Option<String>,
    position: Option<String>,
    #[serde(default)]
    tags: Vec<Value>,
    description: Option<String>,
    location: Option<String>,
    salary_min: Option<Value>,
    salary_max: Option<Value>,
    apply_url: Option<String>,
    url: Option<String>,
}

/// Parses one Remote OK response body. `id` is `all` or a tag; the API is documented to ignore
/// query parameters, so a tag is also applied here to the job's `tags`.
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let items: Vec<Value> = serde_json::from_str(body)
        .map_err(|e| SourceError::malformed(KIND, format_args!("expected a JSON array of jobs: {e}")))?;
    let tag = (!id.eq_ignore_ascii_case("all")).then(|| tag_key(id));
    let mut postings = Vec::new();
    let mut skipped = Vec::new();
    for item in items {
        if is_legal_notice(&item) {
            continue;
        }
        let raw_id = item.get("id").and_then(id_string);
        let job: Job = match serde_json::from_value(item) {
            Ok(job) => job,
            Err(e) => {
                skipped.push(Skipped { source_id: raw_id, reason: format!("unreadable job: {e}") });
                continue;
            }
        };
        if let Some(tag) = &tag {
            let tagged = job.tags.iter().filter_map(Value::as_str).any(|t| tag_key(t) == *tag);
            if !tagged {
                continue;
            }
        }
        match to_raw(job) {
            Ok(raw) => postings.push(raw),
            Err(skip) => skipped.push(skip),
        }
    }
    Ok((postings, skipped))
}

/// Element 0 is `{last_updated, legal}`: metadata, not a job.
fn is_legal_notice(item: &Value) -> bool {
    item.get("legal").is_some() && item.get("position").is_none()
}

/// Tags contain spaces ("content writing") but source ids cannot, so compare loosely.
fn tag_key(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '_'], "-")
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn to_raw(job: Job) -> Result<RawPosting, Skipped> {
    let Some(source_id) = job.id.as_ref().and_then(id_string) else {
        return Err(Skipped { source_id: None, reason: "job has no id".into() });
    };
    let title = clean(job.position.as_deref());
    if title.is_empty() {
        return Err(Skipped { source_id: Some(source_id), reason: "job has no position (title)".into() });
    }
    let location = clean(job.location.as_deref());
    Ok(RawPosting {
        source: KIND.as_str().to_owned(),
        company: clean(job.company.as_deref()),
        title,
        location_texts: if location.is_empty() { Vec::new() } else { vec![location] },
        // Every Remote OK job is remote; `location` narrows where from.
        workplace_hint: Some("remote".into()),
        salary: salary(job.salary_min.as_ref(), job.salary_max.as_ref()),
        posted_at: job.date.filter(|d| !d.trim().is_empty()).or_else(|| job.epoch.map(|e| e.to_string())),
        description_html: job
            .description
            .map(|d| strip_requester_tag(&fix_mojibake(&d)))
            .filter(|d| !d.trim().is_empty()),
        apply_url: job.apply_url.filter(|u| !u.trim().is_empty()),
        url: job.url.filter(|u| !u.trim().is_empty()),
        source_id,
        ..RawPosting::default()
    })
}

fn clean(s: Option<&str>) -> String {
    s.map(|s| fix_mojibake(s.trim()).into_owned()).unwrap_or_default()
}

/// `salary_min`/`salary_max` are yearly USD; 0 means not given.
fn salary(min: Option<&Value>, max: Option<&Value>) -> Option<Salary> {
    let amount = |v: Option<&Value>| {
        let n = match v? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }?;
        (n.is_finite() && n > 0.0).then_some(n)
    };
    let (min, max) = (amount(min), amount(max));
    if min.is_none() && max.is_none() {
        return None;
    }
    Some(Salary { min, max, currency: "USD".into(), period: SalaryPeriod::Year })
}

/// Remote OK text often holds UTF-8 that was decoded as Latin-1 and encoded again
/// (`\u{e2}\u{80}\u{99}` for `’`). Each such sequence that decodes as UTF-8 is repaired; any
/// other character is left as it is, so correct text passes through unchanged.
/// Remote OK ends descriptions with "… and tag RNDU… (#RNDU…)": a tag derived from the
/// requesting IP address. It is not part of the posting and would make every refetch from
/// another address look like a changed posting, so it is removed.
fn strip_requester_tag(s: &str) -> String {
    static TAG: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    match TAG.get_or_init(|| regex::Regex::new(r"\s+and tag [A-Za-z0-9+/=]{8,}|\s*\(#[A-Za-z0-9+/=]{8,}\)").ok()) {
        Some(re) => re.replace_all(s, "").into_owned(),
        None => s.to_owned(),
    }
}

fn fix_mojibake(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c)) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let len = match u32::from(c) {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0 {
            let bytes: Option<Vec<u8>> = chars.get(i..i + len).and_then(|run| {
                run.iter()
                    .enumerate()
                    .map(|(k, &d)| {
                        let b = u8::try_from(u32::from(d)).ok()?;
                        (k == 0 || (0x80..=0xBF).contains(&b)).then_some(b)
                    })
                    .collect()
            });
            if let Some(decoded) = bytes.as_deref().and_then(|b| std::str::from_utf8(b).ok()) {
                out.push_str(decoded);
                i += len;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(out)
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let path = if id.eq_ignore_ascii_case("all") { "/api".to_owned() } else { format!("/api?tag={id}") };
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

    const FIXTURE: &str = include_str!("../../tests/fixtures/remoteok_api.json");

    #[test]
    fn parses_the_fixture_and_skips_the_legal_notice() {
        let (postings, skipped) = parse(FIXTURE, "all").unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 3);
        let ids: Vec<_> = postings.iter().map(|p| p.source_id.as_str()).collect();
        assert_eq!(ids, ["1137314", "1137375", "1136950"]);

        let nope = &postings[0];
        assert_eq!(nope.source, "remoteok");
        assert_eq!(nope.company, "NOPE");
        assert_eq!(nope.title, "Social Comms");
        assert!(nope.location_texts.is_empty());
        assert_eq!(nope.workplace_hint.as_deref(), Some("remote"));
        assert_eq!(
            nope.salary,
            Some(Salary {
                min: Some(90000.0),
                max: Some(150000.0),
                currency: "USD".into(),
                period: SalaryPeriod::Year
            })
        );
        assert_eq!(nope.posted_at.as_deref(), Some("2026-09-08T02:35:30+00:00"));
        assert_eq!(nope.url.as_deref(), Some("https://remoteOK.com/remote-jobs/remote-social-comms-nope-1137314"));
        assert_eq!(nope.apply_url, nope.url);
        let html = nope.description_html.as_deref().unwrap();
        assert!(html.starts_with("<p>Important: <strong>This is a contract/part-time role"));
        assert!(html.contains("one.\u{a0}</p>"), "Â + NBSP is repaired to NBSP");

        let eclinical = &postings[1];
        assert_eq!(eclinical.location_texts, ["Remote"]);
        assert_eq!(eclinical.salary, None, "0/0 means unknown");
        let html = eclinical.description_html.as_deref().unwrap();
        assert!(html.contains("Clinical Data Cloud \u{2013} the foundation"), "{html:.300}");

        let engine = &postings[2];
        assert_eq!(engine.company, "Engine");
        assert_eq!(engine.location_texts, ["Remote - US"]);
        let html = engine.description_html.as_deref().unwrap();
        assert!(html.contains("At Engine, we\u{2019}re transforming"));
        assert!(!html.contains('\u{e2}'));
    }

    #[test]
    fn a_tag_filters_jobs_by_their_tags() {
        let (postings, _) = parse(FIXTURE, "content-writing").unwrap();
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].source_id, "1137314");
        let (postings, _) = parse(FIXTURE, "exec").unwrap();
        assert_eq!(postings.len(), 2);
        let (postings, _) = parse(FIXTURE, "cobol").unwrap();
        assert!(postings.is_empty());
    }

    #[test]
    fn malformed_bodies_are_errors_naming_the_source() {
        for body in ["", "{\"legal\": \"x\"}", "<html>rate limited</html>"] {
            let err = parse(body, "all").unwrap_err();
            assert!(err.to_string().starts_with("remoteok response is malformed"), "{err}");
        }
    }

    #[test]
    fn odd_jobs_are_skipped_with_a_reason() {
        let body = r#"[{"legal":"terms"},{"id":"1","position":""},{"position":"No id"},
            {"id":2,"position":"Numeric id","company":"X","salary_min":"100000","salary_max":0},
            {"id":"3","position":"Bad tags","tags":"not-a-list"}]"#;
        let (postings, skipped) = parse(body, "all").unwrap();
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].source_id, "2");
        assert_eq!(postings[0].salary.as_ref().and_then(|s| s.min), Some(100000.0));
        assert_eq!(postings[0].salary.as_ref().and_then(|s| s.max), None);
        assert_eq!(skipped.len(), 3);
        assert_eq!(skipped[0].source_id.as_deref(), Some("1"));
        assert!(skipped[0].reason.contains("no position"));
        assert!(skipped[1].reason.contains("no id"));
        assert_eq!(skipped[2].source_id.as_deref(), Some("3"));
    }

    #[test]
    fn mojibake_repair_leaves_correct_text_alone() {
        assert_eq!(
            strip_requester_tag(
                "mention the word **AWARD** and tag RNDUuODIuNjQuMjM2 when applying (#RNDUuODIuNjQuMjM2). Bye"
            ),
            "mention the word **AWARD** when applying. Bye"
        );
        assert_eq!(fix_mojibake("caf\u{e9} na\u{ef}ve \u{2019} \u{1f600}"), "caf\u{e9} na\u{ef}ve \u{2019} \u{1f600}");
        assert_eq!(fix_mojibake("we\u{e2}\u{80}\u{99}re \u{c3}\u{a9}t\u{c3}\u{a9}"), "we\u{2019}re \u{e9}t\u{e9}");
        assert_eq!(fix_mojibake("\u{e2}\u{80}"), "\u{e2}\u{80}", "a cut-off sequence stays");
    }
}
