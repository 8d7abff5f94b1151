//! Cross-source deduplication: the same job seen on several boards (or reposted with a new id)
//! becomes one [`CanonicalJob`] listing every source.
//!
//! Two postings are one job when they are the same board posting (source and id) seen again, or
//! when either
//!
//! 1. their dedup keys are equal. The key is the company (lowercase, legal suffixes like
//!    Inc/Ltd/GmbH dropped), the title (lowercase, punctuation dropped, abbreviations expanded:
//!    Sr → senior, Eng → engineer, Dev → developer) and the primary location (city, else
//!    region/country, else "remote"); or
//! 2. they are at the same company, their locations do not contradict each other (same key, or
//!    one unknown or remote), and their descriptions (40 words or more each) have 64-bit
//!    SimHashes over word 3-shingles at most 3 bits apart: a repost with a new id or a slightly
//!    changed title. The location condition keeps apart the per-city copies of one role that
//!    boards like Greenhouse publish with the same description.

mod key;
mod simhash;

pub use key::{company_key, title_key};

use crate::canonical::{CanonicalJob, SourceRef};
use crate::normalize::html_to_text;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Descriptions shorter than this (in words) are too generic to identify a job by.
pub const MIN_SIMHASH_WORDS: usize = 40;
/// The most SimHash bits two descriptions of one job may differ in.
pub const MAX_HAMMING: u32 = 3;
/// SimHash bands for the index: with at most 3 differing bits, 4 bands of 16 bits guarantee one
/// band is identical (pigeonhole), so only postings sharing a band need comparing.
const BANDS: usize = 4;

/// The 64-bit SimHash of `text` over its lowercase word 3-shingles.
pub fn simhash(text: &str) -> u64 {
    simhash::simhash_words(text).0
}

/// What [`Deduper::add`] did with a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DedupOutcome {
    /// A new job, at this index of [`Deduper::jobs`].
    New(usize),
    /// A duplicate: its sources were added to the job at `into`.
    Merged { into: usize },
}

/// What identifies a posting for deduplication.
struct Fingerprint {
    company: String,
    key: String,
    location: String,
    /// `None` when the description is too short to compare.
    simhash: Option<u64>,
}

impl Fingerprint {
    fn new(company: &str, title: &str, location: String, description: &str) -> Self {
        let company = company_key(company);
        let key = format!("{company}\u{1f}{}\u{1f}{location}", title_key(title));
        let (hash, words) = simhash::simhash_words(description);
        Self { company, key, location, simhash: (words >= MIN_SIMHASH_WORDS).then_some(hash) }
    }

    fn of_job(job: &CanonicalJob) -> Self {
        let remote = job.workplace == Some(domain::WorkplaceType::Remote);
        let location = key::location_key(job.locations.first(), remote);
        Self::new(&job.company, &job.title, location, &job.description_text)
    }

    fn of_text(p: &PostingText) -> Self {
        let description = if looks_like_html(&p.description) {
            std::borrow::Cow::Owned(html_to_text(&p.description))
        } else {
            std::borrow::Cow::Borrowed(p.description.as_str())
        };
        Self::new(&p.company, &p.title, key::text_location_key(&p.location), &description)
    }

    fn near(&self, other_hash: u64, other_location: &str) -> bool {
        self.simhash.is_some_and(|h| (h ^ other_hash).count_ones() <= MAX_HAMMING)
            && key::locations_compatible(&self.location, other_location)
    }
}

fn looks_like_html(s: &str) -> bool {
    s.contains('<') && (s.contains("</") || s.contains("<br") || s.contains("&lt;"))
        || s.contains("&lt;") && s.contains("&gt;")
}

/// One description hash in the index, with the job it belongs to.
struct Entry {
    job: usize,
    hash: u64,
    location: String,
}

/// Accumulates jobs, merging duplicates as they arrive. Lookups are hash-map hits on the dedup
/// key and, per company, on SimHash bands, so adding a job costs about the same however many
/// are already in.
#[derive(Default)]
pub struct Deduper {
    jobs: Vec<CanonicalJob>,
    by_key: HashMap<String, usize>,
    /// "source\u{1f}source_id" of every source of every kept job → that job.
    by_source: HashMap<String, usize>,
    entries: Vec<Entry>,
    /// Company key → per band, band value → indexes into `entries`.
    by_company: HashMap<String, [HashMap<u16, Vec<usize>>; BANDS]>,
}

