//! `applyflow tailor`: tailor a profile to one job posting, standalone (no server), through the
//! AI providers configured in the environment (none: offline); its AI calls spend against the
//! same budget ledger as the cell and are recorded in the data directory's store (see
//! [`crate::ai::wired`]). `applyflow bench tailor`: tailoring latency per job (offline, without
//! PDF) and the offline extractor's skill precision and recall.

use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use domain::{Job, MatchScore, Profile, TailoredResume};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tailor::{TailorReport, Tailored};

/// Arguments of `applyflow tailor`.
#[derive(Debug, Args)]
pub struct TailorArgs {
    /// Your profile: a JSON Resume, or `{"resume": …, "preferences": …}`
    #[arg(long)]
    pub profile: PathBuf,
    /// The posting: `.json` (title, company, description…), `.html` (a careers page) or `.txt`
    /// (title on the first line)
    #[arg(long)]
    pub job: PathBuf,
    /// Write variant N (1 skills_first, 2 impact_first, 3 concise) instead of the optimizer's pick
    #[arg(long)]
    pub variant: Option<usize>,
    /// Output format (default: from the --out extension, else md)
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,
    /// Where to write the tailored resume
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the report as JSON here
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Also write a cover letter (plain text) built from the same facts
    #[arg(long)]
    pub cover_letter: Option<PathBuf>,
    /// Use no AI provider even when one is configured
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    Pdf,
    Md,
    Html,
    Json,
}

/// Arguments of `applyflow bench tailor`.
#[derive(Debug, Args)]
pub struct BenchTailorArgs {
    /// JSON lines `{"job": TEXT, "required_skills": [NAME, …]}` to measure skill precision/recall on
    /// (default: the built-in labelled set)
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Tailoring runs to time (jobs of the offline feed, repeated)
    #[arg(long, default_value_t = 300)]
    pub runs: usize,
}

pub async fn run(env: &Env, args: TailorArgs) -> Result<()> {
    let profile = read_profile(&args.profile)?;
    let job = read_job(&args.job, cell::clock::system().as_ref())?;
    let analysis = analysis::HeuristicAnalyzer.analyze(&job);
    let providers = if args.offline {
        vec![std::sync::Arc::new(analysis::OfflineProvider::new()) as std::sync::Arc<dyn llm::Provider>]
    } else {
        analysis::chain_from_env()
    };
    let wired = crate::ai::wired(env, providers).await?;
    let cell_id = env.config.cell.cell_id.clone();
    let payer = wired.client.payer(crate::ai::CLI_PAYER, &cell_id);
    let app = domain::ApplicationId::from_uuid(Default::default());
    let tailored = tailor::tailor_with_ai(&profile, &job, &analysis, app, 3, &wired.client, &payer).await;
    crate::ai::finish(wired).await;
    let tailored = tailored?;
    let score = match_score(&profile, &job, &analysis);
    let mut report = TailorReport::new(&score, &tailored);
    let pick = match args.variant {
        None => tailored.chosen,
        Some(n) if (1..=tailored.variants.len()).contains(&n) => n - 1,
        Some(n) => bail!("--variant {n}: there are {} variants (1–{0})", tailored.variants.len()),
    };
    let resume = &tailored.variants[pick];
    report.chosen_variant.clone_from(&resume.variant_id);
    let format = args.format.unwrap_or_else(|| format_of(&args.out));
    let bytes = render(resume, &profile, format)?;
    write(&args.out, &bytes)?;
    if let Some(path) = &args.report {
        write(path, &serde_json::to_vec_pretty(&report)?)?;
    }
    if let Some(path) = &args.cover_letter {
        let letter = tailor::cover_letter(resume, &profile, &job);
        let problems = tailor::verify_cover_letter(&letter, &profile, &job);
        if !problems.is_empty() {
            bail!("cover letter failed the truth guard: {}", problems.join("; "));
        }
        write(path, letter.text().as_bytes())?;
    }
    print!("{}", table(&report, &tailored));
    eprintln!("wrote {} ({}, variant {})", args.out.display(), format_name(format), resume.variant_id);
    Ok(())
}

