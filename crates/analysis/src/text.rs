//! Word-boundary text search used by every extractor in this crate.

// The word-boundary matcher is discovery's (preference matching uses the same rules), so a
// skill found by the analyzer and a keyword matched against preferences agree.
pub use discovery::contains_word;
pub use discovery::word_positions;

/// Lowercase words of `s`, split on anything that is not a letter or digit.
pub(crate) fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words() {
        assert_eq!(word_positions("rust trust rust.", "rust"), [0, 11]);
        assert_eq!(word_positions("c++ and c", "c++"), [0]);
        assert!(word_positions("javascript", "java").is_empty());
        assert!(word_positions("anything", "").is_empty());
        assert!(contains_word("We use PostgreSQL.", "postgresql"));
        assert!(contains_word("CI/CD pipelines", "ci/cd"));
    }
}
