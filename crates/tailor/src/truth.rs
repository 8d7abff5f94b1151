//! The truth guard: every line of a tailored resume must trace to the profile. Identity lines
//! (name, employer, title, dates, degree, certificate, skill) must be the profile's text
//! verbatim; reworded lines (summaries, bullets) may change wording only, never facts.

use crate::facts::{corpus, in_corpus, resolve};
use crate::json_resume::{json_resume_value, leaves};
use crate::relevance::contains_word_lower;
use domain::{Profile, TailoredResume};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Why a resume failed the guard: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}`: {reason}")]
pub struct TruthError {
    /// A JSON pointer into the resume's JSON Resume form, e.g. `/work/0/highlights/2`.
    pub field: String,
    pub reason: String,
}

/// Sections the profile has that every tailored resume keeps (projects are selected by
/// relevance and may be left out).
const KEPT_SECTIONS: [&str; 9] =
    ["work", "education", "certificates", "skills", "languages", "awards", "volunteer", "publications", "interests"];

/// Scope words a rewrite may not introduce: each group counts as present in the source when
/// any of its forms is.
const SCOPE_VERBS: &[&[&str]] = &[
    &["led", "lead", "leads", "leading", "leader"],
    &["spearheaded", "spearhead", "spearheads", "spearheading"],
    &["owned", "own", "owns", "owning", "owner", "ownership"],
    &["headed", "heads", "head of"],
    &["directed", "directs", "directing", "director"],
    &["managed", "manage", "manages", "managing", "manager"],
    &["oversaw", "oversee", "oversees", "overseeing", "oversight"],
    &["architected", "architecting", "chief architect"],
    &["founded", "co-founded", "cofounded", "founder", "co-founder"],
    &["pioneered", "pioneer", "pioneering"],
    &["championed", "championing"],
    &["drove", "drives", "driving", "driven"],
    &["orchestrated", "orchestrating"],
    &["supervised", "supervise", "supervising", "supervisor"],
    &["sole", "solely", "single-handedly", "singlehandedly", "entire", "entirely", "all"],
];

/// Phrases that claim a skill; what follows them must be the profile's.
const CLAIM_PHRASES: &[&str] = &[
    "familiar with",
    "familiarity with",
    "exposure to",
    "knowledge of",
    "proficient in",
    "proficient with",
    "proficiency in",
    "experience with",
    "experience in",
    "skilled in",
    "expertise in",
    "expert in",
    "background in",
    "understanding of",
];

/// Modest verbs: a rewrite of a line that has one must keep one (dropping "helped" from "helped
/// reduce latency" claims the whole result).
const MODEST_VERBS: &[&str] = &[
    "contributed",
    "contribute",
    "contributing",
    "helped",
    "help",
    "helping",
    "assisted",
    "assisting",
    "supported",
    "supporting",
    "participated",
    "participating",
    "co-authored",
    "co-developed",
];

const NUMBER_WORDS: &[(&str, &str)] = &[
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("dozen", "12"),
    ("fifteen", "15"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("hundred", "100"),
    ("hundreds", "100"),
    ("thousand", "1000"),
    ("thousands", "1000"),
    ("million", "1000000"),
    ("millions", "1000000"),
    ("billion", "1000000000"),
    ("decade", "10"),
    ("decades", "10"),
    ("double", "2"),
    ("doubled", "2"),
    ("doubling", "2"),
    ("tripling", "3"),
    ("halving", "50"),
    ("twice", "2"),
    ("triple", "3"),
    ("tripled", "3"),
    ("halved", "50"),
];

const STOPWORDS: &[&str] =
    &["the", "and", "for", "with", "our", "their", "its", "a", "an", "of", "in", "on", "to", "at", "as", "by"];

/// Every reason the resume fails the guard; empty when it passes.
pub fn guard_reasons(resume: &TailoredResume, profile: &Profile) -> Vec<String> {
    check(resume, profile).into_iter().map(|e| e.to_string()).collect()
}

/// The first reason the resume fails the guard.
pub fn verify_truth(resume: &TailoredResume, profile: &Profile) -> Result<(), TruthError> {
    match check(resume, profile).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn check(resume: &TailoredResume, profile: &Profile) -> Vec<TruthError> {
    let mut errors = Vec::new();
    let err = |field: &str, reason: String| TruthError { field: field.to_owned(), reason };
    let doc = json_resume_value(resume, profile);
    let provenance: HashMap<&str, &[String]> =
        resume.provenance.iter().map(|p| (p.path.as_str(), p.sources.as_slice())).collect();
    let mut corpus_cache: Option<String> = None;
    let mut kept_sources: Vec<&str> = Vec::new();
    for (path, text) in leaves(&doc) {
        let Some(sources) = provenance.get(path.as_str()) else {
            errors.push(err(&path, format!("untraceable: {text:?} has no source in the profile")));
            continue;
        };
        kept_sources.extend(sources.iter().map(String::as_str));
        let source_texts: Vec<String> = sources.iter().filter_map(|s| resolve(profile, s)).collect();
        if source_texts.len() != sources.len() || source_texts.is_empty() {
            errors.push(err(&path, format!("its source {sources:?} is not in the profile")));
            continue;
        }
        if source_texts.contains(&text) {
            continue;
        }
        if is_rewritable(&path) {
            let corpus = corpus_cache.get_or_insert_with(|| corpus(profile));
            for reason in line_reasons(&text, &source_texts, corpus) {
                errors.push(err(&path, reason));
            }
        } else {
            let what = if path.ends_with("/position") || path == "/basics/label" { "title" } else { "identity field" };
            errors.push(err(&path, format!("{what} changed: {text:?} is not the profile's {:?}", source_texts[0])));
        }
    }
    // What the profile has, read from the document as imported: a section or entry counts when
    // it holds any text.
    let has_text = |pointer: &str| {
        profile.resume_json.pointer(pointer).is_some_and(|v| leaves(v).iter().any(|(_, t)| !t.trim().is_empty()))
    };
    for section in KEPT_SECTIONS {
        if has_text(&format!("/{section}")) && doc.get(section).is_none() {
            errors.push(err(&format!("/{section}"), format!("section `{section}` dropped")));
        }
    }
    errors.extend(skill_shape_errors(resume, &provenance, profile));
    for (section, count) in [("work", profile.resume.work.len()), ("education", profile.resume.education.len())] {
        for i in 0..count {
            let prefix = format!("/{section}/{i}/");
            let kept = kept_sources.iter().any(|s| s.starts_with(&prefix));
            if !kept && has_text(&format!("/{section}/{i}")) {
                errors.push(err(&format!("/{section}"), format!("entry {prefix} of the profile dropped")));
            }
        }
    }
    errors
}

/// The skills section keeps the profile's shape: an entry's label, level and keywords come from
/// the same fields of one profile entry, and a group's label is never listed as a skill (an
/// entry without keywords whose name is a group's label).
fn skill_shape_errors(
    resume: &TailoredResume,
    provenance: &HashMap<&str, &[String]>,
    profile: &Profile,
) -> Vec<TruthError> {
    let mut errors = Vec::new();
    for (g, skill) in resume.skills.iter().enumerate() {
        let mut fields: Vec<(String, &str)> =
            vec![(format!("/skills/{g}/name"), "name"), (format!("/skills/{g}/level"), "level")];
        fields.extend((0..skill.keywords.len()).map(|k| (format!("/skills/{g}/keywords/{k}"), "keywords")));
        let mut entries: Vec<usize> = Vec::new();
        for (path, field) in &fields {
            for source in provenance.get(path.as_str()).copied().unwrap_or_default() {
                let segs: Vec<&str> = source.split('/').skip(1).collect();
                match segs.as_slice() {
                    ["skills", i, f, ..] if f == field => entries.extend(i.parse::<usize>().ok()),
                    _ => errors.push(TruthError {
                        field: path.clone(),
                        reason: format!("a skill's {field} must come from a skill's {field}, not {source:?}"),
                    }),
                }
            }
        }
        entries.sort_unstable();
        entries.dedup();
        if entries.len() > 1 {
            errors.push(TruthError {
                field: format!("/skills/{g}"),
                reason: format!("skill entry mixes the profile's entries {entries:?}"),
            });
        }
        let label_as_skill = skill.keywords.is_empty()
            && entries.iter().any(|i| profile.resume.skills.get(*i).is_some_and(domain::profile::Skill::is_group));
        if label_as_skill {
            errors.push(TruthError {
                field: format!("/skills/{g}/name"),
                reason: format!("the group label {:?} is listed as a skill", skill.name.as_deref().unwrap_or("")),
            });
        }
    }
    errors
}

/// Lines a rewrite may reword: summaries, bullets and project descriptions.
fn is_rewritable(path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    matches!(
        segs.as_slice(),
        ["basics", "summary"]
            | ["work", _, "summary"]
            | ["work", _, "highlights", _]
            | ["projects", _, "description"]
            | ["projects", _, "highlights", _]
    )
}

/// Why a reworded line is not a faithful rewording of its sources.
pub(crate) fn line_reasons(text: &str, sources: &[String], corpus: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    let source_lower = sources.join("\n").to_lowercase();
    if text.trim().is_empty() {
        out.push("emptied".to_owned());
        return out;
    }
    let source_numbers = numbers(&source_lower);
    for n in numbers(&lower) {
        if !source_numbers.contains(&n) {
            out.push(format!("invented number {n} (not in the profile's line {:?})", sources[0]));
        }
    }
    for group in SCOPE_VERBS {
        if let Some(word) = group.iter().find(|w| contains_word_lower(&lower, w)) {
            if !group.iter().any(|w| contains_word_lower(&source_lower, w)) {
                out.push(format!("inflated scope {word:?} (the profile says {:?})", sources[0]));
            }
        }
    }
    if let Some(modest) = MODEST_VERBS.iter().find(|w| contains_word_lower(&source_lower, w)) {
        if !MODEST_VERBS.iter().any(|w| contains_word_lower(&lower, w)) {
            out.push(format!("inflated scope: the profile says {modest:?} and the rewrite drops it"));
        }
    }
    for phrase in CLAIM_PHRASES {
        let Some(at) = lower.find(phrase) else { continue };
        let claimed: String = lower[at + phrase.len()..]
            .chars()
            .take_while(|c| !matches!(c, ',' | '.' | ';' | ':' | '(' | ')'))
            .collect();
        for word in claimed.split_whitespace().map(trim_token).filter(|w| w.len() > 1 && !STOPWORDS.contains(w)) {
            if !in_corpus(corpus, word) {
                out.push(format!("padded skill claim {phrase:?} {word:?} not in the profile"));
            }
        }
    }
    for term in name_like_terms(text) {
        if !term_in_corpus(corpus, &term.to_lowercase()) {
            out.push(format!("untraceable term {term:?} not in the profile"));
        }
    }
    let profile_skills: Vec<&str> = corpus.lines().filter_map(analysis::normalize_skill).collect();
    let source_skills = dictionary_skills(&sources.join("\n"));
    for skill in dictionary_skills(text).into_iter().filter(|s| !source_skills.contains(s)) {
        let canonical = analysis::normalize_skill(&skill).unwrap_or(skill.as_str()).to_lowercase();
        let known = in_corpus(corpus, &skill.to_lowercase())
            || in_corpus(corpus, &canonical)
            || profile_skills.iter().any(|p| p.to_lowercase() == canonical);
        if !known && !out.iter().any(|r| r.to_lowercase().contains(&canonical)) {
            out.push(format!("skill {skill:?} not in the profile"));
        }
    }
    out
}

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
}

/// Numbers in lowercase text: digit runs (commas removed, `4,000` = `4000`) and number words.
fn numbers(lower: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = lower.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let joins =
            (*c == ',' || *c == '.') && !current.is_empty() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            current.push(*c);
        } else if joins {
            if *c == '.' {
                current.push('.');
            }
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    for (word, value) in NUMBER_WORDS {
        if contains_word_lower(lower, word) {
            out.push((*value).to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Words that look like names or technologies: capitalised inside a sentence, mixed case
/// (`PostgreSQL`), letters with digits (`S3`), or with `+`/`#` (`C++`). A capitalised word at
/// the start of a sentence or line is ordinary capitalisation only when it is a common English
/// word; otherwise (`Stanford-trained engineer.`) it is a name like any other.
fn name_like_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut sentence_start = true;
        for raw in line.split_whitespace() {
            let token = trim_token(raw);
            let chars: Vec<char> = token.chars().collect();
            if chars.len() > 1 {
                let upper_inside = chars[1..].iter().any(|c| c.is_uppercase());
                let capital = chars[0].is_uppercase();
                let mixed_digits = chars.iter().any(char::is_ascii_digit) && chars.iter().any(|c| c.is_alphabetic());
                let symbol = token.contains('+') || token.contains('#');
                let capital_name = capital && (!sentence_start || !capitals_are_common_words(token));
                if upper_inside || capital_name || mixed_digits || symbol {
                    out.push(token.to_owned());
                }
            }
            // Bullets and dashes (`-`, `•`, `—`) neither start nor end a sentence.
            if raw.chars().any(char::is_alphanumeric) {
                let end = raw.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
                sentence_start = end.ends_with(['.', '!', '?', ':', ';']);
            }
        }
    }
    out
}

