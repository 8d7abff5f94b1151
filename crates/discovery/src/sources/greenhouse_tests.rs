//! Tests of the Greenhouse adapter's `parse` against recorded board answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const JOBS: &str = include_str!("../../tests/fixtures/greenhouse_jobs.json");
const FULL_BOARD: &str = include_str!("../../tests/fixtures/greenhouse_jobs_nocontent_full_board.json");
const QUESTIONS: &str = include_str!("../../tests/fixtures/greenhouse_job_questions.json");
const DOCS_LIST: &str = include_str!("../../tests/fixtures/greenhouse_docs_example_list_jobs.json");
const DOCS_CONTENT: &str = include_str!("../../tests/fixtures/greenhouse_docs_example_list_jobs_content.json");
const DOCS_QUESTIONS: &str = include_str!("../../tests/fixtures/greenhouse_docs_example_job_questions.json");

#[test]
fn maps_a_content_listing() {
    let (postings, skipped) = parse(JOBS, "anthropic").unwrap();
    assert_eq!((postings.len(), skipped.len()), (4, 0));
    let p = &postings[0];
    assert_eq!(p.source, "greenhouse");
    assert_eq!(p.source_id, "5311686008");
    assert_eq!(p.company, "Anthropic");
    assert_eq!(p.title, "Country Lead, Data Center Security");
    assert_eq!(p.location_texts, ["Sydney, Australia"]);
    assert_eq!(p.workplace_hint.as_deref(), Some("Remote"));
    assert_eq!(p.posted_at.as_deref(), Some("2026-07-10T16:15:41-04:00"));
    assert_eq!(p.closes_at, None);
    let html = p.description_html.as_deref().unwrap();
    assert!(html.starts_with("&lt;div class=&quot;content-intro&quot;&gt;"), "content passes still escaped");
    assert!(html.ends_with("&lt;/p&gt;&lt;/div&gt;"));
    assert_eq!(p.url.as_deref(), Some("https://job-boards.greenhouse.io/anthropic/jobs/5311686008"));
    assert_eq!(p.apply_url, p.url);
    assert_eq!((p.salary.as_ref(), p.salary_text.as_ref(), p.application_questions.as_ref()), (None, None, None));

    let fellows = &postings[2];
    assert_eq!(
        fellows.location_texts,
        [
            "London, UK; Ontario, CAN; Remote-Friendly, United States; San Francisco, CA",
            "British Columbia, CA",
            "London, UK",
            "Ontario, CA",
            "Remote-Friendly US (Travel Required)",
            "San Francisco, CA",
        ]
    );
    assert_eq!(fellows.workplace_hint.as_deref(), Some("On-Site"));
    assert_eq!(postings[3].workplace_hint, None, "a null Location Type says nothing");
}

#[test]
fn maps_the_full_board_without_content() {
    let (postings, skipped) = parse(FULL_BOARD, "anthropic").unwrap();
    assert_eq!((postings.len(), skipped.len()), (449, 0));
    assert!(postings.iter().all(|p| p.description_html.is_none() && p.company == "Anthropic"));
    let hybrid = postings.iter().filter(|p| p.workplace_hint.as_deref() == Some("Hybrid (Travel-Required)")).count();
    assert_eq!(hybrid, 14);
}

#[test]
fn maps_the_docs_examples() {
    let (postings, _) = parse(DOCS_LIST, "vaulttec").unwrap();
    assert_eq!(postings.len(), 1);
    let p = &postings[0];
    assert_eq!((p.source_id.as_str(), p.company.as_str()), ("127817", "vaulttec"), "no company_name: the token");
    assert_eq!(p.posted_at.as_deref(), Some("2016-01-14T10:55:28-05:00"), "no first_published: updated_at");
    assert_eq!(p.workplace_hint, None);

    let (postings, _) = parse(DOCS_CONTENT, "vaulttec").unwrap();
    assert_eq!(postings[0].location_texts, ["NYC", "East Coast", "New York City"]);
    // The docs example is escaped twice; normalization decides what that means.
    assert!(postings[0].description_html.as_deref().unwrap().contains("&amp;lt;p&amp;gt;"));
}

#[test]
fn maps_a_detail_answer_with_questions() {
    let (postings, skipped) = parse(QUESTIONS, "codepath").unwrap();
    assert_eq!((postings.len(), skipped.len()), (1, 0));
    let p = &postings[0];
    assert_eq!(p.source_id, "4426096007", "the id is a string in this recording");
    assert_eq!(p.title, "Associate Instructor - Part Time, Fall Contract");
    assert_eq!(p.company, "codepath");
    assert_eq!(p.location_texts, ["Arlington, Virginia", "CodePath"]);
    assert_eq!(p.salary_text.as_deref(), Some("50 – 70 USD"));
    let form = p.application_questions.as_ref().unwrap();
    assert_eq!(form["questions"].as_array().unwrap().len(), 11);
    assert_eq!(form["questions"][0]["fields"][0]["name"], "first_name");
    assert_eq!(form["compliance"].as_array().unwrap().len(), 4);
    assert_eq!(form["demographic_questions"]["questions"].as_array().unwrap().len(), 6);
    assert_eq!(form["location_questions"], serde_json::json!([]));
    assert_eq!(form["data_compliance"][0]["type"], "gdpr");

    let (postings, _) = parse(DOCS_QUESTIONS, "acme").unwrap();
    let p = &postings[0];
    assert_eq!(p.salary_text.as_deref(), Some("50000 – 75000 USD"));
    let form = p.application_questions.as_ref().unwrap();
    assert_eq!(form["questions"][2]["fields"][0]["name"], "question_2222");
    assert_eq!(form["location_questions"].as_array().unwrap().len(), 3);
}

#[test]
fn unknown_boards_and_garbage_are_errors() {
    for (body, said) in [
        (include_str!("../../tests/fixtures/greenhouse_error_404_board.json"), "Job board not found"),
        (include_str!("../../tests/fixtures/greenhouse_error_404_jobs.json"), "Job not found"),
    ] {
        let e = parse(body, "nope").unwrap_err().to_string();
        assert!(e.contains("greenhouse") && e.contains(said), "{e}");
    }
    for body in ["{\"jobs\": [", "<html><body>502 Bad Gateway</body></html>", "[]", "{\"jobs\": {}}"] {
        let e = parse(body, "x").unwrap_err().to_string();
        assert!(e.starts_with("greenhouse response is malformed"), "{e}");
    }
}

#[test]
fn a_bad_posting_is_skipped_not_fatal() {
    let mut v: Value = serde_json::from_str(JOBS).unwrap();
    let jobs = v["jobs"].as_array_mut().unwrap();
    jobs[1].as_object_mut().unwrap().remove("title");
    jobs[2].as_object_mut().unwrap().remove("id");
    jobs.push(Value::String("not a job".into()));
    let (postings, skipped) = parse(&v.to_string(), "anthropic").unwrap();
    assert_eq!(postings.len(), 2);
    assert_eq!(skipped.len(), 3);
    assert_eq!(skipped[0].source_id.as_deref(), Some("5215052008"));
    assert_eq!(skipped[0].reason, "posting has no title");
    assert_eq!((skipped[1].source_id.as_deref(), skipped[1].reason.as_str()), (None, "posting has no id"));
    assert!(skipped[2].reason.contains("malformed"));
}
