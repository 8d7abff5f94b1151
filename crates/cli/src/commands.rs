//! The small subcommands: migrate, user, profile, events, serve, run.

use crate::runtime::Env;
use anyhow::{bail, Context, Result};
use cell::api::auth::{hash_api_key, new_api_key};
use clap::Subcommand;
use domain::{CellId, Profile, UserId};
use std::io::Write as _;
use std::path::PathBuf;
use store::{DynStore, User};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and print their API key (shown once).
    Create {
        /// The user's email (unique)
        #[arg(long)]
        email: String,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Import a profile: a JSON Resume file, or {"resume": ..., "preferences": ...}.
    Import {
        file: PathBuf,
        /// Whose profile [default: the only user]
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Print a profile in the format `import` reads.
    Export {
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Print the event log as JSON lines, in log order.
    Export {
        /// Only this user's events
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Re-drive every consumer from the log; already-processed events change nothing.
    Replay {
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
}

pub async fn migrate(env: &Env) -> Result<()> {
    let store = env.store().await?;
    println!("migrated ({})", store.backend());
    Ok(())
}

/// Creates a user with a fresh API key; returns the user and the key.
pub async fn create_user(store: &DynStore, email: &str, cell_id: &str) -> Result<(User, String)> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 {
        bail!("`{email}` is not an email address");
    }
    if store.user_by_email(email).await?.is_some() {
        bail!("a user with email {email} already exists");
    }
    let clock = cell::SystemClock;
    let user = User {
        id: UserId(cell::Clock::new_id(&clock)),
        email: email.to_owned(),
        cell_id: CellId::new(cell_id),
        created_at: cell::Clock::now(&clock),
    };
    let key = new_api_key();
    store.create_user(&user, &hash_api_key(&key)).await?;
    Ok((user, key))
}

pub async fn user(env: &Env, cmd: UserCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        UserCommand::Create { email } => {
            let (user, key) = create_user(&store, &email, &env.config.cell.cell_id).await?;
            println!(
                "{}",
                serde_json::json!({ "user_id": user.id, "email": user.email, "cell_id": user.cell_id, "api_key": key })
            );
            eprintln!("keep the api_key: it is shown only once");
        }
        UserCommand::List => {
            for u in store.list_users().await? {
                println!("{}", serde_json::json!({ "user_id": u.id, "email": u.email, "cell_id": u.cell_id }));
            }
        }
    }
    Ok(())
}

/// The user an `--user EMAIL` names, or the only user.
pub async fn resolve_user(store: &DynStore, email: Option<&str>) -> Result<User> {
    match email {
        Some(e) => store.user_by_email(e).await?.with_context(|| format!("no user with email {e}")),
        None => {
            let mut users = store.list_users().await?;
            match users.len() {
                1 => Ok(users.remove(0)),
                0 => bail!("no users yet: run `applyflow user create --email ...` first"),
                n => bail!("{n} users here: name one with --user EMAIL"),
            }
        }
    }
}

pub async fn profile(env: &Env, cmd: ProfileCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        ProfileCommand::Import { file, user } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let profile = Profile::import(&text).with_context(|| format!("{} was not imported", file.display()))?;
            let user = resolve_user(&store, user.as_deref()).await?;
            store.put_profile(user.id, &profile).await?;
            println!(
                "imported profile of {} for {} ({} work entries, {} skills)",
                profile.resume.basics.name.as_deref().unwrap_or(""),
                user.email,
                profile.resume.work.len(),
                profile.skill_words().len()
            );
        }
        ProfileCommand::Export { user } => {
            let user = resolve_user(&store, user.as_deref()).await?;
            let p = store.get_profile(user.id).await?.context("this user has no profile yet")?;
            println!("{}", serde_json::to_string_pretty(&p.export())?);
        }
    }
    Ok(())
}

