//! What the analyzer learned about a job description.

use crate::ids::{JobId, UserId};
use crate::job::{Salary, WorkplaceType};
use serde::{Deserialize, Serialize};

/// Seniority read from a title or description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Seniority {
    Intern,
    Junior,
    #[default]
    Mid,
    Senior,
    Staff,
    Principal,
    Manager,
    Director,
}

/// The structured reading of one job description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobAnalysis {
    pub job_id: JobId,
    pub user_id: UserId,
    /// Skills the posting asks for, lowercase, most important first.
    pub skills: Vec<String>,
    /// Other salient keywords (domain words, tools) for ATS matching.
    pub keywords: Vec<String>,
    pub seniority: Seniority,
    pub workplace: WorkplaceType,
    pub salary: Option<Salary>,
    /// Which provider produced it (`heuristic`, later `openai`, `anthropic`, `local`), or
    /// `cached_similar:<job_id>` when the `use_cached_similar` strategy supplied it.
    pub provider: String,
    /// Skills the posting requires, canonical taxonomy names ("Kubernetes", "PostgreSQL").
    #[serde(default)]
    pub required_skills: Vec<String>,
    /// Skills the posting names as a plus ("nice to have", "bonus"), canonical names.
    #[serde(default)]
    pub preferred_skills: Vec<String>,
    /// Minimum years of experience asked for, if stated.
    #[serde(default)]
    pub years_experience: Option<u32>,
    /// What the job involves, one line each, in posting order.
    #[serde(default)]
    pub responsibilities: Vec<String>,
    /// Degrees or fields asked for ("Bachelor's degree in Computer Science").
    #[serde(default)]
    pub education: Vec<String>,
    /// Certifications asked for ("AWS Certified Solutions Architect").
    #[serde(default)]
    pub certifications: Vec<String>,
    /// Where the job is, as the posting says it.
    #[serde(default)]
    pub location: Option<String>,
    /// `Some(true)` when the posting offers visa sponsorship, `Some(false)` when it rules it out.
    #[serde(default)]
    pub visa_sponsorship: Option<bool>,
    /// Keywords with their weight (0..=1), heaviest first, for ATS coverage.
    #[serde(default)]
    pub weighted_keywords: Vec<WeightedKeyword>,
}

/// A keyword of a posting and how much it matters (0..=1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedKeyword {
    pub term: String,
    pub weight: f64,
}

/// How well a profile fits a job, 0–100, with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MatchScore {
    /// 0..=100.
    pub score: u8,
    /// Job keywords/skills the profile has.
    pub matched_keywords: Vec<String>,
    /// Job keywords/skills the profile lacks.
    pub missing_keywords: Vec<String>,
    /// Missing skills for which the profile has a sibling in the same family (e.g. the job wants
    /// GCP, the profile has AWS), as `"GCP ← AWS"`.
    pub transferable_keywords: Vec<String>,
    /// 0..=1: the profile's years of experience against the posting's minimum.
    pub experience_fit: f64,
    /// 0..=1: the job's location/remote policy against the user's preferences.
    pub location_fit: f64,
    /// One or two sentences a user can read.
    pub explanation: String,
}
