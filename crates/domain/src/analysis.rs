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
}
