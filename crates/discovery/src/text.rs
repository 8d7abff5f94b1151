//! Case-insensitive, word-boundary text matching shared by the preference rules.

/// Byte offsets in `hay` where `needle` occurs as a whole word or phrase (exact case).
///
/// A boundary is only required on a side where the needle starts or ends with a letter or digit,
/// so terms like `c++` or `.net` still match while `java` does not match inside `javascript`.
pub fn word_positions(hay: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let starts_alnum = needle.chars().next().is_some_and(char::is_alphanumeric);
    let ends_alnum = needle.chars().next_back().is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|rest| rest.find(needle)) {
        let start = from + pos;
        let end = start + needle.len();
        let before_ok = !starts_alnum || !hay[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = !ends_alnum || !hay[end..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            out.push(start);
        }
        // Step past the first character of this occurrence (char-sized, to stay on a boundary).
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Whether `needle` occurs in `haystack` as a whole word or phrase, ignoring case.
pub fn contains_word(haystack: &str, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    !word_positions(&haystack.to_lowercase(), &needle).is_empty()
}

/// Lowercase alphanumeric words of `s` (everything else separates words).
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_only() {
        assert!(contains_word("Senior Rust Engineer", "rust"));
        assert!(contains_word("We use Kafka, Rust.", "RUST"));
        assert!(!contains_word("Trusted partner", "rust"));
        assert!(!contains_word("JavaScript", "java"));
        assert!(contains_word("C++ and C#", "c++"));
        assert!(contains_word("distributed  systems", "distributed  systems"));
        assert!(!contains_word("anything", ""));
        assert!(contains_word("São Paulo, Brasil", "são paulo"));
    }

    #[test]
    fn splits_words() {
        assert_eq!(words("Senior Full-Stack Engineer (Remote)"), ["senior", "full", "stack", "engineer", "remote"]);
    }
}