/// Whether every capitalised part of a (possibly hyphenated) word is a common English word:
/// `Designed`, `Cross-functional` and `Results-driven` are; `Stanford-trained` is not.
fn capitals_are_common_words(token: &str) -> bool {
    token
        .split(['-', '/', '\''])
        .filter(|part| part.chars().next().is_some_and(char::is_uppercase))
        .all(|part| is_common_word(&part.to_lowercase()))
}

/// Whether a term of a line (lowercase) is the profile's: as a whole word of it, its singular,
/// or, for a hyphenated compound (`Python-based`), every part either the profile's or a common
/// English word (so `Stanford-trained` needs the profile to name Stanford).
fn term_in_corpus(corpus: &str, term: &str) -> bool {
    let term = term.strip_suffix("'s").or_else(|| term.strip_suffix("\u{2019}s")).unwrap_or(term);
    let singular = term.strip_suffix('s').unwrap_or(term);
    if in_corpus(corpus, term) || in_corpus(corpus, singular) {
        return true;
    }
    let parts: Vec<&str> = term.split('-').filter(|p| !p.is_empty()).collect();
    parts.len() > 1
        && parts.iter().all(|p| {
            let singular = p.strip_suffix('s').unwrap_or(p);
            in_corpus(corpus, p) || in_corpus(corpus, singular) || is_common_word(p)
        })
}

