//! Skill extraction: which dictionary skills a posting names, which of them it requires or
//! prefers, most important first.
//!
//! Where a skill is named decides what it is (see [`Kind`]):
//! * **required** — named in a requirement line (under a requirements heading, or, when the
//!   posting has none, in a line that asks something: "experience with", "you have", "must");
//!   or a technology ([`Kind::Tech`]) named in a responsibility ("build services in Go") or in
//!   the title. A broad field word ("operations") needs an ask next to it ("operations
//!   experience", "background in operations"); a spoken language needs fluency asked ("fluent
//!   German"); a general skill ("Communication skills") needs a requirement line; a trait
//!   ("Attention to detail") is never reported at all (it is in the dictionary so that
//!   labels and answers naming it normalise, and so that its words are not read as another
//!   skill). Examples of an ask count ("a warehouse such as
//!   BigQuery or Snowflake" asks for either); the fields of a degree ("a degree in Economics")
//!   and skills that are the employer's own name do not.
//! * **preferred** — named in a nice-to-have section or an optional line, and not required.
//!
//! Required skills are ranked (title, then mentions) and capped at [`MAX_REQUIRED`].

use crate::matcher::{hits, Hit};
use crate::sections::re;
use crate::sections::{Line, Section};
use crate::skills::{Kind, SKILLS};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The most skills one analysis reports; past this the list stops helping a resume.
const MAX_SKILLS: usize = 30;
/// The most required skills one analysis reports.
pub(crate) const MAX_REQUIRED: usize = 20;

/// Words that make a sentence an ask ("experience with", "you have", "must").
static ASKS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(experience|experienced|proficien\w*|knowledge|expertise|expert|familiar\w*|skills?|background|must|required|requirements?|strong|solid|hands-on|you have|you bring|understanding|fluent|fluency|comfortable|years|ability to|track record|qualif\w*|looking for|seeking|we need)\b",
    )
});

/// An ask just before a broad field word ("experience in", "background in finance or").
static CUE_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:experience|experienced|background|expertise|expert|knowledge|proficien\w*|skills?|career|track record|understanding|familiarity|fluency|work(?:ing)?)\s+(?:in|with|of|across|within)\s+(?:[\w&/-]+[\s,]+){0,3}$",
    )
});

/// An ask just after a broad field word ("operations experience", "sales background").
static CUE_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s*(?:,|or|and|&|/)?\s*[\w&-]+){0,2}?\s*(?:-|\s)?(?:experience|background|expertise|skills|knowledge|roles?|function|leadership|acumen|principles|fundamentals|targets|quotas?|mindset|environment)\b",
    )
});

/// A line that asks for a spoken language ("fluent German", "native Finnish speaker").
static FLUENCY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(fluen(?:t|cy)|native|proficien\w*|speak\w*|spoken|bilingual|mother tongue|languages?|business level|level of|written and (?:spoken|verbal|oral)|command of|[abc][12])\b",
    )
});

/// "a degree in X, Y or a related field": fields of study, which are not skills.
static DEGREE_FIELDS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:degree|bachelor'?s?|master'?s?|diploma|b\.?sc?|m\.?sc?|b\.?a|m\.?a|ph\.?d|mba|major(?:ed)?|graduate|qualification)\b[^.;:()]{0,30}?\b(?:in|of)\b[^.;:()]*",
    )
});

fn is_match(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// Whether a line asks something of the candidate.
pub(crate) fn asks(line: &str) -> bool {
    is_match(&ASKS, line)
}

/// The byte ranges of a line that name no ask: the fields of study of a degree ("a degree in
/// Finance or Economics").
fn degree_ranges(line: &str) -> Vec<(usize, usize)> {
    DEGREE_FIELDS.as_ref().map_or_else(Vec::new, |re| re.find_iter(line).map(|m| (m.start(), m.end())).collect())
}

/// Whether a bare broad word in `text` at `h` has an ask next to it.
fn cued(text: &str, h: &Hit) -> bool {
    let mut from = h.start.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    is_match(&CUE_BEFORE, &text[from..h.start]) || is_match(&CUE_AFTER, &text[h.end..])
}

/// A skill occurrence summary.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Index into [`SKILLS`].
    pub skill: usize,
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

fn rank(found: &mut [Found]) {
    found.sort_by(|a, b| b.score().cmp(&a.score()).then(a.first.cmp(&b.first)).then(a.name.cmp(b.name)));
}

/// What a posting's skills are: every skill named (ranked), the required and the preferred.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extraction {
    pub found: Vec<Found>,
    pub required: Vec<&'static str>,
    pub preferred: Vec<&'static str>,
}

