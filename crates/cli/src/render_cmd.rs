//! `applyflow render`, `applyflow templates` and `applyflow bench render`.
//!
//! `render` reads a JSON Resume (bare, or `{"resume": ...}`), validates it like `profile
//! import`, and writes the document through the artifact store in the data directory
//! (`DIR/artifacts`), so an identical request is served from the store without rendering.

use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use domain::profile::Resume;
use render::artifacts::{render_cached, ArtifactStore, LocalArtifacts, MemoryArtifacts};
use render::{Format, ObjectStoreArtifacts, RenderOptions, Renderer};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `applyflow render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The resume: a JSON Resume file, or `{"resume": ...}` as `profile export` prints
    #[arg(long, value_name = "FILE")]
    pub resume: PathBuf,
    /// Template name (see `applyflow templates list`)
    #[arg(long, default_value = "classic", value_name = "NAME")]
    pub template: String,
    /// pdf, html, md, tex, docx or json [default: from the --out extension, else pdf]
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Where to write the document; `-` writes to standard output
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Page budget: 1 or 2 (tightens spacing, then drops the oldest entries' last bullets)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub pages: Option<u8>,
    /// Artifact store: a directory, or `s3://bucket/prefix` (credentials and endpoint from
    /// the `AWS_*` environment variables) [default: DIR/artifacts in the data directory]
    #[arg(long, value_name = "DIR|URL")]
    pub artifacts: Option<String>,
    /// Render without reading or writing the artifact store
    #[arg(long)]
    pub no_store: bool,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the templates.
    List,
}

/// Arguments of `applyflow bench render`.
#[derive(Debug, Args)]
pub struct BenchRenderArgs {
    /// JSON Resume to render [default: the built-in two-page resume]
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Template to render
    #[arg(long, default_value = "classic", value_name = "NAME")]
    pub template: String,
    /// Warm renders to time on one core (latency percentiles)
    #[arg(long, default_value_t = 100)]
    pub iterations: usize,
    /// Renders per thread for the all-cores throughput run
    #[arg(long, default_value_t = 40)]
    pub per_thread: usize,
}

/// Reads and validates a JSON Resume file.
pub fn read_resume(path: &Path) -> Result<Resume> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let profile =
        domain::Profile::import(&text).with_context(|| format!("{} is not a valid resume", path.display()))?;
    Ok(profile.resume)
}

fn format_of(args: &RenderArgs) -> Result<Format> {
    if let Some(f) = &args.format {
        return Ok(f.parse()?);
    }
    match args.out.extension().and_then(|e| e.to_str()) {
        Some(ext) => Ok(ext.parse().unwrap_or(Format::Pdf)),
        None => Ok(Format::Pdf),
    }
}

