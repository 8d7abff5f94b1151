//! Word-boundary text search used by every extractor in this crate.

/// Byte offsets in `hay` where `needle` occurs as a whole word or phrase (exact case).
///
/// A boundary is only required on a side where the needle starts or ends with a letter or digit,
/// so `c++` and `.net` still match while `java` does not match inside `javascript`.
pub(crate) fn word_positions(hay: &str, needle: &str) -> Vec<usize> {
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
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Whether `needle` occurs in `hay` as a whole word, ignoring case.
pub fn contains_word(hay: &str, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    !word_positions(&hay.to_lowercase(), &needle).is_empty()
}

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
