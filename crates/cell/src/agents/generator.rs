//! GeneratorAgent (step `generate`, 3 versions) and OptimizerAgent (step `optimize`, target
//! ATS): `job.analyzed` → tailored variants (skills_first, impact_first, concise; summary and
//! bullets reworded through the AI layer, each rewrite checked by the truth guard), one selected
//! → `resume.generated`. The optimize step emits no event of its own (seed 001 lists none); its
//! choice travels in `resume.generated`. Error strategy `fallback_to_template`: a rejected
//! rewrite leaves that variant's verbatim text; an exhausted step, the untailored profile.

use super::{application_of, fail_workflow, follow_up, unit_for};
use crate::agent::{Agent, AgentCtx, AgentError};
use async_trait::async_trait;
use domain::event::{EventPayload, ResumeGenerated, VariantSummary};
use domain::{ApplicationState, ErrorStrategy, EventEnvelope, EventType, StepName, TailoredResume};
use store::{Document, UnitOfWork, Write};

/// Tailors the profile to the job and picks the variant to send.
pub struct GeneratorAgent;

fn documents(r: &TailoredResume) -> Vec<Document> {
    vec![
        Document { format: "markdown".into(), content: render::markdown(r) },
        Document { format: "html".into(), content: render::html(r) },
    ]
}

/// Fonts and templates, parsed once per process and shared by every render.
static RENDERER: std::sync::OnceLock<Result<render::Renderer, String>> = std::sync::OnceLock::new();

/// The render step: the selected variant as a two-page PDF in the context's artifact store
/// (a local directory or S3-compatible storage); the document row holds its path there
/// (`ab/<sha256>.pdf`). Content-addressed, so a retried step stores the same object, never a
/// second one. `None` when the cell keeps no artifacts or the PDF cannot be made (logged:
/// Markdown and HTML still go out).
async fn pdf(resume: &TailoredResume, profile: &domain::Profile, ctx: &AgentCtx) -> Option<Document> {
    let store = ctx.artifacts.clone()?;
    let doc = tailor::to_json_resume(resume, profile);
    let opts = render::RenderOptions {
        template: ctx.config.pdf_template.clone(),
        format: render::Format::Pdf,
        pages: Some(2),
    };
    let job = tokio::task::spawn_blocking(move || {
        let renderer = RENDERER
            .get_or_init(|| render::Renderer::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)?;
        render::artifacts::render_cached(renderer, store.as_ref(), &doc, &opts).map_err(|e| e.to_string())
    });
    match job.await {
        Ok(Ok(rendered)) => Some(Document { format: "pdf".into(), content: rendered.key.path() }),
        Ok(Err(e)) => {
            tracing::warn!(variant = %resume.variant_id, error = %e, "no PDF for this resume");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "the PDF render task failed");
            None
        }
    }
}

