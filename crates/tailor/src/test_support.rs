//! Shared test fixtures: the sample profile, a job and a hand-made analysis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use domain::{Job, JobAnalysis, Profile, Seniority, WorkplaceType};

pub(crate) fn sample_profile() -> Profile {
    Profile::import(discovery::SAMPLE_PROFILE).unwrap()
}

pub(crate) fn job(title: &str, description: &str) -> Job {
    Job {
        id: "00000000-0000-7000-8000-000000000001".parse().unwrap(),
        user_id: "00000000-0000-7000-8000-000000000002".parse().unwrap(),
        source: "test".into(),
        source_id: "1".into(),
        company: "Acme".into(),
        title: title.into(),
        location: "Remote".into(),
        workplace: WorkplaceType::Remote,
        salary: None,
        description: description.into(),
        apply_url: "https://example.com/apply".into(),
        posted_at: None,
        discovered_at: DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap(),
        content_hash: String::new(),
        application_questions: None,
    }
}

pub(crate) fn analysis(skills: &[&str], keywords: &[&str]) -> JobAnalysis {
    let j = job("", "");
    JobAnalysis {
        job_id: j.id,
        user_id: j.user_id,
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        keywords: keywords.iter().map(|s| (*s).to_owned()).collect(),
        seniority: Seniority::Senior,
        workplace: WorkplaceType::Remote,
        salary: None,
        provider: "test".into(),
        required_skills: Vec::new(),
        preferred_skills: Vec::new(),
        years_experience: None,
        responsibilities: Vec::new(),
        education: Vec::new(),
        certifications: Vec::new(),
        location: None,
        visa_sponsorship: None,
        weighted_keywords: Vec::new(),
    }
}
