//! Layered configuration: built-in defaults → `applyflow.toml` (in the data directory, or
//! `--config FILE`) → `APPLYFLOW_*` environment variables (`__` separates sections, e.g.
//! `APPLYFLOW_CELL__WORKERS_PER_CONSUMER=4`) → `DATABASE_URL`. Every key is documented in
//! `docs/configuration.md`.

use anyhow::{Context, Result};
use cell::CellConfig;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How the demo compresses time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// Employer answer delay in the demo, in seconds.
    pub response_delay_secs: f64,
    /// Response window in the demo, in seconds.
    pub no_response_window_secs: f64,
    /// Retry delays are divided by this in the demo.
    pub time_compression: u32,
    /// Give up waiting for workflows after this many seconds.
    pub timeout_secs: u64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self { response_delay_secs: 0.3, no_response_window_secs: 0.6, time_compression: 1000, timeout_secs: 300 }
    }
}

/// Live discovery inside `serve`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscoveryConfig {
    /// Seconds between polls of every followed source (at least 60).
    pub interval_secs: u64,
    /// Sent with every request.
    pub user_agent: String,
    /// Hosts or IPs exempt from the private-address guard.
    pub allow_hosts: Vec<String>,
    /// Allow every private, loopback and link-local address (not for production).
    pub allow_private: bool,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        Self {
            interval_secs: 3600,
            user_agent: fetch::FetchConfig::default().user_agent,
            allow_hosts: Vec::new(),
            allow_private: false,
        }
    }
}

/// The AI layer: budgets, plan, prices and where spend alerts go. Providers come from the
/// conventional environment variables (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `OLLAMA_HOST`, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiSettings {
    /// The plan every user of this cell is on: `free`, `pro` or `enterprise`.
    pub plan: llm::budget::Plan,
    /// Daily call limits and USD caps per plan, the cell's daily cap and the alert thresholds.
    pub budget: llm::budget::BudgetConfig,
    /// Overlays the built-in price table: `{prices = {openai = {"gpt-4o-mini" = {input_per_mtok
    /// = 0.15, output_per_mtok = 0.6}}}, free_providers = [...], fallback = {...}}`.
    pub pricing: serde_json::Value,
    /// Spend alerts are POSTed here as JSON, if set.
    pub alert_webhook: Option<String>,
}

impl Default for AiSettings {
    fn default() -> Self {
        Self {
            plan: llm::budget::Plan::Pro,
            budget: llm::budget::BudgetConfig::default(),
            pricing: serde_json::Value::Object(serde_json::Map::new()),
            alert_webhook: None,
        }
    }
}

impl AiSettings {
    /// The client configuration these settings describe.
    pub fn ai_config(&self) -> Result<llm::AiConfig> {
        let prices = serde_json::from_value(self.pricing.clone()).context("invalid configuration: ai.pricing")?;
        Ok(llm::AiConfig { budget: self.budget.clone(), prices, ..llm::AiConfig::default() })
    }
}

/// Everything the binary can be configured with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `postgres://...` for PostgreSQL; unset means SQLite in the data directory.
    pub database_url: Option<String>,
    /// Where `serve` listens.
    pub listen: String,
    /// `json` (default) or `pretty`.
    pub log_format: String,
    pub cell: CellConfig,
    pub demo: DemoConfig,
    pub discovery: DiscoveryConfig,
    pub ai: AiSettings,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            listen: "127.0.0.1:8080".into(),
            log_format: "json".into(),
            cell: CellConfig::default(),
            demo: DemoConfig::default(),
            discovery: DiscoveryConfig::default(),
            ai: AiSettings::default(),
        }
    }
}

impl Config {
    /// Loads and validates the layers.
    pub fn load(data_dir: &Path, file: Option<&Path>) -> Result<Self> {
        let default_file = data_dir.join("applyflow.toml");
        let file = file.map(Path::to_path_buf).unwrap_or(default_file);
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if file.exists() {
            fig = fig.merge(Toml::file(&file));
        }
        fig = fig.merge(Env::prefixed("APPLYFLOW_").split("__").ignore(&["DATA_DIR", "CONFIG"]));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            if !url.is_empty() {
                fig = fig.merge(Serialized::default("database_url", url));
            }
        }
        let config: Config =
            fig.extract().with_context(|| format!("invalid configuration (file {})", file.display()))?;
        config.cell.validate().map_err(anyhow::Error::msg).context("invalid configuration")?;
        config.ai.ai_config()?;
        if !matches!(config.log_format.as_str(), "json" | "pretty") {
            anyhow::bail!("invalid configuration: log_format must be `json` or `pretty`, got {:?}", config.log_format);
        }
        Ok(config)
    }

    /// The storage URL: `DATABASE_URL` or the SQLite file in the data directory.
    pub fn storage_url(&self, data_dir: &Path) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", data_dir.join("applyflow.db").display()))
    }

    /// The configuration as TOML with the database password hidden.
    pub fn redacted(&self) -> Self {
        let mut c = self.clone();
        c.database_url = c.database_url.map(|u| redact_url(&u));
        c.ai.alert_webhook = c.ai.alert_webhook.map(|u| redact_url(&u));
        c
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The platform's per-user data directory (e.g. `~/.local/share/applyflow`).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("dev", "applyflow", "applyflow")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".applyflow"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }
}
