//! The skills dictionary: canonical skill names with the spellings job ads use for them, read
//! once from `data/skills.txt` (format in that file's header).
//!
//! Many tool names are also English words, so an entry matches in one of three ways:
//! * its name and aliases case-insensitively as whole words (`python`, `k8s`, `stakeholder
//!   engagement`);
//! * for an everyday word (`react`, `spark`, `rust`), only in its capitalised tool spelling
//!   (`=React` in the file); unambiguous aliases (`react.js`) still match in any case;
//! * [`CONTEXT_SKILLS`]: one-letter or two-letter names (`Go`, `R`, `C`) that only count in a
//!   clear programming context ("in Go", "Python, Go", "Golang", "C/C++").
//!
//! Each entry also has a [`Kind`], which decides where in a posting it may count as required.

use std::sync::LazyLock;

/// The dictionary file.
pub(crate) const DICTIONARY: &str = include_str!("../data/skills.txt");

/// What sort of skill an entry names; see the header of `data/skills.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A tool, language, platform, standard or method: required from requirements and from
    /// responsibilities.
    Tech,
    /// A competence ("Financial modeling"): required only from requirements and the title.
    Domain,
    /// A field name that is also an everyday word ("Operations"): its bare name needs the title
    /// or an ask next to it.
    Broad,
    /// A general skill a requirement asks for in so many words ("Communication skills").
    General,
    /// A trait ("Attention to detail", "Ownership"): never reported (known to the taxonomy only).
    Soft,
    /// A spoken language: only when fluency is asked.
    Lang,
    /// A phrase matched only to hide the skill words inside it; never reported.
    Noise,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "tech" => Self::Tech,
            "domain" => Self::Domain,
            "broad" => Self::Broad,
            "general" => Self::General,
            "soft" => Self::Soft,
            "lang" => Self::Lang,
            "noise" => Self::Noise,
            _ => return None,
        })
    }
}

/// One dictionary entry.
#[derive(Debug, Clone)]
pub(crate) struct SkillDef {
    /// Canonical display-cased name ("PostgreSQL"), as reported in [`domain::JobAnalysis::skills`].
    pub name: &'static str,
    pub kind: Kind,
    /// Lowercase spellings matched case-insensitively.
    pub aliases: Vec<&'static str>,
    /// Spellings matched only with exactly this case.
    pub exact: Vec<&'static str>,
    /// Whether the canonical name itself is matched case-insensitively.
    pub name_any_case: bool,
    /// Regular expressions that find the skill instead of spellings ([`CONTEXT_SKILLS`]).
    pub context: &'static [&'static str],
}

impl SkillDef {
    /// Every spelling matched case-insensitively: the lowercase name (when it is) and aliases.
    pub fn any_case_spellings(&self) -> impl Iterator<Item = String> + '_ {
        self.name_any_case
            .then(|| self.name.to_lowercase())
            .into_iter()
            .chain(self.aliases.iter().map(|a| (*a).to_owned()))
    }
}

/// Skills matched by regular expressions because their names are too short to match safely.
/// The trailing character classes keep `Go-to-market`, `R&D` and `C++` from counting.
pub(crate) const CONTEXT_SKILLS: &[(&str, &[&str])] = &[
    (
        "Go",
        &[
            r"(?i)\bgolang\b",
            r"(?:\b(?:in|with|using|like|and|or|of)\s+|[,/]\s*)Go(?:[\s,.;:)/]|$)",
            r"\bGo(?:\s*[,/)]|\s+(?:and|or)\s+[A-Z])",
            r"\bGo\s+(?:developer|engineer|programming|services|microservices|code|backend|modules)\b",
        ],
    ),
    (
        "R",
        &[
            r"(?:\b(?:in|with|using|like|and|or)\s+|[,/]\s*)R(?:[\s,.;:)/]|$)",
            r"\bR(?:\s*[,/]|\s+(?:and|or)\s+[A-Z])",
            r"\bRStudio\b",
        ],
    ),
    (
        "C",
        &[
            r"\bC\s*(?:/|,|\band\b|\bor\b)\s*C\+\+",
            r"\b(?:in|with|using)\s+C(?:[\s,.;:)]|$)",
            r"(?i)\b(?:ansi|embedded)\s+c\b",
        ],
    ),
];

/// Parses the dictionary format; an error names the 1-based line.
pub(crate) fn parse_dictionary(text: &'static str) -> Result<Vec<SkillDef>, String> {
    let mut kind = None;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(k) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            kind = Some(Kind::parse(k).ok_or_else(|| format!("line {}: unknown kind {k}", i + 1))?);
            continue;
        }
        let kind = kind.ok_or_else(|| format!("line {}: an entry before any [kind]", i + 1))?;
        let (name, spellings) = line.split_once('|').unwrap_or((line, ""));
        let name = name.trim();
        let (mut aliases, mut exact) = (Vec::new(), Vec::new());
        for s in spellings.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            match s.strip_prefix('=') {
                Some(e) => exact.push(e),
                None if s == s.to_lowercase() => aliases.push(s),
                None => return Err(format!("line {}: alias {s:?} is not lowercase", i + 1)),
            }
        }
        if name.is_empty() {
            return Err(format!("line {}: no name", i + 1));
        }
        let name_any_case = exact.is_empty();
        out.push(SkillDef { name, kind, aliases, exact, name_any_case, context: &[] });
    }
    Ok(out)
}

/// The dictionary, then the context skills. Empty only if the bundled file were broken, which a
/// test rules out.
pub(crate) static SKILLS: LazyLock<Vec<SkillDef>> = LazyLock::new(|| {
    let mut skills = parse_dictionary(DICTIONARY).unwrap_or_default();
    skills.extend(CONTEXT_SKILLS.iter().map(|(name, patterns)| SkillDef {
        name,
        kind: Kind::Tech,
        aliases: Vec::new(),
        exact: Vec::new(),
        name_any_case: false,
        context: patterns,
    }));
    skills
});

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_dictionary_parses_and_every_spelling_has_one_owner() {
        let parsed = parse_dictionary(DICTIONARY).unwrap_or_else(|e| panic!("{e}"));
        let mut names = std::collections::HashSet::new();
        let mut owner: HashMap<String, &str> = HashMap::new();
        for def in SKILLS.iter() {
            assert!(names.insert(def.name.to_lowercase()), "duplicate {}", def.name);
            for spelling in def.any_case_spellings().chain(def.exact.iter().map(|e| e.to_lowercase())) {
                let first = *owner.entry(spelling.clone()).or_insert(def.name);
                assert_eq!(first, def.name, "{spelling:?} belongs to two skills");
            }
        }
        let reported = parsed.iter().filter(|d| d.kind != Kind::Noise).count();
        assert!(reported >= 1000, "{reported} skills");
    }

    #[test]
    fn format_errors_name_the_line() {
        assert!(parse_dictionary("Python").unwrap_err().starts_with("line 1:"));
        assert!(parse_dictionary("[tech]\nPython | Py3").unwrap_err().starts_with("line 2:"));
        assert!(parse_dictionary("[nope]").unwrap_err().contains("unknown kind"));
        let ok = parse_dictionary("# c\n[tech]\nReact | react.js; =React\n[broad]\nSales").unwrap();
        assert_eq!((ok[0].name, ok[0].name_any_case, ok[0].exact.as_slice()), ("React", false, &["React"][..]));
        assert_eq!((ok[1].kind, ok[1].name_any_case), (Kind::Broad, true));
    }
}
