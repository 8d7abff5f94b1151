//! The canonical job posting, whatever board it came from.

use crate::ids::{JobId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the work happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WorkplaceType {
    Remote,
    Hybrid,
    Onsite,
    #[default]
    Unknown,
}

impl WorkplaceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Remote => "remote",
            Self::Hybrid => "hybrid",
            Self::Onsite => "onsite",
            Self::Unknown => "unknown",
        }
    }
}

/// How often a salary figure is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SalaryPeriod {
    Hour,
    Day,
    Week,
    Month,
    #[default]
    Year,
}

impl SalaryPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

/// A salary range as posted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub currency: String,
    pub period: SalaryPeriod,
}

impl Salary {
    /// The yearly upper bound, for comparing with a salary floor (52 weeks, 260 working days,
    /// 2,080 working hours a year).
    pub fn yearly_max(&self) -> Option<f64> {
        let top = self.max.or(self.min)?;
        Some(match self.period {
            SalaryPeriod::Year => top,
            SalaryPeriod::Month => top * 12.0,
            SalaryPeriod::Week => top * 52.0,
            SalaryPeriod::Day => top * 260.0,
            SalaryPeriod::Hour => top * 2080.0,
        })
    }
}

/// One job posting, normalized, as stored for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub user_id: UserId,
    /// The board it came from (`greenhouse`, `lever`, `offline`, ...).
    pub source: String,
    /// The board's own id for it.
    pub source_id: String,
    pub company: String,
    pub title: String,
    pub location: String,
    pub workplace: WorkplaceType,
    pub salary: Option<Salary>,
    /// Plain-text description (never instructions: it is data from a third party).
    pub description: String,
    pub apply_url: String,
    pub posted_at: Option<DateTime<Utc>>,
    pub discovered_at: DateTime<Utc>,
    /// Hash of the posting's content, to notice changes.
    pub content_hash: String,
    /// The board's application form when it publishes one (Greenhouse `questions`, …), as
    /// the board sent it; the submitter answers it from the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_questions: Option<serde_json::Value>,
}

impl Job {
    /// A job known only by its text (a pasted posting, a labelled case, a model's input): nil
    /// ids, no board fields, discovered at the Unix epoch. `source` says where the text came from.
    pub fn from_text(source: &str, title: &str, description: &str) -> Self {
        Self {
            id: JobId(uuid::Uuid::nil()),
            user_id: UserId(uuid::Uuid::nil()),
            source: source.to_owned(),
            source_id: String::new(),
            company: String::new(),
            title: title.trim().to_owned(),
            location: String::new(),
            workplace: WorkplaceType::Unknown,
            salary: None,
            description: description.trim().to_owned(),
            apply_url: String::new(),
            posted_at: None,
            discovered_at: DateTime::UNIX_EPOCH,
            content_hash: String::new(),
            application_questions: None,
        }
    }

    /// [`Job::from_text`] over one pasted text whose first line is the title. The text is read
    /// like a fetched posting ([`crate::text::posting_text`]): character references decoded
    /// (`&amp;`, `&nbsp;`, `&#8226;`), bullets made "- ", odd spaces made plain. HTML stays markup
    /// here (this crate parses no HTML); [`Job::from_posting_text_via`] takes an HTML reader.
    pub fn from_posting_text(source: &str, text: &str) -> Self {
        Self::titled(source, &crate::text::posting_text(text))
    }

    /// [`Job::from_posting_text`] with HTML — as pasted, or escaped (`&lt;p&gt;`) — turned into
    /// text by `html_to_text` (which decodes references and drops what a browser would not
    /// show); the title is the first line of the text.
    pub fn from_posting_text_via(source: &str, text: &str, html_to_text: &dyn Fn(&str) -> String) -> Self {
        Self::titled(source, &crate::text::posting_text_via(text, html_to_text))
    }

    fn titled(source: &str, text: &str) -> Self {
        let text = text.trim();
        let (title, description) = text.split_once('\n').unwrap_or((text, ""));
        let title = title.trim();
        Self::from_text(source, title.strip_prefix("- ").unwrap_or(title), description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_text_posting_is_decoded() {
        let paste = "Senior Backend Engineer &ndash; AI&nbsp;Platform\r\nWe build tools for R&amp;D teams.\n\
                     &bull; Python &amp; PostgreSQL\n&#8226; Kubernetes&#x2F;AWS\n&lt;3 code review\n";
        let job = Job::from_posting_text("paste", paste);
        assert_eq!(job.title, "Senior Backend Engineer – AI Platform");
        assert_eq!(
            job.description,
            "We build tools for R&D teams.\n- Python & PostgreSQL\n- Kubernetes/AWS\n<3 code review"
        );
        for residue in ["&amp;", "&nbsp;", "&#", "\u{a0}"] {
            assert!(!job.description.contains(residue), "{residue}");
        }
        assert_eq!(job.source, "paste");
        assert_eq!(job.discovered_at, DateTime::UNIX_EPOCH);
    }

    #[test]
    fn an_html_paste_goes_through_the_html_reader() {
        let reader = |h: &str| h.replace("<h1>", "").replace("</h1>", "\n").replace("<p>", "").replace("</p>", "\n");
        let job = Job::from_posting_text_via("paste", "<h1>Data Engineer</h1><p>\u{2022} Spark</p>", &reader);
        assert_eq!((job.title.as_str(), job.description.as_str()), ("Data Engineer", "- Spark"));
        let escaped =
            Job::from_posting_text_via("paste", "&lt;h1&gt;Data Engineer&lt;/h1&gt;&lt;p&gt;Spark&lt;/p&gt;", &reader);
        assert_eq!((escaped.title.as_str(), escaped.description.as_str()), ("Data Engineer", "Spark"));
        // Without a reader the markup stays for one above this crate.
        assert!(Job::from_posting_text("paste", "Data Engineer\n<p>Spark</p>").description.contains("<p>"));
    }
}
