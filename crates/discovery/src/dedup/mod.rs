//! Cross-source deduplication: the same requisition seen on several boards (or reposted with a
//! new id) becomes one [`CanonicalJob`] listing every source.
//!
//! Two postings are one requisition when they are the same board posting (source and id) seen
//! again, or when all of these hold, compared field by field before any text:
//!
//! 1. **employer**: the same employer key ([`employer_key`]: lowercase, legal forms such as
//!    Inc/Ltd/GmbH/PBC and generic trailing words such as Platforms/Technologies dropped), or one
//!    key's words begin the other's ("Stripe" / "Stripe Payments Europe");
//! 2. **role and seniority**: the same title words ([`title_words`]: abbreviations expanded,
//!    gender and location tags dropped, order ignored). Titles that differ only by generic words
//!    ("Payments Engineer" / "Software Engineer, Payments") or by one typo (never a level word)
//!    also count when the descriptions are near-identical (SimHash over word 3-shingles at most
//!    3 bits apart, 40 words or more each);
//! 3. **location set**: [`Places::compatible`]: the same places however spelled ("NYC" / "New
//!    York, NY, United States"), or one posting gives none;
//! 4. **no contradicting text**: when both descriptions are long (50 words or more), at least
//!    60% of the shorter one's word 3-shingles appear in the other. A board that truncates or
//!    drops the description still matches; two different requisitions that share a title and
//!    a city but not their text do not.

mod key;
mod simhash;

pub use key::{company_key, employer_key, employers_match, title_key, title_words, Place, Places};

use crate::canonical::{CanonicalJob, SourceRef};
use crate::normalize::html_to_text;
use key::{employer_head, GENERIC_TITLE_WORDS, LEVEL_WORDS};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Descriptions shorter than this (in words) are too generic to identify a job by.
pub const MIN_SIMHASH_WORDS: usize = 40;
/// The most SimHash bits two descriptions of one job may differ in.
pub const MAX_HAMMING: u32 = 3;
/// Descriptions at least this long (in words) must share text to be one requisition.
pub const MIN_CONTRADICTION_WORDS: usize = 50;
/// The least share of the shorter description's shingles found in the longer one.
pub const MIN_CONTAINMENT: f64 = 0.6;
/// Shingles kept per description for the containment check.
const MAX_SHINGLES: usize = 1024;
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
    employer: String,
    title: Vec<String>,
    places: Places,
    words: usize,
    simhash: u64,
    shingles: Vec<u64>,
}

impl Fingerprint {
    fn new(company: &str, title: &str, location_text: &str, places: Places, description: &str) -> Self {
        let (simhash, words, shingles) = simhash::simhash_and_shingles(description, MAX_SHINGLES);
        Self {
            employer: employer_key(company),
            title: title_words(title, location_text),
            places,
            words,
            simhash,
            shingles,
        }
    }

    fn of_job(job: &CanonicalJob) -> Self {
        let remote = job.workplace == Some(domain::WorkplaceType::Remote);
        let places = Places::of_job(&job.locations, remote && job.locations.is_empty(), &job.remote_regions);
        let location_text: String = job.locations.iter().map(|l| l.label()).collect::<Vec<_>>().join("; ");
        Self::new(&job.company, &job.title, &location_text, places, &job.description_text)
    }

    fn of_text(p: &PostingText) -> Self {
        let description = if looks_like_html(&p.description) {
            std::borrow::Cow::Owned(html_to_text(&p.description))
        } else {
            std::borrow::Cow::Borrowed(p.description.as_str())
        };
        Self::new(&p.company, &p.title, &p.location, Places::of_text(&p.location), &description)
    }

    /// The exact-title index key: employer head word and title words.
    fn title_key(&self) -> String {
        format!("{}\u{1f}{}", employer_head(&self.employer), self.title.join(" "))
    }

    fn near_text(&self, other: &Self) -> bool {
        self.words >= MIN_SIMHASH_WORDS
            && other.words >= MIN_SIMHASH_WORDS
            && (self.simhash ^ other.simhash).count_ones() <= MAX_HAMMING
    }

    fn contradicts(&self, other: &Self) -> bool {
        self.words >= MIN_CONTRADICTION_WORDS
            && other.words >= MIN_CONTRADICTION_WORDS
            && simhash::containment(&self.shingles, &other.shingles) < MIN_CONTAINMENT
    }

