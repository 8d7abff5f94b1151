//! The tailoring report (`applyflow tailor --report`, `POST /api/v1/tailor`): the match score and
//! each variant's ATS coverage and guard result.

use crate::facts::{corpus, in_corpus};
use crate::relevance::job_terms;
use crate::Tailored;
use domain::resume::{GuardReport, ReadabilityCheck};
use domain::{JobAnalysis, MatchScore, Profile};
use serde::Serialize;

/// One variant in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantReport {
    pub id: String,
    pub strategy: String,
    pub ats_score: f64,
    pub ats_coverage_before: f64,
    pub ats_coverage_after: f64,
    pub missing_keywords: Vec<String>,
    /// Questions to the user about missing keywords they might truly have.
    pub questions: Vec<String>,
    pub readability: Vec<ReadabilityCheck>,
    pub guard: GuardReport,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TailorReport {
    /// 0..=100.
    pub match_score: u8,
    pub matched_keywords: Vec<String>,
    pub missing_keywords: Vec<String>,
    pub transferable_keywords: Vec<String>,
    pub explanation: String,
    pub variants: Vec<VariantReport>,
    pub chosen_variant: String,
}

impl TailorReport {
    pub fn new(score: &MatchScore, tailored: &Tailored) -> Self {
        Self {
            match_score: score.score.min(100),
            matched_keywords: score.matched_keywords.clone(),
            missing_keywords: score.missing_keywords.clone(),
            transferable_keywords: score.transferable_keywords.clone(),
            explanation: score.explanation.clone(),
            variants: tailored
                .variants
                .iter()
                .map(|v| {
                    let ats = v.ats_report.clone().unwrap_or_default();
                    VariantReport {
                        id: v.variant_id.clone(),
                        strategy: v.strategy.clone(),
                        ats_score: v.ats_score,
                        ats_coverage_before: ats.coverage_before,
                        ats_coverage_after: ats.coverage_after,
                        missing_keywords: ats.missing_keywords,
                        questions: ats.questions,
                        readability: ats.readability,
                        guard: v.guard.clone(),
                    }
                })
                .collect(),
            chosen_variant: tailored.chosen().variant_id.clone(),
        }
    }
}

/// A match score from keyword coverage alone, for when no richer scorer is given: the weighted
/// share of the job's skills (weight 2) and keywords (weight 1) found anywhere in the profile.
pub fn fallback_match_score(profile: &Profile, analysis: &JobAnalysis) -> MatchScore {
    let corpus = corpus(profile);
    let terms = job_terms(analysis);
    let total: usize = terms.iter().map(|(_, w)| w).sum();
    let (matched, missing): (Vec<_>, Vec<_>) = terms.into_iter().partition(|(t, _)| in_corpus(&corpus, t));
    let got: usize = matched.iter().map(|(_, w)| w).sum();
    let score = if total == 0 { 0 } else { ((got * 100) as f64 / total as f64).round() as u8 };
    MatchScore {
        score,
        explanation: format!(
            "The profile covers {} of the job's {} skills and keywords.",
            matched.len(),
            matched.len() + missing.len()
        ),
        matched_keywords: matched.into_iter().map(|(t, _)| t).collect(),
        missing_keywords: missing.into_iter().map(|(t, _)| t).collect(),
        transferable_keywords: Vec::new(),
        experience_fit: 0.0,
        location_fit: 0.0,
    }
}
