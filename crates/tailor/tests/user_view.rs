//! What a job seeker sees: a real-looking posting pasted as text with HTML character references
//! and a profile with skill groups, through the offline pipeline. The posting reads as text,
//! the questions name only the posting's requirements (at most ten, the most important first),
//! and every variant keeps the profile's skill groups, labels never listed as skills.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::app;
use domain::profile::Skill;
use domain::resume::LineProvenance;
use domain::{Profile, TailoredResume};
use tailor::{guard_reasons, json_resume_document, tailor_offline, template_resume, verify_truth};

const PROFILE: &str = r#"{
  "basics": {"name": "Dana Reyes", "label": "Software Engineer", "email": "dana@example.com",
    "summary": "Backend engineer building data pipelines and APIs in Python and Go."},
  "work": [
    {"name": "Northwind", "position": "Senior Software Engineer", "startDate": "2021-03",
     "highlights": ["Built a retrieval-augmented search service in Python with FastAPI and PostgreSQL, serving 2M queries a day",
                    "Moved batch jobs to Airflow on AWS, cutting runtime by 40%",
                    "Mentored four engineers through code review"]},
    {"name": "Blue Yonder", "position": "Software Engineer", "startDate": "2018-01", "endDate": "2021-02",
     "highlights": ["Wrote Go microservices on Kubernetes", "Added Prometheus metrics and Grafana dashboards"]}
  ],
  "education": [{"institution": "State University", "area": "Computer Science", "studyType": "BSc", "endDate": "2017"}],
  "skills": [
    {"name": "Languages", "keywords": ["TypeScript", "Go", "SQL", "Python"]},
    {"name": "AI", "level": "Advanced", "keywords": ["PyTorch", "LangChain", "RAG", "OpenAI API"]},
    {"name": "Cloud", "keywords": ["Docker", "Terraform", "AWS", "Kubernetes"]},
    {"name": "Data", "keywords": ["Airflow", "Kafka", "PostgreSQL"]},
    {"name": "Frontend", "keywords": ["React", "CSS"]}
  ]
}"#;

/// A posting as a user pastes it from a careers page's source: references, escaped markup,
/// bullets of every kind.
const POSTING: &str = "Senior Backend Engineer, AI&nbsp;Platform\n\
About us&nbsp;&mdash; we build tools for R&amp;D teams. Our code base is large; engineering is a craft.\n\
&lt;p&gt;You will design APIs &amp; data pipelines for our AI tools.&lt;/p&gt;\n\
What you&#39;ll do:\n\
&bull; Build Python services with FastAPI &amp; PostgreSQL\n\
&bull; Own our RAG pipelines &amp; LLM tooling (LangChain, vector databases)\n\
&#8226; Deploy on Kubernetes &amp; AWS with Terraform\n\
Requirements:\n\
&middot; 5+ years of backend engineering experience\n\
&middot; Strong Python &amp; SQL\n\
&middot; Experience with Kafka or other streaming tools\n\
&middot; Familiarity with code review and CI/CD tools\n\
Nice to have:\n\
- Experience with Rust &amp; Snowflake\n\
- Machine learning engineering with PyTorch\n\
We value engineering craft, clean code, and tools that teams love.&nbsp;&nbsp;Benefits: health, 401k.";

fn profile() -> Profile {
    Profile::import(PROFILE).unwrap()
}

/// The term a question is about (between its first pair of quotes).
fn term(question: &str) -> &str {
    question.split('"').nth(1).unwrap()
}

