//! Precision and recall of the heuristic extractor's `required_skills` on a labelled set.
//!
//! The built-in set (`data/skills_labelled.jsonl`) is the tuning data: 45 real descriptions
//! from the offline feed (itself assembled from the job-board fixtures) followed by the 73 of
//! `eval/tune/skills.jsonl` (real postings of other employers labelled under `eval/RULES.md`),
//! each with the required skills a person read off the text. The held-back split
//! `eval/holdout/skills.jsonl` is for reporting only. A line is `{"job": TEXT, "required_skills": [NAME, ...]}`; TEXT is the
//! title on the first line and the description after it.
//!
//! **Comparison key** ([`skill_key`]). A predicted and a labelled name count as the same skill
//! when their keys are equal; the same function makes both keys, so the rule is symmetric:
//! 1. spacing is collapsed and case ignored;
//! 2. a name the taxonomy knows becomes its canonical name ([`crate::normalize_skill`]: "k8s"
//!    and "Kubernetes", "Dashboards" and "Data visualization", "Communication" and
//!    "Communication skills");
//! 3. otherwise filler is stripped — a leading "experience with/in", "knowledge of",
//!    "proficiency in", "familiarity with", "understanding of", "strong", "advanced"…, and a
//!    trailing "skills", "experience", "knowledge", "expertise", "systems", "tools",
//!    "software", "platforms" — and step 2 is tried again ("Access control systems" →
//!    "Access control", "Strong SQL skills" → "SQL");
//! 4. what is still unknown is compared as that stripped lowercase text with the last word's
//!    plural folded ("Submittals" = "submittal", "policies" = "policy").
//!
//! Nothing else is fuzzy: no edit distance, no word overlap, so two different skills never
//! share a key unless the taxonomy says one is a spelling of the other.

use crate::HeuristicAnalyzer;
use domain::Job;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The built-in labelled set, one JSON object per line.
pub const SKILLS_LABELLED: &str = include_str!("../data/skills_labelled.jsonl");

/// One labelled posting.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillCase {
    /// Title on the first line, description after it.
    pub job: String,
    /// The skills the posting requires, as a reader labelled them.
    pub required_skills: Vec<String>,
}

/// Micro-averaged scores over a set of cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkillScores {
    /// Share of predicted required skills that are labelled (1.0 when nothing was predicted).
    pub precision: f64,
    /// Share of labelled required skills that were predicted (1.0 when nothing was labelled).
    pub recall: f64,
    /// Number of cases scored.
    pub cases: usize,
}

/// The built-in labelled set. Empty only if the bundled file were broken, which a test rules out.
pub fn builtin_skill_cases() -> Vec<SkillCase> {
    parse_skill_cases(SKILLS_LABELLED).unwrap_or_default()
}

/// Parses JSON lines; blank lines are skipped; an error names the 1-based line.
pub fn parse_skill_cases(jsonl: &str) -> Result<Vec<SkillCase>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str::<SkillCase>(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

const LEADING_FILLER: &[&str] = &[
    "experience with ",
    "experience in ",
    "experience of ",
    "working knowledge of ",
    "knowledge of ",
    "proficiency in ",
    "proficiency with ",
    "proficient in ",
    "familiarity with ",
    "understanding of ",
    "expertise in ",
    "hands-on ",
    "strong ",
    "solid ",
    "advanced ",
    "basic ",
];
const TRAILING_FILLER: &[&str] = &[
    " skills",
    " skill",
    " experience",
    " knowledge",
    " expertise",
    " proficiency",
    " systems",
    " system",
    " tools",
    " software",
    " platforms",
];

/// The last word of `s` in the singular (a simple rule: "-ies" → "-y", a final "s" dropped
/// except after "s", "u" or "i").
fn singular(s: &str) -> String {
    if let Some(stem) = s.strip_suffix("ies").filter(|t| t.len() >= 2) {
        return format!("{stem}y");
    }
    match s.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with(['s', 'u', 'i']) => stem.to_owned(),
        _ => s.to_owned(),
    }
}