/// A word list of `data/`: one lowercase word a line, `#` comments and blank lines skipped.
fn word_list(text: &'static str) -> HashSet<&'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

/// Common content words a sentence may open with, inflections included (`data/common_words.txt`).
fn content_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| word_list(include_str!("../data/common_words.txt")))
}

/// Function words a sentence may open with, only as spelled (`data/function_words.txt`).
fn function_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| word_list(include_str!("../data/function_words.txt")))
}

/// Regular English endings and what they replace, tried in order to find a word's base form.
const INFLECTIONS: &[(&str, &str)] = &[
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("ation", "e"),
    ("ations", "e"),
    ("ion", "e"),
    ("ions", "e"),
    ("ion", ""),
    ("ions", ""),
    ("ments", ""),
    ("ment", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ers", ""),
    ("ers", "e"),
    ("er", ""),
    ("er", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
    ("d", ""),
];

/// Whether a lowercase word is a common English word or a regular inflection of one
/// (`shipped` from `ship`, `automation` from `automate`, `leveraging` from `leverage`).
fn is_common_word(word: &str) -> bool {
    if function_words().contains(word) {
        return true;
    }
    let words = content_words();
    if words.contains(word) {
        return true;
    }
    INFLECTIONS.iter().any(|(suffix, base)| {
        let Some(stem) = word.strip_suffix(suffix) else { return false };
        if stem.len() < 2 {
            return false;
        }
        let candidate = format!("{stem}{base}");
        if words.contains(candidate.as_str()) {
            return true;
        }
        // A doubled final consonant: `shipped`, `planning`, `mapped`.
        let mut last = stem.chars().rev();
        match (last.next(), last.next()) {
            (Some(a), Some(b)) if base.is_empty() && a == b => words.contains(&stem[..stem.len() - a.len_utf8()]),
            _ => false,
        }
    })
}

/// The taxonomy's skills named in a line (the offline analyzer reads them, synonyms included:
/// "k8s" is Kubernetes).
fn dictionary_skills(text: &str) -> Vec<String> {
    let job = domain::Job::from_text("text", "", text);
    analysis::HeuristicAnalyzer.analyze(&job).skills
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_initial_names_are_name_like_and_common_words_are_not() {
        assert_eq!(name_like_terms("Stanford-trained engineer. Built APIs."), ["Stanford-trained", "APIs"]);
        assert_eq!(name_like_terms("Built it.\nOxford graduate"), ["Oxford"]);
        assert_eq!(name_like_terms("- Designed, shipped. Cross-functional work."), Vec::<String>::new());
        assert_eq!(name_like_terms("Wrote tests with Django."), ["Django"]);
    }

    #[test]
    fn common_words_include_regular_inflections_only_of_content_words() {
        for w in ["built", "shipped", "planning", "automation", "leveraging", "streamlined", "teams", "the", "co"] {
            assert!(is_common_word(w), "{w}");
        }
        for w in ["stanford", "oxford", "anders", "boeing", "kelly", "google", "notion", "reed"] {
            assert!(!is_common_word(w), "{w}");
        }
    }

    #[test]
    fn hyphenated_terms_trace_through_their_parts() {
        let corpus = "python\nuniversity of lagos\n";
        assert!(term_in_corpus(corpus, "python-based"));
        assert!(term_in_corpus(corpus, "lagos-trained"));
        assert!(!term_in_corpus(corpus, "stanford-trained"));
        assert!(term_in_corpus(corpus, "lagos's"));
    }
}
