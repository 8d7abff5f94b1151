//! AnalyzerAgent: `job.discovered` → requirements → `job.analyzed`. Error strategy
//! `use_cached_similar`: reuse the analysis of this user's most similar analyzed job.

use super::{application_of, fail_workflow, follow_up, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use async_trait::async_trait;
use domain::event::{EventPayload, JobAnalyzed};
use domain::{ApplicationState, ErrorStrategy, EventEnvelope, EventType, JobAnalysis, StepName};
use store::{UnitOfWork, Write};

/// Analyzes job descriptions (today with the offline heuristic analyzer).
#[derive(Default)]
pub struct AnalyzerAgent {
    analyzer: ai::HeuristicAnalyzer,
}

/// Titles at least this similar may share an analysis.
const SIMILARITY_THRESHOLD: f64 = 0.5;

impl AnalyzerAgent {
    async fn unit(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        analysis: JobAnalysis,
        strategy: Option<&str>,
    ) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Discovered {
            return Ok(unit); // already past this step (or withdrawn): nothing to do
        }
        let payload = EventPayload::JobAnalyzed(JobAnalyzed {
            job_id: app.job_id,
            application_id: app.id,
            provider: analysis.provider.clone(),
            skills: analysis.skills.clone(),
            seniority: analysis.seniority,
            workplace: analysis.workplace,
            strategy: strategy.map(str::to_owned),
        });
        unit.writes.push(Write::PutAnalysis(analysis));
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: ApplicationState::Discovered,
            to: ApplicationState::Analyzed,
            outcome: None,
            variant_id: None,
            reason: None,
            at: unit.at,
        });
        unit.events.push(follow_up(event, ctx, &payload));
        Ok(unit)
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
        let (job_id, _) = event.subject().map_err(|e| AgentError::Permanent(e.to_string()))?;
        let job = ctx
            .store
            .get_job(event.user_id, job_id)
            .await?
            .ok_or_else(|| AgentError::Permanent(format!("job {job_id} not found")))?;
        let analysis = self.analyzer.analyze(&job);
        self.unit(event, ctx, analysis, None).await
    }

    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        let strategy = ErrorStrategy::UseCachedSimilar;
        if let Ok((job_id, _)) = event.subject() {
            if let Some(job) = ctx.store.get_job(event.user_id, job_id).await? {
                let recent = ctx.store.recent_analyses(event.user_id, 200).await?;
                if let Some(similar) = ai::most_similar(&job.title, &recent, SIMILARITY_THRESHOLD) {
                    let mut analysis = similar.clone();
                    analysis.provider = format!("cached_similar:{}", similar.job_id);
                    analysis.job_id = job.id;
                    return self.unit(event, ctx, analysis, Some(strategy.as_str())).await;
                }
            }
        }
        fail_workflow(self.name(), self.step(), event, ctx, error, attempts, Some(strategy)).await
    }
}
