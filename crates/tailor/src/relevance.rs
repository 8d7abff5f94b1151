//! How relevant a piece of the profile is to a job, from the analysis' skills and keywords.

use domain::JobAnalysis;

/// The job's terms, lowercase and deduplicated, skills first (they weigh more).
pub(crate) fn job_terms(analysis: &JobAnalysis) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let weighted = analysis.skills.iter().map(|s| (s, 2)).chain(analysis.keywords.iter().map(|k| (k, 1)));
    for (t, w) in weighted {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && !out.iter().any(|(o, _)| *o == t) {
            out.push((t, w));
        }
    }
    out
}

/// Weighted count of the job's terms found in `text` (2 per skill, 1 per keyword).
pub(crate) fn relevance(text: &str, terms: &[(String, usize)]) -> usize {
    let lower = text.to_lowercase();
    terms.iter().filter(|(t, _)| contains_word_lower(&lower, t)).map(|(_, w)| w).sum()
}

/// The index of the first job term found in `text`, for ordering skills like the job does.
pub(crate) fn first_term_index(text: &str, terms: &[(String, usize)]) -> Option<usize> {
    let lower = text.to_lowercase();
    terms.iter().position(|(t, _)| contains_word_lower(&lower, t))
}

/// Whether the lowercase `needle` occurs in the lowercase `hay` as a whole word or phrase (the
/// one word matcher, `discovery::text::word_positions`, through analysis).
pub(crate) fn contains_word_lower(hay: &str, needle: &str) -> bool {
    !analysis::word_positions(hay, needle).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_matching() {
        assert!(contains_word_lower("built in rust and go.", "rust"));
        assert!(!contains_word_lower("trusted", "rust"));
        assert!(contains_word_lower("c++ services", "c++"));
        assert!(contains_word_lower("ci/cd with github actions", "ci/cd"));
        assert!(!contains_word_lower("javascript", "java"));
    }

    #[test]
    fn relevance_weights_skills_over_keywords() {
        let terms = vec![("kafka".to_owned(), 2), ("ledger".to_owned(), 1)];
        assert_eq!(relevance("Kafka ledger", &terms), 3);
        assert_eq!(relevance("A ledger", &terms), 1);
        assert_eq!(relevance("Nothing", &terms), 0);
        assert_eq!(first_term_index("the Ledger", &terms), Some(1));
    }
}
