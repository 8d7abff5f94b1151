//! Resume tailoring: the GeneratorAgent (three variants per job, each a different strategy, the
//! summary and bullets reworded by the AI layer where a provider is available) and the
//! OptimizerAgent (ATS report per variant, picking the variant to submit).
//!
//! **Truth rule.** Every line of a tailored resume traces to the profile: identity lines
//! (name, employers, titles, dates, degrees, certificates, skills) are the profile's text
//! verbatim, and a reworded line may change wording only. [`verify_truth`] (the truth guard)
//! checks this through each line's provenance; a rewrite that fails it is rejected and the
//! variant's verbatim version is used (`fallback_to_template`). Nothing from the job posting is
//! ever a source: the posting steers selection and ordering through the analysis, and reaches a
//! model only as delimited data.

mod ats;
mod cover;
mod facts;
mod generate;
mod json_resume;
mod posting;
mod provenance;
mod relevance;
mod report;
mod rewrite;
mod truth;

pub use ats::{ats_report, ats_score, optimize_for_ats, MAX_QUESTIONS};
pub use cover::{cover_letter, verify_cover_letter, CoverLetter, CoverLine, LineKind};
pub use generate::{generate_variants, profile_skills, template_resume, variant, Strategy, VARIANT_STRATEGIES};
pub use json_resume::{json_resume_document, json_resume_value, to_json_resume};
pub use posting::{description_text, job_for_text, job_from_paste, visible_text};
pub use report::{fallback_match_score, TailorReport, VariantReport};
pub use rewrite::{apply_rewrite, rewritable_lines, rewrite_request, rewrite_schema, REWRITE_RESUME};
pub use truth::{guard_reasons, verify_truth, TruthError};

use domain::resume::GuardReport;
use domain::{ApplicationId, ErrorStrategy, Job, JobAnalysis, Profile, TailoredResume};
use llm::budget::Payer;
use llm::AiClient;

/// Why a profile could not be tailored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TailorError {
    /// Nothing to tailor: never replaced by a sample person.
    #[error(
        "the profile has no summary, work, education, skills or projects to tailor; import your own resume \
         (JSON Resume) first"
    )]
    EmptyProfile,
    #[error("no resume variant was requested")]
    NoVariants,
    /// A verbatim variant failed the guard: a bug, never shipped.
    #[error("truth guard failed on the verbatim variant {variant}: {reason}")]
    Guard { variant: String, reason: String },
}

/// Tailored variants of one job, scored, with one selected.
#[derive(Debug, Clone, PartialEq)]
pub struct Tailored {
    pub variants: Vec<TailoredResume>,
    /// Index of the variant the optimizer picked.
    pub chosen: usize,
}

impl Tailored {
    pub fn chosen(&self) -> &TailoredResume {
        &self.variants[self.chosen]
    }
}

/// Offline tailoring: the strategies' verbatim variants, guarded, reported and optimized.
pub fn tailor_offline(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    versions: usize,
) -> Result<Tailored, TailorError> {
    let variants = prepare(profile, job, analysis, application_id, versions)?;
    finish(profile, job, analysis, application_id, variants)
}

/// Tailoring through the AI layer: each variant's summary and bullets are reworded by the first
/// provider that can (task [`REWRITE_RESUME`]); a rewrite the guard rejects, or no provider able
/// to rewrite (the offline one cannot), leaves the variant's verbatim version
/// (`fallback_to_template`), with the reasons in [`TailoredResume::guard`].
pub async fn tailor_with_ai(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    versions: usize,
    ai: &AiClient,
    payer: &Payer<'_>,
) -> Result<Tailored, TailorError> {
    let variants = prepare(profile, job, analysis, application_id, versions)?;
    // The offline provider cannot rewrite: with nothing else in the chain, skip the calls.
    if ai.chain().breaker_states().iter().all(|(name, _)| *name == "offline") {
        let fallback = Some(ErrorStrategy::FallbackToTemplate.as_str().to_owned());
        let verbatim = variants
            .into_iter()
            .map(|mut v| {
                v.guard = GuardReport { fallback: fallback.clone(), ..GuardReport::default() };
                v
            })
            .collect();
        return finish(profile, job, analysis, application_id, verbatim);
    }
    let rewritten =
        futures::future::join_all(variants.into_iter().map(|v| rewrite_one(v, profile, job, ai, payer))).await;
    finish(profile, job, analysis, application_id, rewritten)
}

async fn rewrite_one(
    variant: TailoredResume,
    profile: &Profile,
    job: &Job,
    ai: &AiClient,
    payer: &Payer<'_>,
) -> TailoredResume {
    let fallback = Some(ErrorStrategy::FallbackToTemplate.as_str().to_owned());
    let req = rewrite_request(&variant, profile, job, payer.user);
    let answer = match ai.run(&req, payer).await {
        Ok(a) => a,
        Err(e) => {
            tracing::debug!(variant = %variant.variant_id, error = %e, "no rewrite; verbatim variant");
            let mut v = variant;
            v.guard = GuardReport { fallback, ..GuardReport::default() };
            return v;
        }
    };
    let reasons = match apply_rewrite(&variant, &answer.output) {
        Ok(candidate) => {
            let reasons = guard_reasons(&candidate, profile);
            if reasons.is_empty() {
                let mut c = candidate;
                c.guard = GuardReport { rewritten_by: Some(answer.provider), ..GuardReport::default() };
                return c;
            }
            reasons
        }
        Err(reasons) => reasons,
    };
    tracing::info!(variant = %variant.variant_id, ?reasons, "rewrite rejected by the truth guard");
    let mut v = variant;
    v.guard = GuardReport { accepted: false, rejected_reasons: reasons, rewritten_by: None, fallback };
    v
}

fn prepare(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    versions: usize,
) -> Result<Vec<TailoredResume>, TailorError> {
    check_profile(profile)?;
    if versions == 0 {
        return Err(TailorError::NoVariants);
    }
    Ok(generate_variants(profile, job, analysis, application_id, versions))
}

fn finish(
    profile: &Profile,
    job: &Job,
    analysis: &JobAnalysis,
    application_id: ApplicationId,
    mut variants: Vec<TailoredResume>,
) -> Result<Tailored, TailorError> {
    let base = template_resume(profile, job, application_id);
    let (before, _) = ats_score(&base, analysis);
    let vocabulary = facts::Vocabulary::of(profile);
    for v in &mut variants {
        if let Err(e) = verify_truth(v, profile) {
            return Err(TailorError::Guard { variant: v.variant_id.clone(), reason: e.to_string() });
        }
        let (score, matched) = ats_score(v, analysis);
        v.ats_score = score;
        v.matched_keywords = matched;
        v.ats_report = Some(ats::report_with(v, before, &vocabulary, analysis));
    }
    let chosen = optimize_for_ats(&mut variants).ok_or(TailorError::NoVariants)?;
    Ok(Tailored { variants, chosen })
}

/// Refuses a profile with nothing to tailor (a name alone): such a profile is never filled in
/// with anyone else's facts.
pub fn check_profile(profile: &Profile) -> Result<(), TailorError> {
    if facts::has_content(profile) {
        Ok(())
    } else {
        Err(TailorError::EmptyProfile)
    }
}

#[cfg(test)]
mod test_support;
