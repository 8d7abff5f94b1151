//! Tests of normalization as a whole and of location parsing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::places::US_STATES;
use super::*;
use crate::canonical::JobLocation;
use domain::{SalaryPeriod, Seniority};
use proptest::prelude::*;

fn loc(city: Option<&str>, region: Option<&str>, country: Option<&str>) -> JobLocation {
    JobLocation { city: city.map(Into::into), region: region.map(Into::into), country: country.map(Into::into) }
}

fn raw() -> RawPosting {
    RawPosting {
        source: "greenhouse".into(),
        source_id: "123".into(),
        company: "Acme".into(),
        title: "Engineer".into(),
        url: Some("https://boards.example/acme/123".into()),
        ..RawPosting::default()
    }
}

#[test]
fn places() {
    let cases = [
        ("San Francisco, CA", vec![loc(Some("San Francisco"), Some("CA"), Some("US"))]),
        ("London, United Kingdom", vec![loc(Some("London"), None, Some("GB"))]),
        ("London, England, United Kingdom", vec![loc(Some("London"), Some("England"), Some("GB"))]),
        ("Warrington, England, United Kingdom", vec![loc(Some("Warrington"), Some("England"), Some("GB"))]),
        ("New York, New York", vec![loc(Some("New York"), Some("NY"), Some("US"))]),
        ("New York, NY (HQ)", vec![loc(Some("New York"), Some("NY"), Some("US"))]),
        ("Washington, DC", vec![loc(Some("Washington"), Some("DC"), Some("US"))]),
        ("Ontario, CAN", vec![loc(None, Some("ON"), Some("CA"))]),
        ("Seoul, South Korea", vec![loc(Some("Seoul"), None, Some("KR"))]),
        ("Dublin, IE", vec![loc(Some("Dublin"), None, Some("IE"))]),
        ("Berlin, DE", vec![loc(Some("Berlin"), None, Some("DE"))]),
        ("Dover, DE", vec![loc(Some("Dover"), Some("DE"), Some("US"))]),
        ("München, Bayern, Deutschland", vec![loc(Some("München"), Some("Bayern"), Some("DE"))]),
        ("London", vec![loc(Some("London"), None, Some("GB"))]),
        ("Stockholm", vec![loc(Some("Stockholm"), None, Some("SE"))]),
        ("Belo Horizonte", vec![loc(Some("Belo Horizonte"), None, None)]),
        ("USA", vec![loc(None, None, Some("US"))]),
        ("California", vec![loc(None, Some("CA"), Some("US"))]),
        (
            "NYC; SF",
            vec![loc(Some("New York"), Some("NY"), Some("US")), loc(Some("San Francisco"), Some("CA"), Some("US"))],
        ),
        (
            "San Francisco, CA | New York City, NY | Seattle, WA",
            vec![
                loc(Some("San Francisco"), Some("CA"), Some("US")),
                loc(Some("New York"), Some("NY"), Some("US")),
                loc(Some("Seattle"), Some("WA"), Some("US")),
            ],
        ),
        ("London; London, UK", vec![loc(Some("London"), None, Some("GB"))]),
        ("Europe", vec![]),
        ("British Columbia, CA", vec![loc(None, Some("BC"), Some("CA"))]),
        ("Hybrid (Sacramento, CA)", vec![loc(Some("Sacramento"), Some("CA"), Some("US"))]),
        ("Toronto, CA", vec![loc(Some("Toronto"), Some("ON"), Some("CA"))]),
    ];
    for (text, want) in cases {
        assert_eq!(parse_location(text).locations, want, "{text}");
    }
}

