//! `applyflow apply …`, `applyflow notifications`, `applyflow track …` and `applyflow
//! applications export`: reviewing, approving and tracking applications from a shell. Each is a
//! thin layer over the cell's user actions (`cell::applying`), the same ones the HTTP API calls.

use crate::commands::resolve_user;
use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use domain::{Application, ApplicationId, Stage, UserId};
use std::io::Write as _;
use store::{DynStore, Page};

/// How a list prints.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
}

/// `applyflow apply`.
#[derive(Debug, Subcommand)]
pub enum ApplyCommand {
    /// List applications (newest first), optionally only those in a state or stage.
    List {
        /// A workflow state (needs_user, submitted, …) or a stage (applied, interview, …)
        #[arg(long, value_name = "S")]
        status: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
        /// The user's email (needed when there are several users)
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Show one application: stage, timeline, sends, and exactly what an approval would send.
    Show {
        /// The application id (or a unique prefix of it)
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Send an application that waits for your approval (exactly once).
    Approve {
        id: String,
        /// An answer to one of the job's questions, as FIELD=VALUE (repeatable)
        #[arg(long = "answer", value_name = "FIELD=VALUE")]
        answers: Vec<String>,
        /// You checked that an earlier, unconfirmed send did not arrive: send it again
        #[arg(long)]
        resend: bool,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Do not send it (it is withdrawn before it left).
    Reject {
        id: String,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Withdraw it (sent or not): no further step runs.
    Withdraw {
        id: String,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

/// `applyflow notifications`.
#[derive(Debug, Args)]
pub struct NotificationsArgs {
    #[arg(long, value_enum, default_value_t)]
    format: ListFormat,
    /// Include dismissed notifications
    #[arg(long)]
    all: bool,
    /// Dismiss this notification (id or unique prefix) instead of listing
    #[arg(long, value_name = "ID")]
    dismiss: Option<String>,
    #[arg(long, value_name = "EMAIL")]
    user: Option<String>,
}

/// `applyflow track`.
#[derive(Debug, Subcommand)]
pub enum TrackCommand {
    /// Read new mail from the configured IMAP mailbox (track.imap.*) and record the replies.
    Sync {
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Record an application's stage yourself (it wins over automatic updates).
    Set {
        id: String,
        /// saved, applied, screening, interview, offer, rejected, withdrawn or no_response
        stage: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

/// `applyflow applications`.
#[derive(Debug, Subcommand)]
pub enum ApplicationsCommand {
    /// Every application with its stage and outcome, as CSV or JSON on stdout.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

async fn all_applications(store: &DynStore, user: UserId) -> Result<Vec<Application>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_applications(user, &Page { after, limit: 500 }).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.0);
        out.extend(page);
    }
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.0.cmp(&a.id.0)));
    Ok(out)
}

/// The application a full id or a unique prefix names.
async fn find(store: &DynStore, user: UserId, id: &str) -> Result<ApplicationId> {
    if let Ok(full) = id.parse::<ApplicationId>() {
        return Ok(full);
    }
    let want = id.trim().to_ascii_lowercase();
    if want.len() < 4 {
        bail!("give at least 4 characters of the application id (see `applyflow apply list`)");
    }
    // Ids are UUIDv7: their start is a timestamp, so lists show (and this accepts) their end.
    let hits: Vec<ApplicationId> = all_applications(store, user)
        .await?
        .into_iter()
        .filter(|a| {
            let full = a.id.to_string();
            full.ends_with(&want) || full.starts_with(&want)
        })
        .map(|a| a.id)
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => bail!("no application of yours has an id starting or ending with {id}"),
        _ => bail!("{} applications match {id}: give more characters", hits.len()),
    }
}

/// The last 8 hex digits of an id (the random part of a UUIDv7), as lists show it.
fn short(id: impl std::fmt::Display) -> String {
    let s = id.to_string();
    s[s.len().saturating_sub(8)..].to_owned()
}

/// One row of `apply list` / `applications export`.
async fn rows(store: &DynStore, user: UserId) -> Result<Vec<serde_json::Value>> {
    let stages: std::collections::HashMap<_, _> =
        store.list_stages(user).await?.into_iter().map(|s| (s.application_id, s)).collect();
    let mut out = Vec::new();
    for app in all_applications(store, user).await? {
        let job = store.get_job(user, app.job_id).await?;
        let (stage, source) = match stages.get(&app.id) {
            Some(s) => (s.stage, s.source.clone()),
            None => (Stage::of_state(app.state, app.outcome), "derived".to_owned()),
        };
        let sub = store.get_submission(user, app.id).await?;
        out.push(serde_json::json!({
            "id": app.id,
            "state": app.state.as_str(),
            "stage": stage.as_str(),
            "stage_source": source,
            "outcome": app.outcome.map(|o| o.as_str()),
            "company": job.as_ref().map(|j| j.company.clone()).unwrap_or_default(),
            "title": job.as_ref().map(|j| j.title.clone()).unwrap_or_default(),
            "location": job.as_ref().map(|j| j.location.clone()).unwrap_or_default(),
            "source": job.as_ref().map(|j| j.source.clone()).unwrap_or_default(),
            "apply_url": job.as_ref().map(|j| j.apply_url.clone()).unwrap_or_default(),
            "channel": sub.as_ref().map(|s| s.method.clone()),
            "confirmation": sub.as_ref().map(|s| s.confirmation.clone()),
            "submitted_at": sub.as_ref().map(|s| s.submitted_at.to_rfc3339()),
            "reason": app.reason,
            "updated_at": app.updated_at.to_rfc3339(),
        }));
    }
    Ok(out)
}

fn cell_text(v: &serde_json::Value, key: &str) -> String {
    match &v[key] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub async fn apply(env: &Env, cmd: ApplyCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        ApplyCommand::List { status, format, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let mut rows = rows(&store, user.id).await?;
            if let Some(s) = status {
                let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                let known = domain::ApplicationState::ALL.iter().any(|st| st.as_str() == s)
                    || Stage::ALL.iter().any(|st| st.as_str() == s);
                if !known {
                    bail!(
                        "unknown status `{s}`: a state (needs_user, submitted, …) or a stage (applied, interview, …)"
                    );
                }
                rows.retain(|r| r["state"] == s.as_str() || r["stage"] == s.as_str());
            }
            match format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                ListFormat::Table => {
                    let mut out = std::io::stdout().lock();
                    writeln!(
                        out,
                        "{:<8}  {:<10}  {:<11}  {:<22}  {:<34}  UPDATED",
                        "ID", "STATE", "STAGE", "COMPANY", "TITLE"
                    )?;
                    for r in &rows {
                        writeln!(
                            out,
                            "{:<8}  {:<10}  {:<11}  {:<22}  {:<34}  {}",
                            short(cell_text(r, "id")),
                            cell_text(r, "state"),
                            cell_text(r, "stage"),
                            clip(&cell_text(r, "company"), 22),
                            clip(&cell_text(r, "title"), 34),
                            cell_text(r, "updated_at").chars().take(16).collect::<String>()
                        )?;
                    }
                    writeln!(out, "{} application(s)", rows.len())?;
                }
            }
            Ok(())
        }
        ApplyCommand::Show { id, format, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let id = find(&store, user.id, &id).await?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let view = cell.application_view(user.id, id).await;
            ai.finish().await;
            let view = view.map_err(anyhow::Error::from)?;
            match format {
                ListFormat::Json => println!("{}", serde_json::to_string_pretty(&view)?),
                ListFormat::Table => print_view(&view),
            }
            Ok(())
        }
        ApplyCommand::Approve { id, answers, resend, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let id = find(&store, user.id, &id).await?;
            let answers = answers
                .iter()
                .map(|a| {
                    a.split_once('=')
                        .map(|(f, v)| (f.trim().to_owned(), v.to_owned()))
                        .with_context(|| format!("--answer {a}: expected FIELD=VALUE"))
                })
                .collect::<Result<Vec<_>>>()?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let result = cell.approve(user.id, id, answers, resend).await;
            ai.finish().await;
            match result.map_err(anyhow::Error::from)? {
                cell::applying::Approved::Sent { channel, confirmation } => {
                    println!(
                        "{}",
                        serde_json::json!({"id": id, "status": "sent", "channel": channel, "confirmation": confirmation})
                    );
                    eprintln!(
                        "sent via {channel} (confirmation {confirmation}); `applyflow serve` or `run` follows it up"
                    );
                }
                cell::applying::Approved::Waiting(reason) => {
                    println!("{}", serde_json::json!({"id": id, "status": "waiting", "reason": reason}));
                    bail!("not sent: {reason}");
                }
            }
            Ok(())
        }
        ApplyCommand::Reject { id, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let id = find(&store, user.id, &id).await?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let r = cell.reject(user.id, id).await;
            ai.finish().await;
            r?;
            println!("{}", serde_json::json!({"id": id, "state": "withdrawn", "stage": "withdrawn"}));
            Ok(())
        }
        ApplyCommand::Withdraw { id, user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let id = find(&store, user.id, &id).await?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let r = cell.withdraw(user.id, id).await;
            ai.finish().await;
            r?;
            println!("{}", serde_json::json!({"id": id, "state": "withdrawn", "stage": "withdrawn"}));
            Ok(())
        }
    }
}

fn print_view(v: &cell::applying::ApplicationView) {
    println!("{} — {} ({})", v.title, v.company, v.location);
    println!("id {}   state {}   stage {} (set by {})", v.id, v.state, v.stage, v.stage_source);
    if let Some(r) = &v.reason {
        println!("reason: {r}");
    }
    if let Some(s) = &v.submission {
        let text = |k: &str| s[k].as_str().unwrap_or("").to_owned();
        println!("sent via {} on {} (confirmation {})", text("channel"), text("submitted_at"), text("confirmation"));
    }
    if let Some(a) = &v.audit {
        let files: Vec<String> = a["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                format!(
                    "{} ({} bytes of base64)",
                    f["name"].as_str().unwrap_or(""),
                    f["bytes"].as_str().map_or(0, str::len)
                )
            })
            .collect();
        println!(
            "audit copy: {} to {}; attachments: {}; answers: {} (the exact bytes: `apply show ID --format json`)",
            a["request"]["target"].as_str().unwrap_or(""),
            a["recipient"]["address"].as_str().or(a["recipient"]["kind"].as_str()).unwrap_or(""),
            if files.is_empty() { "none".to_owned() } else { files.join(", ") },
            a["answers"].as_array().map_or(0, Vec::len)
        );
    }
    if let Some(p) = &v.preview {
        println!("\nAn approval would send:");
        println!("  channel    {}", p.channel.as_deref().unwrap_or("(none)"));
        println!("  recipient  {}", p.recipient.as_deref().unwrap_or("(none)"));
        println!("  applicant  {} {} <{}>", p.applicant.first_name, p.applicant.last_name, p.applicant.email);
        for a in &p.attachments {
            println!(
                "  attachment {} ({} bytes, sha256 {})",
                a["name"].as_str().unwrap_or(""),
                a["bytes"],
                a["sha256"].as_str().unwrap_or("")
            );
        }
        for a in &p.answers {
            println!("  answer     {}: {}", a.label, a.value);
        }
        for m in &p.missing_answers {
            let opts = if m.options.is_empty() { String::new() } else { format!(" [{}]", m.options.join(" | ")) };
            println!("  MISSING    {}{opts}  → --answer {}=…", m.label, m.field);
        }
        println!("  cover note:\n    {}", p.cover_note.trim_end().replace('\n', "\n    "));
        if let Some(w) = p.waiting_reason.as_ref().filter(|w| Some(*w) != v.reason.as_ref()) {
            println!("  waiting: {w}");
        }
    }
    if !v.timeline.is_empty() {
        println!("\nTimeline:");
        for e in &v.timeline {
            let stage = e["stage"].as_str().map(|s| format!("[{s}] ")).unwrap_or_default();
            println!(
                "  {}  {stage}{}  ({})",
                e["at"].as_str().unwrap_or(""),
                e["note"].as_str().unwrap_or(""),
                e["source"].as_str().unwrap_or("")
            );
        }
    }
    for a in &v.attempts {
        println!(
            "send attempt: {} to {}: {} after {} attempt(s){}",
            a["channel"].as_str().unwrap_or(""),
            a["recipient"].as_str().unwrap_or(""),
            a["status"].as_str().unwrap_or(""),
            a["attempts"],
            a["last_error"].as_str().map(|e| format!(" — {e}")).unwrap_or_default()
        );
    }
}

pub async fn notifications(env: &Env, args: NotificationsArgs) -> Result<()> {
    let store = env.store().await?;
    let user = resolve_user(&store, args.user.as_deref()).await?;
    if let Some(id) = args.dismiss {
        let all = store.notifications(user.id, false).await?;
        let want = id.to_ascii_lowercase();
        let hits: Vec<_> = all
            .iter()
            .filter(|n| {
                let full = n.id.to_string();
                full.ends_with(&want) || full.starts_with(&want)
            })
            .collect();
        let [one] = hits.as_slice() else {
            bail!("{} open notifications match {id}", hits.len());
        };
        store.dismiss_notification(user.id, one.id, clock::system().now()).await?;
        println!("{}", serde_json::json!({"dismissed": one.id}));
        return Ok(());
    }
    let list = store.notifications(user.id, args.all).await?;
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|n| {
            serde_json::json!({"id": n.id, "application_id": n.application_id, "message": n.message,
                "created_at": n.created_at.to_rfc3339(), "dismissed_at": n.dismissed_at.map(|d| d.to_rfc3339())})
        })
        .collect();
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        ListFormat::Table => {
            for (n, r) in list.iter().zip(&rows) {
                let app = n.application_id.map(|a| format!(" [{}]", short(a))).unwrap_or_default();
                let done = if n.dismissed_at.is_some() { " (dismissed)" } else { "" };
                println!(
                    "{}  {}{app}  {}{done}",
                    short(n.id),
                    cell_text(r, "created_at").chars().take(16).collect::<String>(),
                    n.message
                );
            }
            println!("{} notification(s); dismiss one with `applyflow notifications --dismiss ID`", list.len());
        }
    }
    Ok(())
}

