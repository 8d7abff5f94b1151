//! What every subcommand shares: the resolved data directory and configuration, logging, and
//! opening the store, the bus and the cell.

use crate::config::{self, Config};
use crate::GlobalArgs;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::sync::Arc;
use store::DynStore;

/// The resolved environment of one invocation.
#[derive(Clone)]
pub struct Env {
    pub data_dir: PathBuf,
    pub config: Config,
}

impl Env {
    pub fn load(args: &GlobalArgs) -> Result<Self> {
        let data_dir = args.data_dir.clone().unwrap_or_else(config::default_data_dir);
        let config = Config::load(&data_dir, args.config.as_deref())?;
        Ok(Self { data_dir, config })
    }

    /// Opens and migrates the store the configuration names.
    pub async fn store(&self) -> Result<DynStore> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create the data directory {}", self.data_dir.display()))?;
        let url = self.config.storage_url(&self.data_dir);
        let store =
            store::connect(&url).await.with_context(|| format!("cannot open storage {}", config::redact_url(&url)))?;
        store.migrate().await.context("cannot migrate the database")?;
        Ok(store)
    }

    /// A cell over `store` with the in-process bus and the AI layer: the providers the
    /// environment configures (none: offline), spend persisted in the store and restored from
    /// it, alerts logged, counted and sent to the webhook. Keep the returned [`AiRuntime`] and
    /// call [`AiRuntime::finish`] once the engine has stopped.
    pub async fn cell(&self, store: DynStore, mut cell_config: cell::CellConfig) -> Result<(cell::Cell, AiRuntime)> {
        cell_config.artifacts_dir.get_or_insert_with(|| self.data_dir.join("artifacts"));
        // `cell.artifacts_dir` is a directory, or `s3://bucket/prefix` for S3-compatible storage.
        let s3 = cell_config.artifacts_dir.as_ref().and_then(|d| d.to_str()).filter(|d| d.starts_with("s3://"));
        let artifacts: Option<Arc<dyn render::artifacts::ArtifactStore>> = match s3 {
            Some(url) => Some(Arc::new(
                render::ObjectStoreArtifacts::s3(url).with_context(|| format!("cannot use artifact store {url}"))?,
            )),
            None => cell_config.artifacts_dir.clone().map(|dir| {
                Arc::new(render::artifacts::LocalArtifacts::new(dir)) as Arc<dyn render::artifacts::ArtifactStore>
            }),
        };
        let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::default());
        let cell_id = domain::CellId::new(cell_config.cell_id.clone());
        let cell = cell::Cell::standard(store.clone(), bus, cell_config).with_artifacts(artifacts);
        let setup = cell::ai::AiSetup {
            providers: analysis::chain_from_env(),
            config: self.config.ai.ai_config()?,
            plan: self.config.ai.plan,
            alert_webhook: self.config.ai.alert_webhook.clone(),
            clock: cell.ctx().clock.clone(),
        };
        let wired =
            cell::ai::wire(store, cell_id, &cell.metrics(), setup).await.context("cannot set up the AI layer")?;
        let runtime = AiRuntime { tasks: wired.tasks, flusher: wired.flusher };
        Ok((cell.with_ai(wired.client), runtime))
    }
}

/// The AI layer's background writers of a running cell.
pub struct AiRuntime {
    tasks: Vec<tokio::task::JoinHandle<()>>,
    flusher: cell::ai::AiFlusher,
}

impl AiRuntime {
    /// Writes every spend record and delivers every alert still pending (bounded: an
    /// unreachable store or webhook does not hold the exit; what was not delivered is stored and
    /// resent on the next start), then stops the writers. Call after the engine stopped.
    pub async fn finish(self) {
        let flushed = tokio::time::timeout(std::time::Duration::from_secs(30), self.flusher.flush()).await;
        match flushed {
            Ok(f) if f.undelivered_alerts > 0 => {
                tracing::warn!(
                    undelivered = f.undelivered_alerts,
                    "spend alerts not delivered yet; resent on the next start"
                )
            }
            Ok(_) => {}
            Err(_) => {
                tracing::warn!("AI spend not flushed within 30 s; recorded holds are recovered on the next start")
            }
        }
        for t in self.tasks {
            t.abort();
        }
    }
}

/// JSON logs to stderr (`RUST_LOG` overrides the level). One-shot commands log warnings only,
/// so their own output stays readable.
pub fn init_logging(config: &Config, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if quiet { "warn" } else { "info" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if config.log_format == "pretty" { builder.try_init() } else { builder.json().try_init() };
}

/// A future that resolves on Ctrl-C or SIGTERM: the signals a person, a service manager or
/// Kubernetes send to ask for a graceful stop. The handlers are installed when this is called
/// (not when the future is first polled), so a signal that arrives early is not lost to the
/// default action.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                (term, int) => {
                    let error = term.err().or(int.err()).map(|e| e.to_string()).unwrap_or_default();
                    tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops gracefully");
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