/// The match score from the analysis crate; when it gives no verdict at all, keyword coverage.
pub fn match_score(profile: &Profile, job: &Job, analysis: &domain::JobAnalysis) -> MatchScore {
    let m = analysis::match_score(profile, job, analysis);
    if m == MatchScore::default() {
        tailor::fallback_match_score(profile, analysis)
    } else {
        m
    }
}

fn read_profile(path: &Path) -> Result<Profile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read profile {}", path.display()))?;
    if text.trim().is_empty() {
        bail!("profile {} is empty; export your resume as JSON Resume and try again", path.display());
    }
    Profile::import(&text).with_context(|| format!("profile {} is not a usable JSON Resume", path.display()))
}

/// Reads a posting file by its extension.
pub fn read_job(path: &Path, clock: &dyn cell::Clock) -> Result<Job> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read posting {}", path.display()))?;
    if text.len() > 2 << 20 {
        bail!("posting {} is larger than 2 MiB", path.display());
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let mut job = match ext.as_str() {
        "json" => job_from_json(&text)?,
        "html" | "htm" => job_from_html(&text, path),
        _ => job_from_text(&text),
    };
    // Seen now: experience in a current role counts up to today.
    if job.discovered_at == chrono::DateTime::UNIX_EPOCH {
        job.discovered_at = clock.now();
    }
    if job.title.trim().is_empty() && job.description.trim().is_empty() {
        bail!("posting {} has no title or description", path.display());
    }
    Ok(job)
}

/// A pasted posting, text or HTML: decoded and read like a fetched one, the first line the title.
fn job_from_text(text: &str) -> Job {
    tailor::job_from_paste("text", text)
}

/// A `domain::Job`, a board posting or a JSON-LD `JobPosting`: title, company, description.
pub fn job_from_json(text: &str) -> Result<Job> {
    if let Ok(job) = serde_json::from_str::<Job>(text) {
        return Ok(job);
    }
    let v: Value = serde_json::from_str(text).context("the posting is not valid JSON")?;
    let str_at = |keys: &[&str]| -> String {
        keys.iter().find_map(|k| v.pointer(k).and_then(Value::as_str)).unwrap_or("").trim().to_owned()
    };
    let title = str_at(&["/title", "/name", "/text", "/position"]);
    let description = str_at(&["/description", "/content", "/descriptionPlain", "/description_plain", "/body"]);
    if title.is_empty() && description.is_empty() {
        bail!("the posting JSON needs at least `title` or `description`");
    }
    // HTML, escaped HTML or text with character references: read as the text a reader sees.
    let mut job = tailor::job_for_text(&title, &description);
    job.company = str_at(&["/company", "/company_name", "/companyName", "/hiringOrganization/name", "/organization"]);
    job.location = str_at(&["/location", "/location/name", "/jobLocation/address/addressLocality"]);
    Ok(job)
}

fn job_from_html(html: &str, path: &Path) -> Job {
    let url = format!("file://{}", path.display());
    if let Ok((postings, _)) = discovery::sources::parse_jsonld(html, &url) {
        if let Some(p) = postings.into_iter().next() {
            let mut job = tailor::job_for_text(&p.title, p.description_html.as_deref().unwrap_or_default());
            job.company = p.company;
            job.location = p.location_texts.join("; ");
            return job;
        }
    }
    // The page's visible text: hidden elements, scripts and styles dropped.
    tailor::job_from_paste("html", html)
}

fn format_of(out: &Path) -> OutFormat {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => OutFormat::Pdf,
        Some("html" | "htm") => OutFormat::Html,
        Some("json") => OutFormat::Json,
        _ => OutFormat::Md,
    }
}

fn format_name(f: OutFormat) -> &'static str {
    match f {
        OutFormat::Pdf => "pdf",
        OutFormat::Md => "md",
        OutFormat::Html => "html",
        OutFormat::Json => "json",
    }
}

