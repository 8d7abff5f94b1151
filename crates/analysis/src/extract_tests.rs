//! Tests of skill extraction: spellings, ambiguous words, sections and ranking.

use super::*;
use crate::sections::lines;

fn names(title: &str, description: &str) -> Vec<&'static str> {
    find_skills(title, description, "").into_iter().map(|f| f.name).collect()
}

fn required(title: &str, description: &str) -> Vec<&'static str> {
    extract(title, "", &lines(description)).required
}

#[test]
fn every_pattern_compiles() {
    for def in SKILLS.iter() {
        for p in def.context {
            assert!(Regex::new(p).is_ok(), "{}: {p}", def.name);
        }
    }
    for re in [&ASKS, &CUE_BEFORE, &CUE_AFTER, &FLUENCY, &DEGREE_FIELDS] {
        assert!(re.is_some());
    }
}

#[test]
fn aliases_map_to_canonical_names() {
    let n = names("Platform Engineer", "We run k8s on EKS, store data in Postgres and write Golang services.");
    for want in ["Kubernetes", "PostgreSQL", "Go", "Amazon EKS"] {
        assert!(n.contains(&want), "{want} missing from {n:?}");
    }
    let n = names("", "Excellent written and verbal communication; able to manage stakeholders; P&L ownership.");
    for want in ["Communication skills", "Stakeholder management", "P&L management"] {
        assert!(n.contains(&want), "{want} missing from {n:?}");
    }
}

#[test]
fn short_and_ambiguous_names_need_context() {
    let n = names(
        "Marketing Lead",
        "Go-to-market plans. Let's go! We react quickly to change and rest on weekends. R&D budget. Series C, here we come.",
    );
    for bad in ["Go", "React", "REST APIs", "R", "C"] {
        assert!(!n.contains(&bad), "{bad} wrongly found in {n:?}");
    }
    assert!(n.contains(&"Go-to-market"), "{n:?}");
    let n = names("Engineer", "Experience in Go, Python, R and C/C++. Our UI is built with React; APIs are REST.");
    for good in ["Go", "Python", "R", "C", "C++", "React", "REST APIs"] {
        assert!(n.contains(&good), "{good} missing from {n:?}");
    }
}

#[test]
fn title_and_requirements_rank_first() {
    let d = "We use Python, Python and Python for scripts.\nStrong Kafka experience\n";
    let n: Vec<&str> = find_skills("Rust Engineer", d, "Strong Kafka experience").into_iter().map(|f| f.name).collect();
    assert_eq!(&n[..3], ["Rust", "Kafka", "Python"]);
}

#[test]
fn nice_to_haves_benefits_and_blurb_are_not_required() {
    let d = "About us\nWe are a payments company using Kafka.\n\nWhat you'll do\n- Build services in Rust\n\
        - Partner with marketing on launches\n- Own our financial reporting\n\nRequirements\n- SQL and dbt\n\
        - Financial modeling\n- Experience with a warehouse such as BigQuery or Snowflake\n\
        - Degree in Economics or Statistics\n\nNice to have\n- Python\n\nBenefits\n- Gym, Spotify and Excel classes";
    let r = required("Analytics Engineer", d);
    // Rust: a technology a responsibility names. Examples of an ask are asks ("X or Y" lists
    // both); a field of study and a competence only named in a responsibility are not.
    let want = ["Rust", "SQL", "dbt", "Financial modeling", "BigQuery", "Snowflake"];
    assert_eq!(r.iter().copied().collect::<BTreeSet<_>>(), want.into_iter().collect(), "{r:?}");
    let e = extract("Analytics Engineer", "", &lines(d));
    assert_eq!(e.preferred, ["Python"]);
}

#[test]
fn broad_words_need_an_ask_and_the_title_gives_only_technologies() {
    let d = "Requirements\n- You thrive in operations-heavy teams\n- 3+ years of sales experience\n\
        - Background in marketing or accounting";
    let r = required("Associate", d);
    assert!(!r.contains(&"Operations"), "{r:?}");
    for want in ["Sales", "Marketing", "Accounting"] {
        assert!(r.contains(&want), "{want} missing from {r:?}");
    }
    assert!(required("Compliance Manager", "").is_empty());
    assert_eq!(required("Senior Kotlin Engineer, Payments", ""), ["Kotlin"]);
}

#[test]
fn languages_need_fluency_and_employers_are_not_skills() {
    let r = required("Support Agent", "Requirements\n- Fluent German\n- Spanish customers are a bonus in English\n");
    assert_eq!(r, ["German"]);
    let e = extract("Engineer", "Datadog", &lines("Requirements\n- Datadog and Grafana"));
    assert_eq!(e.required, ["Grafana"]);
}
