//! The truth guard against the failures users of other tools report, and property tests: any
//! strategy's output on any profile passes; any adversarial rewrite is rejected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use domain::{Profile, TailoredResume};
use proptest::prelude::*;
use serde_json::json;
use tailor::{apply_rewrite, generate_variants, guard_reasons, verify_truth};

fn v1(p: &Profile) -> TailoredResume {
    let j = job("Backend Engineer", BACKEND_JOB);
    tailor::variant(p, &j, &analyze(&j), app(), tailor::Strategy::SkillsFirst)
}

/// The resume line whose source is `source`.
fn line_of(v: &TailoredResume, source: &str) -> String {
    v.provenance.iter().find(|l| l.sources[0] == source).unwrap().path.clone()
}

fn rewrite(v: &TailoredResume, source: &str, text: &str) -> Vec<String> {
    let id = line_of(v, source);
    let candidate = apply_rewrite(v, &json!({ "lines": [{ "id": id, "text": text }] })).unwrap();
    assert!(candidate.provenance.iter().any(|l| l.path == id && l.rewritten));
    guard_reasons(&candidate, &small_profile())
}

fn rejected(reasons: &[String], needle: &str) {
    assert!(reasons.iter().any(|r| r.contains(needle)), "expected {needle:?} in {reasons:#?}");
}

const MIGRATION: &str = "/work/0/highlights/0"; // "Contributed to a migration of 12 services ..."
const LATENCY: &str = "/work/0/highlights/1"; // "Helped reduce PostgreSQL query latency by 30% ..."
const TESTS: &str = "/work/0/highlights/2"; // "Wrote integration tests for the billing API in Python."

