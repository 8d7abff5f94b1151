//! Tests of the Lever adapter's `parse` against recorded board answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::canonical::JobLocation;
use domain::SalaryPeriod;

const POSTINGS: &str = include_str!("../../tests/fixtures/lever_postings.json");
const SALARY: &str = include_str!("../../tests/fixtures/lever_postings_salaryrange.json");

#[test]
fn maps_postings() {
    let (postings, skipped) = parse(POSTINGS, "spotify").unwrap();
    assert_eq!((postings.len(), skipped.len()), (4, 0));
    let p = &postings[0];
    assert_eq!(p.source, "lever");
    assert_eq!(p.source_id, "b4ad9572-e20f-4185-a284-99d9740d04f0");
    assert_eq!(p.company, "spotify");
    assert_eq!(p.title, "Android Engineer I - Subscriptions");
    assert_eq!(p.location_texts, ["London", "Stockholm"]);
    assert_eq!(p.locations, [JobLocation { country: Some("GB".into()), ..JobLocation::default() }]);
    assert_eq!(p.workplace_hint.as_deref(), Some("remote"));
    assert_eq!(p.employment_type.as_deref(), Some("Permanent"));
    assert_eq!(p.posted_at.as_deref(), Some("1782821535482"));
    assert_eq!((p.salary.as_ref(), p.salary_text.as_ref()), (None, None));
    assert_eq!(p.url.as_deref(), Some("https://jobs.lever.co/spotify/b4ad9572-e20f-4185-a284-99d9740d04f0"));
    assert_eq!(
        p.apply_url.as_deref(),
        Some("https://jobs.lever.co/spotify/b4ad9572-e20f-4185-a284-99d9740d04f0/apply")
    );

    let html = p.description_html.as_deref().unwrap();
    assert!(html.starts_with("<p>The Subscriptions R&amp;D team"));
    assert!(html.contains("<h3>What You'll Do</h3>\n<ul><div>\n\n<li>\n<p>Design, build"));
    assert!(html.contains("Spotify is an equal opportunity employer"));
    let text = p.description_text.as_deref().unwrap();
    assert!(text.starts_with("The Subscriptions R&D team oversees"));
    assert!(text.contains(
        "What You'll Do\n- Design, build, and evolve mobile experiences across some of Spotify’s most visible consumer surfaces.\n- Contribute"
    ));
    assert!(text.contains("Where You'll Be\n- We offer you the flexibility"));
    assert!(text.contains("Spotify is an equal opportunity employer."));
    assert!(!text.contains('<'), "no tags in the plain text");

    assert_eq!(postings[1].workplace_hint.as_deref(), Some("onsite"));
    assert_eq!(postings[1].location_texts, ["New York, NY"]);
    assert_eq!(postings[3].location_texts, ["Stockholm", "London"]);
}

#[test]
fn maps_a_salary_range() {
    let (postings, _) = parse(SALARY, "matchgroup").unwrap();
    assert_eq!(postings.len(), 2);
    let s = postings[0].salary.as_ref().unwrap();
    assert_eq!(
        (s.min, s.max, s.currency.as_str(), s.period),
        (Some(150000.0), Some(180000.0), "USD", SalaryPeriod::Year)
    );
    assert_eq!(postings[0].salary_text, None);
    assert_eq!(postings[0].employment_type.as_deref(), Some("Full-time"));
    assert_eq!(postings[1].salary, None);
    assert_eq!(postings[1].locations[0].country.as_deref(), Some("KR"));
}

#[test]
fn salary_description_is_the_fallback() {
    let body = r#"[{"id":"x","text":"T","salaryDescriptionPlain":"$50/hour","salaryRange":{"currency":"USD","interval":"one-time","min":1,"max":2}}]"#;
    let (postings, _) = parse(body, "s").unwrap();
    assert_eq!(postings[0].salary, None, "an interval with no period is not a structured salary");
    assert_eq!(postings[0].salary_text.as_deref(), Some("$50/hour"));
    let body =
        r#"[{"id":"y","text":"T","salaryRange":{"currency":"EUR","interval":"per-hour-wage","min":20,"max":null}}]"#;
    let s = parse(body, "s").unwrap().0[0].salary.clone().unwrap();
    assert_eq!((s.min, s.max, s.period), (Some(20.0), None, SalaryPeriod::Hour));
}

#[test]
fn unknown_sites_and_garbage_are_errors() {
    let e = parse(include_str!("../../tests/fixtures/lever_error_404.json"), "nope").unwrap_err().to_string();
    assert!(e.starts_with("lever response is malformed") && e.contains("Document not found"), "{e}");
    for body in ["[{", "<!doctype html><html></html>", "{}", ""] {
        assert!(parse(body, "x").unwrap_err().to_string().starts_with("lever response is malformed"), "{body}");
    }
}

#[test]
fn a_bad_posting_is_skipped_not_fatal() {
    let mut v: Value = serde_json::from_str(POSTINGS).unwrap();
    v[2].as_object_mut().unwrap().remove("text");
    v[3]["text"] = Value::from(42);
    let (postings, skipped) = parse(&v.to_string(), "spotify").unwrap();
    assert_eq!((postings.len(), skipped.len()), (2, 2));
    assert_eq!(skipped[0].source_id.as_deref(), Some("66acb66f-de37-4d95-a353-874db92838ef"));
    assert_eq!(skipped[0].reason, "posting has no title");
}

#[test]
fn decodes_list_html() {
    assert_eq!(list_items("<li>A &amp; B</li>\n<li><p>C&nbsp;&#8217;s&#x2019;</p></li>"), ["A & B", "C ’s’"]);
    assert_eq!(decode_entities("AT&T &unknown; &"), "AT&T &unknown; &");
}
