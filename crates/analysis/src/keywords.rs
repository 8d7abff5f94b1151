//! Keyword extraction: salient words of a posting that are not dictionary skills (domain words,
//! products, team names), for ATS matching.

use crate::text::tokens;
use domain::WeightedKeyword;
use std::collections::HashMap;

/// The most keywords one analysis reports.
const MAX_KEYWORDS: usize = 20;

/// English function words plus the filler every job ad shares ("team", "role", "experience"),
/// which would otherwise top every keyword list.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "already", "also",
    "although", "always", "am", "among", "an", "and", "another", "any", "anyone", "anything", "are", "around",
    "as", "at", "away", "back", "based", "be", "became", "because", "become", "becomes", "been", "before",
    "being", "below", "best", "better", "between", "beyond", "both", "but", "by", "can", "cannot", "could",
    "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough", "etc", "even",
    "ever", "every", "few", "for", "from", "further", "get", "gets", "getting", "give", "given", "go", "goes",
    "going", "good", "got", "great", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "keep", "kind", "know",
    "last", "least", "less", "let", "like", "likely", "made", "make", "makes", "making", "many", "may", "me",
    "might", "more", "most", "much", "must", "my", "need", "needs", "never", "new", "next", "no", "nor", "not",
    "now", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others", "our", "ours",
    "ourselves", "out", "over", "own", "part", "per", "perhaps", "put", "rather", "really", "right", "same",
    "see", "seem", "seems", "several", "shall", "she", "should", "since", "so", "some", "something", "still",
    "such", "take", "takes", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "thing", "things", "this", "those", "though", "through", "throughout", "thus", "to",
    "together", "too", "toward", "towards", "two", "three", "under", "until", "up", "upon", "us", "use",
    "used", "uses", "using", "very", "via", "want", "was", "way", "ways", "we", "well", "were", "what",
    "whatever", "when", "where", "whether", "which", "while", "who", "whole", "whom", "whose", "why", "will",
    "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "ll", "re", "ve", "don",
    "won", "isn", "aren", "doesn", "didn", "can't", "able", "ability",
    // Job-ad filler.
    "experience", "experienced", "team", "teams", "role", "roles", "work", "working", "works", "join",
    "joining", "company", "companies", "candidate", "candidates", "applicant", "applicants", "apply",
    "application", "applications", "opportunity", "opportunities", "position", "positions", "job", "jobs",
    "year", "years", "day", "days", "week", "weeks", "month", "months", "time", "including", "include",
    "includes", "strong", "skills", "skill", "help", "helping", "helps", "build", "building", "built",
    "ensure", "ensuring", "support", "supporting", "provide", "providing", "related", "relevant",
    "looking", "seeking", "ideal", "ideally", "responsible", "responsibilities", "requirements", "required",
    "requirement", "qualifications", "preferred", "plus", "bonus", "benefits", "salary", "compensation",
    "equal", "employer", "employment", "status", "race", "religion", "gender", "sex", "sexual", "orientation",
    "identity", "national", "origin", "age", "disability", "veteran", "protected", "law", "laws", "regard",
    "please", "note", "visit", "click", "link", "email", "information", "level", "levels", "senior",
    "junior", "lead", "staff", "principal", "mid", "intern", "internship", "ii", "iii", "iv", "full",
    "fulltime", "remote", "hybrid", "onsite", "office", "location", "locations", "world", "people", "person",
    "someone", "everyone", "members", "member", "culture", "mission", "values", "environment", "impact",
    "passion", "passionate", "excited", "exciting", "love", "fast", "paced", "dynamic", "growing", "growth",
    "high", "highly", "key", "core", "closely", "directly", "wide", "range", "variety",
    "various", "multiple", "different", "excellent", "outstanding", "proven", "track", "record", "demonstrated",
    "understanding", "knowledge", "familiarity", "familiar", "proficiency", "proficient", "expertise",
    "expert", "deep", "solid", "hands", "successful", "success", "drive", "driving", "deliver",
    "delivering", "create", "creating", "develop", "developing", "design", "designing", "owning",
    "manage", "managing", "leading", "partner", "partnering", "collaborate", "collaborating",
    "collaboration", "collaborative", "contribute", "contributing", "grow", "improve", "improving", "learn",
    "learning", "understand", "think", "thinking", "feel", "believe", "today", "future", "world's",
    "s", "t", "d", "m", "e", "g", "eg", "ie", "inc", "ltd", "llc", "uk", "usa", "yes",
    // Generic words that name no skill.
    "tools", "tool", "code", "base", "engineering", "systems", "system", "platform", "platforms",
    "solutions", "solution", "products", "product", "services", "service", "technology", "technologies",
    // Residue of HTML markup and character references.
    "amp", "nbsp", "quot", "apos", "lt", "gt", "rsquo", "lsquo", "rdquo", "ldquo", "ndash", "mdash",
    "hellip", "bull", "br", "div", "span", "li", "ul", "ol", "strong", "href", "http", "https", "www", "com",
];

fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Frequent non-stopword words of title and description, title words first. A word counts when
/// it appears twice or is in the title; `exclude` holds words already reported as skills (and
/// the company's name, which says nothing about the work).
pub(crate) fn extract_keywords(title: &str, description: &str, exclude: &[String]) -> Vec<String> {
    let usable = |w: &str| {
        w.chars().count() >= 3
            && w.chars().any(char::is_alphabetic)
            // Long letter-digit mixes are ids and anti-spam tokens, not words.
            && !(w.chars().any(|c| c.is_ascii_digit()) && w.chars().count() > 4)
            && !is_stopword(w)
            && !exclude.iter().any(|e| e == w)
    };
    // word -> (count, first position, in title)
    let mut stats: HashMap<String, (usize, usize, bool)> = HashMap::new();
    let title_tokens = tokens(title);
    let desc_tokens = tokens(description);
    let stream = title_tokens.iter().map(|t| (t.as_str(), true)).chain(desc_tokens.iter().map(|t| (t.as_str(), false)));
    for (i, (w, in_title)) in stream.enumerate() {
        if !usable(w) {
            continue;
        }
        let e = stats.entry(w.to_owned()).or_insert((0, i, false));
        e.0 += 1;
        e.2 |= in_title;
    }
    let mut ranked: Vec<(String, usize, usize)> = stats
        .into_iter()
        .filter(|(_, (count, _, in_title))| *count >= 2 || *in_title)
        .map(|(w, (count, first, in_title))| (w, count + if in_title { 3 } else { 0 }, first))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    ranked.into_iter().take(MAX_KEYWORDS).map(|(w, _, _)| w).collect()
}

/// Every term of an analysis with its weight, heaviest first: required skills 1.0, preferred
/// skills 0.6, other skills the posting names 0.4, keywords from 0.3 down by rank.
pub(crate) fn weigh(
    required: &[String],
    preferred: &[String],
    skills: &[String],
    keywords: &[String],
) -> Vec<WeightedKeyword> {
    let mut out: Vec<WeightedKeyword> = Vec::new();
    let mut push = |term: &str, weight: f64| {
        if !out.iter().any(|w| w.term.eq_ignore_ascii_case(term)) {
            out.push(WeightedKeyword { term: term.to_owned(), weight: (weight * 100.0).round() / 100.0 });
        }
    };
    required.iter().for_each(|s| push(s, 1.0));
    preferred.iter().for_each(|s| push(s, 0.6));
    skills.iter().for_each(|s| push(s, 0.4));
    for (i, k) in keywords.iter().enumerate() {
        push(k, 0.3 - 0.01 * i as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_and_repeated_words_win() {
        let k = extract_keywords(
            "Subscriptions Engineer",
            "Our team builds checkout. Checkout flows, checkout experiments and billing. Billing is fun. Once only.",
            &["acme".to_owned()],
        );
        assert_eq!(k, ["subscriptions", "engineer", "checkout", "billing"]);
        assert!(!k.contains(&"team".to_owned()) && !k.contains(&"once".to_owned()) && !k.contains(&"only".to_owned()));
    }

    #[test]
    fn excluded_words_are_skipped() {
        let k = extract_keywords("Kafka Engineer", "Kafka kafka", &["kafka".to_owned()]);
        assert_eq!(k, ["engineer"]);
    }
}