#[test]
fn faithful_rewordings_pass() {
    let p = small_profile();
    let v = v1(&p);
    assert_eq!(guard_reasons(&v, &p), Vec::<String>::new());
    for (src, text) in [
        (MIGRATION, "Contributed to migrating 12 services from Flask to FastAPI."),
        (LATENCY, "Helped cut PostgreSQL query latency by 30% through better indexes."),
        (TESTS, "Wrote Python integration tests for the billing API."),
        ("/basics/summary", "Backend engineer: 4 years building APIs with Python and PostgreSQL."),
    ] {
        assert_eq!(rewrite(&v, src, text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn invented_metrics_are_rejected() {
    let v = v1(&small_profile());
    rejected(&rewrite(&v, MIGRATION, "Contributed to a migration of 12 services to FastAPI, cutting costs 40%."), "40");
    rejected(&rewrite(&v, LATENCY, "Helped reduce PostgreSQL query latency by 60% with better indexes."), "60");
    rejected(&rewrite(&v, TESTS, "Wrote integration tests for the billing API in Python, doubling coverage."), "2");
}

#[test]
fn inflated_scope_verbs_are_rejected() {
    let v = v1(&small_profile());
    for text in [
        "Led a migration of 12 services from Flask to FastAPI.",
        "Spearheaded the migration of 12 services from Flask to FastAPI.",
        "Owned the migration of 12 services from Flask to FastAPI.",
    ] {
        rejected(&rewrite(&v, MIGRATION, text), "inflated scope");
    }
    // Dropping the modest verb claims the result alone.
    rejected(&rewrite(&v, LATENCY, "Reduced PostgreSQL query latency by 30% with better indexes."), "helped");
}

#[test]
fn titles_dates_and_identity_fields_cannot_change() {
    let p = small_profile();
    let base = v1(&p);
    let mut v = base.clone();
    v.work[0].position = "Senior Backend Engineer".into();
    rejected(&guard_reasons(&v, &p), "title changed");
    let mut v = base.clone();
    v.label = Some("Staff Backend Engineer".into());
    rejected(&guard_reasons(&v, &p), "title changed");
    let mut v = base.clone();
    v.name = "Samuel Okafor-Smith".into();
    rejected(&guard_reasons(&v, &p), "/basics/name");
    let mut v = base.clone();
    v.work[1].organization = "Google".into();
    rejected(&guard_reasons(&v, &p), "/work/1/name");
    let mut v = base.clone();
    v.work[0].start_date = Some("2018-01".into());
    rejected(&guard_reasons(&v, &p), "/work/0/startDate");
    let mut v = base.clone();
    v.education[0].institution = Some("Stanford University".into());
    rejected(&guard_reasons(&v, &p), "/education/0/institution");
    let mut v = base.clone();
    v.certificates[0].name = Some("AWS Certified Solutions Architect – Professional".into());
    rejected(&guard_reasons(&v, &p), "/certificates/0/name");
    // Identity lines are not rewritable lines at all.
    let err = apply_rewrite(&base, &json!({"lines": [{"id": "/work/0/position", "text": "CTO"}]})).unwrap_err();
    assert!(err[0].contains("may be reworded"), "{err:?}");
}

#[test]
fn made_up_years_of_experience_are_rejected() {
    let v = v1(&small_profile());
    let summary = "/basics/summary";
    rejected(&rewrite(&v, summary, "Backend engineer with 8 years of experience building APIs in Python."), "8");
    rejected(
        &rewrite(&v, summary, "Backend engineer with over a decade building APIs in Python and PostgreSQL."),
        "10",
    );
}

#[test]
fn skills_padded_in_are_rejected() {
    let p = small_profile();
    let v = v1(&p);
    rejected(
        &rewrite(&v, TESTS, "Wrote integration tests for the billing API in Python; familiar with Kubernetes."),
        "Kubernetes",
    );
    rejected(
        &rewrite(&v, TESTS, "Wrote integration tests for the billing API in Python, familiar with kubernetes."),
        "kubernetes",
    );
    rejected(&rewrite(&v, TESTS, "Wrote integration tests for the billing API in Python on k8s."), "Kubernetes");
    rejected(&rewrite(&v, TESTS, "Wrote integration tests in Python; exposure to quantum annealing."), "quantum");
    let mut padded = v.clone();
    padded.skills.push("Kubernetes".into());
    rejected(&guard_reasons(&padded, &p), "untraceable");
}

#[test]
fn dropped_sections_and_entries_are_rejected() {
    let p = small_profile();
    let base = v1(&p);
    let mut v = base.clone();
    v.education.clear();
    rejected(&guard_reasons(&v, &p), "section `education` dropped");
    let mut v = base.clone();
    v.certificates.clear();
    rejected(&guard_reasons(&v, &p), "section `certificates` dropped");
    let mut v = base.clone();
    v.skills.clear();
    rejected(&guard_reasons(&v, &p), "section `skills` dropped");
    let mut v = base.clone();
    v.work.pop();
    rejected(&guard_reasons(&v, &p), "/work/1/");
    let err = apply_rewrite(&base, &json!({"lines": [{"id": line_of(&base, TESTS), "text": " "}]})).unwrap_err();
    assert!(err[0].contains("emptied"));
}

#[test]
fn added_lines_without_provenance_are_rejected() {
    let p = small_profile();
    let mut v = v1(&p);
    v.work[0].highlights.push("Maintained Django views for the newsroom CMS.".into());
    rejected(&guard_reasons(&v, &p), "untraceable");
}

// ---- property tests -------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "built",
    "tested",
    "designed",
    "wrote",
    "improved",
    "reports",
    "billing",
    "search",
    "pipeline",
    "service",
    "dashboard",
    "queries",
    "the",
    "for",
    "with",
    "internal",
    "customer",
    "mobile",
    "faster",
    "releases",
];
const SKILLS: &[&str] = &["Python", "PostgreSQL", "Rust", "Go", "Docker", "React", "Terraform", "Redis"];

fn sentence() -> impl Strategy<Value = String> {
    (proptest::collection::vec(proptest::sample::select(WORDS), 3..8), proptest::option::of(1u32..100)).prop_map(
        |(words, n)| {
            let mut s = words.join(" ");
            if let Some(n) = n {
                s.push_str(&format!(" by {n}%"));
            }
            let mut c = s.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default() + "."
        },
    )
}

fn profile_strategy() -> impl Strategy<Value = Profile> {
    let work = proptest::collection::vec(
        (
            "[A-Z][a-z]{3,8} (Labs|Systems|Media)",
            "(Software|Data|Backend) Engineer",
            2010u32..2024,
            proptest::collection::vec(sentence(), 1..5),
        ),
        1..4,
    );
    let skills = proptest::sample::subsequence(SKILLS, 1..SKILLS.len());
    ("[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}", work, skills, sentence()).prop_map(|(name, work, skills, summary)| {
        let work: Vec<_> = work
            .into_iter()
            .map(|(org, pos, year, hs)| json!({"name": org, "position": pos, "startDate": year.to_string(), "highlights": hs}))
            .collect();
        let doc = json!({
            "basics": {"name": name, "label": "Engineer", "summary": summary},
            "work": work,
            "education": [{"institution": "Open University", "area": "Mathematics", "endDate": "2009"}],
            "skills": [{"name": "Tools", "keywords": skills}],
        });
        Profile::import(&doc.to_string()).unwrap()
    })
}

/// One adversarial change to a resume; each must be caught.
fn mutate(v: &mut TailoredResume, kind: usize) -> bool {
    let first_highlight = v.work.iter().position(|w| !w.highlights.is_empty());
    match kind {
        0 => v.work[0].organization.push_str(" International"),
        1 => v.work[0].position = format!("Lead {}", v.work[0].position),
        2 => v.work[0].start_date = Some("1999".into()),
        3 => v.name.push_str(" Jr"),
        4 => v.skills.push("Kubernetes".into()),
        5 => v.education.clear(),
        6 => {
            v.work.remove(0);
        }
        _ => {
            let Some(i) = first_highlight else { return false };
            let suffixes = [
                ", saving $987654.",
                " and led the team.",
                "; familiar with Kubernetes.",
                ", spearheading 77 launches.",
            ];
            let id = format!("/work/{i}/highlights/0");
            let text = format!("{}{}", v.work[i].highlights[0].trim_end_matches('.'), suffixes[kind % suffixes.len()]);
            *v = apply_rewrite(v, &json!({"lines": [{"id": id, "text": text}]})).unwrap();
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_strategy_passes_and_every_adversarial_rewrite_fails(
        p in profile_strategy(),
        job_skills in proptest::sample::subsequence(SKILLS, 0..4),
        kind in 0usize..12,
        variant in 0usize..3,
    ) {
        let j = job("Engineer", &format!("We use {}.", job_skills.join(", ")));
        let vs = generate_variants(&p, &j, &analyze(&j), app(), 3);
        for v in &vs {
            prop_assert_eq!(verify_truth(v, &p), Ok(()));
        }
        let mut bad = vs[variant].clone();
        if mutate(&mut bad, kind) {
            prop_assert!(!guard_reasons(&bad, &p).is_empty(), "mutation {} passed: {:?}", kind, bad);
        }
    }
}

// ---- names at the start of a sentence or line -----------------------------------------------

const SUMMARY: &str = "/basics/summary"; // "Backend engineer with 4 years of experience building APIs ..."

#[test]
fn a_new_name_opening_a_sentence_is_rejected() {
    let v = v1(&small_profile());
    // The profile never names Stanford: opening the line or a later sentence does not excuse it.
    for text in [
        "Stanford-trained engineer. Backend engineer with 4 years building APIs in Python and PostgreSQL.",
        "Backend engineer with 4 years building APIs in Python and PostgreSQL. Stanford-trained engineer.",
        "Backend engineer with 4 years building APIs in Python and PostgreSQL; Stanford alumnus.",
        "\"Stanford-trained\" backend engineer with 4 years building APIs in Python and PostgreSQL.",
    ] {
        let reasons = rewrite(&v, SUMMARY, text);
        rejected(&reasons, "untraceable term \"Stanford");
    }
    rejected(&rewrite(&v, TESTS, "Google-grade integration tests for the billing API in Python."), "Google-grade");
}

#[test]
fn a_new_name_opening_a_line_is_rejected() {
    let v = v1(&small_profile());
    for text in [
        "Backend engineer with 4 years building APIs in Python and PostgreSQL.\nOxford graduate.",
        "Backend engineer with 4 years building APIs in Python and PostgreSQL.\n- Oxford graduate.",
        "Backend engineer with 4 years building APIs in Python and PostgreSQL.\n\u{2022} Oxford-educated.",
    ] {
        rejected(&rewrite(&v, SUMMARY, text), "untraceable term \"Oxford");
    }
}

#[test]
fn ordinary_sentence_capitals_and_profile_names_still_pass() {
    let v = v1(&small_profile());
    for (src, text) in [
        // Common words, inflected and hyphenated, open sentences and lines.
        (SUMMARY, "Experienced backend engineer. Built APIs in Python and PostgreSQL for 4 years."),
        (SUMMARY, "Backend engineer.\nDesigned and built APIs in Python and PostgreSQL over 4 years."),
        (SUMMARY, "Detail-oriented backend engineer: 4 years building APIs with Python and PostgreSQL."),
        (SUMMARY, "- Backend engineer: 4 years building APIs with Python and PostgreSQL."),
        (TESTS, "Designed and wrote integration tests for the billing API in Python."),
        (TESTS, "Python-based integration tests for the billing API. Wrote them."),
        (MIGRATION, "Contributed to migrating 12 services from Flask to FastAPI. Shipped each service."),
        (LATENCY, "Helped cut PostgreSQL query latency by 30%. Tuned indexes."),
        // A name the profile holds may open a sentence.
        (SUMMARY, "Backend engineer with 4 years building APIs in Python. PostgreSQL daily. Lagos-trained."),
    ] {
        assert_eq!(rewrite(&v, src, text), Vec::<String>::new(), "{text}");
    }
}
