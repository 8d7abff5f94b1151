//! A resume tailored to one job: the profile's own facts, selected, ordered and (when an AI
//! provider rewrote them and the truth guard accepted it) reworded for that job. Every line
//! carries its provenance: the profile entries it came from.

use crate::ids::{ApplicationId, JobId, UserId};
use crate::profile::{Certificate, Education, Project, Skill};
use serde::{Deserialize, Deserializer, Serialize};

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
    /// The profile's skills section, selected and ordered for the job: each entry is one of the
    /// profile's skill groups (its label and level verbatim, its keywords — the skills — those the
    /// job asks for first) or one ungrouped skill (a name, no keywords). A group's label is never
    /// a skill. Reads the older flat form (`["Rust", "Go"]`) as ungrouped skills.
    #[serde(deserialize_with = "skills_or_names")]
    pub skills: Vec<Skill>,
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

impl TailoredResume {
    /// Every skill the resume lists, in order: the groups' keywords and the ungrouped skills'
    /// names, never a group's label.
    pub fn skill_names(&self) -> Vec<&str> {
        self.skills.iter().flat_map(Skill::skill_names).collect()
    }
}

/// The skills section as written now (JSON Resume `skills` entries) or before groups were kept
/// (a list of names).
fn skills_or_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Skill>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Entry {
        Name(String),
        Skill(Skill),
    }
    let entries = Vec::<Entry>::deserialize(d)?;
    Ok(entries
        .into_iter()
        .map(|e| match e {
            Entry::Name(n) => Skill::from(n),
            Entry::Skill(s) => s,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_read_both_forms_and_list_no_labels() {
        let mut v = serde_json::json!({
            "application_id": "00000000-0000-7000-8000-000000000001", "job_id": "00000000-0000-7000-8000-000000000002",
            "user_id": "00000000-0000-7000-8000-000000000003", "variant_id": "v1", "name": "A", "label": null,
            "email": null, "summary": null, "work": [], "ats_score": 0.5, "matched_keywords": [], "selected": false,
            "skills": ["Rust", "Go"],
        });
        let old: TailoredResume = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(old.skills, [Skill::from("Rust"), Skill::from("Go")]);
        assert_eq!(old.skill_names(), ["Rust", "Go"]);
        v["skills"] =
            serde_json::json!([{"name": "AI", "level": "Advanced", "keywords": ["RAG", "PyTorch"]}, {"name": "Go"}]);
        let new: TailoredResume = serde_json::from_value(v).unwrap();
        assert_eq!(new.skill_names(), ["RAG", "PyTorch", "Go"]);
        let back: TailoredResume = serde_json::from_value(serde_json::to_value(&new).unwrap()).unwrap();
        assert_eq!(back, new);
    }
}
