//! Any careers page that embeds schema.org `JobPosting` JSON-LD (what Google for Jobs reads).
//! The id is the page URL, fetched as a page (robots.txt applies). Every
//! `<script type="application/ld+json">` block is found with html5ever's tokenizer, so script
//! text is split exactly where a browser splits it, and each block is read on its own.

#[path = "jsonld_map.rs"]
mod jsonld_map;

use super::{rebase, HttpClient, HttpRequest, HttpResponse, Skipped, SourceBatch, SourceError, Validators};
use crate::raw::RawPosting;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashSet;
use url::Url;

/// Deep enough for `ItemList → ListItem → JobPosting` wrappers; stops hostile nesting.
const MAX_DEPTH: usize = 12;

/// Collects the text of JSON-LD script elements. A bare tokenizer has no tree builder to switch
/// it into script or raw-text mode, so the sink does that (else `"<p>"` inside a JSON string
/// would be read as a tag).
#[derive(Default)]
struct LdSink {
    blocks: RefCell<Vec<String>>,
    current: RefCell<Option<String>>,
}

impl TokenSink for LdSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => match &*tag.name {
                "script" => {
                    let is_ld = tag.attrs.iter().any(|a| {
                        &*a.name.local == "type"
                            && a.value
                                .split(';')
                                .next()
                                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                    });
                    *self.current.borrow_mut() = is_ld.then(String::new);
                    return TokenSinkResult::RawData(RawKind::ScriptData);
                }
                "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                    return TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => return TokenSinkResult::Plaintext,
                _ => {}
            },
            Token::TagToken(tag) if &*tag.name == "script" => self.finish(),
            Token::CharacterTokens(t) => {
                if let Some(cur) = self.current.borrow_mut().as_mut() {
                    cur.push_str(&t);
                }
            }
            Token::NullCharacterToken => {
                if let Some(cur) = self.current.borrow_mut().as_mut() {
                    cur.push('\u{fffd}');
                }
            }
            // A page cut off inside a block still yields what it holds.
            Token::EOFToken => self.finish(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl LdSink {
    fn finish(&self) {
        if let Some(block) = self.current.borrow_mut().take() {
            self.blocks.borrow_mut().push(block);
        }
    }
}

/// The text of every JSON-LD script block of an HTML page, in document order.
fn ld_blocks(html: &str) -> Vec<String> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(LdSink::default(), TokenizerOpts::default());
    // The sink never asks to pause for a script, so one pass consumes everything.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.blocks.take()
}

/// Removes the wrappers sites put around JSON in a script (`<!-- -->`, `//<![CDATA[ //]]>`).
fn unwrap_block(block: &str) -> &str {
    let mut s = block.trim();
    for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")] {
        if let Some(inner) = s.strip_prefix(open) {
            s = inner.trim();
            s = s.strip_suffix(close).unwrap_or(s).trim();
        }
    }
    s.strip_suffix(';').unwrap_or(s).trim()
}

/// Sites often leave raw line breaks and tabs inside JSON strings, which JSON forbids; this
/// escapes control characters that sit inside strings and leaves everything else as is.
fn escape_controls_in_strings(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in s.chars() {
        if in_string && !escaped && u32::from(c) < 0x20 {
            out.push_str(match c {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => " ",
            });
            continue;
        }
        out.push(c);
        if escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
    }
    out
}

fn read_block(block: &str) -> Result<Value, serde_json::Error> {
    let json = unwrap_block(block);
    serde_json::from_str(json)
        .or_else(|first| serde_json::from_str(&escape_controls_in_strings(json)).map_err(|_| first))
}

fn is_job_posting(o: &Map<String, Value>) -> bool {
    let is = |t: &Value| {
        t.as_str()
            .is_some_and(|t| t.rsplit(['/', ':', '#']).next().is_some_and(|n| n.eq_ignore_ascii_case("JobPosting")))
    };
    match o.get("@type") {
        Some(Value::Array(types)) => types.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// Finds JobPosting objects at any depth: a bare object, an array, an `@graph`, or nested in
/// another thing (`mainEntity`, `itemListElement`).
fn collect<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Map<String, Value>>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|x| collect(x, depth + 1, out)),
        Value::Object(o) if is_job_posting(o) => out.push(o),
        Value::Object(o) => o.values().for_each(|x| collect(x, depth + 1, out)),
        _ => {}
    }
}

/// Parses one HTML page. `id` is the page URL (a posting's link when it gives none).
pub fn parse(body: &str, id: &str) -> Result<(Vec<RawPosting>, Vec<Skipped>), SourceError> {
    let mut postings: Vec<RawPosting> = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = HashSet::new();
    for (n, block) in ld_blocks(body).iter().enumerate() {
        let value = match read_block(block) {
            Ok(v) => v,
            Err(e) => {
                let reason = format!("JSON-LD block {} is not valid JSON: {e}", n + 1);
                skipped.push(Skipped { source_id: None, reason });
                continue;
            }
        };
        let mut found = Vec::new();
        collect(&value, 0, &mut found);
        for o in found {
            let raw = jsonld_map::to_raw(o, id);
            if raw.title.is_empty() {
                skipped.push(Skipped { source_id: Some(raw.source_id), reason: "JobPosting has no title".into() });
            } else if !seen.insert(raw.source_id.clone()) {
                // Pages often repeat the same block (head and body, or two SEO plugins).
                let reason = "JobPosting repeats an earlier one with the same id".into();
                skipped.push(Skipped { source_id: Some(raw.source_id), reason });
            } else {
                postings.push(raw);
            }
        }
    }
    if postings.is_empty() {
        skipped.push(Skipped { source_id: None, reason: "no JobPosting JSON-LD found".into() });
    }
    Ok((postings, skipped))
}

