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
    /// it, alerts logged, counted and sent to the webhook. Keep the returned tasks running.
    pub async fn cell(
        &self,
        store: DynStore,
        mut cell_config: cell::CellConfig,
    ) -> Result<(cell::Cell, Vec<tokio::task::JoinHandle<()>>)> {
        cell_config.artifacts_dir.get_or_insert_with(|| self.data_dir.join("artifacts"));
        let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::default());
        let cell_id = domain::CellId::new(cell_config.cell_id.clone());
        let cell = cell::Cell::standard(store.clone(), bus, cell_config);
        let setup = cell::ai::AiSetup {
            providers: llm::providers::chain_from_env(),
            config: self.config.ai.ai_config()?,
            plan: self.config.ai.plan,
            alert_webhook: self.config.ai.alert_webhook.clone(),
        };
        let wired =
            cell::ai::wire(store, cell_id, &cell.metrics(), setup).await.context("cannot set up the AI layer")?;
        Ok((cell.with_ai(wired.client), wired.tasks))
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
