//! A resume tailored to one job: the profile's own facts, selected, ordered and (when an AI
//! provider rewrote them and the truth guard accepted it) reworded for that job. Every line
//! carries its provenance: the profile entries it came from.

use crate::ids::{ApplicationId, JobId, UserId};
use crate::profile::{Certificate, Education, Project};
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

/// One work entry of the profile with its highlights selected and ordered for the job.
/// Organization, position and dates are always the profile's own; the summary and highlights are
/// the profile's text or a guarded rewording of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailoredSection {
    pub organization: String,
    pub position: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub summary: Option<String>,
    pub highlights: Vec<String>,
}

/// Where one line of a tailored resume came from. `path` is a JSON pointer into the resume's
/// JSON Resume form (`/work/0/highlights/1`), `sources` are JSON pointers into the profile's JSON
/// Resume document (`/work/0/highlights/3`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProvenance {
    pub path: String,
    pub sources: Vec<String>,
    /// Reworded by an AI provider (and accepted by the truth guard); otherwise verbatim.
    #[serde(default)]
    pub rewritten: bool,
}

/// One readability check an ATS parser cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadabilityCheck {
    /// `standard_headings`, `no_tables`, `no_header_footer_content`, `contact_in_body`, ...
    pub check: String,
    pub passed: bool,
    pub detail: String,
}

/// How a variant reads to an applicant tracking system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AtsReport {
    /// Share (0..=1) of the job's keywords the untailored profile covers.
    pub coverage_before: f64,
    /// Share (0..=1) of the job's keywords this variant covers.
    pub coverage_after: f64,
    pub matched_keywords: Vec<String>,
    pub missing_keywords: Vec<String>,
    /// Questions to the user about missing keywords they might truly have. Never inserted.
    pub questions: Vec<String>,
    pub readability: Vec<ReadabilityCheck>,
}

/// What the truth guard decided about a variant's AI rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardReport {
    /// `true` when the resume as delivered passed the guard with the rewrite (or no rewrite was
    /// attempted); `false` when a rewrite was rejected and the template version was used.
    pub accepted: bool,
    pub rejected_reasons: Vec<String>,
    /// The provider that rewrote the text, when a rewrite was accepted.
    #[serde(default)]
    pub rewritten_by: Option<String>,
    /// `fallback_to_template` when a rewrite was rejected or no provider could rewrite.
    #[serde(default)]
    pub fallback: Option<String>,
}

impl Default for GuardReport {
    fn default() -> Self {
        Self { accepted: true, rejected_reasons: Vec::new(), rewritten_by: None, fallback: None }
    }
}

/// A resume tailored to one job, one of several variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailoredResume {
    pub application_id: ApplicationId,
    pub job_id: JobId,
    pub user_id: UserId,
    /// `v1`, `v2`, `v3` (or `template`): a stable id the learning loop compares.
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
    /// The strategy behind the variant: `skills_first`, `impact_first`, `concise`, `template`.
    #[serde(default)]
    pub strategy: String,
    /// Section order, e.g. `["summary", "skills", "work", "projects", "education"]`.
    #[serde(default)]
    pub sections: Vec<String>,
    /// The profile's education entries, verbatim.
    #[serde(default)]
    pub education: Vec<Education>,
    /// The profile's certificates, verbatim.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Projects with their highlights selected for the job (verbatim).
    #[serde(default)]
    pub projects: Vec<Project>,
    /// One entry per line of the resume's JSON Resume form.
    #[serde(default)]
    pub provenance: Vec<LineProvenance>,
    #[serde(default)]
    pub ats_report: Option<AtsReport>,
    #[serde(default)]
    pub guard: GuardReport,
}