pub(crate) async fn fetch(
    client: &dyn HttpClient,
    id: &str,
    base: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let page = Url::parse(id).map_err(|e| SourceError::BadSpec(format!("jsonld: {id:?} is not a URL ({e})")))?;
    let req = HttpRequest { url: rebase(&page, base), validators: validators.clone(), is_page: true };
    match client.get(&req).await? {
        HttpResponse::NotModified => {
            Ok(SourceBatch { validators: validators.clone(), not_modified: true, ..SourceBatch::default() })
        }
        HttpResponse::Ok { body, validators } => {
            let (mut postings, skipped) = parse(&body, id)?;
            // A site's own identifiers ("1234567") are only unique on that site: scope them by
            // host so two careers pages cannot collide.
            let host = page.host_str().unwrap_or_default();
            for p in postings.iter_mut().filter(|p| !p.source_id.contains("://")) {
                p.source_id = format!("{host}#{}", p.source_id);
            }
            Ok(SourceBatch { postings, skipped, validators, not_modified: false })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::canonical::JobLocation;
    use domain::{Salary, SalaryPeriod};
    use serde_json::json;

    const PAGE: &str = "https://careers.google.example/jobs/1234567";
    const STANDARD: &str = include_str!("../../tests/fixtures/jsonld_google_docs_standard_jobposting.html");
    const REMOTE: &str = include_str!("../../tests/fixtures/jsonld_google_docs_remote_jobposting.html");
    const SNIPPETS: &str = include_str!("../../tests/fixtures/jsonld_google_docs_snippets.json");

    fn page(blocks: &[&str]) -> String {
        let scripts: String =
            blocks.iter().map(|b| format!("<script type=\"application/ld+json\">{b}</script>\n")).collect();
        format!("<!doctype html><html><head><title>Jobs</title>{scripts}</head><body><p>Hi</p></body></html>")
    }

    #[test]
    fn parses_the_standard_example() {
        let (postings, skipped) = parse(STANDARD, PAGE).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 1);
        let p = &postings[0];
        assert_eq!(p.source, "jsonld");
        assert_eq!(p.source_id, "1234567");
        assert_eq!(p.title, "Software Engineer");
        assert_eq!(p.company, "Google");
        assert_eq!(p.posted_at.as_deref(), Some("2024-01-18"));
        assert_eq!(p.closes_at.as_deref(), Some("2024-03-18T00:00"));
        assert_eq!(p.employment_type.as_deref(), Some("CONTRACTOR"));
        let mv =
            JobLocation { city: Some("Mountain View".into()), region: Some("CA".into()), country: Some("US".into()) };
        assert_eq!(p.locations, [mv]);
        assert_eq!(p.workplace_hint, None);
        assert!(p.remote_regions.is_empty());
        let hourly = Salary { min: Some(40.0), max: Some(40.0), currency: "USD".into(), period: SalaryPeriod::Hour };
        assert_eq!(p.salary, Some(hourly));
        assert!(p.description_html.as_deref().unwrap().starts_with("<p>Google aspires to be an organization"));
        assert_eq!(p.url.as_deref(), Some(PAGE), "no url: the page is the posting");
        assert_eq!(p.apply_url.as_deref(), Some(PAGE));
    }

    #[test]
    fn parses_the_remote_example() {
        let (postings, skipped) = parse(REMOTE, PAGE).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(postings.len(), 1);
        let p = &postings[0];
        assert_eq!(p.workplace_hint.as_deref(), Some("TELECOMMUTE"));
        assert_eq!(p.remote_regions, ["USA"]);
        assert!(p.locations.is_empty());
        assert_eq!(p.employment_type.as_deref(), Some("FULL_TIME"));
        assert_eq!(p.salary.as_ref().map(|s| s.period), Some(SalaryPeriod::Hour));
    }

    /// Each of Google's property snippets, merged into a minimal posting.
    #[test]
    fn reads_the_property_snippets() {
        let snippets: Value = serde_json::from_str(SNIPPETS).unwrap();
        let posting = |scenario: &str| {
            let mut o = json!({"@context": "https://schema.org/", "@type": "JobPosting", "title": "Engineer",
                "hiringOrganization": {"@type": "Organization", "name": "MagsRUs"}, "url": "https://mags.example/j/1"});
            for (k, v) in snippets[scenario].as_object().unwrap() {
                o[k] = v.clone();
            }
            let (mut postings, skipped) = parse(&page(&[&o.to_string()]), "https://mags.example/careers").unwrap();
            assert!(skipped.is_empty(), "{scenario}: {skipped:?}");
            assert_eq!(postings.len(), 1, "{scenario}");
            postings.remove(0)
        };
        let p = posting("office_or_home_in_listed_states");
        assert_eq!(p.workplace_hint.as_deref(), Some("TELECOMMUTE"));
        assert_eq!(p.remote_regions, ["Michigan, USA", "Texas, USA"]);
        assert_eq!(p.locations[0].city.as_deref(), Some("Detroit"));
        assert_eq!(posting("office_in_us_or_remote_in_canada").remote_regions, ["Canada"]);
        let range = posting("baseSalary_range").salary.unwrap();
        assert_eq!((range.min, range.max, range.currency.as_str()), (Some(40.0), Some(50.0), "USD"));
        assert_eq!(posting("employmentType_multiple").employment_type.as_deref(), Some("FULL_TIME"));
        assert_eq!(posting("hiringOrganization_confidential").company, "confidential");
        assert_eq!(posting("identifier").source_id, "1234567");
        assert_eq!(posting("datePosted").posted_at.as_deref(), Some("2016-02-18"));
        assert_eq!(posting("validThrough").closes_at.as_deref(), Some("2017-03-18T00:00"));
        assert_eq!(posting("office_tucson_or_remote_us").locations[0].region.as_deref(), Some("AZ"));
        assert_eq!(posting("education_experience_beta").title, "Engineer");
    }

    #[test]
    fn html_without_json_ld_is_an_empty_batch_with_a_reason() {
        for html in [
            "<html><body><h1>Careers</h1></body></html>",
            "",
            "not html at all",
            r#"<script type="application/ld+json">{"@type": "Organization", "name": "Acme"}</script>"#,
            r#"<script type="text/javascript">var x = {"@type": "JobPosting", "title": "Fake"};</script>"#,
        ] {
            let (postings, skipped) = parse(html, PAGE).unwrap();
            assert!(postings.is_empty(), "{html}");
            assert_eq!(skipped, [Skipped { source_id: None, reason: "no JobPosting JSON-LD found".into() }], "{html}");
        }
    }

    #[test]
    fn reads_arrays_graphs_type_arrays_and_wrappers() {
        let array = r#"[{"@type": "JobPosting", "title": "A", "identifier": "a"}, {"@type": "Organization"}]"#;
        let graph = r#"{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},
            {"@type": ["JobPosting", "Thing"], "title": "B", "url": "https://x.example/b"}]}"#;
        let cdata = "//<![CDATA[\n{\"@type\": \"http://schema.org/JobPosting\", \"title\": \"C\", \"identifier\": \"c\"}\n//]]>";
        let raw_newline =
            "{\"@type\": \"JobPosting\", \"title\": \"D\", \"identifier\": \"d\", \"description\": \"line1\nline2\"}";
        let nested = r#"{"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": {"@type": "JobPosting", "title": "E", "identifier": "e"}}]}"#;
        let html = page(&[array, graph, cdata, raw_newline, nested, array]);
        let html = html.replace(
            "<script type=\"application/ld+json\">//",
            "<SCRIPT Type=\"Application/LD+JSON; charset=utf-8\">//",
        );
        let (postings, skipped) = parse(&html, PAGE).unwrap();
        let titles: Vec<_> = postings.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["A", "B", "C", "D", "E"]);
        assert_eq!(postings[1].source_id, "https://x.example/b");
        assert_eq!(postings[3].description_html.as_deref(), Some("line1\nline2"));
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].reason.contains("repeats"));
    }

    #[test]
    fn a_hostile_or_huge_block_is_contained() {
        // A raw `</script>` ends the element where a browser ends it: that block is cut and
        // unreadable, while the others are still read.
        let hostile =
            r#"{"@type": "JobPosting", "title": "Cut", "description": "<p>x</script><script>alert(1)</script>"}"#;
        let escaped =
            r#"{"@type": "JobPosting", "title": "Escaped", "identifier": "e", "description": "<p>ok<\/script></p>"}"#;
        let huge_text = "<b>big</b> ".repeat(200_000);
        let huge =
            json!({"@type": "JobPosting", "title": "Huge", "identifier": "h", "description": huge_text}).to_string();
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let html = format!("<title><script type=\"application/ld+json\">{{\"@type\":\"JobPosting\",\"title\":\"in title\"}}</script></title>{}", page(&[hostile, escaped, &huge, &deep]));
        let (postings, skipped) = parse(&html, PAGE).unwrap();
        let titles: Vec<_> = postings.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Escaped", "Huge"]);
        assert_eq!(postings[0].description_html.as_deref(), Some("<p>ok</script></p>"));
        assert_eq!(postings[1].description_html.as_ref().map(String::len), Some(huge_text.len()));
        let reasons: Vec<_> = skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("JSON-LD block 1 is not valid JSON"), "{reasons:?}");
        assert!(reasons[1].starts_with("JSON-LD block 4 is not valid JSON"), "{reasons:?}");
    }
}
