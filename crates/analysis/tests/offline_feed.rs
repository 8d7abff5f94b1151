//! The heuristic analyzer against every posting of the real offline feed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use analysis::HeuristicAnalyzer;
use chrono::{DateTime, Utc};
use domain::{JobId, Seniority, UserId, WorkplaceType};

fn analyses() -> Vec<(domain::Job, domain::JobAnalysis)> {
    let now = DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap();
    let job_id: JobId = "00000000-0000-7000-8000-000000000001".parse().unwrap();
    let user_id: UserId = "00000000-0000-7000-8000-000000000002".parse().unwrap();
    discovery::offline_feed()
        .unwrap()
        .into_iter()
        .map(|p| {
            let a = HeuristicAnalyzer.analyze(&discovery::to_job(&p, job_id, user_id, now));
            (p, a)
        })
        .collect()
}

#[test]
fn every_posting_gets_a_sensible_analysis() {
    for (p, a) in analyses() {
        if std::env::var_os("SHOW_ANALYSES").is_some() {
            println!(
                "{} | {:?} {:?} {:?}\n  skills {:?}\n  keywords {:?}",
                p.title, a.seniority, a.workplace, a.salary, a.skills, a.keywords
            );
        }
        assert_eq!(a.provider, "heuristic");
        assert!(a.skills.len() <= 30 && a.keywords.len() <= 20, "{}", p.title);
        assert!(a.keywords.iter().all(|s| *s == s.to_lowercase()), "{}", p.title);
        assert!(a.skills.iter().all(|s| analysis::normalize_skill(s) == Some(s.as_str())), "{}", p.title);
        if p.workplace != WorkplaceType::Unknown {
            assert_eq!(a.workplace, p.workplace, "{}", p.title);
        }
        if p.salary.is_some() {
            assert_eq!(a.salary, p.salary, "{}", p.title);
        }
    }
}

#[test]
fn engineering_postings_name_their_stack() {
    let all = analyses();
    let find = |title: &str| all.iter().find(|(p, _)| p.title == title).map(|(_, a)| a).unwrap();
    let android = find("Android Engineer III");
    assert!(
        android.skills.contains(&"Android".to_owned()) && android.skills.contains(&"Kotlin".to_owned()),
        "{:?}",
        android.skills
    );
    assert_eq!(android.seniority, Seniority::Senior);
    let fullstack = find("Full Stack Engineer");
    assert!(fullstack.skills.contains(&"TypeScript".to_owned()), "{:?}", fullstack.skills);
    let staff = find("Staff Software Engineer, Product (Belo Horizonte)");
    assert_eq!(staff.seniority, Seniority::Staff);
    let remoteok = find("Social Comms");
    assert_eq!(remoteok.workplace, WorkplaceType::Remote);
}
