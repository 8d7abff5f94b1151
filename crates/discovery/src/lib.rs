//! Job discovery (the ScraperAgent's sources): the bundled offline feed, its canonical
//! [`Posting`] shape, and matching postings against a user's [`domain::Preferences`].
//!
//! Everything here is pure: the feed is compiled into the binary so a fresh install can run the
//! whole workflow with no network, and live board adapters can produce the same [`Posting`].

pub mod canonical;
pub mod dedup;
mod feed;
mod matching;
pub mod normalize;
pub mod raw;
pub mod sources;
mod text;

pub use canonical::{CanonicalJob, JobLocation, SourceRef};
pub use feed::{content_hash, offline_feed, to_job, DiscoveryError, OFFLINE_FEED_JSON};
pub use matching::match_preferences;
pub use raw::{RawPosting, SkipReason};
pub use sources::{fetch_source, HttpClient, SourceKind, SourceSpec};
pub use text::{contains_word, word_positions};

/// A realistic profile (JSON Resume plus preferences) for demos and tests: a fictional senior
/// backend/platform engineer whose preferences match part of the offline feed.
pub const SAMPLE_PROFILE: &str = include_str!("../data/sample_profile.json");

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sample_profile_imports() {
        let profile = domain::Profile::import(SAMPLE_PROFILE).unwrap();
        assert_eq!(profile.resume.basics.name.as_deref(), Some("Alex Rivera"));
        assert_eq!(profile.resume.work.len(), 3);
        for w in &profile.resume.work {
            assert!((3..=5).contains(&w.highlights.len()), "{:?}", w.name);
        }
        let skills = profile.skill_words();
        for s in ["rust", "python", "go", "postgresql", "kafka", "kubernetes", "aws"] {
            assert!(skills.contains(&s.to_owned()), "missing {s}");
        }
    }

    #[test]
    fn sample_preferences_match_part_of_the_feed() {
        let profile = domain::Profile::import(SAMPLE_PROFILE).unwrap();
        let feed = offline_feed().unwrap();
        let matched: Vec<_> =
            feed.iter().filter_map(|p| match_preferences(&profile.preferences, p).map(|r| (p, r))).collect();
        eprintln!("{} of {} postings match the sample profile", matched.len(), feed.len());
        assert!((8..=25).contains(&matched.len()), "{} of {} match", matched.len(), feed.len());
        assert!(matched.len() < feed.len(), "some postings must be excluded");
        for (p, reasons) in &matched {
            assert!(
                reasons.iter().any(|r| r.starts_with("title matches") || r.starts_with("keyword")),
                "{}: {reasons:?}",
                p.title
            );
        }
    }
}