impl Deduper {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a job: a new one, or merged into the job it duplicates (its sources appended, the
    /// earliest `posted_at` kept).
    pub fn add(&mut self, job: CanonicalJob) -> DedupOutcome {
        let fp = Fingerprint::of_job(&job);
        let outcome = match self.find(&job, &fp) {
            Some(into) => {
                self.merge(into, job);
                DedupOutcome::Merged { into }
            }
            None => {
                let idx = self.jobs.len();
                for s in &job.sources {
                    self.by_source.entry(source_key(s)).or_insert(idx);
                }
                self.jobs.push(job);
                DedupOutcome::New(idx)
            }
        };
        let idx = match outcome {
            DedupOutcome::New(i) | DedupOutcome::Merged { into: i } => i,
        };
        // The duplicate's own key and hash are indexed too, so a third copy that resembles only
        // the second one still finds the job.
        self.by_key.entry(fp.key).or_insert(idx);
        if let Some(hash) = fp.simhash {
            let e = self.entries.len();
            self.entries.push(Entry { job: idx, hash, location: fp.location });
            let bands = self.by_company.entry(fp.company).or_default();
            for (b, band) in bands.iter_mut().enumerate() {
                band.entry(band_value(hash, b)).or_default().push(e);
            }
        }
        outcome
    }

    /// The kept job that `job` duplicates, if any, without adding it.
    pub fn find_duplicate(&self, job: &CanonicalJob) -> Option<&CanonicalJob> {
        self.find(job, &Fingerprint::of_job(job)).map(|i| &self.jobs[i])
    }

    /// The same board posting seen before, else the rules in the module docs.
    fn find(&self, job: &CanonicalJob, fp: &Fingerprint) -> Option<usize> {
        job.sources
            .iter()
            .find_map(|s| self.by_source.get(&source_key(s)).copied())
            .or_else(|| self.by_key.get(&fp.key).copied())
            .or_else(|| self.near_duplicate(fp))
    }

    /// Appends the duplicate's sources not yet recorded (a hash lookup each, so a job seen on
    /// many boards does not make merging slower) and keeps the earliest `posted_at`.
    fn merge(&mut self, into: usize, dup: CanonicalJob) {
        let kept = &mut self.jobs[into];
        for s in dup.sources {
            if let std::collections::hash_map::Entry::Vacant(v) = self.by_source.entry(source_key(&s)) {
                v.insert(into);
                kept.sources.push(s);
            }
        }
        kept.posted_at = match (kept.posted_at, dup.posted_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    fn near_duplicate(&self, fp: &Fingerprint) -> Option<usize> {
        let hash = fp.simhash?;
        let bands = self.by_company.get(&fp.company)?;
        bands.iter().enumerate().find_map(|(b, band)| {
            band.get(&band_value(hash, b))?
                .iter()
                .map(|&e| &self.entries[e])
                .find_map(|e| fp.near(e.hash, &e.location).then_some(e.job))
        })
    }

    pub fn jobs(&self) -> &[CanonicalJob] {
        &self.jobs
    }

    pub fn into_jobs(self) -> Vec<CanonicalJob> {
        self.jobs
    }
}

fn band_value(hash: u64, band: usize) -> u16 {
    (hash >> (16 * band)) as u16
}

fn source_key(s: &SourceRef) -> String {
    format!("{}\u{1f}{}", s.source, s.source_id)
}

/// A posting as the dedup rules see it, and one side of a `--corpus` line
/// (`{"a": POSTING, "b": POSTING, "duplicate": bool}`). Any field may be empty or absent; the
/// description may be plain text or HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostingText {
    pub company: String,
    pub title: String,
    pub location: String,
    pub description: String,
}

impl From<&CanonicalJob> for PostingText {
    fn from(j: &CanonicalJob) -> Self {
        let location = j.as_job().location;
        Self { company: j.company.clone(), title: j.title.clone(), location, description: j.description_text.clone() }
    }
}

/// Whether the two postings are one job, by the rules in the module docs.
pub fn is_duplicate(a: &PostingText, b: &PostingText) -> bool {
    let (fa, fb) = (Fingerprint::of_text(a), Fingerprint::of_text(b));
    let same_company = !fa.company.is_empty() && fa.company == fb.company;
    fa.key == fb.key || same_company && fb.simhash.is_some_and(|h| fa.near(h, &fb.location))
}

/// How well [`is_duplicate`] agrees with labelled pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupScore {
    /// Of the pairs called duplicates, the share that are (1.0 when none were).
    pub precision: f64,
    /// Of the duplicate pairs, the share found (1.0 when there are none).
    pub recall: f64,
    pub pairs: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

/// Scores [`is_duplicate`] on `(a, b, duplicate)` pairs.
pub fn evaluate(pairs: &[(PostingText, PostingText, bool)]) -> DedupScore {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (a, b, duplicate) in pairs {
        match (is_duplicate(a, b), *duplicate) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    DedupScore {
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        pairs: pairs.len(),
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
    }
}

#[derive(Deserialize)]
struct CorpusLine {
    a: PostingText,
    b: PostingText,
    duplicate: bool,
}

/// Reads a corpus: one JSON object per line, blank lines ignored. The error names the line.
pub fn parse_corpus(text: &str) -> Result<Vec<(PostingText, PostingText, bool)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str::<CorpusLine>(l)
                .map(|c| (c.a, c.b, c.duplicate))
                .map_err(|e| format!("line {}: {e}", i + 1))
        })
        .collect()
}

/// Labelled pairs built from real board postings: cross-posts and reposts (duplicates), and
/// other roles at the same company, the same title elsewhere and per-city copies (not).
pub const LABELLED_SET: &str = include_str!("../../data/dedup_labelled.jsonl");

/// [`LABELLED_SET`], parsed (the error carries [`parse_corpus`]'s message, line number included).
pub fn labelled_pairs() -> Result<Vec<(PostingText, PostingText, bool)>, serde_json::Error> {
    parse_corpus(LABELLED_SET).map_err(<serde_json::Error as serde::de::Error>::custom)
}

#[cfg(test)]
mod tests;
