//! Helpers shared by the ATS board adapters (Greenhouse, Lever, Ashby, Workable,
//! SmartRecruiters, Recruitee): reading loosely typed board JSON, per-posting skips, safe URL
//! path segments and the listing/follow-up requests. Declared from `greenhouse.rs` because
//! `sources/mod.rs` is not this adapter set's file.

use crate::canonical::JobLocation;
use crate::raw::{RawPosting, SkipReason};
use crate::sources::{
    FetchError, HttpClient, HttpRequest, HttpResponse, Skipped, SourceBatch, SourceError, SourceKind, Validators,
};
use domain::SalaryPeriod;
use serde_json::Value;
use url::Url;

/// Most pages one listing may take, so a paginator that never ends cannot loop forever.
pub(in crate::sources) const MAX_PAGES: usize = 50;

/// The body as JSON, or an error that says what came back instead (an HTML error page, the
/// plain-text `Not Found` some boards send for an unknown board).
pub(in crate::sources) fn parse_body(kind: SourceKind, body: &str) -> Result<Value, SourceError> {
    serde_json::from_str(body).map_err(|e| {
        let start = body.trim_start();
        let what = if start.is_empty() {
            "an empty body".to_owned()
        } else if start.starts_with('<') {
            "an HTML page".to_owned()
        } else {
            format!("text that is not JSON ({e})")
        };
        SourceError::malformed(kind, format!("expected JSON, got {what}: {:?}", snippet(body)))
    })
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s.chars().take(80).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// JSON that is not the listing shape. Boards answer an unknown board with `{"error": "..."}`,
/// so that message is quoted when there is one.
pub(in crate::sources) fn unexpected(kind: SourceKind, v: &Value, expected: &str) -> SourceError {
    let said = v.get("error").and_then(|e| e.as_str().or_else(|| e.get("message").and_then(Value::as_str)));
    let message = match (said, v) {
        (Some(msg), _) => format!("the board answered with an error: {msg:?} (expected {expected})"),
        (None, Value::Object(map)) => {
            let keys: Vec<&str> = map.keys().take(8).map(String::as_str).collect();
            format!("expected {expected}, got an object with keys {keys:?}")
        }
        (None, Value::Array(_)) => format!("expected {expected}, got an array"),
        (None, other) => format!("expected {expected}, got {}", snippet(&other.to_string())),
    };
    SourceError::malformed(kind, message)
}

/// A trimmed, non-empty string field.
pub(in crate::sources) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A non-blank string field kept as is (HTML, plain-text bodies).
pub(in crate::sources) fn body_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_owned)
}

/// An id the board may send as a string or as an integer.
pub(in crate::sources) fn id(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// A money amount sent as a number or a numeric string ("52000", "52,000.00").
pub(in crate::sources) fn amount(v: Option<&Value>) -> Option<f64> {
    let n = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// Whether a flag is JSON `true`.
pub(in crate::sources) fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

pub(in crate::sources) fn push_unique(list: &mut Vec<String>, item: Option<String>) {
    if let Some(s) = item {
        if !list.contains(&s) {
            list.push(s);
        }
    }
}

/// A location from its parts; `None` when the board gave none of them.
pub(in crate::sources) fn location(
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
) -> Option<JobLocation> {
    (city.is_some() || region.is_some() || country.is_some()).then_some(JobLocation { city, region, country })
}

/// A salary period from a board's interval word ("year", "per-hour-wage", "1 YEAR", "Monthly").
pub(in crate::sources) fn period(word: &str) -> Option<SalaryPeriod> {
    let w = word.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| w.contains(n));
    if has(&["year", "annual"]) {
        Some(SalaryPeriod::Year)
    } else if has(&["month"]) {
        Some(SalaryPeriod::Month)
    } else if has(&["week"]) {
        Some(SalaryPeriod::Week)
    } else if has(&["hour"]) {
        Some(SalaryPeriod::Hour)
    } else if has(&["day", "daily"]) {
        Some(SalaryPeriod::Day)
    } else {
        None
    }
}

pub(in crate::sources) fn skipped(source_id: Option<String>, reason: SkipReason) -> Skipped {
    Skipped { source_id, reason: reason.to_string() }
}

/// The id and title every posting needs, or why the posting is skipped.
pub(in crate::sources) fn id_and_title(
    item: &Value,
    id_key: &str,
    title_key: &str,
) -> Result<(String, String), Skipped> {
    if !item.is_object() {
        return Err(skipped(None, SkipReason::Malformed("not a JSON object".into())));
    }
    let source_id = id(item, id_key).ok_or_else(|| skipped(None, SkipReason::MissingId))?;
    let title = text(item, title_key).ok_or_else(|| skipped(Some(source_id.clone()), SkipReason::MissingTitle))?;
    Ok((source_id, title))
}

/// Maps every item, keeping the ones that map and the reasons for the others.
pub(in crate::sources) fn map_items<'a>(
    items: impl IntoIterator<Item = &'a Value>,
    mut map: impl FnMut(&Value) -> Result<RawPosting, Skipped>,
) -> (Vec<RawPosting>, Vec<Skipped>) {
    let mut postings = Vec::new();
    let mut skips = Vec::new();
    for item in items {
        match map(item) {
            Ok(p) => postings.push(p),
            Err(s) => skips.push(s),
        }
    }
    (postings, skips)
}

