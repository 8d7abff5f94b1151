//! The offline feed bundled with the binary, and the door from a posting to a user's job.
//!
//! A posting that is not yet anyone's job is a [`Job`] with nil ids (as `Job::from_posting_text`
//! makes for a pasted posting): the matcher reads it, and [`to_job`] gives it its ids, its
//! discovery time and its content hash. There is no separate "posting" type.
//!
//! The feed (`data/offline_feed.json`) was assembled once from real job-board responses
//! (Greenhouse, Lever, Ashby, Remotive, Recruitee, Remote OK, SmartRecruiters, Workable,
//! We Work Remotely) with HTML stripped; the postings' text is the boards' own.

use chrono::{DateTime, Utc};
use domain::{Job, JobId, Salary, UserId, WorkplaceType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The bundled feed, as JSON.
pub const OFFLINE_FEED_JSON: &str = include_str!("../data/offline_feed.json");

/// One entry of the feed file (its JSON shape); read into a nil-id [`Job`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedEntry {
    /// The board it came from (`greenhouse`, `lever`, `ashby`, ...).
    pub source: String,
    /// The board's own id for it.
    pub source_id: String,
    pub company: String,
    pub title: String,
    pub location: String,
    pub workplace: WorkplaceType,
    pub salary: Option<Salary>,
    /// Plain text. Third-party data: never read as instructions.
    pub description: String,
    pub apply_url: String,
    pub posted_at: Option<DateTime<Utc>>,
}

/// Why postings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("the offline feed is not valid JSON for postings: {0}")]
    InvalidFeed(#[from] serde_json::Error),
    #[error("the offline feed has two postings with id `{source_name}:{source_id}`")]
    DuplicatePosting { source_name: String, source_id: String },
}

/// The bundled offline feed.
pub fn offline_feed() -> Result<Vec<Job>, DiscoveryError> {
    let entries: Vec<FeedEntry> = serde_json::from_str(OFFLINE_FEED_JSON)?;
    let postings: Vec<Job> = entries.into_iter().map(FeedEntry::into_job).collect();
    let mut seen = std::collections::HashSet::new();
    for p in &postings {
        if !seen.insert((p.source.as_str(), p.source_id.as_str())) {
            return Err(DiscoveryError::DuplicatePosting {
                source_name: p.source.clone(),
                source_id: p.source_id.clone(),
            });
        }
    }
    Ok(postings)
}

/// SHA-256 (hex) of the fields a candidate would care about, so a re-scrape can tell whether a
/// posting changed. Each field is followed by a separator byte that cannot occur in text, so
/// moving characters between fields changes the hash.
pub fn content_hash(p: &Job) -> String {
    let salary = p.salary.as_ref().map(|s| {
        let period = s.period.as_str();
        format!("{:?}-{:?} {} {period}", s.min, s.max, s.currency)
    });
    let posted = p.posted_at.map(|t| t.to_rfc3339());
    let fields: [&str; 10] = [
        &p.source,
        &p.source_id,
        &p.company,
        &p.title,
        &p.location,
        p.workplace.as_str(),
        salary.as_deref().unwrap_or(""),
        &p.description,
        &p.apply_url,
        posted.as_deref().unwrap_or(""),
    ];
    let mut h = Sha256::new();
    for f in fields {
        h.update(f.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

impl FeedEntry {
    fn into_job(self) -> Job {
        let mut job = Job {
            id: JobId(Default::default()),
            user_id: UserId(Default::default()),
            source: self.source,
            source_id: self.source_id,
            company: self.company,
            title: self.title,
            location: self.location,
            workplace: self.workplace,
            salary: self.salary,
            description: self.description,
            apply_url: self.apply_url,
            posted_at: self.posted_at,
            discovered_at: DateTime::UNIX_EPOCH,
            content_hash: String::new(),
            application_questions: None,
        };
        job.content_hash = content_hash(&job);
        job
    }
}

/// The posting as one user's job, discovered at `now`.
pub fn to_job(p: &Job, id: JobId, user_id: UserId, now: DateTime<Utc>) -> Job {
    use domain::text::storable;
    // Every text field a board filled is made storable here, the one door into the store.
    Job {
        id,
        user_id,
        source: storable(&p.source),
        source_id: storable(&p.source_id),
        company: storable(&p.company),
        title: storable(&p.title),
        location: storable(&p.location),
        workplace: p.workplace,
        salary: p.salary.clone().map(|mut s| {
            domain::text::make_storable(&mut s.currency);
            s
        }),
        description: storable(&p.description),
        apply_url: storable(&p.apply_url),
        posted_at: p.posted_at,
        discovered_at: now,
        content_hash: content_hash(p),
        application_questions: p.application_questions.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::text::contains_word;

    #[test]
    fn feed_parses_and_is_varied() {
        let feed = offline_feed().unwrap();
        assert!((30..=45).contains(&feed.len()), "{} postings", feed.len());
        let sources: std::collections::BTreeSet<_> = feed.iter().map(|p| p.source.as_str()).collect();
        assert!(sources.len() >= 8, "{sources:?}");
        let tech = feed
            .iter()
            .filter(|p| ["engineer", "developer", "data", "analytics"].iter().any(|w| contains_word(&p.title, w)))
            .count();
        assert!(tech >= 10, "only {tech} software/data roles");
        for p in &feed {
            assert!(!p.title.is_empty() && !p.company.is_empty(), "{p:?}");
            assert!(p.apply_url.starts_with("https://"), "{}", p.apply_url);
            assert!(p.description.chars().count() <= 4100, "{} is too long", p.title);
            assert!(!p.description.contains("<p>") && !p.description.contains("&amp;"), "{} has markup", p.title);
        }
        assert!(feed.iter().any(|p| p.salary.is_some()));
        assert!(feed.iter().any(|p| p.workplace == WorkplaceType::Unknown));
    }

    #[test]
    fn hash_is_stable_and_notices_changes() {
        let feed = offline_feed().unwrap();
        let p = &feed[0];
        assert_eq!(content_hash(p), content_hash(&p.clone()));
        assert_eq!(content_hash(p).len(), 64);
        let mut changed = p.clone();
        changed.description.push('!');
        assert_ne!(content_hash(p), content_hash(&changed));
        let hashes: std::collections::HashSet<_> = feed.iter().map(content_hash).collect();
        assert_eq!(hashes.len(), feed.len());
    }

    #[test]
    fn to_job_copies_the_posting() {
        let feed = offline_feed().unwrap();
        let p = &feed[0];
        let now = DateTime::parse_from_rfc3339("2026-09-01T12:00:00Z").unwrap().with_timezone(&Utc);
        let id: JobId = "00000000-0000-7000-8000-000000000001".parse().unwrap();
        let user: UserId = "00000000-0000-7000-8000-000000000002".parse().unwrap();
        let job = to_job(p, id, user, now);
        assert_eq!((job.id, job.user_id, job.discovered_at), (id, user, now));
        assert_eq!((&job.title, &job.company, job.workplace), (&p.title, &p.company, p.workplace));
        assert_eq!(job.content_hash, content_hash(p));
    }
}
