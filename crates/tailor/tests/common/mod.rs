//! Fixtures the tailoring tests share: profiles, jobs and analyses.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use domain::{ApplicationId, Job, JobAnalysis, Profile};

/// The bundled sample profile (Alex Rivera).
pub fn sample_profile() -> Profile {
    Profile::import(discovery::SAMPLE_PROFILE).unwrap()
}

/// A small profile with no Kubernetes anywhere and a modest bullet ("contributed to").
pub const SMALL: &str = r#"{
  "basics": { "name": "Sam Okafor", "label": "Backend Engineer", "email": "sam@example.com",
              "summary": "Backend engineer with 4 years of experience building APIs in Python and PostgreSQL." },
  "work": [
    { "name": "Harbor Analytics", "position": "Backend Engineer", "startDate": "2021-01",
      "summary": "Backend engineer on the data ingestion team.",
      "highlights": [
        "Contributed to a migration of 12 services from Flask to FastAPI.",
        "Helped reduce PostgreSQL query latency by 30% with better indexes.",
        "Wrote integration tests for the billing API in Python."
      ] },
    { "name": "Quill Media", "position": "Junior Developer", "startDate": "2019-06", "endDate": "2020-12",
      "highlights": ["Maintained Django views for the newsroom CMS."] }
  ],
  "education": [ { "institution": "University of Lagos", "area": "Computer Science", "studyType": "Bachelor",
                   "startDate": "2015-09", "endDate": "2019-06" } ],
  "certificates": [ { "name": "AWS Certified Cloud Practitioner", "date": "2022-03", "issuer": "Amazon" } ],
  "skills": [ { "name": "Backend", "keywords": ["Python", "PostgreSQL", "FastAPI", "Django", "Docker"] } ],
  "languages": [ { "language": "English", "fluency": "Native speaker" } ]
}"#;

pub fn small_profile() -> Profile {
    Profile::import(SMALL).unwrap()
}

pub fn app() -> ApplicationId {
    "00000000-0000-7000-8000-0000000000aa".parse().unwrap()
}

pub fn job(title: &str, description: &str) -> Job {
    let mut j = tailor::job_for_text(title, description);
    j.id = "00000000-0000-7000-8000-000000000001".parse().unwrap();
    j.user_id = "00000000-0000-7000-8000-000000000002".parse().unwrap();
    j.company = "Acme".into();
    j
}

pub fn analyze(job: &Job) -> JobAnalysis {
    analysis::HeuristicAnalyzer.analyze(job)
}

pub const BACKEND_JOB: &str = "We are hiring a Senior Backend Engineer.\n\
    Requirements: Python, PostgreSQL, Kafka, Docker and Kubernetes. Experience with FastAPI and REST APIs.\n\
    You will build billing and ingestion services.";
