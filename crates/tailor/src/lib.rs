//! Resume tailoring: the GeneratorAgent (resume variants for one job) and the OptimizerAgent
//! (ATS scoring and picking the variant to submit).
//!
//! **Truth rule.** A tailored resume contains only strings copied verbatim from the profile.
//! Tailoring *selects and orders* the user's own facts; it never writes, rewrites or merges text,
//! and nothing from the job posting is ever copied into the resume (the posting only steers the
//! ordering through the analysis' skills and keywords). [`verify_truth`] checks this for any
//! resume, and every generated variant passes it.

mod ats;
mod generate;
mod relevance;
mod truth;

pub use ats::{ats_score, optimize_for_ats};
pub use generate::{generate_variants, profile_skills, template_resume, VARIANT_STRATEGIES};
pub use truth::{verify_truth, TruthError};

#[cfg(test)]
mod test_support;