/// `s` if it can be one URL path segment as is: ids come from config and from board data, and
/// neither may steer a request to another path (`..`, `/`, `?`).
pub(in crate::sources) fn segment(s: &str) -> Option<&str> {
    let ok = !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then_some(s)
}

/// The configured board id as a path segment, or a spec error.
pub(in crate::sources) fn spec_segment(kind: SourceKind, id: &str) -> Result<&str, SourceError> {
    segment(id).ok_or_else(|| SourceError::BadSpec(format!("{kind}: {id:?} is not a valid board id")))
}

pub(in crate::sources) fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The listing request, conditional on `validators`; `None` when the board answers 304.
pub(in crate::sources) async fn get_listing(
    client: &dyn HttpClient,
    url: Url,
    validators: &Validators,
) -> Result<Option<(String, Validators)>, SourceError> {
    let req = HttpRequest { url, validators: validators.clone(), is_page: false };
    match client.get(&req).await? {
        HttpResponse::Ok { body, validators } => Ok(Some((body, validators))),
        HttpResponse::NotModified => Ok(None),
    }
}

/// A follow-up request (a later page, a detail call): unconditional, so a 304 means no body.
pub(in crate::sources) async fn get(client: &dyn HttpClient, url: Url) -> Result<Option<String>, FetchError> {
    match client.get(&HttpRequest::api(url)).await? {
        HttpResponse::Ok { body, .. } => Ok(Some(body)),
        HttpResponse::NotModified => Ok(None),
    }
}

/// A 304: nothing changed; the validators stay for the next request.
pub(in crate::sources) fn not_modified(validators: &Validators) -> SourceBatch {
    SourceBatch { validators: validators.clone(), not_modified: true, ..SourceBatch::default() }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_loose_fields() {
        let v: Value = serde_json::json!({"a": " x ", "n": 12, "s": "52,000", "b": true, "e": ""});
        assert_eq!(text(&v, "a").as_deref(), Some("x"));
        assert_eq!(text(&v, "e"), None);
        assert_eq!(id(&v, "n").as_deref(), Some("12"));
        assert_eq!(amount(v.get("s")), Some(52000.0));
        assert!(flag(&v, "b") && !flag(&v, "a"));
    }

    #[test]
    fn says_what_came_back() {
        let e = parse_body(SourceKind::Ashby, "Not Found").unwrap_err().to_string();
        assert!(e.starts_with("ashby response is malformed") && e.contains("Not Found"), "{e}");
        let e = parse_body(SourceKind::Lever, "<html>oops</html>").unwrap_err().to_string();
        assert!(e.contains("HTML page"), "{e}");
    }

    #[test]
    fn segments_stay_in_their_path() {
        assert_eq!(segment("5311686008"), Some("5311686008"));
        for bad in ["", ".", "..", "a/b", "a?b", "a b", "a%2F"] {
            assert_eq!(segment(bad), None, "{bad}");
        }
        assert_eq!(period("per-hour-wage"), Some(SalaryPeriod::Hour));
        assert_eq!(period("1 YEAR"), Some(SalaryPeriod::Year));
        assert_eq!(period("one-time"), None);
    }
}