pub async fn events(env: &Env, cmd: EventsCommand) -> Result<()> {
    let store = env.store().await?;
    match cmd {
        EventsCommand::Export { user } => {
            let user_id = match user {
                Some(e) => Some(resolve_user(&store, Some(&e)).await?.id),
                None => None,
            };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut after = 0;
            let mut malformed = 0;
            loop {
                let rows = store.events_after(user_id, after, 1000).await?;
                let Some(last) = rows.last() else { break };
                after = last.seq;
                for row in rows {
                    match row.event {
                        Ok(ev) => writeln!(out, "{}", serde_json::to_string(&ev)?)?,
                        Err(reason) => {
                            malformed += 1;
                            eprintln!("warning: log row {} is not a valid event ({reason}); not exported", row.seq);
                        }
                    }
                }
            }
            out.flush()?;
            if malformed > 0 {
                bail!("{malformed} malformed row(s) in the log were skipped");
            }
        }
        EventsCommand::Replay { user } => {
            let user_id = match user {
                Some(e) => Some(resolve_user(&store, Some(&e)).await?.id),
                None => None,
            };
            let (cell, ai) = env.cell(store, env.config.cell.clone()).await?;
            let report = cell.replay(user_id).await?;
            let fired = cell.fire_due_timers().await?;
            ai.finish().await;
            println!("{}", serde_json::json!({ "replay": report, "timers_fired": fired }));
            if !report.malformed.is_empty() {
                bail!("{} malformed event(s) in the log were reported and skipped", report.malformed.len());
            }
        }
    }
    Ok(())
}

/// Applications not yet finished (terminal or waiting for the user), across `users`.
pub async fn open_workflows(store: &DynStore, users: &[User]) -> Result<u64> {
    let mut open = 0;
    for u in users {
        let counts = store.application_state_counts(u.id).await?;
        open += counts
            .iter()
            .filter(|(state, _)| !matches!(state.as_str(), "completed" | "failed" | "withdrawn" | "needs_user"))
            .map(|(_, n)| n)
            .sum::<u64>();
    }
    Ok(open)
}

pub async fn serve(env: &Env, listen: Option<String>, no_engine: bool) -> Result<()> {
    let store = env.store().await?;
    let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
    let engine = if no_engine { None } else { Some(cell.start().await?) };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let discovery = if no_engine {
        None
    } else {
        let (env2, cell2) = (env.clone(), cell.clone());
        Some(tokio::spawn(async move { crate::discover::scheduled(&env2, cell2, stop_rx).await }))
    };
    let state = cell::api::ApiState::for_cell(&cell);
    let addr = listen.unwrap_or_else(|| env.config.listen.clone());
    let listener = tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(addr = %listener.local_addr()?, engine = !no_engine, "serving");
    eprintln!("listening on http://{}", listener.local_addr()?);
    let limits = env.config.http.limits();
    cell::api::serve(listener, cell::api::app_with_limits(state, &limits), &limits, crate::runtime::shutdown_signal())
        .await;
    let _ = stop_tx.send(true);
    if let Some(d) = discovery {
        let _ = d.await;
    }
    if let Some(e) = engine {
        e.shutdown().await;
    }
    ai.finish().await;
    Ok(())
}

pub async fn run_engine(env: &Env, until_idle: bool) -> Result<()> {
    let store = env.store().await?;
    let (cell, ai) = env.cell(store.clone(), env.config.cell.clone()).await?;
    let users = store.list_users().await?;
    let feed = discovery::offline_feed()?;
    // The engine runs in the background (or, with --until-idle, in this task) while discovery
    // feeds it; a signal stops both gracefully.
    let engine = if until_idle { None } else { Some(cell.start().await?) };
    let work = async {
        for u in &users {
            if let Some(profile) = store.get_profile(u.id).await? {
                let report = cell.discover(u.id, &profile, &feed, || {}).await?;
                tracing::info!(user = %u.email, ?report, "discovery done");
            }
        }
        if until_idle {
            let report = cell.run_until_idle().await?;
            let open = open_workflows(&store, &users).await?;
            let mut waiting = 0;
            for u in &users {
                waiting += store.application_state_counts(u.id).await?.get("needs_user").copied().unwrap_or(0);
            }
            println!(
                "{}",
                serde_json::json!({
                    "processed": report.processed,
                    "timers_fired": report.timers_fired,
                    "stuck": report.stuck,
                    "open_workflows": open,
                    "waiting_for_you": waiting,
                    "note": "open workflows wait for a timer (an employer's answer or the no-response window); run again later or keep `applyflow serve` running; `applyflow apply list --status needs_user` shows what waits for your approval",
                })
            );
        } else {
            crate::runtime::shutdown_signal().await;
        }
        anyhow::Ok(())
    };
    // With --until-idle a signal asks the engine to stop: in-flight steps finish or go back
    // to the log, and `run_until_idle` returns.
    let stopper = until_idle.then(|| {
        let cell = cell.clone();
        tokio::spawn(async move {
            crate::runtime::shutdown_signal().await;
            eprintln!("stopping: in-flight steps finish or go back to the log; run again to resume");
            cell.request_stop();
        })
    });
    let result = work.await;
    if let Some(s) = stopper {
        s.abort();
    }
    if let Some(engine) = engine {
        engine.shutdown().await;
    }
    ai.finish().await;
    result
}
