//! `applyflow sources …` and `applyflow discover …`: follow job boards and fetch them, live,
//! through the polite HTTP client (SSRF guard, rate limits, robots.txt, retries, size limits).

use crate::commands::resolve_user;
use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use discovery::sources::{SourceSpec, Validators};
use discovery::CanonicalJob;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write as _;
use url::Url;

#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Follow a board: greenhouse:TOKEN, lever:SITE, ashby:NAME, workable:ACCOUNT,
    /// smartrecruiters:COMPANY, recruitee:COMPANY, remoteok:all, remotive:CATEGORY|all,
    /// rss:URL, hn:STORY_ID, jsonld:PAGE_URL
    Add {
        spec: String,
        /// Poll it every SECS seconds, 60 to 31536000 (a year) [default: discovery.interval_secs]
        #[arg(long, value_name = "SECS", value_parser = parse_every, allow_hyphen_values = true)]
        every: Option<u64>,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Stop following a board.
    Remove {
        spec: String,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// The boards a user follows, with when each was last polled.
    List {
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

/// The shortest and longest `--every`: a minute (boards are polled politely) and a year
/// (longer intervals overflow the scheduler's clock arithmetic).
const EVERY_SECS: std::ops::RangeInclusive<u64> = 60..=365 * 86_400;

/// Parses `--every SECS`: a whole number of seconds in [`EVERY_SECS`]. `0`, negatives, `inf`,
/// `nan`, `1e30`, fractions and numbers too large for any integer are refused with a message
/// saying what is accepted.
fn parse_every(text: &str) -> std::result::Result<u64, String> {
    let (min, max) = (*EVERY_SECS.start(), *EVERY_SECS.end());
    let accepted = format!("--every takes a whole number of seconds from {min} to {max} (e.g. 3600)");
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("{accepted}; {t:?} is not a whole number"));
    }
    let below = format!("{accepted}; {t} is below the minimum of {min}");
    if t.starts_with('-') {
        return Err(below);
    }
    match digits.parse::<u64>() {
        Ok(n) if EVERY_SECS.contains(&n) => Ok(n),
        Ok(n) if n < min => Err(below),
        // Past the maximum, or too large for any integer.
        _ => Err(format!("{accepted}; {t} is above the maximum of {max}")),
    }
}

/// How `discover` prints what it found.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
}

/// `applyflow discover` options.
#[derive(Debug, clap::Args)]
pub struct DiscoverArgs {
    /// Fetch this source instead of the user's followed ones (repeatable)
    #[arg(long = "source", value_name = "KIND:ID")]
    pub sources: Vec<String>,
    /// Replace scheme and host of the source's real API (the path stays the real one)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Allow private, loopback and link-local addresses (needed with a local --base-url)
    #[arg(long)]
    pub allow_private: bool,
    /// Fetch and print, but store nothing and start no workflow
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Whose sources and preferences [default: the only user]
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
}

pub async fn sources(env: &Env, cmd: SourcesCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        SourcesCommand::Add { spec, every, user } => {
            let spec: SourceSpec = spec.parse().map_err(anyhow::Error::msg)?;
            let user = resolve_user(&store, user.as_deref()).await?;
            let key = spec.to_string();
            if store.add_source(user.id, &key, cell::Clock::now(&cell::SystemClock)).await? {
                println!("following {spec} for {}", user.email);
            } else {
                println!("{} already follows {spec}", user.email);
            }
            store.set_source_interval(user.id, &key, every).await?;
        }
        SourcesCommand::Remove { spec, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            if !store.remove_source(user.id, spec.trim()).await? {
                bail!("{} does not follow {spec}", user.email);
            }
            println!("stopped following {spec}");
        }
        SourcesCommand::List { user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let list = store.list_sources(user.id).await?;
            if list.is_empty() {
                eprintln!("no sources yet: `applyflow sources add greenhouse:TOKEN`");
            }
            for s in list {
                let polled = s.last_polled_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "never".into());
                let every = s.interval_secs.unwrap_or(env.config.discovery.interval_secs);
                println!("{:<50} every {every:>6}s  last polled {polled}", s.spec);
            }
        }
    }
    Ok(())
}

/// The polite client configured from the command line.
pub fn client(base: Option<&Url>, allow_private: bool) -> Result<fetch::PoliteClient> {
    let config = fetch::FetchConfig { allow_private, ..Default::default() };
    if let (Some(b), false) = (base, allow_private) {
        if b.host_str().is_some_and(|h| h == "localhost" || h.starts_with("127.") || h == "[::1]") {
            bail!("--base-url {b} is a loopback address: add --allow-private to permit it");
        }
    }
    fetch::PoliteClient::new(config).context("cannot build the HTTP client")
}

