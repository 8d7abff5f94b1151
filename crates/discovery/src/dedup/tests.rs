//! Tests of the dedup rules, the index and the labelled set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::normalize::normalize;
use crate::raw::RawPosting;
use chrono::{TimeZone, Utc};

fn text(company: &str, title: &str, location: &str, description: &str) -> PostingText {
    PostingText {
        company: company.into(),
        title: title.into(),
        location: location.into(),
        description: description.into(),
    }
}

const DESCRIPTION: &str = "You will design, build and run the services that move money for our customers. \
    The team owns payments, ledgers and reconciliation end to end, from the database schema to the on-call \
    rota. We work in small groups, write things down, review each other's code and ship to production many \
    times a day. You have built and operated distributed systems before and care about correctness.";

fn job(source: &str, id: &str, company: &str, title: &str, location: &str, posted: &str) -> CanonicalJob {
    normalize(RawPosting {
        source: source.into(),
        source_id: id.into(),
        company: company.into(),
        title: title.into(),
        location_texts: vec![location.into()],
        description_text: Some(DESCRIPTION.into()),
        posted_at: Some(posted.into()),
        url: Some(format!("https://{source}.example/{id}")),
        ..RawPosting::default()
    })
    .unwrap()
}

#[test]
fn key_rule() {
    assert!(is_duplicate(
        &text("Acme, Inc.", "Sr. Backend Eng", "San Francisco, CA", ""),
        &text("ACME", "Senior Backend Engineer", "San Francisco", "")
    ));
    assert!(is_duplicate(&text("Acme", "Engineer", "Remote - US", ""), &text("Acme", "Engineer", "Remote", "")));
    assert!(!is_duplicate(&text("Acme", "Engineer", "Berlin", ""), &text("Acme", "Engineer", "Paris", "")));
    assert!(!is_duplicate(&text("Acme", "Engineer", "", ""), &text("Acme", "Senior Engineer", "", "")));
    assert!(!is_duplicate(&text("Acme", "Engineer", "", ""), &text("Acme Bank", "Engineer", "", "")));
}

#[test]
fn description_rule() {
    let a = text("Acme", "Payments Engineer", "London", DESCRIPTION);
    let html = format!("<p>{}</p>", DESCRIPTION.replace(". ", ".</p><p>"));
    assert!(is_duplicate(&a, &text("Acme Ltd", "Software Engineer, Payments", "London, UK", &html)));
    assert!(is_duplicate(&a, &text("Acme", "Software Engineer, Payments", "Remote", DESCRIPTION)));
    // Another company, another city, or too little text to go on.
    assert!(!is_duplicate(&a, &text("Globex", "Software Engineer, Payments", "London", DESCRIPTION)));
    assert!(!is_duplicate(&a, &text("Acme", "Payments Engineer", "Dublin", DESCRIPTION)));
    let short = "Join us to build payments.";
    assert!(!is_duplicate(&text("Acme", "A", "", short), &text("Acme", "B", "", short)));
}

#[test]
fn simhash_distance_grows_with_change() {
    let base = simhash(DESCRIPTION);
    assert_eq!(base, simhash(&DESCRIPTION.to_uppercase().replace(' ', "\n")));
    let other =
        simhash("Completely different text about gardening, soil, compost and growing vegetables in raised beds.");
    assert!((base ^ other).count_ones() > MAX_HAMMING);
}