/// Reads the skills of a posting from its title and its sectioned lines.
pub(crate) fn extract(title: &str, company: &str, lines: &[Line]) -> Extraction {
    let employer: BTreeSet<usize> = hits(company).iter().map(|h| h.skill).collect();
    let has_required = lines.iter().any(|l| l.section == Section::Required && !l.optional);
    let mut by_skill: BTreeMap<usize, Found> = BTreeMap::new();
    let mut required = BTreeSet::new();
    let mut preferred = BTreeSet::new();
    let mut position = 0;

    let title_hits = hits(title);
    let title_fluent = is_match(&FLUENCY, title);
    for h in &title_hits {
        let kind = h.def().kind;
        if kind == Kind::Tech || (kind == Kind::Lang && title_fluent) {
            required.insert(h.skill);
        }
    }
    let mut record = |h: &Hit, in_title: bool, position: usize| {
        if h.def().kind == Kind::Soft {
            return;
        }
        let f = by_skill.entry(h.skill).or_insert(Found {
            skill: h.skill,
            name: h.def().name,
            count: 0,
            first: position,
            in_title: false,
            in_requirements: false,
        });
        f.count += 1;
        f.in_title |= in_title;
    };
    for h in &title_hits {
        record(h, true, h.start);
        position = position.max(h.end);
    }

    for line in lines {
        let text = line.text.as_str();
        let line_hits = hits(text);
        if line_hits.is_empty() {
            position += text.len() + 1;
            continue;
        }
        let counted = line.section != Section::Boilerplate;
        let degrees = if counted { degree_ranges(text) } else { Vec::new() };
        let requirement = !line.optional
            && (line.section == Section::Required
                || (!has_required && !matches!(line.section, Section::Boilerplate | Section::Preferred) && asks(text)));
        let responsibility = !line.optional && line.section == Section::Responsibilities;
        let optional = line.section == Section::Preferred || (line.optional && line.section != Section::Boilerplate);
        let fluent = line_hits.iter().any(|h| h.def().kind == Kind::Lang) && is_match(&FLUENCY, text);
        for h in &line_hits {
            record(h, false, position + h.start);
            if degrees.iter().any(|&(s, e)| h.start >= s && h.start < e) {
                continue;
            }
            let kind = h.def().kind;
            let counts_as_ask = match kind {
                Kind::Tech => requirement || responsibility,
                Kind::Domain => requirement,
                Kind::General => requirement,
                Kind::Broad => requirement && (!h.bare || cued(text, h)),
                Kind::Lang => (requirement || responsibility) && fluent,
                Kind::Soft | Kind::Noise => false,
            };
            if counts_as_ask {
                required.insert(h.skill);
            } else if optional && !matches!(kind, Kind::Noise | Kind::Soft) && (kind != Kind::Lang || fluent) {
                preferred.insert(h.skill);
            }
        }
        position += text.len() + 1;
    }

    for skill in &required {
        if let Some(f) = by_skill.get_mut(skill) {
            f.in_requirements = true;
        }
    }
    let mut found: Vec<Found> = by_skill.into_values().collect();
    rank(&mut found);
    let ordered = |set: &BTreeSet<usize>, cap: usize| -> Vec<&'static str> {
        found
            .iter()
            .filter(|f| set.contains(&f.skill) && !employer.contains(&f.skill))
            .map(|f| f.name)
            .take(cap)
            .collect()
    };
    let required_names = ordered(&required, MAX_REQUIRED);
    let preferred_names = ordered(&preferred.difference(&required).copied().collect(), MAX_SKILLS);
    found.truncate(MAX_SKILLS);
    Extraction { found, required: required_names, preferred: preferred_names }
}

/// Every dictionary skill named in the text, in order of importance: mentions (capped, so a
/// word repeated in boilerplate does not dominate), plus a bonus for the title and for the
/// requirements text. Ties keep the order of first mention.
pub(crate) fn find_skills(title: &str, description: &str, requirements: &str) -> Vec<Found> {
    let text = format!("{title}\n{description}");
    let in_title: BTreeSet<usize> = hits(title).iter().map(|h| h.skill).collect();
    let in_req: BTreeSet<usize> = hits(requirements).iter().map(|h| h.skill).collect();
    let mut by_skill: BTreeMap<usize, Found> = BTreeMap::new();
    for h in hits(&text).into_iter().filter(|h| h.def().kind != Kind::Soft) {
        by_skill
            .entry(h.skill)
            .or_insert(Found {
                skill: h.skill,
                name: h.def().name,
                count: 0,
                first: h.start,
                in_title: in_title.contains(&h.skill),
                in_requirements: in_req.contains(&h.skill),
            })
            .count += 1;
    }
    let mut found: Vec<Found> = by_skill.into_values().collect();
    rank(&mut found);
    found.truncate(MAX_SKILLS);
    found
}

/// The one-word dictionary spellings of a skill and its name, for telling keywords apart from
/// skills ("k8s" is not a keyword when Kubernetes is a skill; "backend" from "backend services"
/// still is).
pub(crate) fn skill_terms(name: &str) -> Vec<String> {
    SKILLS
        .iter()
        .filter(|d| d.name == name)
        .flat_map(|d| {
            let one_word = d.aliases.iter().filter(|a| !a.contains(' ')).map(|a| (*a).to_owned());
            std::iter::once(d.name.to_owned()).chain(one_word)
        })
        .collect()
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