/// The resume in a format: JSON Resume with provenance under `meta`, or the renderer's output.
pub fn render(resume: &TailoredResume, profile: &Profile, format: OutFormat) -> Result<Vec<u8>> {
    let render_format = match format {
        OutFormat::Json => return Ok(serde_json::to_vec_pretty(&tailor::json_resume_document(resume, profile))?),
        OutFormat::Pdf => render::Format::Pdf,
        OutFormat::Md => render::Format::Md,
        OutFormat::Html => render::Format::Html,
    };
    let opts = render::RenderOptions { template: "classic".into(), format: render_format, pages: None };
    let doc = tailor::to_json_resume(resume, profile);
    Ok(render::Renderer::new()?.render(&doc, &opts)?)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn pct(x: f64) -> String {
    format!("{:>3.0}%", x * 100.0)
}

/// The human-readable report.
fn table(report: &TailorReport, tailored: &Tailored) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "match score: {}/100  {}", report.match_score, report.explanation);
    let _ = writeln!(out, "matched: {}", report.matched_keywords.join(", "));
    let _ = writeln!(out, "missing: {}", report.missing_keywords.join(", "));
    let _ = writeln!(out, "\n{:<4} {:<13} {:>7} {:>7} {:<9} guard", "id", "strategy", "before", "after", "text");
    for (v, r) in tailored.variants.iter().zip(&report.variants) {
        let text = if r.guard.rewritten_by.is_some() { "reworded" } else { "verbatim" };
        let guard = if r.guard.accepted {
            "accepted".to_owned()
        } else {
            format!("rejected ({} reasons), fallback_to_template", r.guard.rejected_reasons.len())
        };
        let mark = if r.id == report.chosen_variant { " ← chosen" } else { "" };
        let _ = writeln!(
            out,
            "{:<4} {:<13} {:>7} {:>7} {:<9} {guard}{mark}",
            r.id,
            r.strategy,
            pct(r.ats_coverage_before),
            pct(r.ats_coverage_after),
            text
        );
        for reason in r.guard.rejected_reasons.iter().take(5) {
            let _ = writeln!(out, "       - {reason}");
        }
        let failed: Vec<&str> = r.readability.iter().filter(|c| !c.passed).map(|c| c.check.as_str()).collect();
        if !failed.is_empty() {
            let _ = writeln!(out, "       readability: failed {}", failed.join(", "));
        }
        let _ = v;
    }
    if let Some(chosen) = report.variants.iter().find(|v| v.id == report.chosen_variant) {
        if !chosen.questions.is_empty() {
            let _ = writeln!(out, "\nquestions (never added for you):");
            for q in &chosen.questions {
                let _ = writeln!(out, "  ? {q}");
            }
        }
    }
    out
}

fn percentile_us(sorted: &[u128], q: f64) -> u128 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

pub async fn bench(args: BenchTailorArgs) -> Result<()> {
    let cases = match &args.corpus {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            analysis::parse_skill_cases(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => analysis::builtin_skill_cases(),
    };
    let scores = analysis::evaluate_skills(&cases);

    let profile = Profile::import(discovery::SAMPLE_PROFILE)?;
    let now = cell::clock::system().now();
    let jobs: Vec<Job> = discovery::offline_feed()?
        .iter()
        .map(|p| discovery::to_job(p, domain::JobId(uuid::Uuid::nil()), domain::UserId(uuid::Uuid::nil()), now))
        .collect();
    if jobs.is_empty() {
        bail!("the offline feed is empty");
    }
    let analyses: Vec<_> = jobs.iter().map(|j| analysis::HeuristicAnalyzer.analyze(j)).collect();
    let app = domain::ApplicationId::from_uuid(Default::default());
    let mut samples = Vec::with_capacity(args.runs);
    for i in 0..args.runs.max(1) {
        let (job, analysis) = (&jobs[i % jobs.len()], &analyses[i % jobs.len()]);
        let started = Instant::now();
        let t = tailor::tailor_offline(&profile, job, analysis, app, 3)?;
        let doc = tailor::json_resume_document(t.chosen(), &profile);
        std::hint::black_box(doc);
        samples.push(started.elapsed().as_micros());
    }
    samples.sort_unstable();
    let out = json!({
        "runs": samples.len(),
        "jobs": jobs.len(),
        "variants_per_job": 3,
        "tailor_p50_us": percentile_us(&samples, 0.5),
        "tailor_p99_us": percentile_us(&samples, 0.99),
        "skills_precision": (scores.precision * 1000.0).round() / 1000.0,
        "skills_recall": (scores.recall * 1000.0).round() / 1000.0,
        "skills_cases": scores.cases,
    });
    println!("{out}");
    Ok(())
}