pub async fn track(env: &Env, cmd: TrackCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        TrackCommand::Sync { user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let r = cell.sync_mailbox(user.id, &env.config.track.imap).await;
            ai.finish().await;
            println!("{}", serde_json::to_string(&r?)?);
            Ok(())
        }
        TrackCommand::Set { id, stage, note, user } => {
            let stage: Stage = stage.parse().map_err(anyhow::Error::msg)?;
            let user = resolve_user(&store, user.as_deref()).await?;
            let id = find(&store, user.id, &id).await?;
            let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
            let r = cell.set_stage(user.id, id, stage, note).await;
            ai.finish().await;
            r?;
            println!("{}", serde_json::json!({"id": id, "stage": stage.as_str()}));
            Ok(())
        }
    }
}

pub async fn applications(env: &Env, cmd: ApplicationsCommand) -> Result<()> {
    let store = env.store().await?;
    let ApplicationsCommand::Export { format, user } = cmd;
    let user = resolve_user(&store, user.as_deref()).await?;
    let rows = rows(&store, user.id).await?;
    match format {
        ExportFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        ExportFormat::Csv => {
            const COLS: [&str; 14] = [
                "id",
                "state",
                "stage",
                "stage_source",
                "outcome",
                "company",
                "title",
                "location",
                "source",
                "apply_url",
                "channel",
                "confirmation",
                "submitted_at",
                "updated_at",
            ];
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(COLS)?;
            for r in &rows {
                w.write_record(COLS.iter().map(|c| cell_text(r, c)))?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
