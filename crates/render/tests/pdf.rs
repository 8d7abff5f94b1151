//! The PDF path: every template typesets the two-page fixture and the official sample; the
//! text layer (pdftotext) has every fact in reading order with whole words; rows of the
//! two-column templates extract row by row; the page budget holds; metadata is set; bytes
//! are deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use render::{Format, RenderError, Renderer};

const TEMPLATES: [&str; 3] = ["classic", "modern", "ats"];

/// Whitespace runs folded to one space, so wrapped lines compare as running text.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts each needle occurs in `hay`, in order.
fn in_order(hay: &str, needles: &[&str], what: &str) {
    let mut at = 0;
    for n in needles {
        match hay[at..].find(n) {
            Some(i) => at += i + n.len(),
            None => panic!("{what}: {n:?} missing or out of order in:\n{hay}"),
        }
    }
}

#[test]
fn fonts_are_embedded_only() {
    let families = renderer().font_families();
    for f in ["Libertinus Serif", "New Computer Modern", "DejaVu Sans"] {
        assert!(families.iter().any(|x| x == f), "{f} missing from {families:?}");
    }
}

#[test]
fn text_layer_is_complete_in_reading_order_with_whole_words() {
    let r = two_page();
    for t in TEMPLATES {
        let pdf = render(&r, t, Format::Pdf, None);
        assert!(pdf.starts_with(b"%PDF-"));
        let Some(text) = pdftotext(&pdf, false) else { return };
        let text = flat(&text);
        assert!(
            !text.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)),
            "{t}: ligature glyphs in the text layer"
        );
        let lower = text.to_lowercase();
        in_order(
            &lower,
            &["alex rivera", "staff backend & platform engineer", "alex.rivera@example.com", "summary", "experience"],
            t,
        );
        // Whole sentences, verbatim: no word broken by hyphenation, ligatures or spacing.
        in_order(
            &text,
            &[
                "building reliable, efficient distributed systems in Rust, Go and Python.",
                "Northwind Payments",
                "Designed and led the migration from a monolithic ledger to an event-sourced service in Rust, cutting p99 write latency from 180 ms to 38 ms at 40,000 transactions per second",
                "Reduced cloud spend by 31% ($2.1M a year) through right-sizing, spot capacity for batch jobs and a shared PostgreSQL fleet",
                "Brightline Logistics",
                "Quantum Analytics",
                "Cobalt Systems",
                "Added automated integration tests that caught 40 regressions before release in the first year",
                "tinyraft",
                "University of California, Berkeley",
                "Rust, Go, Python, C++, SQL, TypeScript",
                "Certified Kubernetes Administrator",
                "Exactly-once is a lie: idempotency in payment systems",
                "Code for Oakland",
                "Spanish",
                "Trail running, Climbing",
            ],
            t,
        );
        let Some(info) = pdfinfo(&pdf) else { return };
        assert_eq!(pages(&info), 2, "{t}: the fixture is a two-page resume");
    }
}

#[test]
fn two_column_rows_extract_row_by_row() {
    let r = two_page();
    for (t, row) in [
        ("classic", ["Northwind Payments", "2021-04 – Present"]),
        ("modern", ["2021-04 – Present", "Northwind Payments, Staff Platform Engineer"]),
        ("ats", ["San Francisco, CA | 2021-04 – Present", ""]),
    ] {
        let Some(text) = pdftotext(&render(&r, t, Format::Pdf, None), true) else { return };
        let line = text.lines().find(|l| l.contains(row[0])).unwrap_or_else(|| panic!("{t}: no line with {}", row[0]));
        assert!(line.contains(row[1]), "{t}: {row:?} not on one line: {line:?}");
        let languages = text.lines().find(|l| l.contains("Rust, Go, Python")).unwrap();
        assert!(languages.contains("Languages"), "{t}: skill label and keywords on one row: {languages:?}");
    }
}

