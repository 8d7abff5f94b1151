//! The OptimizerAgent: how well a resume covers a job's terms (the ATS score), and picking the
//! variant to submit.

use crate::relevance::{contains_word_lower, job_terms};
use domain::{JobAnalysis, TailoredResume};

/// The share of the job's skills and keywords (deduplicated, lowercase) that appear as whole
/// words in the resume's text, and which ones, in the analysis' order. A job with no terms scores 0.
pub fn ats_score(resume: &TailoredResume, analysis: &JobAnalysis) -> (f64, Vec<String>) {
    let terms = job_terms(analysis);
    if terms.is_empty() {
        return (0.0, Vec::new());
    }
    let total = terms.len();
    let text = resume_text(resume).to_lowercase();
    let matched: Vec<String> = terms.into_iter().map(|(t, _)| t).filter(|t| contains_word_lower(&text, t)).collect();
    (matched.len() as f64 / total as f64, matched)
}

/// Everything an ATS would read, one string per line so terms never span two fields.
fn resume_text(r: &TailoredResume) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(r.label.as_deref());
    parts.extend(r.summary.as_deref());
    parts.extend(r.skills.iter().map(String::as_str));
    for w in &r.work {
        parts.push(&w.position);
        parts.push(&w.organization);
        parts.extend(w.summary.as_deref());
        parts.extend(w.highlights.iter().map(String::as_str));
    }
    parts.join("\n")
}

/// Selects the variant with the highest ATS score (ties: the earliest, so `v1` wins a tie) and
/// returns its index; every other variant is left unselected. `None` when there are no variants.
pub fn optimize_for_ats(variants: &mut [TailoredResume]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, v) in variants.iter().enumerate() {
        // A NaN score never wins.
        let score = if v.ats_score.is_nan() { f64::NEG_INFINITY } else { v.ats_score };
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    let (idx, _) = best?;
    for (i, v) in variants.iter_mut().enumerate() {
        v.selected = i == idx;
    }
    Some(idx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::generate::{generate_variants, template_resume};
    use crate::test_support::{analysis, job, sample_profile};
    use domain::ApplicationId;

    #[test]
    fn score_is_the_covered_share() {
        let p = sample_profile();
        let r = template_resume(&p, &job("x", ""), ApplicationId::from_uuid(Default::default()));
        let a = analysis(&["kafka", "rust", "Kafka", "cobol"], &["ledger", "underwater"]);
        let (score, matched) = ats_score(&r, &a);
        assert_eq!(matched, ["kafka", "rust", "ledger"]);
        assert!((score - 3.0 / 5.0).abs() < 1e-9, "{score}");
        assert_eq!(ats_score(&r, &analysis(&[], &[])), (0.0, vec![]));
    }

    #[test]
    fn optimizer_picks_the_best_and_the_first_on_ties() {
        let p = sample_profile();
        let a = analysis(&["kafka", "kubernetes", "react"], &["dashboards"]);
        let mut v = generate_variants(&p, &job("x", ""), &a, ApplicationId::from_uuid(Default::default()), 3);
        for r in &mut v {
            r.ats_score = 0.5;
        }
        v[2].ats_score = 0.9;
        assert_eq!(optimize_for_ats(&mut v), Some(2));
        assert_eq!(v.iter().filter(|r| r.selected).count(), 1);
        v[1].ats_score = 0.9;
        v[0].ats_score = f64::NAN;
        assert_eq!(optimize_for_ats(&mut v), Some(1));
        assert!(v[1].selected && !v[2].selected);
        assert_eq!(optimize_for_ats(&mut []), None);
    }

    #[test]
    fn generated_scores_are_consistent() {
        let p = sample_profile();
        let a = analysis(&["kafka", "kubernetes", "react"], &["dashboards"]);
        let mut v = generate_variants(&p, &job("x", ""), &a, ApplicationId::from_uuid(Default::default()), 3);
        for r in &v {
            assert_eq!(ats_score(r, &a), (r.ats_score, r.matched_keywords.clone()));
            assert!((0.0..=1.0).contains(&r.ats_score));
        }
        let idx = optimize_for_ats(&mut v).unwrap();
        let best = v.iter().map(|r| r.ats_score).fold(0.0, f64::max);
        assert_eq!(v[idx].ats_score, best);
        assert!(v[idx].selected);
    }
}