#[test]
fn a_pasted_posting_reads_as_text_and_the_questions_name_only_its_requirements() {
    let job = tailor::job_from_paste("text", POSTING);
    assert_eq!(job.title, "Senior Backend Engineer, AI Platform");
    for residue in ["&amp", "&nbsp", "&#", "&lt;", "<p>", "&bull", "\u{a0}"] {
        assert!(!job.description.contains(residue), "{residue} in {}", job.description);
    }
    assert!(job.description.contains("\n- Build Python services with FastAPI & PostgreSQL\n"), "{}", job.description);

    let a = analysis::HeuristicAnalyzer.analyze(&job);
    let t = tailor_offline(&profile(), &job, &a, app(), 3).unwrap();
    let requirements: Vec<String> =
        [&a.required_skills, &a.preferred_skills, &a.certifications].into_iter().flatten().cloned().collect();
    for v in &t.variants {
        let questions = &v.ats_report.as_ref().unwrap().questions;
        assert!(!questions.is_empty() && questions.len() <= tailor::MAX_QUESTIONS, "{questions:#?}");
        let terms: Vec<&str> = questions.iter().map(|q| term(q)).collect();
        for t in &terms {
            assert!(requirements.iter().any(|r| r == t), "{t:?} is not a requirement of {requirements:?}");
            let lower = t.to_lowercase();
            for junk in ["amp", "nbsp", "tools", "code", "base", "engineering", "craft", "platform", "teams"] {
                assert_ne!(lower, junk, "{questions:#?}");
            }
        }
        // What the profile has is not asked (Kafka, Python, LangChain; "AI" — a group's label — too).
        for has in ["Kafka", "Python", "LangChain", "PyTorch", "Kubernetes"] {
            assert!(!terms.contains(&has), "{has}: {terms:?}");
        }
        // Required before nice to have.
        let rank = |t: &str| if a.required_skills.iter().any(|r| r == t) { 0 } else { 1 };
        assert!(terms.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{terms:?}");
        assert!(terms.contains(&"Rust") && terms.contains(&"Snowflake"), "{terms:?}");
    }
}

/// The profile's skills entry a resume's entry came from, through its provenance.
fn source_entry(v: &TailoredResume, g: usize) -> usize {
    let prov: Vec<&LineProvenance> =
        v.provenance.iter().filter(|l| l.path.starts_with(&format!("/skills/{g}/"))).collect();
    let src = prov[0].sources[0].split('/').nth(2).unwrap().parse().unwrap();
    assert!(prov.iter().all(|l| l.sources[0].starts_with(&format!("/skills/{src}/"))), "{prov:?}");
    src
}

#[test]
fn every_variant_keeps_the_skill_groups_with_the_jobs_skills_first() {
    let p = profile();
    let job = tailor::job_from_paste("text", POSTING);
    let a = analysis::HeuristicAnalyzer.analyze(&job);
    let t = tailor_offline(&p, &job, &a, app(), 3).unwrap();
    let labels = ["Languages", "AI", "Cloud", "Data", "Frontend"];
    let wanted = |k: &str| a.skills.iter().any(|s| s.eq_ignore_ascii_case(k));

    for v in &t.variants {
        verify_truth(v, &p).unwrap();
        assert!(v.skills.iter().all(Skill::is_group), "{}: {:?}", v.variant_id, v.skills);
        // A label is never a skill: not listed, not matched.
        for label in labels {
            assert!(!v.skill_names().contains(&label), "{}: {:?}", v.variant_id, v.skill_names());
            assert!(!v.matched_keywords.iter().any(|m| m.eq_ignore_ascii_case(label)), "{:?}", v.matched_keywords);
        }
        for (g, group) in v.skills.iter().enumerate() {
            // The group is the profile's: its label, its level, a subset of its keywords.
            let source = &p.resume.skills[source_entry(v, g)];
            assert_eq!((&group.name, &group.level), (&source.name, &source.level));
            assert!(group.keywords.iter().all(|k| source.keywords.contains(k)), "{group:?}");
            // The job's skills first within the group.
            let first_other = group.keywords.iter().position(|k| !wanted(k)).unwrap_or(group.keywords.len());
            assert!(group.keywords[first_other..].iter().all(|k| !wanted(k)), "{}: {group:?}", v.variant_id);
        }
        // Groups the job asks for come before those it does not.
        let relevant: Vec<bool> = v.skills.iter().map(|g| g.keywords.iter().any(|k| wanted(k))).collect();
        assert!(relevant.windows(2).all(|w| w[0] >= w[1]), "{}: {:?}", v.variant_id, v.skills);
        // The JSON Resume form has the groups, each line traced to the profile.
        let doc = json_resume_document(v, &p);
        assert_eq!(doc["skills"][0]["name"], serde_json::json!(v.skills[0].name));
        assert_eq!(doc["skills"][0]["keywords"][0], serde_json::json!(v.skills[0].keywords[0]));
    }

    let (v1, v3) = (&t.variants[0], &t.variants[2]);
    assert_eq!(v1.skills[0].name.as_deref(), Some("Languages"));
    assert_eq!(v1.skills[0].keywords[..2], ["Python", "SQL"], "{:?}", v1.skills[0]);
    assert_eq!(v1.skills.len(), 5, "skills_first keeps every group");
    assert!(v1.skills.iter().any(|g| g.name.as_deref() == Some("AI") && g.level.as_deref() == Some("Advanced")));
    // concise keeps the job's skills, fills up to 10 and drops the groups that do not matter.
    assert!(!v3.skills.iter().any(|g| g.name.as_deref() == Some("Frontend")), "{:?}", v3.skills);
    assert!(v3.skill_names().len() <= 10.max(v3.skill_names().iter().filter(|k| wanted(k)).count()));

    // The untailored profile: every group, every keyword, in the profile's order.
    let base = template_resume(&p, &job, app());
    assert_eq!(base.skills, p.resume.skills);
}

#[test]
fn a_group_label_listed_as_a_skill_fails_the_guard() {
    let p = profile();
    let job = tailor::job_from_paste("text", POSTING);
    let a = analysis::HeuristicAnalyzer.analyze(&job);
    let v = tailor::variant(&p, &job, &a, app(), tailor::Strategy::SkillsFirst);
    assert_eq!(guard_reasons(&v, &p), Vec::<String>::new());

    // "AI" (the label of /skills/1) listed as a skill of its own, traced to the label.
    let mut padded = v.clone();
    padded.skills.push(Skill::from("AI"));
    let g = padded.skills.len() - 1;
    padded.provenance.push(LineProvenance {
        path: format!("/skills/{g}/name"),
        sources: vec!["/skills/1/name".into()],
        rewritten: false,
    });
    let reasons = guard_reasons(&padded, &p);
    assert!(reasons.iter().any(|r| r.contains("group label \"AI\" is listed as a skill")), "{reasons:#?}");

    // A keyword traced to a label, or a group mixing two of the profile's groups.
    let mut moved = v.clone();
    let label_of_0 = moved.provenance.iter_mut().find(|l| l.path == "/skills/0/keywords/0").unwrap();
    label_of_0.sources = vec!["/skills/0/name".into()];
    moved.skills[0].keywords[0] = "Languages".into();
    let reasons = guard_reasons(&moved, &p);
    assert!(reasons.iter().any(|r| r.contains("must come from a skill's keywords")), "{reasons:#?}");
    let mut mixed = v.clone();
    let kw = mixed.provenance.iter_mut().find(|l| l.path == "/skills/0/keywords/0").unwrap();
    kw.sources = vec!["/skills/4/keywords/0".into()];
    mixed.skills[0].keywords[0] = "React".into();
    let reasons = guard_reasons(&mixed, &p);
    assert!(reasons.iter().any(|r| r.contains("mixes the profile's entries")), "{reasons:#?}");
}
