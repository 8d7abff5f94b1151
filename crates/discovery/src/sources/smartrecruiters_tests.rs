//! Tests of the SmartRecruiters adapter's `parse` against recorded board answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::canonical::JobLocation;
use domain::SalaryPeriod;

const LIST: &str = include_str!("../../tests/fixtures/smartrecruiters_postings.json");
const DETAIL: &str = include_str!("../../tests/fixtures/smartrecruiters_posting_detail.json");
const UNKNOWN: &str = include_str!("../../tests/fixtures/smartrecruiters_postings_unknown_company.json");

#[test]
fn maps_a_listing_page() {
    let page = parse_page(LIST, "Gousto1").unwrap();
    assert_eq!((page.postings.len(), page.skipped.len(), page.items, page.total), (15, 0, 15, Some(15)));
    let p = &page.postings[0];
    assert_eq!(p.source, "smartrecruiters");
    assert_eq!(p.source_id, "744000005631445");
    assert_eq!(p.company, "Gousto");
    assert_eq!(p.title, "Product Manager");
    assert_eq!(p.locations, [JobLocation { city: Some("London".into()), region: None, country: Some("gb".into()) }]);
    assert_eq!(p.workplace_hint, None);
    assert_eq!(p.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(p.posted_at.as_deref(), Some("2024-08-08T07:51:55.575Z"));
    let s = p.salary.as_ref().unwrap();
    assert_eq!((s.min, s.max, s.currency.as_str(), s.period), (None, Some(75000.0), "GBP", SalaryPeriod::Year));
    assert_eq!((p.description_html.as_ref(), p.apply_url.as_ref()), (None, None), "the listing has neither");
    assert_eq!(p.url.as_deref(), Some("https://jobs.smartrecruiters.com/Gousto1/744000005631445"));

    assert_eq!(page.postings[1].workplace_hint.as_deref(), Some("remote"));
    let spalding = page.postings.iter().find(|p| p.source_id == "744000002567175").unwrap();
    assert_eq!(spalding.locations[0].label(), "Spalding, England, gb");
}

#[test]
fn maps_a_detail_answer() {
    let (postings, skipped) = parse(DETAIL, "Gousto1").unwrap();
    assert_eq!((postings.len(), skipped.len()), (1, 0));
    let p = &postings[0];
    assert_eq!(p.source_id, "744000005631445");
    assert_eq!(p.url.as_deref(), Some("https://jobs.smartrecruiters.com/Gousto1/744000005631445-product-manager"));
    assert_eq!(
        p.apply_url.as_deref(),
        Some("https://jobs.smartrecruiters.com/Gousto1/744000005631445-product-manager?oga=true")
    );
    let html = p.description_html.as_deref().unwrap();
    assert!(html.starts_with("<h3>Company Description</h3>\n<p>Here at Gousto"), "{}", &html[..80]);
    let order: Vec<usize> = ["Company Description", "Job Description", "Qualifications", "Additional Information"]
        .iter()
        .map(|t| html.find(&format!("<h3>{t}</h3>")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    assert!(html.contains("Forecasting &amp; Supply Planning"));
}

#[test]
fn salary_fields() {
    let with = |fields: &str| -> (Option<Salary>, Option<String>) {
        salary(&serde_json::from_str(&format!("{{\"customField\": {fields}}}")).unwrap())
    };
    let (s, t) = with(
        r#"[{"fieldLabel":"Minimum Annual Salary","valueLabel":"GBP 60,000"},
            {"fieldLabel":"Maximum Annual Salary","valueLabel":"75000 GBP"}]"#,
    );
    let s = s.unwrap();
    assert_eq!((s.min, s.max, s.currency.as_str(), t), (Some(60000.0), Some(75000.0), "GBP", None));
    let (s, t) = with(r#"[{"fieldLabel":"Salary","valueLabel":"competitive"}]"#);
    assert_eq!((s, t.as_deref()), (None, Some("Salary: competitive")));
    assert_eq!(with("[]"), (None, None));
}

#[test]
fn unknown_company_is_an_empty_board_not_an_error() {
    let page = parse_page(UNKNOWN, "nope").unwrap();
    assert_eq!((page.postings.len(), page.total), (0, Some(0)));
}

#[test]
fn garbage_is_an_error_and_bad_postings_are_skipped() {
    for body in ["{", "<html>Service Unavailable</html>", "{\"message\":\"x\"}", "[]"] {
        let e = parse(body, "x").unwrap_err().to_string();
        assert!(e.starts_with("smartrecruiters response is malformed"), "{e}");
    }
    let mut v: Value = serde_json::from_str(LIST).unwrap();
    v["content"][0].as_object_mut().unwrap().remove("name");
    v["content"][1] = Value::Null;
    let (postings, skipped) = parse(&v.to_string(), "Gousto1").unwrap();
    assert_eq!((postings.len(), skipped.len()), (13, 2));
    assert_eq!(
        (skipped[0].source_id.as_deref(), skipped[0].reason.as_str()),
        (Some("744000005631445"), "posting has no title")
    );
}
