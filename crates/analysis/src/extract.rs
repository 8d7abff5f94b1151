//! Skill extraction: which dictionary skills a posting names, most important first.

use crate::skills::{SkillDef, CONTEXT_SKILLS, SKILLS};
use crate::text::word_positions;
use regex::Regex;
use std::sync::LazyLock;

/// The most skills one analysis reports; past this the list stops helping a resume.
const MAX_SKILLS: usize = 30;

static CONTEXT_REGEXES: LazyLock<Vec<(&'static str, Vec<Regex>)>> = LazyLock::new(|| {
    CONTEXT_SKILLS
        .iter()
        .map(|(name, patterns)| (*name, patterns.iter().filter_map(|p| Regex::new(p).ok()).collect()))
        .collect()
});

/// Words that make a sentence an ask ("experience with", "you have", "must").
static ASKS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(experience|experienced|proficien\w*|knowledge|expertise|expert|familiar\w*|skills?|background|must|required|requirements?|strong|solid|hands-on|you have|you bring|understanding|fluent|fluency|comfortable|years|ability to|track record|qualif\w*|looking for|seeking|we need)\b",
    )
    .ok()
});

/// "such as X, Y", "(e.g. X)", "for example X": the examples a clause gives.
static EXAMPLES: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:such as|e\.g\.?|for example|for instance)[^)\n;.]*").ok());

/// A line without the examples it lists.
pub(crate) fn without_examples(line: &str) -> String {
    EXAMPLES.as_ref().map_or_else(|| line.to_owned(), |re| re.replace_all(line, " ").into_owned())
}

/// Whether a line asks something of the candidate.
pub(crate) fn asks(line: &str) -> bool {
    ASKS.as_ref().is_some_and(|re| re.is_match(line))
}

/// A skill occurrence summary.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub name: &'static str,
    pub count: usize,
    pub first: usize,
    pub in_title: bool,
    pub in_requirements: bool,
}

impl Found {
    fn score(&self) -> usize {
        self.count.min(5) + if self.in_title { 4 } else { 0 } + if self.in_requirements { 3 } else { 0 }
    }
}

/// Occurrence intervals of one dictionary skill in `text` (`lower` is `text` lowercased).
fn spans(def: &SkillDef, text: &str, lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut add = |hay: &str, needle: &str| {
        for p in word_positions(hay, needle) {
            spans.push((p, p + needle.len()));
        }
    };
    if def.name_any_case {
        add(lower, &def.name.to_lowercase());
    }
    for a in def.aliases {
        add(lower, a);
    }
    for e in def.exact {
        add(text, e);
    }
    merge(spans)
}

/// Overlapping spans are one mention ("Apache Kafka" is not two Kafkas).
fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn context_spans(regexes: &[Regex], text: &str) -> Vec<(usize, usize)> {
    merge(regexes.iter().flat_map(|re| re.find_iter(text).map(|m| (m.start(), m.end()))).collect())
}

/// Every dictionary skill named in the posting, in order of importance: mentions (capped, so a
/// word repeated in boilerplate does not dominate), plus a bonus for the title and for the
/// requirements text. Ties keep the order of first mention.
pub(crate) fn find_skills(title: &str, description: &str, requirements: &str) -> Vec<Found> {
    let text = format!("{title}\n{description}");
    let lower = text.to_lowercase();
    let title_lower = title.to_lowercase();
    let req = requirements;
    let req_lower = req.to_lowercase();

    let mut found = Vec::new();
    for def in SKILLS {
        let all = spans(def, &text, &lower);
        if let Some(&(first, _)) = all.first() {
            found.push(Found {
                name: def.name,
                count: all.len(),
                first,
                in_title: !spans(def, title, &title_lower).is_empty(),
                in_requirements: !spans(def, req, &req_lower).is_empty(),
            });
        }
    }
    for (name, regexes) in CONTEXT_REGEXES.iter() {
        let all = context_spans(regexes, &text);
        if let Some(&(first, _)) = all.first() {
            found.push(Found {
                name,
                count: all.len(),
                first,
                in_title: !context_spans(regexes, title).is_empty(),
                in_requirements: !context_spans(regexes, req).is_empty(),
            });
        }
    }
    found.sort_by(|a, b| b.score().cmp(&a.score()).then(a.first.cmp(&b.first)).then(a.name.cmp(b.name)));
    found.truncate(MAX_SKILLS);
    found
}

/// The canonical names of every skill `text` names.
pub(crate) fn skill_set(text: &str) -> std::collections::BTreeSet<&'static str> {
    if text.trim().is_empty() {
        return std::collections::BTreeSet::new();
    }
    find_skills("", text, "").into_iter().map(|f| f.name).collect()
}

/// The dictionary spellings of a skill, for telling keywords apart from skills.
pub(crate) fn skill_terms(name: &str) -> Vec<&'static str> {
    SKILLS
        .iter()
        .filter(|d| d.name == name)
        .flat_map(|d| std::iter::once(d.name).chain(d.aliases.iter().copied()))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn names(title: &str, description: &str) -> Vec<&'static str> {
        find_skills(title, description, "").into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn every_pattern_compiles() {
        for (name, patterns) in CONTEXT_SKILLS {
            for p in *patterns {
                assert!(Regex::new(p).is_ok(), "{name}: {p}");
            }
        }
        assert!(ASKS.is_some());
    }

    #[test]
    fn aliases_map_to_canonical_names() {
        let n = names("Platform Engineer", "We run k8s on EKS, store data in Postgres and write Golang services.");
        for want in ["Kubernetes", "PostgreSQL", "Go", "Amazon EKS"] {
            assert!(n.contains(&want), "{want} missing from {n:?}");
        }
    }

    #[test]
    fn short_and_ambiguous_names_need_context() {
        let n = names("Marketing Lead", "Go-to-market plans. Let's go! We react quickly to change and rest on weekends. R&D budget. Series C, here we come.");
        for bad in ["Go", "React", "REST", "R", "C"] {
            assert!(!n.contains(&bad), "{bad} wrongly found in {n:?}");
        }
        assert!(n.contains(&"Go-to-market"), "{n:?}");
        let n = names("Engineer", "Experience in Go, Python, R and C/C++. Our UI is built with React; APIs are REST.");
        for good in ["Go", "Python", "R", "C", "C++", "React", "REST"] {
            assert!(n.contains(&good), "{good} missing from {n:?}");
        }
    }

    #[test]
    fn title_and_requirements_rank_first() {
        let d = "We use Python, Python and Python for scripts.\nStrong Kafka experience\n";
        let n: Vec<&str> =
            find_skills("Rust Engineer", d, "Strong Kafka experience").into_iter().map(|f| f.name).collect();
        assert_eq!(&n[..3], ["Rust", "Kafka", "Python"]);
    }
}