pub async fn discover(env: &Env, args: DiscoverArgs) -> Result<()> {
    let base = args.base_url.as_deref().map(Url::parse).transpose().context("--base-url is not a URL")?;
    let client = client(base.as_ref(), args.allow_private)?;
    let explicit: Vec<SourceSpec> =
        args.sources.iter().map(|s| s.parse().map_err(anyhow::Error::msg)).collect::<Result<_>>()?;
    let store = env.store().await?;
    let user = if args.dry_run && !explicit.is_empty() {
        None
    } else {
        Some(resolve_user(&store, args.user.as_deref()).await?)
    };
    let specs: Vec<SourceSpec> = if explicit.is_empty() {
        let user = user.as_ref().context("name a --source or a --user whose sources to fetch")?;
        let list = store.list_sources(user.id).await?;
        if list.is_empty() {
            bail!("{} follows no sources: `applyflow sources add KIND:ID` or pass --source", user.email);
        }
        list.iter().map(|s| s.spec.parse().map_err(anyhow::Error::msg)).collect::<Result<_>>()?
    } else {
        explicit
    };
    let pb = ProgressBar::new(specs.len() as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} fetching {msg:<40} [{bar:30}] {pos}/{len}") {
        pb.set_style(style.progress_chars("=> "));
    }
    let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format == Format::Table {
        writeln!(out, "{:<16} {:<28} {:<44} {:<24} {:<8}", "SOURCE", "COMPANY", "TITLE", "LOCATION", "WHERE")?;
    }
    let mut failures = 0;
    for spec in &specs {
        pb.set_message(spec.to_string());
        let result = match (&user, args.dry_run) {
            (Some(u), false) => {
                let profile = store.get_profile(u.id).await?.context("this user has no profile: import one first")?;
                cell.poll_source(&client, u.id, &profile, spec, base.as_ref()).await.map_err(|e| e.to_string())
            }
            _ => cell::agents::fetch_canonical(&client, spec, base.as_ref(), &Validators::default())
                .await
                .map(|(r, _)| r)
                .map_err(|e| e.to_string()),
        };
        pb.inc(1);
        match result {
            Ok(report) => {
                cell::engine::record_poll(&cell.metrics(), &report);
                for job in &report.jobs {
                    print_job(&mut out, job, args.format)?;
                }
                let summary = serde_json::to_string(&report)?;
                pb.suspend(|| eprintln!("{summary}"));
            }
            Err(e) => {
                failures += 1;
                pb.suspend(|| eprintln!("{spec}: {e}"));
            }
        }
    }
    pb.finish_and_clear();
    out.flush()?;
    ai.finish().await;
    if failures == specs.len() {
        bail!("every source failed");
    }
    Ok(())
}

fn print_job(out: &mut impl std::io::Write, job: &CanonicalJob, format: Format) -> Result<()> {
    match format {
        Format::Jsonl => writeln!(out, "{}", serde_json::to_string(job)?)?,
        Format::Table => {
            let loc = job.locations.first().map(|l| l.label()).unwrap_or_default();
            let place = job.workplace.map(|w| w.as_str()).unwrap_or("-");
            writeln!(
                out,
                "{:<16} {:<28} {:<44} {:<24} {:<8}",
                clip(&job.source, 16),
                clip(&job.company, 28),
                clip(&job.title, 44),
                clip(&loc, 24),
                place
            )?;
        }
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(n.saturating_sub(1)).collect();
        c.push('…');
        c
    }
}

/// Discovery on its schedule (inside `serve`): builds the polite HTTP client from the
/// `discovery` configuration and hands it to the cell's scheduler until `stop` flips.
pub async fn scheduled(env: &Env, cell: cell::Cell, stop: tokio::sync::watch::Receiver<bool>) {
    let cfg = &env.config.discovery;
    let fetch_config = fetch::FetchConfig {
        allow_private: cfg.allow_private,
        allow_hosts: cfg.allow_hosts.clone(),
        user_agent: cfg.user_agent.clone(),
        ..Default::default()
    };
    let client = match fetch::PoliteClient::new(fetch_config) {
        Ok(c) => c.with_clock(cell.ctx().clock.clone()),
        Err(error) => {
            tracing::error!(%error, "discovery disabled: cannot build the HTTP client");
            return;
        }
    };
    // Each source has its own schedule; check which are due once a minute.
    cell.run_discovery(
        std::sync::Arc::new(client),
        cfg.interval_secs.max(60),
        std::time::Duration::from_secs(60),
        stop,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// `applyflow sources …` as clap parses it.
    #[derive(Debug, Parser)]
    struct Sources {
        #[command(subcommand)]
        command: SourcesCommand,
    }

    fn every(value: &str) -> std::result::Result<Option<u64>, String> {
        match Sources::try_parse_from(["sources", "add", "greenhouse:acme", "--every", value]) {
            Ok(Sources { command: SourcesCommand::Add { every, .. } }) => Ok(every),
            Ok(other) => Err(format!("parsed as {other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn every_takes_whole_seconds_from_a_minute_to_a_year() {
        assert_eq!(every("60"), Ok(Some(60)));
        assert_eq!(every("3600"), Ok(Some(3600)));
        assert_eq!(every(" +900 "), Ok(Some(900)));
        assert_eq!(every("31536000"), Ok(Some(31_536_000)));
        assert_eq!(parse_every("86400"), Ok(86_400));
    }

    #[test]
    fn absurd_every_values_are_refused_with_a_clear_error() {
        for (value, why) in [
            ("0", "below the minimum of 60"),
            ("59", "below the minimum of 60"),
            ("-1", "below the minimum of 60"),
            ("-99999999999999999999999", "below the minimum of 60"),
            ("31536001", "above the maximum of 31536000"),
            ("18446744073709551615", "above the maximum"),
            ("99999999999999999999999999999999999999999", "above the maximum"),
            ("inf", "\"inf\" is not a whole number"),
            ("-inf", "is not a whole number"),
            ("NaN", "is not a whole number"),
            ("1e30", "is not a whole number"),
            ("1.5", "is not a whole number"),
            ("", "is not a whole number"),
            ("-", "is not a whole number"),
            ("1h", "is not a whole number"),
        ] {
            let err = parse_every(value).unwrap_err();
            assert!(err.contains(why) && err.contains("whole number of seconds from 60 to 31536000"), "{value}: {err}");
            // Through clap too: an error naming the flag, never a panic or a value.
            let err = every(value).unwrap_err();
            assert!(err.contains("--every") && err.contains(why), "{value}: {err}");
        }
    }
}
