//! What a board adapter hands to normalization: the board's fields mapped by name, with its
//! own spellings and formats left as they are. Normalization (`crate::normalize`) owns every
//! rule about what they mean.

use crate::canonical::JobLocation;
use domain::Salary;

/// One posting as a board returned it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawPosting {
    /// `greenhouse`, `lever`, ... (`SourceKind::as_str`).
    pub source: String,
    pub source_id: String,
    pub company: String,
    pub title: String,
    /// Free-text locations as the board prints them ("London, UK", "Remote - US").
    pub location_texts: Vec<String>,
    /// Locations the board gives in parts.
    pub locations: Vec<JobLocation>,
    /// The board's own workplace words ("remote", "TELECOMMUTE", "hybrid", "On-site", "true"
    /// for an is-remote flag).
    pub workplace_hint: Option<String>,
    /// Regions a remote job accepts, as the board says them.
    pub remote_regions: Vec<String>,
    /// The board's employment type words ("FullTime", "full_time", "FULL_TIME", "Permanent").
    pub employment_type: Option<String>,
    /// A structured salary, when the board has one.
    pub salary: Option<Salary>,
    /// Salary text when that is all there is ("$120k–$150k + equity", "£60K – £95K").
    pub salary_text: Option<String>,
    /// Dates as the board writes them: RFC 3339, ISO dates, RFC 2822, epoch seconds or millis.
    pub posted_at: Option<String>,
    pub closes_at: Option<String>,
    /// Description as HTML (possibly entity-escaped, possibly hostile).
    pub description_html: Option<String>,
    /// Description as plain text, when the board provides it.
    pub description_text: Option<String>,
    pub apply_url: Option<String>,
    /// The posting's page.
    pub url: Option<String>,
    pub application_questions: Option<serde_json::Value>,
}

/// Why a posting was not kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("posting has no id")]
    MissingId,
    #[error("posting has no title")]
    MissingTitle,
    #[error("posting has no company")]
    MissingCompany,
    #[error("posting has no apply or posting URL")]
    MissingUrl,
    #[error("posting is malformed: {0}")]
    Malformed(String),
    #[error("posting is too large ({0} bytes)")]
    TooLarge(usize),
}

impl SkipReason {
    /// A short label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Self::MissingId => "missing_id",
            Self::MissingTitle => "missing_title",
            Self::MissingCompany => "missing_company",
            Self::MissingUrl => "missing_url",
            Self::Malformed(_) => "malformed",
            Self::TooLarge(_) => "too_large",
        }
    }
}
