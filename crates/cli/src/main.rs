//! `applyflow`: the one binary and composition root. It reads the configuration, opens the
//! store and bus the configuration names, and wires the cell.

mod ai;
mod ai_spend;
mod apply_cmd;
mod bench;
mod bench_discovery;
mod bench_faults;
mod bench_submit;
mod bench_track;
mod commands;
mod config;
mod demo;
mod discover;
mod render_cmd;
mod runtime;
mod tailor_cmd;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Applyflow: discover jobs, tailor resumes from your own profile, apply, and track outcomes.
#[derive(Debug, Parser)]
#[command(name = "applyflow", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Where the SQLite database and the config file live [default: the platform's data dir]
    #[arg(long, global = true, env = "APPLYFLOW_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file [default: DIR/applyflow.toml]
    #[arg(long, global = true, env = "APPLYFLOW_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole workflow for the bundled sample profile over the offline feed.
    Demo {
        /// Use only the first N postings of the offline feed
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// Serve the cell's HTTP API and run its workflow engine.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080, or `listen` in the config]
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Serve the API only, without running the workflow engine
        #[arg(long)]
        no_engine: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(commands::UserCommand),
    /// Import or export a profile (JSON Resume plus preferences).
    #[command(subcommand)]
    Profile(commands::ProfileCommand),
    /// Follow job boards (the sources discovery polls).
    #[command(subcommand)]
    Sources(discover::SourcesCommand),
    /// Fetch job boards now and print what they list.
    Discover(discover::DiscoverArgs),
    /// Look at or re-drive the event log.
    #[command(subcommand)]
    Events(commands::EventsCommand),
    /// Run discovery over the offline feed for every user, then process the workflows.
    Run {
        /// Return once every workflow has finished instead of running until Ctrl-C
        #[arg(long)]
        until_idle: bool,
    },
    /// Run AI tasks through the provider chain.
    #[command(subcommand)]
    Ai(ai::AiCommand),
    /// Tailor your profile to one job posting, standalone (no server, no database).
    Tailor(tailor_cmd::TailorArgs),
    /// Render a JSON Resume to PDF, HTML, Markdown, LaTeX, DOCX or JSON.
    Render(render_cmd::RenderArgs),
    /// The resume templates.
    #[command(subcommand)]
    Templates(render_cmd::TemplatesCommand),
    /// Measure throughput and latency; prints JSON.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Review, approve, reject or withdraw applications.
    #[command(subcommand)]
    Apply(apply_cmd::ApplyCommand),
    /// What needs your attention (list, or dismiss one).
    Notifications(apply_cmd::NotificationsArgs),
    /// Follow applications: read replies from your mailbox, or record a stage yourself.
    #[command(subcommand)]
    Track(apply_cmd::TrackCommand),
    /// Export every application with its stage and outcome.
    #[command(subcommand)]
    Applications(apply_cmd::ApplicationsCommand),
    /// Print the effective configuration (secrets hidden).
    Config(config::ConfigArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let env = runtime::Env::load(&cli.global)?;
    let quiet = !matches!(cli.command, Command::Serve { .. } | Command::Run { .. });
    runtime::init_logging(&env.config, quiet);
    match cli.command {
        Command::Demo { jobs } => demo::run(&env, jobs).await,
        Command::Serve { listen, no_engine } => commands::serve(&env, listen, no_engine).await,
        Command::Migrate => commands::migrate(&env).await,
        Command::User(c) => commands::user(&env, c).await,
        Command::Profile(c) => commands::profile(&env, c).await,
        Command::Events(c) => commands::events(&env, c).await,
        Command::Sources(c) => discover::sources(&env, c).await,
        Command::Discover(a) => discover::discover(&env, a).await,
        Command::Run { until_idle } => commands::run_engine(&env, until_idle).await,
        Command::Bench(c) => bench::run(&env, c).await,
        Command::Ai(c) => ai::run(&env, c).await,
        Command::Tailor(a) => tailor_cmd::run(&env, a).await,
        Command::Render(a) => render_cmd::run(&env, a),
        Command::Templates(c) => render_cmd::templates(c),
        Command::Config(a) => config::show(&env, &a),
        Command::Apply(c) => apply_cmd::apply(&env, c).await,
        Command::Notifications(a) => apply_cmd::notifications(&env, a).await,
        Command::Track(c) => apply_cmd::track(&env, c).await,
        Command::Applications(c) => apply_cmd::applications(&env, c).await,
    }
}