/// The comparison key of a skill name (module docs): the lowercase canonical taxonomy name when
/// there is one, else the name without filler, lowercase, last word singular.
pub fn skill_key(name: &str) -> String {
    let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if let Some(canonical) = crate::normalize_skill(&collapsed) {
        return canonical.to_lowercase();
    }
    let mut stripped = collapsed.trim_end_matches(['.', ',', ';', ':']).to_owned();
    loop {
        let before = stripped.len();
        for f in LEADING_FILLER {
            if let Some(rest) = stripped.strip_prefix(f) {
                stripped = rest.to_owned();
            }
        }
        for f in TRAILING_FILLER {
            if let Some(rest) = stripped.strip_suffix(f).filter(|r| !r.is_empty()) {
                stripped = rest.to_owned();
            }
        }
        if stripped.len() == before {
            break;
        }
    }
    crate::normalize_skill(&stripped).map_or_else(|| singular(&stripped), str::to_lowercase)
}

/// A job built from a case's text (title on the first line).
pub fn case_job(text: &str) -> Job {
    Job::from_posting_text("labelled", text)
}

/// Runs the heuristic extractor on every case and scores its `required_skills`.
pub fn evaluate_skills(cases: &[SkillCase]) -> SkillScores {
    let (mut tp, mut predicted, mut labelled) = (0usize, 0usize, 0usize);
    for case in cases {
        let analysis = HeuristicAnalyzer.analyze(&case_job(&case.job));
        let got: BTreeSet<String> = analysis.required_skills.iter().map(|s| skill_key(s)).collect();
        let want: BTreeSet<String> = case.required_skills.iter().map(|s| skill_key(s)).collect();
        tp += got.intersection(&want).count();
        predicted += got.len();
        labelled += want.len();
    }
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    SkillScores { precision: ratio(tp, predicted), recall: ratio(tp, labelled), cases: cases.len() }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let err = parse_skill_cases("{\"job\":\"a\",\"required_skills\":[]}\n\nnot json").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        let err = parse_skill_cases("{\"job\":\"a\"}").unwrap_err();
        assert!(err.starts_with("line 1:") && err.contains("required_skills"), "{err}");
    }

    #[test]
    fn scores_are_micro_averaged_after_normalization() {
        let cases = parse_skill_cases(concat!(
            "{\"job\":\"Engineer\\nRequirements\\n- Experience with k8s and Postgres\\n\",\"required_skills\":[\"Kubernetes\",\"postgres\",\"Rust\"]}\n",
            "{\"job\":\"Nothing\\nWe are nice.\",\"required_skills\":[]}\n",
        ))
        .unwrap();
        let s = evaluate_skills(&cases);
        assert_eq!(s.cases, 2);
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-9, "{s:?}");
        assert!((s.precision - 1.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn the_key_is_canonical_symmetric_and_strict() {
        for (a, b) in [
            ("k8s", "Kubernetes"),
            ("Strong SQL skills", "sql"),
            ("Experience with Python", "Python"),
            ("Access control systems", "Access control"),
            ("Dashboards", "Data visualization"),
            ("Communication", "Communication skills"),
            ("Submittals", "submittal"),
            ("Security policies", "security policy"),
        ] {
            assert_eq!(skill_key(a), skill_key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("Java", "JavaScript"),
            ("Data analysis", "Data science"),
            ("Sales", "Sales operations"),
            ("Analysis", "Analytics"),
        ] {
            assert_ne!(skill_key(a), skill_key(b), "{a} / {b}");
        }
        assert_eq!(skill_key("Communication skills"), "communication skills");
        assert_eq!(skill_key("Business"), "business");
    }

    #[test]
    fn builtin_set_parses() {
        let cases = parse_skill_cases(SKILLS_LABELLED).unwrap();
        assert_eq!(builtin_skill_cases().len(), cases.len());
    }
}