#[test]
fn remote_texts() {
    let p = parse_location("Remote - US");
    assert!(p.remote && p.locations.is_empty());
    assert_eq!(p.remote_regions, ["US"]);

    let p = parse_location("Berlin or Remote (EU)");
    assert!(p.remote);
    assert_eq!(p.locations, [loc(Some("Berlin"), None, Some("DE"))]);
    assert_eq!(p.remote_regions, ["Europe"]);

    let p = parse_location("London, UK; Ontario, CAN; Remote-Friendly, United States; San Francisco, CA");
    assert!(p.remote);
    assert_eq!(p.locations.len(), 3);
    assert_eq!(p.remote_regions, ["US"]);

    for (text, regions) in [
        ("Remote", vec![]),
        ("Remote job", vec![]),
        ("Anywhere in the World", vec!["Worldwide"]),
        ("Remote (US or Canada)", vec!["US", "CA"]),
        ("Remote-Friendly (Travel-Required)", vec![]),
        ("Remote (Europe, Israel)", vec!["Europe", "IL"]),
    ] {
        let p = parse_location(text);
        assert!(p.remote && p.locations.is_empty(), "{text}");
        assert_eq!(p.remote_regions, regions, "{text}");
    }
    let p = parse_location("HYBRID/REMOTE, Zurich, Switzerland");
    assert!(p.remote && p.hybrid);
    assert_eq!((p.locations, p.remote_regions), (vec![loc(Some("Zurich"), None, Some("CH"))], vec![]));
    let p = parse_location("Remote (EMEA timezones)");
    assert_eq!((p.locations, p.remote_regions), (vec![], vec!["EMEA".to_owned()]));

    let mut p = ParsedLocations::default();
    p.add_structured(&loc(None, None, Some("GB")));
    p.add_text("London");
    p.add_structured(&loc(None, None, Some("gb")));
    p.add_text("Stockholm; US");
    assert_eq!(
        p.locations,
        [loc(Some("London"), None, Some("GB")), loc(Some("Stockholm"), None, Some("SE")), loc(None, None, Some("US"))]
    );

    let p = parse_location("London (Hybrid)");
    assert!(p.hybrid && !p.remote);
    assert_eq!(p.locations, [loc(Some("London"), None, Some("GB"))]);
}

#[test]
fn regions() {
    assert_eq!(
        normalize_regions([
            "Americas, Europe, Israel",
            " USA Only",
            "Worldwide",
            "Anywhere",
            "🇺🇸 United States, and 🇨🇦 Canada"
        ]),
        ["Americas", "Europe", "IL", "US", "Worldwide", "CA"]
    );
    assert_eq!(normalize_region("  "), None);
    assert_eq!(normalize_region("Anywhere in the World"), Some("Worldwide".into()));
}

#[test]
fn skips() {
    let cases = [
        (RawPosting { source_id: " ".into(), ..raw() }, SkipReason::MissingId),
        (RawPosting { title: "\n".into(), ..raw() }, SkipReason::MissingTitle),
        (RawPosting { company: String::new(), ..raw() }, SkipReason::MissingCompany),
        (RawPosting { url: None, apply_url: Some("javascript:alert(1)".into()), ..raw() }, SkipReason::MissingUrl),
        (RawPosting { url: Some("/jobs/1".into()), ..raw() }, SkipReason::MissingUrl),
        (
            RawPosting { description_html: Some("a".repeat(MAX_DESCRIPTION_BYTES + 1)), ..raw() },
            SkipReason::TooLarge(MAX_DESCRIPTION_BYTES + 1),
        ),
    ];
    for (r, want) in cases {
        assert_eq!(normalize(r), Err(want));
    }
}