pub fn run(env: &Env, args: RenderArgs) -> Result<()> {
    let resume = read_resume(&args.resume)?;
    let opts = RenderOptions { template: args.template.clone(), format: format_of(&args)?, pages: args.pages };
    let renderer = Renderer::new()?;
    let started = Instant::now();
    let (bytes, key, cache_hit, artifact) = if args.no_store {
        let bytes = renderer.render(&resume, &opts)?;
        let key = render::artifacts::ArtifactKey::of(&resume, &opts)?;
        (bytes, key, false, None)
    } else {
        let store: Box<dyn ArtifactStore> = match args.artifacts.as_deref() {
            Some(url) if url.starts_with("s3://") => Box::new(ObjectStoreArtifacts::s3(url)?),
            Some(dir) => Box::new(LocalArtifacts::new(dir)),
            None => Box::new(LocalArtifacts::new(env.data_dir.join("artifacts"))),
        };
        let r = render_cached(&renderer, store.as_ref(), &resume, &opts)?;
        let artifact = store.locate(&r.key);
        (r.bytes, r.key, r.cache_hit, Some(artifact))
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    if args.out.as_os_str() == "-" {
        use std::io::Write as _;
        std::io::stdout().write_all(&bytes)?;
        return Ok(());
    }
    std::fs::write(&args.out, &bytes).with_context(|| format!("cannot write {}", args.out.display()))?;
    let summary = serde_json::json!({
        "out": args.out.display().to_string(),
        "format": opts.format.as_str(),
        "template": opts.template,
        "pages": opts.pages,
        "bytes": bytes.len(),
        "sha256": key.sha256,
        "cache_hit": cache_hit,
        "artifact": artifact,
        "elapsed_ms": (elapsed_ms * 100.0).round() / 100.0,
    });
    println!("{summary}");
    Ok(())
}

pub fn templates(cmd: TemplatesCommand) -> Result<()> {
    match cmd {
        TemplatesCommand::List => {
            for t in render::templates() {
                println!("{:<8} {}", t.name, t.description);
            }
            Ok(())
        }
    }
}

/// The built-in two-page benchmark resume.
const BENCH_RESUME: &str = include_str!("../../render/data/two_page.resume.json");

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// A variant of `base` that differs in one sentence, as tailored variants of one profile do,
/// so warm renders cannot be answered entirely from Typst's memoization cache.
fn variant(base: &Resume, i: usize) -> Resume {
    let mut r = base.clone();
    let summary = r.basics.summary.get_or_insert_with(String::new);
    summary.push_str(&format!(" Variant {i}."));
    r
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn bench(args: BenchRenderArgs) -> Result<()> {
    let base = match &args.resume {
        Some(path) => read_resume(path)?,
        None => domain::Profile::import(BENCH_RESUME).context("built-in bench resume")?.resume,
    };
    if args.iterations == 0 || args.per_thread == 0 {
        bail!("--iterations and --per-thread must be at least 1");
    }
    let opts = RenderOptions { template: args.template.clone(), format: Format::Pdf, pages: Some(2) };

    // Cold: building the renderer (fonts, templates) plus the first render in this process.
    let t0 = Instant::now();
    let renderer = Renderer::new()?;
    let setup_ms = t0.elapsed().as_secs_f64() * 1e3;
    let first = renderer.render(&base, &opts)?;
    let cold_ms = t0.elapsed().as_secs_f64() * 1e3;
    let pages = renderer.page_count(&base, &opts)?;

    // Warm, one core: every render gets a slightly different resume.
    let mut lat = Vec::with_capacity(args.iterations);
    for i in 0..args.iterations {
        let r = variant(&base, i);
        let t = Instant::now();
        let pdf = renderer.render(&r, &opts)?;
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(pdf);
    }
    lat.sort_by(f64::total_cmp);
    let mean = lat.iter().sum::<f64>() / lat.len() as f64;

    // Throughput, every core: one thread per core sharing the renderer.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let t = Instant::now();
    let results: Vec<Result<usize, render::RenderError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..cores)
            .map(|c| {
                let (renderer, base, opts) = (&renderer, &base, &opts);
                s.spawn(move || {
                    let mut n = 0;
                    for i in 0..args.per_thread {
                        renderer.render(&variant(base, 1_000_000 * (c + 1) + i), opts)?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(render::RenderError::Typst("panic".into()))))
            .collect()
    });
    let mut total = 0;
    for r in results {
        total += r?;
    }
    let wall = t.elapsed().as_secs_f64();

    // The artifact store's hit path, for comparison with a render.
    let store = MemoryArtifacts::default();
    render_cached(&renderer, &store, &base, &opts)?;
    let t = Instant::now();
    let hit = render_cached(&renderer, &store, &base, &opts)?;
    let cache_hit_ms = t.elapsed().as_secs_f64() * 1e3;

    let out = serde_json::json!({
        "template": opts.template,
        "pages": pages,
        "pdf_bytes": first.len(),
        "setup_ms": round2(setup_ms),
        "cold_ms": round2(cold_ms),
        "warm_mean_ms": round2(mean),
        "warm_p50_ms": round2(percentile(&lat, 50.0)),
        "warm_p99_ms": round2(percentile(&lat, 99.0)),
        "warm_iterations": lat.len(),
        "pdfs_per_second_per_core": round2(1e3 / mean),
        "pdfs_per_second": round2(total as f64 / wall),
        "cores": cores,
        "throughput_renders": total,
        "cache_hit_ms": round2(cache_hit_ms),
        "cache_hit": hit.cache_hit,
    });
    println!("{out}");
    Ok(())
}
