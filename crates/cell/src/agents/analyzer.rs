//! AnalyzerAgent: `job.discovered` → analysis through the AI layer → match score →
//! `job.analyzed`. Jobs under the user's `min_match_score` stop here: the analysis is kept, the
//! application is withdrawn with the score as its reason, and `job.analyzed` says
//! `below_threshold`, so the generator never sees an `analyzed` application.
//!
//! Error strategy `use_cached_similar`: reuse the analysis of this user's most similar analyzed
//! job (description and title), marked `cached_similar:<job_id>`.

use super::{application_of, fail_workflow, follow_up, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use analysis::task::{analysis_from_output, analyze_job_request};
use async_trait::async_trait;
use domain::event::{EventPayload, JobAnalyzed};
use domain::{ApplicationState, ErrorStrategy, EventEnvelope, EventType, Job, JobAnalysis, MatchScore, StepName};
use llm::client::AiError;
use llm::embed::{cosine, Embedder, HashedNgramEmbedder};
use store::{UnitOfWork, Write};

/// Analyzes job descriptions through the AI layer (the offline heuristic is its last provider).
#[derive(Default)]
pub struct AnalyzerAgent {
    analyzer: analysis::HeuristicAnalyzer,
}

/// Jobs at least this similar (see [`similarity`]) may share an analysis.
pub const SIMILARITY_THRESHOLD: f64 = 0.6;
/// How many of the user's recent analyses `use_cached_similar` compares against.
const CANDIDATES: u32 = 100;

/// How alike two postings are, in `0..=1`: 60 % the cosine of their hashed n-gram embeddings
/// (title and description), 40 % title word overlap.
pub fn similarity(a: &Job, b: &Job) -> f64 {
    let e = HashedNgramEmbedder::default();
    let text = |j: &Job| format!("{}\n{}", j.title, j.description);
    let desc = f64::from(cosine(&e.embed(&text(a)), &e.embed(&text(b)))).clamp(0.0, 1.0);
    0.6 * desc + 0.4 * analysis::title_similarity(&a.title, &b.title)
}

impl AnalyzerAgent {
    /// The analysis of `job` from the AI layer. A refused call (budget) is answered by the
    /// heuristic here, since retrying cannot help; a failed chain is a transient error.
    async fn analyze(&self, job: &Job, ctx: &AgentCtx) -> Result<JobAnalysis, AgentError> {
        let user = job.user_id.to_string();
        let payer = ctx.ai.payer(&user, &ctx.config.cell_id); // the user's configured plan
        match ctx.ai.run(&analyze_job_request(job), &payer).await {
            Ok(answer) => {
                let provider =
                    if answer.provider == "offline" { analysis::HEURISTIC_PROVIDER } else { &answer.provider };
                if provider == analysis::HEURISTIC_PROVIDER {
                    // Same extractor, but with the board's structured fields and the job's ids.
                    return Ok(self.analyzer.analyze(job));
                }
                analysis_from_output(&answer.output, job, provider).map_err(AgentError::Transient)
            }
            Err(AiError::Refused(_)) => Ok(self.analyzer.analyze(job)),
            Err(e) => Err(AgentError::Transient(format!("analysis failed: {e}"))),
        }
    }

    async fn unit(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        job: &Job,
        analysis: JobAnalysis,
        strategy: Option<&str>,
    ) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Discovered {
            return Ok(unit); // already past this step (or withdrawn): nothing to do
        }
        let profile = ctx.store.get_profile(event.user_id).await?;
        let score: Option<MatchScore> = profile.as_ref().map(|p| analysis::match_score(p, job, &analysis));
        let threshold = profile.as_ref().and_then(|p| p.preferences.min_match_score);
        let below = matches!((&score, threshold), (Some(s), Some(t)) if s.score < t);
        let reason = match (&score, threshold) {
            (Some(s), Some(t)) if below => Some(format!("match score {} is under your minimum {t}", s.score)),
            _ => None,
        };
        let payload = EventPayload::JobAnalyzed(JobAnalyzed {
            job_id: app.job_id,
            application_id: app.id,
            provider: analysis.provider.clone(),
            skills: analysis.skills.clone(),
            seniority: analysis.seniority,
            workplace: analysis.workplace,
            strategy: strategy.map(str::to_owned),
            required_skills: analysis.required_skills.clone(),
            match_score: score,
            below_threshold: below,
        });
        unit.writes.push(Write::PutAnalysis(analysis));
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: ApplicationState::Discovered,
            to: if below { ApplicationState::Withdrawn } else { ApplicationState::Analyzed },
            outcome: None,
            variant_id: None,
            reason,
            at: unit.at,
        });
        unit.events.push(follow_up(event, ctx, &payload));
        Ok(unit)
    }

    async fn job_of(event: &EventEnvelope, ctx: &AgentCtx) -> Result<Job, AgentError> {
        let (job_id, _) = event.subject().map_err(|e| AgentError::Permanent(e.to_string()))?;
        ctx.store
            .get_job(event.user_id, job_id)
            .await?
            .ok_or_else(|| AgentError::Permanent(format!("job {job_id} not found")))
    }
}