#[test]
fn a_full_posting() {
    let r = RawPosting {
        title: "  Sr.   Backend Engineer ".into(),
        company: "Acme, Inc.".into(),
        location_texts: vec!["Berlin or Remote (EU)".into()],
        locations: vec![loc(Some(" Berlin "), None, Some("germany"))],
        workplace_hint: Some("hybrid".into()),
        remote_regions: vec!["EU".into(), "Worldwide".into()],
        employment_type: Some("FULL_TIME".into()),
        salary_text: Some("€60.000 - €75.000 per year".into()),
        posted_at: Some("1700000000000".into()),
        closes_at: Some("2024-01-31".into()),
        description_html: Some("&lt;p&gt;Build things.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;".into()),
        apply_url: Some("https://boards.example/acme/123/apply".into()),
        ..raw()
    };
    let j = normalize(r).unwrap();
    assert_eq!(j.title, "Sr. Backend Engineer");
    assert_eq!(j.company, "Acme, Inc.");
    assert_eq!(j.seniority, Some(Seniority::Senior));
    assert_eq!(j.locations, [loc(Some("Berlin"), None, Some("DE"))]);
    assert_eq!(j.workplace, Some(WorkplaceType::Hybrid));
    assert_eq!(j.remote_regions, ["Europe", "Worldwide"]);
    assert_eq!(j.employment_type.as_deref(), Some("full_time"));
    let s = j.salary.clone().unwrap();
    assert_eq!(
        (s.min, s.max, s.currency.as_str(), s.period),
        (Some(60_000.0), Some(75_000.0), "EUR", SalaryPeriod::Year)
    );
    assert_eq!(j.posted_at.map(|t| t.to_rfc3339()).as_deref(), Some("2023-11-14T22:13:20+00:00"));
    assert_eq!(j.closes_at.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-31T00:00:00+00:00"));
    assert_eq!(j.description_html, "<p>Build things.</p>");
    assert_eq!(j.description_text, "Build things.");
    assert_eq!(j.apply_url, "https://boards.example/acme/123/apply");
    assert_eq!(j.sources.len(), 1);
    assert_eq!(j.sources[0].url.as_deref(), Some("https://boards.example/acme/123"));
    assert_eq!(j.content_hash.len(), 64);
    assert_eq!(j.as_job().location, "Berlin, DE");
}

#[test]
fn workplace_from_locations_and_salary_from_description() {
    let r = RawPosting {
        location_texts: vec!["Remote - US".into()],
        description_text: Some("We raised $40 million.\n\nThe base salary range is $150,000 - $180,000.".into()),
        ..raw()
    };
    let j = normalize(r).unwrap();
    assert_eq!(j.workplace, Some(WorkplaceType::Remote));
    assert_eq!(j.remote_regions, ["US"]);
    assert_eq!(j.salary.as_ref().and_then(|s| s.max), Some(180_000.0));
    assert_eq!(j.description_html, "<p>We raised $40 million.</p><p>The base salary range is $150,000 - $180,000.</p>");
    assert_eq!(j.as_job().location, "Remote (US)");

    let plain = normalize(RawPosting { description_text: Some("Learning budget: $2,000 a year.".into()), ..raw() });
    assert_eq!(plain.unwrap().salary, None);
    assert_eq!(normalize(raw()).unwrap().workplace, None);
}

#[test]
fn hash_follows_content() {
    let a = normalize(raw()).unwrap();
    assert_eq!(a.content_hash, normalize(raw()).unwrap().content_hash);
    let b = normalize(RawPosting { title: "Engineer II".into(), ..raw() }).unwrap();
    assert_ne!(a.content_hash, b.content_hash);
    let c = normalize(RawPosting { description_text: Some("x".into()), ..raw() }).unwrap();
    assert_ne!(a.content_hash, c.content_hash);
}

proptest! {
    #[test]
    fn location_parsing_never_panics(text in "\\PC{0,120}") {
        let _ = parse_location(&text);
        let _ = normalize_regions([text.as_str()]);
    }

    #[test]
    fn location_like_text_never_panics(text in "[A-Za-z ,;|/()-]{0,60}( or [A-Za-z ,()-]{0,20})?") {
        let _ = parse_location(&text);
    }

    #[test]
    fn city_and_state_code(city in "[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10})?", i in 0..US_STATES.len()) {
        prop_assume!(super::places::city(&super::places::place_key(&city)).is_none());
        let (code, _) = US_STATES[i];
        let parsed = parse_location(&format!("{city}, {code}"));
        prop_assert_eq!(parsed.locations, vec![loc(Some(&city), Some(code), Some("US"))]);
    }

    #[test]
    fn normalize_never_panics(
        title in "\\PC{0,40}", loc_text in "\\PC{0,40}", date in "\\PC{0,30}", salary in "\\PC{0,30}",
        html in "(<[a-z]{1,6}( [a-z]+=\"[^\"]{0,10}\")?>|</[a-z]{1,6}>|&[a-z#0-9]{1,6};|[^<&]{0,20}){0,20}",
    ) {
        let r = RawPosting {
            title,
            location_texts: vec![loc_text],
            posted_at: Some(date),
            salary_text: Some(salary),
            description_html: Some(html),
            ..raw()
        };
        if let Ok(j) = normalize(r) {
            prop_assert!(!j.description_html.contains("<script"));
        }
    }
}
