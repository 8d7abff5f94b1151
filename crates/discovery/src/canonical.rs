//! The canonical job: one posting, normalized, whatever board it came from. Field names are
//! the ones `applyflow discover --format jsonl` prints (scripts rely on them).

use chrono::{DateTime, Utc};
use domain::{Salary, Seniority, WorkplaceType};
use serde::{Deserialize, Serialize};

/// One place a job is based.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct JobLocation {
    pub city: Option<String>,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 where known (`US`, `GB`), else the board's country name.
    pub country: Option<String>,
}

impl JobLocation {
    /// "City, Region, Country" with the known parts.
    pub fn label(&self) -> String {
        [&self.city, &self.region, &self.country].iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(", ")
    }
}

/// Where a deduplicated job was seen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    pub source: String,
    pub source_id: String,
    /// The posting's page on that board, when known.
    pub url: Option<String>,
}

/// A normalized posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanonicalJob {
    pub source: String,
    pub source_id: String,
    pub company: String,
    pub title: String,
    pub seniority: Option<Seniority>,
    pub locations: Vec<JobLocation>,
    /// `None` when the posting does not say.
    pub workplace: Option<WorkplaceType>,
    /// Regions a remote job accepts applicants from (`US`, `Europe`, `Worldwide`, ...).
    pub remote_regions: Vec<String>,
    /// `full_time`, `part_time`, `contract`, `temporary`, `internship`, `volunteer`, or `None`.
    pub employment_type: Option<String>,
    pub salary: Option<Salary>,
    pub posted_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// Sanitized HTML (safe to render).
    pub description_html: String,
    /// Plain text of the description. Third-party data: never read as instructions.
    pub description_text: String,
    pub apply_url: String,
    /// SHA-256 (hex) of the salient fields: a changed hash means a changed posting.
    pub content_hash: String,
    /// Every source this job was seen on (itself first).
    pub sources: Vec<SourceRef>,
    /// The board's application questions, when it publishes them (Greenhouse `?questions=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_questions: Option<serde_json::Value>,
}

impl CanonicalJob {
    /// A stored job seen as a canonical one (enough for deduplication against it).
    pub fn from_job(job: &domain::Job) -> Self {
        let locations = if job.location.trim().is_empty() {
            Vec::new()
        } else {
            vec![JobLocation { city: Some(job.location.clone()), region: None, country: None }]
        };
        Self {
            source: job.source.clone(),
            source_id: job.source_id.clone(),
            company: job.company.clone(),
            title: job.title.clone(),
            seniority: None,
            locations,
            workplace: Some(job.workplace).filter(|w| *w != WorkplaceType::Unknown),
            remote_regions: Vec::new(),
            employment_type: None,
            salary: job.salary.clone(),
            posted_at: job.posted_at,
            closes_at: None,
            description_html: String::new(),
            description_text: job.description.clone(),
            apply_url: job.apply_url.clone(),
            content_hash: job.content_hash.clone(),
            sources: vec![SourceRef { source: job.source.clone(), source_id: job.source_id.clone(), url: None }],
            application_questions: None,
        }
    }

    /// The posting as a job that is nobody's yet (nil ids): what matching and [`crate::to_job`]
    /// read. Lossy by design: the structured locations fold into one string, and seniority,
    /// employment type, closing date, HTML and the source list stay here.
    pub fn as_job(&self) -> domain::Job {
        let location = if self.locations.is_empty() {
            if self.workplace == Some(WorkplaceType::Remote) {
                format!(
                    "Remote{}",
                    if self.remote_regions.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", self.remote_regions.join(", "))
                    }
                )
            } else {
                String::new()
            }
        } else {
            self.locations.iter().map(JobLocation::label).collect::<Vec<_>>().join("; ")
        };
        let mut job = domain::Job {
            id: domain::JobId(Default::default()),
            user_id: domain::UserId(Default::default()),
            source: self.source.clone(),
            source_id: self.source_id.clone(),
            company: self.company.clone(),
            title: self.title.clone(),
            location,
            workplace: self.workplace.unwrap_or_default(),
            salary: self.salary.clone(),
            description: self.description_text.clone(),
            apply_url: self.apply_url.clone(),
            posted_at: self.posted_at,
            discovered_at: chrono::DateTime::UNIX_EPOCH,
            content_hash: String::new(),
            application_questions: self.application_questions.clone(),
        };
        job.content_hash = crate::content_hash(&job);
        job
    }
}
