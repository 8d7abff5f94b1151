//! A resume tailored to one job: the profile's own facts, selected and ordered for that job.

use crate::ids::{ApplicationId, JobId, UserId};
use serde::{Deserialize, Serialize};

/// The formats a tailored resume is rendered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResumeFormat {
    Markdown,
    Html,
}

impl ResumeFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
            Self::Html => "html",
        }
    }
}

/// One work entry of the profile with its highlights reordered for the job. Every string is
/// copied verbatim from the profile: tailoring selects and orders, it never writes facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailoredSection {
    pub organization: String,
    pub position: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub summary: Option<String>,
    pub highlights: Vec<String>,
}

/// A resume tailored to one job, one of several variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailoredResume {
    pub application_id: ApplicationId,
    pub job_id: JobId,
    pub user_id: UserId,
    /// `v1`, `v2`, `v3`: which variant strategy produced it (the learning loop compares them).
    pub variant_id: String,
    pub name: String,
    pub label: Option<String>,
    pub email: Option<String>,
    pub summary: Option<String>,
    /// Skills from the profile, those the job asks for first.
    pub skills: Vec<String>,
    pub work: Vec<TailoredSection>,
    /// Share of the job's keywords present in this resume, 0..=1 (the ATS score).
    pub ats_score: f64,
    /// Job keywords the resume covers.
    pub matched_keywords: Vec<String>,
    /// Whether the optimizer picked this variant for submission.
    pub selected: bool,
}