    /// The rules in the module docs.
    fn same_requisition(&self, other: &Self) -> bool {
        if !employers_match(&self.employer, &other.employer) || !self.places.compatible(&other.places) {
            return false;
        }
        let titles = if self.title == other.title {
            true
        } else {
            titles_close(&self.title, &other.title) && self.near_text(other)
        };
        titles && !self.contradicts(other)
    }
}

/// Titles that differ only by generic words, or by one misspelt word that is not a level word.
fn titles_close(a: &[String], b: &[String]) -> bool {
    let only_a: Vec<&String> = a.iter().filter(|w| !b.contains(w)).collect();
    let only_b: Vec<&String> = b.iter().filter(|w| !a.contains(w)).collect();
    let generic = |w: &&String| GENERIC_TITLE_WORDS.contains(&w.as_str());
    if only_a.iter().all(generic) && only_b.iter().all(generic) {
        return true;
    }
    match (only_a.as_slice(), only_b.as_slice()) {
        ([x], [y]) => {
            let level = |w: &str| LEVEL_WORDS.contains(&w);
            x.len() >= 4 && y.len() >= 4 && !level(x) && !level(y) && one_edit_apart(x, y)
        }
        _ => false,
    }
}

/// Whether two words are at most one edit apart (Levenshtein), or one swap of neighbouring
/// letters ("reveiw" / "review"): a typo and its fix.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (a.len() - prefix - suffix.min(a.len() - prefix), b.len() - prefix - suffix.min(b.len() - prefix));
    ra <= 1 && rb <= 1 || (ra == 2 && rb == 2 && a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix])
}

fn looks_like_html(s: &str) -> bool {
    s.contains('<') && (s.contains("</") || s.contains("<br") || s.contains("&lt;"))
        || s.contains("&lt;") && s.contains("&gt;")
}

/// Accumulates jobs, merging duplicates as they arrive. Lookups are hash-map hits on the
/// employer head word and title words and, per employer, on SimHash bands, so adding a job
/// costs about the same however many are already in.
#[derive(Default)]
pub struct Deduper {
    jobs: Vec<CanonicalJob>,
    /// One fingerprint per job added (duplicates included), with the job it went to.
    prints: Vec<(usize, Fingerprint)>,
    /// Employer head and title words → indexes into `prints`.
    by_title: HashMap<String, Vec<usize>>,
    /// "source\u{1f}source_id" of every source of every kept job → that job.
    by_source: HashMap<String, usize>,
    /// Employer head → per band, band value → indexes into `prints`.
    by_employer: HashMap<String, [HashMap<u16, Vec<usize>>; BANDS]>,
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
        // The duplicate's own fingerprint is indexed too, so a third copy that resembles only
        // the second one still finds the job.
        let p = self.prints.len();
        self.by_title.entry(fp.title_key()).or_default().push(p);
        if fp.words >= MIN_SIMHASH_WORDS {
            let bands = self.by_employer.entry(employer_head(&fp.employer).to_owned()).or_default();
            for (b, band) in bands.iter_mut().enumerate() {
                band.entry(band_value(fp.simhash, b)).or_default().push(p);
            }
        }
        self.prints.push((idx, fp));
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
            .or_else(|| self.same_title(fp))
            .or_else(|| self.near_duplicate(fp))
    }

    fn same_title(&self, fp: &Fingerprint) -> Option<usize> {
        self.by_title
            .get(&fp.title_key())?
            .iter()
            .map(|&p| &self.prints[p])
            .find_map(|(job, other)| other.same_requisition(fp).then_some(*job))
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
        if fp.words < MIN_SIMHASH_WORDS {
            return None;
        }
        let bands = self.by_employer.get(employer_head(&fp.employer))?;
        bands.iter().enumerate().find_map(|(b, band)| {
            band.get(&band_value(fp.simhash, b))?
                .iter()
                .map(|&p| &self.prints[p])
                .find_map(|(job, other)| other.same_requisition(fp).then_some(*job))
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

/// Whether the two postings are one requisition, by the rules in the module docs.
pub fn is_duplicate(a: &PostingText, b: &PostingText) -> bool {
    Fingerprint::of_text(a).same_requisition(&Fingerprint::of_text(b))
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