impl GeneratorAgent {
    async fn unit(&self, event: &EventEnvelope, ctx: &AgentCtx, template: bool) -> Result<UnitOfWork, AgentError> {
        let app = application_of(event, ctx).await?;
        let mut unit = unit_for(event, ctx);
        if app.state != ApplicationState::Analyzed {
            return Ok(unit);
        }
        let user = event.user_id;
        let profile = ctx
            .store
            .get_profile(user)
            .await?
            .ok_or_else(|| AgentError::Permanent("the user has no profile; import one first".into()))?;
        let job = ctx
            .store
            .get_job(user, app.job_id)
            .await?
            .ok_or_else(|| AgentError::Permanent(format!("job {} not found", app.job_id)))?;
        let analysis = ctx.store.get_analysis(user, app.job_id).await?;
        // An empty profile gives no resume at all, not even the template.
        tailor::check_profile(&profile).map_err(|e| AgentError::Permanent(e.to_string()))?;

        let (variants, chosen) = match (&analysis, template) {
            (Some(analysis), false) => {
                let versions =
                    ctx.policy(StepName::Generate)?.param("versions").and_then(|v| v.parse().ok()).unwrap_or(3usize);
                let user_key = user.to_string();
                let payer = ctx.ai.payer(&user_key, &ctx.config.cell_id); // the user's configured plan
                let tailored = tailor::tailor_with_ai(&profile, &job, analysis, app.id, versions, &ctx.ai, &payer)
                    .await
                    .map_err(|e| AgentError::Permanent(e.to_string()))?;
                (tailored.variants, tailored.chosen)
            }
            _ => {
                let mut t = tailor::template_resume(&profile, &job, app.id);
                if let Some(a) = &analysis {
                    let (score, matched) = tailor::ats_score(&t, a);
                    t.ats_score = score;
                    t.matched_keywords = matched;
                }
                // Truth: the template is the profile's own words.
                tailor::verify_truth(&t, &profile)
                    .map_err(|e| AgentError::Permanent(format!("truth check failed: {e}")))?;
                let mut variants = vec![t];
                let chosen = tailor::optimize_for_ats(&mut variants)
                    .ok_or_else(|| AgentError::Permanent("optimizer found no variant to select".into()))?;
                (variants, chosen)
            }
        };
        // The optimize step (target: ats) chose `chosen` inside tailoring.
        let target = ctx.policy(StepName::Optimize)?.param("target").unwrap_or("ats").to_owned();
        let selected = variants[chosen].variant_id.clone();
        let selected_pdf = pdf(&variants[chosen], &profile, ctx).await;
        let mut formats = vec!["markdown".to_owned(), "html".to_owned()];
        if selected_pdf.is_some() {
            formats.push("pdf".into());
        }
        let payload = EventPayload::ResumeGenerated(ResumeGenerated {
            job_id: app.job_id,
            application_id: app.id,
            variants: variants
                .iter()
                .map(|v| VariantSummary {
                    variant_id: v.variant_id.clone(),
                    ats_score: v.ats_score,
                    strategy: v.strategy.clone(),
                    rewritten_by: v.guard.rewritten_by.clone(),
                    rejected_reasons: v.guard.rejected_reasons.clone(),
                })
                .collect(),
            selected_variant_id: selected.clone(),
            optimized_for: target,
            formats,
            strategy: template.then(|| ErrorStrategy::FallbackToTemplate.as_str().to_owned()),
        });
        let mut selected_pdf = selected_pdf;
        for v in variants {
            let mut docs = documents(&v);
            if v.variant_id == selected {
                docs.extend(selected_pdf.take());
            }
            unit.writes.push(Write::PutResume { resume: v, documents: docs });
        }
        unit.writes.push(Write::Transition {
            application_id: app.id,
            from: ApplicationState::Analyzed,
            to: ApplicationState::Generated,
            outcome: None,
            variant_id: Some(selected),
            reason: None,
            at: unit.at,
        });
        unit.events.push(follow_up(event, ctx, &payload));
        Ok(unit)
    }
}

#[async_trait]
impl Agent for GeneratorAgent {
    fn name(&self) -> &'static str {
        "generator"
    }
    fn step(&self) -> StepName {
        StepName::Generate
    }
    fn consumes(&self) -> &'static [EventType] {
        &[EventType::JobAnalyzed]
    }

    async fn handle(&self, event: &EventEnvelope, ctx: &AgentCtx) -> Result<UnitOfWork, AgentError> {
        self.unit(event, ctx, false).await
    }

    async fn on_exhausted(
        &self,
        event: &EventEnvelope,
        ctx: &AgentCtx,
        error: &AgentError,
        attempts: u32,
    ) -> Result<UnitOfWork, AgentError> {
        match self.unit(event, ctx, true).await {
            Ok(unit) => Ok(unit),
            Err(_) => {
                let strategy = Some(ErrorStrategy::FallbackToTemplate);
                fail_workflow(self.name(), self.step(), event, ctx, error, attempts, strategy).await
            }
        }
    }
}