#[test]
fn metadata_title_author_keywords() {
    let pdf = render(&two_page(), "classic", Format::Pdf, None);
    let Some(info) = pdfinfo(&pdf) else { return };
    assert!(info.contains("Title:           Alex Rivera — Staff Backend & Platform Engineer"), "{info}");
    assert!(info.contains("Author:          Alex Rivera"), "{info}");
    let keywords = info.lines().find(|l| l.starts_with("Keywords:")).unwrap();
    assert!(keywords.contains("Rust") && keywords.contains("Kubernetes"), "{keywords}");
    assert!(!info.contains("CreationDate"), "no clock in the document: {info}");
}

#[test]
fn one_page_budget_drops_old_bullets_first() {
    let r = two_page();
    for t in TEMPLATES {
        let pdf = render(&r, t, Format::Pdf, Some(1));
        let md = String::from_utf8(render(&r, t, Format::Md, Some(1))).unwrap();
        // The newest job keeps its first bullet; the oldest job loses its last one first.
        assert!(md.contains("Designed and led the migration"), "{t}:\n{md}");
        assert!(!md.contains("caught 40 regressions"), "{t}:\n{md}");
        assert_eq!(renderer().page_count(&r, &opts(t, Format::Pdf, Some(1))).unwrap(), 1);
        let Some(info) = pdfinfo(&pdf) else { continue };
        assert_eq!(pages(&info), 1, "{t}");
        let Some(text) = pdftotext(&pdf, false) else { continue };
        // Headers and every entry title survive; only bullets go.
        for needle in ["Alex Rivera", "Cobalt Systems", "Certified Kubernetes Administrator"] {
            assert!(flat(&text).contains(needle), "{t}: {needle} lost");
        }
    }
}

#[test]
fn two_page_budget_keeps_everything() {
    let r = two_page();
    let full = render(&r, "classic", Format::Md, None);
    assert_eq!(render(&r, "classic", Format::Md, Some(2)), full);
    assert!(renderer().page_count(&r, &opts("classic", Format::Pdf, Some(2))).unwrap() <= 2);
}

#[test]
fn impossible_budget_is_an_error_not_a_cut() {
    let mut r = two_page();
    r.basics.summary = Some("A long summary sentence that goes on. ".repeat(400));
    let err = renderer().render(&r, &opts("ats", Format::Pdf, Some(1))).unwrap_err();
    assert!(matches!(err, RenderError::PageBudget { budget: 1, .. }), "{err}");
}

#[test]
fn official_sample_renders_in_every_template() {
    let r = resume(SAMPLE);
    for t in TEMPLATES {
        let pdf = render(&r, t, Format::Pdf, Some(2));
        let Some(text) = pdftotext(&pdf, false) else { return };
        in_order(&flat(&text), &["Richard Hendriks", "Pied Piper"], t);
    }
}

#[test]
fn bytes_are_deterministic() {
    let r = two_page();
    let fresh = Renderer::new().unwrap();
    for t in TEMPLATES {
        let a = render(&r, t, Format::Pdf, Some(2));
        let b = render(&r, t, Format::Pdf, Some(2));
        let c = fresh.render(&r, &opts(t, Format::Pdf, Some(2))).unwrap();
        assert!(a == b && b == c, "{t}: PDF bytes differ between renders");
    }
    for f in [Format::Html, Format::Md, Format::Tex, Format::Docx, Format::Json] {
        assert_eq!(render(&r, "modern", f, None), render(&r, "modern", f, None), "{f}");
    }
}

#[test]
fn unknown_template_and_bad_budget_are_refused() {
    let r = two_page();
    assert_eq!(
        renderer().render(&r, &opts("fancy", Format::Pdf, None)),
        Err(RenderError::UnknownTemplate("fancy".into()))
    );
    assert_eq!(renderer().render(&r, &opts("ats", Format::Pdf, Some(3))), Err(RenderError::BadPages(3)));
}
