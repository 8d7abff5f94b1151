//! `applyflow bench discovery`: how many raw postings one core normalizes and deduplicates per
//! second, and the deduplication's precision and recall on a labelled set of pairs.

use anyhow::{bail, Context, Result};
use discovery::dedup::{evaluate, labelled_pairs, parse_corpus, Deduper};
use discovery::RawPosting;
use std::path::Path;
use std::time::Instant;

/// Raw postings shaped like board output, made from the bundled feed: each feed posting many
/// times with new ids, and every fifth one re-listed on another board (a duplicate to merge).
fn corpus(n: usize) -> Result<Vec<RawPosting>> {
    let feed = discovery::offline_feed()?;
    if feed.is_empty() {
        bail!("the offline feed is empty");
    }
    Ok((0..n)
        .map(|i| {
            let p = &feed[i % feed.len()];
            let round = i / feed.len();
            let relisted = i % 5 == 4;
            let paragraphs: String = p.description.split("\n\n").map(|para| format!("<p>{para}</p>")).collect();
            RawPosting {
                source: if relisted { "rss".into() } else { p.source.clone() },
                source_id: format!("{}-{round}{}", p.source_id, if relisted { "-relist" } else { "" }),
                // Another employer per round: a distinct first word, since "Acme" and "Acme
                // Europe" are one employer to the dedup rules.
                company: if round == 0 || relisted { p.company.clone() } else { format!("Round{round} {}", p.company) },
                title: p.title.clone(),
                location_texts: vec![p.location.clone()],
                workplace_hint: Some(p.workplace.as_str().to_owned()),
                salary: p.salary.clone(),
                posted_at: p.posted_at.map(|t| t.to_rfc3339()),
                description_html: Some(paragraphs),
                apply_url: Some(p.apply_url.clone()),
                ..Default::default()
            }
        })
        .collect())
}

pub fn run(corpus_file: Option<&Path>, n: usize) -> Result<()> {
    if n == 0 {
        bail!("--postings must be at least 1");
    }
    let raws = corpus(n)?;
    let started = Instant::now();
    let mut dedup = Deduper::new();
    let mut skipped = 0usize;
    for raw in raws {
        match discovery::normalize::normalize(raw) {
            Ok(job) => {
                dedup.add(job);
            }
            Err(_) => skipped += 1,
        }
    }
    let elapsed = started.elapsed();
    let kept = dedup.jobs().len();

    let (pairs, corpus_name) = match corpus_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            (parse_corpus(&text).map_err(anyhow::Error::msg)?, path.display().to_string())
        }
        None => (labelled_pairs().context("the built-in labelled set is invalid")?, "built-in".to_owned()),
    };
    let score = evaluate(&pairs);
    let per_sec = n as f64 / elapsed.as_secs_f64().max(1e-9);
    println!(
        "{}",
        serde_json::json!({
            "benchmark": "discovery",
            "postings": n,
            "skipped": skipped,
            "jobs_after_dedup": kept,
            "elapsed_ms": elapsed.as_millis() as u64,
            "postings_per_sec_per_core": per_sec.round(),
            "corpus": corpus_name,
            "dedup_pairs": score.pairs,
            "dedup_precision": (score.precision * 1000.0).round() / 1000.0,
            "dedup_recall": (score.recall * 1000.0).round() / 1000.0,
        })
    );
    Ok(())
}
