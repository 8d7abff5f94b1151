//! The match score between a profile and a job, with its explanation.

use domain::{Job, JobAnalysis, MatchScore, Profile};

/// How well `profile` fits `job` as `analysis` reads it (0–100) and why.
pub fn match_score(profile: &Profile, job: &Job, analysis: &JobAnalysis) -> MatchScore {
    let _ = (profile, job, analysis);
    MatchScore::default()
}