#[test]
fn deduper_merges_sources_and_keeps_earliest_date() {
    let mut d = Deduper::new();
    assert_eq!(
        d.add(job("greenhouse", "1", "Acme, Inc.", "Senior Engineer", "Berlin", "2024-03-05")),
        DedupOutcome::New(0)
    );
    assert_eq!(
        d.add(job("lever", "x", "Acme", "Sr. Engineer", "Berlin, Germany", "2024-03-01")),
        DedupOutcome::Merged { into: 0 }
    );
    // A repost with a new id and a new title, found by its description.
    assert_eq!(
        d.add(job("greenhouse", "2", "Acme", "Payments Engineer", "Berlin", "2024-04-01")),
        DedupOutcome::Merged { into: 0 }
    );
    // The same posting again adds no second source, even edited beyond recognition.
    let mut edited = job("lever", "x", "Acme", "Sr. Engineer", "Berlin, Germany", "2024-03-01");
    edited.title = "Completely Different".into();
    assert_eq!(d.add(edited), DedupOutcome::Merged { into: 0 });
    assert_eq!(
        d.add(job("lever", "x", "Acme", "Sr. Engineer", "Berlin, Germany", "2024-03-01")),
        DedupOutcome::Merged { into: 0 }
    );
    assert_eq!(d.add(job("greenhouse", "3", "Acme", "Senior Engineer", "Paris", "2024-03-05")), DedupOutcome::New(1));
    assert_eq!(
        d.add(job("greenhouse", "4", "Globex", "Senior Engineer", "Berlin", "2024-03-05")),
        DedupOutcome::New(2)
    );
    let twin = job("rss", "9", "ACME Inc", "Senior Engineer", "Berlin", "2024-05-01");
    assert_eq!(d.find_duplicate(&twin).map(|j| j.source_id.as_str()), Some("1"));
    assert!(d.find_duplicate(&job("rss", "9", "Initech", "Senior Engineer", "Berlin", "2024-05-01")).is_none());
    assert_eq!(d.jobs().len(), 3);
    let jobs = d.into_jobs();
    assert_eq!(jobs.len(), 3);
    let ids: Vec<_> = jobs[0].sources.iter().map(|s| format!("{}:{}", s.source, s.source_id)).collect();
    assert_eq!(ids, ["greenhouse:1", "lever:x", "greenhouse:2"]);
    assert_eq!(jobs[0].posted_at, Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).single());
    assert_eq!(jobs[0].title, "Senior Engineer");
}

#[test]
fn corpus_errors_name_the_line() {
    let ok = r#"{"a": {"title": "x"}, "b": {"company": "", "title": "x", "location": "", "description": ""}, "duplicate": true}"#;
    assert_eq!(parse_corpus(&format!("{ok}\n\n{ok}\n")).unwrap().len(), 2);
    let err = parse_corpus(&format!("{ok}\n{{\"a\": 1}}\n")).unwrap_err();
    assert!(err.starts_with("line 2:"), "{err}");
}

#[test]
fn evaluate_conventions() {
    let none = evaluate(&[]);
    assert_eq!((none.precision, none.recall, none.pairs), (1.0, 1.0, 0));
    let a = text("Acme", "Engineer", "", "");
    let b = text("Acme", "Designer", "", "");
    let s = evaluate(&[(a.clone(), a.clone(), true), (a.clone(), b.clone(), true), (a, b, false)]);
    assert_eq!((s.true_positives, s.false_positives, s.false_negatives), (1, 0, 1));
    assert_eq!((s.precision, s.recall), (1.0, 0.5));
}

#[test]
fn labelled_set_precision_and_recall() {
    let pairs = labelled_pairs().unwrap();
    assert!(pairs.len() >= 60, "{} pairs", pairs.len());
    for (i, (a, b, dup)) in pairs.iter().enumerate() {
        if is_duplicate(a, b) != *dup {
            eprintln!("pair {} (line {}) labelled {dup}: {:?} / {:?}", i + 1, i + 1, a.title, b.title);
        }
    }
    let s = evaluate(&pairs);
    let positives = pairs.iter().filter(|p| p.2).count();
    eprintln!(
        "labelled set: {} pairs ({positives} duplicates): precision {:.3}, recall {:.3} (tp {}, fp {}, fn {})",
        s.pairs, s.precision, s.recall, s.true_positives, s.false_positives, s.false_negatives
    );
    assert!(s.precision >= 0.9 && s.recall >= 0.9, "{s:?}");
}
