//! `applyflow bench track [--corpus FILE]`: the offline reply classifier on labelled recruiter
//! emails (JSON lines `{"subject","from","body","label"}`), printing `accuracy`, `macro_f1`, a
//! per-label table and the confusion matrix as JSON. Without `--corpus` it uses the built-in
//! copy of the tuning split of `eval/track/` (the set the rules were tuned on).

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchTrackArgs {
    /// Labelled emails as JSON lines {"subject", "from", "body", "label"} [default: the
    /// built-in tuning split]
    #[arg(long, value_name = "FILE")]
    corpus: Option<PathBuf>,
}

pub fn run(args: &BenchTrackArgs) -> Result<()> {
    let (name, text) = match &args.corpus {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => ("built-in (eval/track/tune.jsonl, the tuning split)".to_owned(), track::classify::TUNE_SET.to_owned()),
    };
    let emails = track::classify::parse_corpus(&text).map_err(anyhow::Error::msg).with_context(|| name.clone())?;
    let started = Instant::now();
    let eval = track::classify::evaluate(&emails);
    let us_per_email = started.elapsed().as_secs_f64() * 1e6 / emails.len().max(1) as f64;
    let mut out = serde_json::to_value(&eval)?;
    if let Some(o) = out.as_object_mut() {
        o.insert("bench".into(), "track".into());
        o.insert("corpus".into(), name.into());
        o.insert("us_per_email".into(), ((us_per_email * 10.0).round() / 10.0).into());
    }
    println!("{out}");
    Ok(())
}