#[async_trait]
impl Agent for AnalyzerAgent {
    fn name(&self) -> &'static str {
        "analyzer"
    }
    fn step(&self) -> StepName {
        StepName::Analyze
    }
    fn consumes(&self) -> &'static [EventType] {
        &[EventType::JobDiscovered]
    }

    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        let job = Self::job_of(event, ctx).await?;
        let analysis = self.analyze(&job, ctx).await?;
        self.unit(event, ctx, &job, analysis, None).await
    }

    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        let strategy = ErrorStrategy::UseCachedSimilar;
        if let Ok(job) = Self::job_of(event, ctx).await {
            let recent = ctx.store.recent_analyses(event.user_id, CANDIDATES).await?;
            let mut best: Option<(f64, &JobAnalysis)> = None;
            for (_, candidate) in recent.iter().filter(|(_, a)| a.job_id != job.id) {
                let Some(other) = ctx.store.get_job(event.user_id, candidate.job_id).await? else { continue };
                let sim = similarity(&job, &other);
                if sim >= SIMILARITY_THRESHOLD && best.is_none_or(|(b, _)| sim > b) {
                    best = Some((sim, candidate));
                }
            }
            if let Some((_, similar)) = best {
                let mut analysis = similar.clone();
                analysis.provider = format!("cached_similar:{}", similar.job_id);
                analysis.job_id = job.id;
                return self.unit(event, ctx, &job, analysis, Some(strategy.as_str())).await;
            }
        }
        fail_workflow(self.name(), self.step(), event, ctx, error, attempts, Some(strategy)).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn feed_job(title: &str) -> Job {
        let p = discovery::offline_feed().unwrap().into_iter().find(|p| p.title == title).unwrap();
        discovery::to_job(
            &p,
            domain::JobId(uuid::Uuid::nil()),
            domain::UserId(uuid::Uuid::nil()),
            chrono::DateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn similarity_reuses_reposts_not_other_roles() {
        let a = feed_job("Android Engineer III");
        let mut repost = a.clone();
        repost.description.push_str("\nApply by Friday.");
        assert!(similarity(&a, &repost) >= 0.95, "{}", similarity(&a, &repost));
        let renamed = Job { title: "Senior Android Engineer".into(), ..repost };
        assert!(similarity(&a, &renamed) >= SIMILARITY_THRESHOLD, "{}", similarity(&a, &renamed));
        for other in ["Analytics Engineer II", "Android Engineer I - Subscriptions", "Full Stack Engineer"] {
            let s = similarity(&a, &feed_job(other));
            assert!(s < SIMILARITY_THRESHOLD, "{other}: {s}");
        }
    }
}
