//! Finding dictionary skills in text: two Aho-Corasick automata (one ASCII-case-insensitive for
//! names and aliases, one case-sensitive for tool spellings that are everyday words) built once
//! over every spelling, plus the few context regexes of `Go`, `R` and `C`. One pass over the text
//! finds every skill, whatever the size of the dictionary.
//!
//! A hit must stand as whole words (the rule of [`crate::word_positions`]: a boundary is needed
//! on a side where the spelling starts or ends with a letter or digit). A hit inside a longer hit
//! is dropped ("SQL" inside "Spark SQL", "Reporting" inside "Financial reporting", "Security"
//! inside a noise phrase such as "security team"), so one span of text names one skill.

use crate::skills::{Kind, SkillDef, SKILLS};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use std::sync::LazyLock;

/// One skill named in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Index into [`SKILLS`].
    pub skill: usize,
    pub start: usize,
    pub end: usize,
    /// The hit is the bare one-word name of a [`Kind::Broad`] skill ("operations").
    pub bare: bool,
}

impl Hit {
    pub fn def(&self) -> &'static SkillDef {
        &SKILLS[self.skill]
    }
}

struct Matcher {
    any: Option<AhoCorasick>,
    /// Pattern id of `any` → (skill, bare).
    any_of: Vec<(usize, bool)>,
    exact: Option<AhoCorasick>,
    exact_of: Vec<(usize, bool)>,
    context: Vec<(usize, Vec<Regex>)>,
}

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| {
    let (mut any, mut any_of, mut exact, mut exact_of) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut context = Vec::new();
    for (i, def) in SKILLS.iter().enumerate() {
        let bare =
            |s: &str| def.kind == Kind::Broad && !s.contains([' ', '-', '/']) && s.eq_ignore_ascii_case(def.name);
        for s in def.any_case_spellings() {
            if let Some(p) = plural(&s) {
                any_of.push((i, false));
                any.push(p);
            }
            any_of.push((i, bare(&s)));
            any.push(s);
        }
        for e in &def.exact {
            exact_of.push((i, bare(e)));
            exact.push((*e).to_owned());
        }
        if !def.context.is_empty() {
            // One regex per skill: its patterns as alternatives, each in its own group so that
            // an inline flag (`(?i)`) stays inside it.
            let joined = def.context.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
            context.push((i, crate::sections::re(&joined).into_iter().collect()));
        }
    }
    let build = |patterns: &[String], fold: bool| {
        AhoCorasick::builder().ascii_case_insensitive(fold).match_kind(MatchKind::Standard).build(patterns).ok()
    };
    Matcher { any: build(&any, true), any_of, exact: build(&exact, false), exact_of, context }
});

/// The plural of a multi-word spelling ("scenario analysis" → "scenario analyses", "code
/// review" → "code reviews"), so that a posting's plural is found too. One-word names are left
/// alone: their plurals are often other words.
fn plural(spelling: &str) -> Option<String> {
    let (_, last) = spelling.rsplit_once(' ')?;
    if last.len() < 3 || !last.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(if let Some(stem) = spelling.strip_suffix("sis") {
        format!("{stem}ses")
    } else if spelling.ends_with(['s', 'x']) || spelling.ends_with("ch") || spelling.ends_with("sh") {
        return None;
    } else if let Some(stem) = spelling.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{spelling}s")
    })
}

/// Whether `text[start..end]` stands as whole words.
fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let needle = &text[start..end];
    let alnum_start = needle.chars().next().is_some_and(char::is_alphanumeric);
    let alnum_end = needle.chars().next_back().is_some_and(char::is_alphanumeric);
    (!alnum_start || !text[..start].chars().next_back().is_some_and(char::is_alphanumeric))
        && (!alnum_end || !text[end..].chars().next().is_some_and(char::is_alphanumeric))
}

/// The span of a context regex match that names the skill: "Go" in "with Go,", else the match.
fn name_span(text: &str, name: &str, start: usize, end: usize) -> (usize, usize) {
    text[start..end]
        .match_indices(name)
        .map(|(i, _)| (start + i, start + i + name.len()))
        .find(|&(s, e)| on_boundaries(text, s, e))
        .unwrap_or((start, end))
}

/// Every skill named in `text`, in order, longest first where two start together; hits inside
/// a longer hit and noise phrases are left out.
pub(crate) fn hits(text: &str) -> Vec<Hit> {
    let m = &*MATCHER;
    let mut all = Vec::new();
    for (ac, of) in [(&m.any, &m.any_of), (&m.exact, &m.exact_of)] {
        let Some(ac) = ac else { continue };
        for found in ac.find_overlapping_iter(text) {
            let (start, end) = (found.start(), found.end());
            if let Some(&(skill, bare)) = of.get(found.pattern().as_usize()) {
                if text.is_char_boundary(start) && text.is_char_boundary(end) && on_boundaries(text, start, end) {
                    all.push(Hit { skill, start, end, bare });
                }
            }
        }
    }
    for (skill, regexes) in &m.context {
        for re in regexes {
            for found in re.find_iter(text) {
                let (start, end) = name_span(text, SKILLS[*skill].name, found.start(), found.end());
                all.push(Hit { skill: *skill, start, end, bare: false });
            }
        }
    }
    all.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.skill.cmp(&b.skill)));
    let mut kept: Vec<Hit> = Vec::with_capacity(all.len());
    let mut covered_to = 0;
    for h in all {
        // Every kept hit starts at or before `h`, so `h` is inside one iff it ends by `covered_to`.
        if h.end <= covered_to {
            continue;
        }
        covered_to = covered_to.max(h.end);
        kept.push(h);
    }
    kept.retain(|h| h.def().kind != Kind::Noise);
    kept
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        hits(text).iter().map(|h| h.def().name).collect()
    }

    #[test]
    fn longest_spelling_wins_and_words_stay_whole() {
        assert_eq!(names("Spark SQL and SQL"), ["Spark", "SQL"]);
        assert_eq!(names("javascript, not javas"), ["JavaScript"]);
        assert_eq!(names("Apache Kafka"), ["Kafka"]);
        assert_eq!(names("strong financial reporting"), ["Financial reporting"]);
        assert!(names("partner with our security team").is_empty());
        assert!(names("reacts restfully").is_empty());
    }

    #[test]
    fn everyday_words_need_their_tool_spelling() {
        assert_eq!(names("We react fast; React and react.js"), ["React", "React"]);
        assert!(names("rust on the spark plug").is_empty());
        assert_eq!(names("Rust"), ["Rust"]);
    }

    #[test]
    fn context_skills_report_the_name_span() {
        let text = "Services in Go, Python and C/C++.";
        let h = hits(text);
        let go = h.iter().find(|h| h.def().name == "Go").unwrap();
        assert_eq!(&text[go.start..go.end], "Go");
        assert!(names(text).contains(&"C") && names(text).contains(&"C++"), "{:?}", names(text));
        assert!(!names("Go-to-market. R&D").contains(&"Go"));
    }

    #[test]
    fn plurals_of_phrases_are_found() {
        assert_eq!(names("scenario analyses and code reviews"), ["Scenario analysis", "Code review"]);
        assert_eq!(plural("data pipeline").as_deref(), Some("data pipelines"));
        assert_eq!(plural("python"), None);
        assert_eq!(plural("data privacy").as_deref(), Some("data privacies"));
    }

    #[test]
    fn broad_names_are_marked_bare() {
        let h = hits("operations and business operations");
        assert_eq!(h.iter().map(|h| h.bare).collect::<Vec<_>>(), [true, false]);
    }
}
