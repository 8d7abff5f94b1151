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

/// Headings that open the part of an ad listing what the candidate must bring.
static REQUIREMENTS_HEADING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(requirements?|qualifications?|what you(?:'ll|’ll| will)? (?:bring|need|have)|who you are|you have|you(?:'ll|’ll| will) have|about you|your profile|what we(?:'re|’re| are) looking for|must[- ]haves?|nice[- ]to[- ]haves?|skills|experience)\b",
    )
    .ok()
});

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

/// The lines of `description` under a requirements-like heading. A heading is a short line that
/// does not end like a sentence; each heading switches the section on or off.
pub(crate) fn requirements_text(description: &str) -> String {
    let mut inside = false;
    let mut out = String::new();
    for line in description.lines() {
        let l = line.trim();
        let bullet = l.starts_with("- ") || l.starts_with("• ") || l.starts_with("* ");
        let heading = !l.is_empty() && !bullet && l.chars().count() <= 60 && !l.ends_with(['.', ',', ';']);
        if heading {
            inside = REQUIREMENTS_HEADING.as_ref().is_some_and(|re| re.is_match(l));
            continue;
        }
        if inside && !l.is_empty() {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
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
        add(lower, def.name);
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
/// requirements section. Ties keep the order of first mention.
pub(crate) fn find_skills(title: &str, description: &str) -> Vec<Found> {
    let text = format!("{title}\n{description}");
    let lower = text.to_lowercase();
    let title_lower = title.to_lowercase();
    let req = requirements_text(description);
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
                in_requirements: !spans(def, &req, &req_lower).is_empty(),
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
                in_requirements: !context_spans(regexes, &req).is_empty(),
            });
        }
    }
    found.sort_by(|a, b| b.score().cmp(&a.score()).then(a.first.cmp(&b.first)).then(a.name.cmp(b.name)));
    found.truncate(MAX_SKILLS);
    found
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
        find_skills(title, description).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn every_pattern_compiles() {
        for (name, patterns) in CONTEXT_SKILLS {
            for p in *patterns {
                assert!(Regex::new(p).is_ok(), "{name}: {p}");
            }
        }
        assert!(REQUIREMENTS_HEADING.is_some());
    }

    #[test]
    fn aliases_map_to_canonical_names() {
        let n = names("Platform Engineer", "We run k8s on EKS, store data in Postgres and write Golang services.");
        for want in ["kubernetes", "postgresql", "go", "eks"] {
            assert!(n.contains(&want), "{want} missing from {n:?}");
        }
    }

    #[test]
    fn short_and_ambiguous_names_need_context() {
        let n = names("Marketing Lead", "Go-to-market plans. Let's go! We react quickly to change and rest on weekends. R&D budget. Series C, here we come.");
        for bad in ["go", "react", "rest", "r", "c"] {
            assert!(!n.contains(&bad), "{bad} wrongly found in {n:?}");
        }
        assert!(n.contains(&"go-to-market"), "{n:?}");
        let n = names("Engineer", "Experience in Go, Python, R and C/C++. Our UI is built with React; APIs are REST.");
        for good in ["go", "python", "r", "c", "c++", "react", "rest"] {
            assert!(n.contains(&good), "{good} missing from {n:?}");
        }
    }

    #[test]
    fn title_and_requirements_rank_first() {
        let d = "About us\nWe use Python, Python and Python for scripts.\n\nRequirements\n- Strong Kafka experience\n";
        let n = names("Rust Engineer", d);
        assert_eq!(&n[..3], ["rust", "kafka", "python"]);
    }

    #[test]
    fn requirements_section_is_found() {
        let d = "About the role\nYou will build things.\n\nWhat you'll bring\n- SQL\n- dbt\n\nBenefits\n- Pension\n";
        assert_eq!(requirements_text(d), "- SQL\n- dbt\n");
    }
}
