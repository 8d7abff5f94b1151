//! Precision and recall of the heuristic extractor's `required_skills` on a labelled set.
//!
//! The built-in set (`data/skills_labelled.jsonl`) holds real descriptions from the offline
//! feed (itself assembled from the job-board fixtures), each with the required skills a person
//! read off the text. A line is `{"job": TEXT, "required_skills": [NAME, ...]}`; TEXT is the
//! title on the first line and the description after it. Names are compared after
//! [`crate::normalize_skill`], so "k8s" in a label and "Kubernetes" from the extractor agree.

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

/// The comparison key of a skill name: its canonical taxonomy name when it has one, else the
/// trimmed lowercase spelling.
fn key(name: &str) -> String {
    crate::normalize_skill(name).map_or_else(|| name.trim().to_lowercase(), str::to_lowercase)
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
        let got: BTreeSet<String> = analysis.required_skills.iter().map(|s| key(s)).collect();
        let want: BTreeSet<String> = case.required_skills.iter().map(|s| key(s)).collect();
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
    fn builtin_set_parses() {
        let cases = parse_skill_cases(SKILLS_LABELLED).unwrap();
        assert_eq!(builtin_skill_cases().len(), cases.len());
    }
}
