//! Layered configuration: built-in defaults → `applyflow.toml` (in the data directory, or
//! `--config FILE`) → `APPLYFLOW_*` environment variables (`__` separates sections, e.g.
//! `APPLYFLOW_CELL__WORKERS_PER_CONSUMER=4`) → `DATABASE_URL`. Every key is documented in
//! `docs/configuration.md`.

use anyhow::{bail, Context, Result};
use cell::CellConfig;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The longest delay, window, timeout or poll interval a setting may name: one year, in
/// seconds (longer ones overflow the clocks that schedule them).
const MAX_SECS: u64 = 365 * 86_400;

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

/// Limits of the HTTP server (`serve`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// How long a client may take to send a request's headers before the connection is closed.
    pub header_read_timeout_ms: u64,
    /// How long one request may take (body included) before it answers 503.
    pub request_timeout_ms: u64,
    /// Requests handled at once; one more answers 503 with `Retry-After: 1`.
    pub max_in_flight: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        let d = cell::api::HttpLimits::DEFAULT;
        Self {
            header_read_timeout_ms: d.header_read_timeout.as_millis() as u64,
            request_timeout_ms: d.request_timeout.as_millis() as u64,
            max_in_flight: d.max_in_flight,
        }
    }
}

impl HttpSettings {
    pub fn limits(&self) -> cell::api::HttpLimits {
        cell::api::HttpLimits {
            header_read_timeout: std::time::Duration::from_millis(self.header_read_timeout_ms),
            request_timeout: std::time::Duration::from_millis(self.request_timeout_ms),
            max_in_flight: self.max_in_flight,
        }
    }

    fn validate(&self) -> Result<()> {
        for (key, ms) in [
            ("http.header_read_timeout_ms", self.header_read_timeout_ms),
            ("http.request_timeout_ms", self.request_timeout_ms),
        ] {
            if ms == 0 || ms > 3_600_000 {
                bail!("{key} must be between 1 and 3600000 milliseconds, got {ms}");
            }
        }
        if self.max_in_flight == 0 || self.max_in_flight > 1_000_000 {
            bail!("http.max_in_flight must be between 1 and 1000000, got {}", self.max_in_flight);
        }
        Ok(())
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
        Ok(llm::AiConfig {
            budget: self.budget.clone(),
            prices,
            cache: analysis::cache_config(),
            ..llm::AiConfig::default()
        })
    }

    /// Checks every amount: caps and prices are finite and not negative, alert thresholds
    /// finite and positive. The error names the key.
    pub fn validate(&self) -> Result<()> {
        let b = &self.budget;
        for (plan, limit) in [("free", b.plans.free), ("pro", b.plans.pro), ("enterprise", b.plans.enterprise)] {
            if let Some(cap) = limit.user_cap_usd {
                non_negative(&format!("ai.budget.plans.{plan}.user_cap_usd"), cap)?;
            }
        }
        if let Some(cap) = b.cell_cap_usd {
            non_negative("ai.budget.cell_cap_usd", cap)?;
        }
        for (i, t) in b.alert_thresholds.iter().enumerate() {
            if !t.is_finite() || *t <= 0.0 {
                bail!("ai.budget.alert_thresholds[{i}] must be a finite fraction above 0 (e.g. 0.8), got {t}");
            }
        }
        prices_are_amounts("ai.pricing", &self.pricing)?;
        self.ai_config().map(drop)
    }
}

/// `value` is a finite amount, not negative.
fn non_negative(key: &str, value: f64) -> Result<()> {
    if !value.is_finite() || value < 0.0 {
        bail!("{key} must be a finite number of at least 0, got {value}");
    }
    Ok(())
}

/// `value` is a finite number of seconds from 0 to [`MAX_SECS`].
fn seconds(key: &str, value: f64) -> Result<()> {
    if !value.is_finite() || !(0.0..=MAX_SECS as f64).contains(&value) {
        bail!("{key} must be a finite number of seconds from 0 to {MAX_SECS}, got {value}");
    }
    Ok(())
}

/// Every number under `ai.pricing` is a price: finite and not negative. A `null` there is a
/// number JSON cannot hold (`inf`, `nan`), since TOML and the environment have no null.
fn prices_are_amounts(key: &str, value: &Value) -> Result<()> {
    match value {
        Value::Null => bail!("{key} must be a finite number of at least 0 (inf and nan are not)"),
        Value::Number(n) => non_negative(key, n.as_f64().unwrap_or(f64::NAN)),
        Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| prices_are_amounts(&format!("{key}[{i}]"), v))
        }
        Value::Object(map) => map.iter().try_for_each(|(k, v)| prices_are_amounts(&format!("{key}.{k}"), v)),
        Value::Bool(_) | Value::String(_) => Ok(()),
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
    pub http: HttpSettings,
    /// How applications leave: `submit.mode`, `submit.caps.*`, `submit.channels.*`.
    pub submit: cell::config::SubmitConfig,
    /// How answers are followed: `track.no_response_days`, `track.imap.*`.
    pub track: cell::config::TrackConfig,
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
            http: HttpSettings::default(),
            submit: cell::config::SubmitConfig::default(),
            track: cell::config::TrackConfig::default(),
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
        let mut config: Config =
            fig.extract().with_context(|| format!("invalid configuration (file {})", file.display()))?;
        config.cell.submit = config.submit.clone();
        config.cell.track = config.track.clone();
        config.validate().with_context(|| format!("invalid configuration (file {})", file.display()))?;
        Ok(config)
    }

    /// Checks every setting a typo could break (a number out of range, `inf`, `nan`, an
    /// unknown name) before anything uses it; the error names the key.
    pub fn validate(&self) -> Result<()> {
        self.cell.validate().map_err(anyhow::Error::msg)?;
        let d = &self.demo;
        seconds("demo.response_delay_secs", d.response_delay_secs)?;
        seconds("demo.no_response_window_secs", d.no_response_window_secs)?;
        if d.timeout_secs == 0 || d.timeout_secs > MAX_SECS {
            bail!("demo.timeout_secs must be between 1 and {MAX_SECS}, got {}", d.timeout_secs);
        }
        if self.discovery.interval_secs > MAX_SECS {
            bail!("discovery.interval_secs must be at most {MAX_SECS}, got {}", self.discovery.interval_secs);
        }
        self.ai.validate()?;
        self.http.validate()?;
        if !matches!(self.log_format.as_str(), "json" | "pretty") {
            bail!("log_format must be `json` or `pretty`, got {:?}", self.log_format);
        }
        Ok(())
    }

    /// The storage URL: `DATABASE_URL` or the SQLite file in the data directory.
    pub fn storage_url(&self, data_dir: &Path) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", data_dir.join("applyflow.db").display()))
    }

    /// The configuration with the database password hidden.
    pub fn redacted(&self) -> Self {
        let mut c = self.clone();
        c.database_url = c.database_url.map(|u| redact_url(&u));
        c.ai.alert_webhook = c.ai.alert_webhook.map(|u| redact_webhook(&u));
        c
    }

    /// The configuration as `applyflow config` prints it, every secret hidden: passwords and
    /// secret query parameters of URLs, webhook paths, and any value whose key names a secret.
    pub fn printable(&self, format: ConfigFormat, data_dir: &Path) -> Result<String> {
        let mut value = serde_json::to_value(self.redacted())?;
        scrub("", &mut value);
        match format {
            ConfigFormat::Json => Ok(serde_json::to_string_pretty(&value)?),
            ConfigFormat::Toml => {
                let dir = data_dir.display().to_string().replace(['\n', '\r'], " ");
                Ok(format!("# data dir: {dir}\n{}", to_toml(&value)?))
            }
        }
    }
}

/// How `applyflow config` prints the configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ConfigFormat {
    /// TOML, the configuration file's own format (what `--config FILE` reads back).
    #[default]
    Toml,
    Json,
}

/// `applyflow config` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ConfigFormat::Toml)]
    pub format: ConfigFormat,
}

/// `applyflow config`: prints the effective configuration, secrets hidden.
pub fn show(env: &crate::runtime::Env, args: &ConfigArgs) -> Result<()> {
    println!("{}", env.config.printable(args.format, &env.data_dir)?);
    Ok(())
}

/// What a hidden secret prints as.
const HIDDEN: &str = "***";

/// Hides secrets in every string of a configuration value: whole values under a key that names
/// a secret or a webhook, and the secret parts of anything URL-like.
fn scrub(key: &str, value: &mut Value) {
    match value {
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| scrub(k, v)),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(key, v)),
        Value::String(s) if s.is_empty() => {}
        Value::String(s) if is_secret_key(key) => *s = HIDDEN.to_owned(),
        Value::String(s) if key.to_ascii_lowercase().contains("webhook") => *s = redact_webhook(s),
        Value::String(s) => *s = redact_url(s),
        _ => {}
    }
}

/// Whether a setting or parameter name names a secret (`password`, `sslpassword`, `token`,
/// `api_key`, `key`, `client_secret`, ...).
fn is_secret_key(key: &str) -> bool {
    let k = key.trim().to_ascii_lowercase().replace('-', "_");
    ["pass", "pwd", "secret", "token", "credential", "auth", "signature", "session", "cookie"]
        .iter()
        .any(|w| k.contains(w))
        || k == "sig"
        || k.ends_with("key")
}

/// A URL or connection string with its secrets hidden: the password of `user:password@`, and
/// the value of every parameter that names a secret (`?password=`, `&sslpassword=`,
/// `?token=`, `?api_key=`, `#access_token=`, or `password=` in a `key=value` string).
/// `postgres://user:secret@host/db?token=t` → `postgres://user:***@host/db?token=***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(s) = url.find("://") {
        let rest = &url[s + 3..];
        // The user info ends at the last `@` before the query (a password may hold `/`).
        let end = rest.find(['?', '#']).unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            if let Some(c) = rest[..at].find(':') {
                out = format!("{}{}:{HIDDEN}{}", &url[..s + 3], &rest[..c], &rest[at..]);
            }
        }
    }
    let mut redacted = String::with_capacity(out.len());
    for piece in out.split_inclusive(['?', '&', ';', '#', ' ', '\t', '\n']) {
        let body = piece.trim_end_matches(['?', '&', ';', '#', ' ', '\t', '\n']);
        match body.split_once('=') {
            Some((k, v)) if !v.is_empty() && is_secret_key(k.rsplit('/').next().unwrap_or(k)) => {
                redacted.push_str(k);
                redacted.push('=');
                redacted.push_str(HIDDEN);
                redacted.push_str(&piece[body.len()..]);
            }
            _ => redacted.push_str(piece),
        }
    }
    redacted
}

/// A webhook URL carries its secret in the path (`/services/T0/B0/XXXX`) or the query: only
/// its scheme and host are shown. `https://hooks.example.com/T0/abc?k=1` →
/// `https://hooks.example.com/***`.
pub fn redact_webhook(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{}://{host}:{port}/{HIDDEN}", u.scheme()),
            (Some(host), None) => format!("{}://{host}/{HIDDEN}", u.scheme()),
            (None, _) => HIDDEN.to_owned(),
        },
        Err(_) => HIDDEN.to_owned(),
    }
}

/// A JSON object as a TOML document: plain keys first, then one `[table]` per nested object;
/// arrays and objects inside arrays are written inline. `null` (an unset option) is left out.
fn to_toml(value: &Value) -> Result<String> {
    let Value::Object(map) = value else { bail!("the configuration is not a table") };
    let mut out = String::new();
    toml_table(&mut out, "", map)?;
    Ok(out)
}

fn toml_table(out: &mut String, path: &str, map: &Map<String, Value>) -> Result<()> {
    if !path.is_empty() {
        let _ = writeln!(out, "\n[{path}]");
    }
    for (k, v) in map.iter().filter(|(_, v)| !v.is_null() && !v.is_object()) {
        let _ = writeln!(out, "{} = {}", toml_key(k), toml_inline(k, v)?);
    }
    for (k, v) in map {
        if let Value::Object(inner) = v {
            let sub = if path.is_empty() { toml_key(k) } else { format!("{path}.{}", toml_key(k)) };
            toml_table(out, &sub, inner)?;
        }
    }
    Ok(())
}

fn toml_inline(key: &str, v: &Value) -> Result<String> {
    Ok(match v {
        Value::Null => bail!("`{key}`: TOML cannot hold null inside an array"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            // `{:?}` always writes a `.` or an exponent, so TOML reads a float back.
            Some(f) if f.is_finite() => format!("{f:?}"),
            _ => bail!("`{key}`: {n} is not a finite number"),
        },
        Value::Number(n) => n.to_string(),
        Value::String(s) => toml_string(s),
        Value::Array(items) => {
            let items = items.iter().map(|i| toml_inline(key, i)).collect::<Result<Vec<_>>>()?;
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let mut entries = Vec::new();
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                entries.push(format!("{} = {}", toml_key(k), toml_inline(k, v)?));
            }
            format!("{{ {} }}", entries.join(", "))
        }
    })
}

/// A bare key when TOML allows one, else a quoted key.
fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_owned()
    } else {
        toml_string(k)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
        // A password holding `/` and `@`, and an `@` in the query.
        assert_eq!(redact_url("postgres://app:p/a@ss@db/x?user=a@b"), "postgres://app:***@db/x?user=a@b");
        assert_eq!(
            redact_url("postgres://app:pw@db/x?sslmode=require&password=p2&sslpassword=p3&token=t0&api_key=k1"),
            "postgres://app:***@db/x?sslmode=require&password=***&sslpassword=***&token=***&api_key=***"
        );
        assert_eq!(
            redact_url("https://x.io/cb?key=k&v=1#access_token=a"),
            "https://x.io/cb?key=***&v=1#access_token=***"
        );
        assert_eq!(redact_url("host=db user=app password=pw dbname=x"), "host=db user=app password=*** dbname=x");
        assert_eq!(
            redact_webhook("https://hooks.example.com/services/T0/B0/XyZsEcReT?k=1"),
            "https://hooks.example.com/***"
        );
        assert_eq!(redact_webhook("http://127.0.0.1:9000/hook/abc"), "http://127.0.0.1:9000/***");
        assert_eq!(redact_webhook("not a url tok3n"), "***");
    }

    /// A configuration holding a secret in every place one can hide.
    fn with_secrets() -> Config {
        let url = "postgres://app:s3cretpw@db.internal:5432/applyflow?sslmode=require&token=t0kenval&sslpassword=sslpw";
        let mut c = Config { database_url: Some(url.into()), ..Config::default() };
        c.ai.alert_webhook = Some("https://hooks.example.com/services/T000/B000/WeBhOoKsEcReT?api_key=hookkey".into());
        c.discovery.allow_hosts = vec!["https://u:hostpw@mirror.example/feed?key=mirrorkey".into()];
        c.ai.pricing = serde_json::json!({"fallback": {"input_per_mtok": 1.5, "output_per_mtok": 2.0}});
        c
    }

    const SECRETS: &[&str] = &["s3cretpw", "t0kenval", "sslpw", "WeBhOoKsEcReT", "hookkey", "hostpw", "mirrorkey"];

    #[test]
    fn config_prints_as_toml_that_reads_back() {
        let c = with_secrets();
        let text = c.printable(ConfigFormat::Toml, Path::new("/tmp/data\ndir")).unwrap();
        assert!(text.starts_with("# data dir: /tmp/data dir\n"), "{text}");
        let back: Config = Figment::from(Toml::string(&text)).extract().unwrap();
        // What was printed is exactly the redacted configuration: nothing lost, nothing added.
        let mut want = serde_json::to_value(c.redacted()).unwrap();
        scrub("", &mut want);
        assert_eq!(serde_json::to_value(&back).unwrap(), want);
        assert_eq!(back.cell.sandbox.response_delay_secs, 172_800.0);
        assert_eq!(back.ai.budget.alert_thresholds, vec![0.5, 0.8, 1.0]);
        assert_eq!(back.ai.pricing["fallback"]["input_per_mtok"], 1.5);
        assert_eq!(
            back.database_url.as_deref(),
            Some("postgres://app:***@db.internal:5432/applyflow?sslmode=require&token=***&sslpassword=***")
        );
        assert_eq!(back.ai.alert_webhook.as_deref(), Some("https://hooks.example.com/***"));
        back.validate().unwrap();
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret} printed:\n{text}");
        }
    }

    #[test]
    fn config_prints_as_json_that_reads_back() {
        let c = with_secrets();
        let text = c.printable(ConfigFormat::Json, Path::new("/tmp/data")).unwrap();
        let back: Config = serde_json::from_str(&text).unwrap();
        assert_eq!(back.listen, c.listen);
        assert_eq!(back.cell.workers_per_consumer, c.cell.workers_per_consumer);
        assert_eq!(
            back.database_url.as_deref(),
            Some("postgres://app:***@db.internal:5432/applyflow?sslmode=require&token=***&sslpassword=***")
        );
        assert_eq!(back.discovery.allow_hosts, ["https://u:***@mirror.example/feed?key=***"]);
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret} printed:\n{text}");
        }
    }

    #[test]
    fn toml_strings_and_keys_are_quoted_and_escaped() {
        let v = serde_json::json!({"a b": "q\"uote\\ \n\u{1}", "t": {"x.y": [1, 2.5, {"k": true}]}, "none": null});
        let text = to_toml(&v).unwrap();
        let back: Value = Figment::from(Toml::string(&text)).extract().unwrap();
        assert_eq!(back, serde_json::json!({"a b": "q\"uote\\ \n\u{1}", "t": {"x.y": [1, 2.5, {"k": true}]}}));
    }

    /// Loads `toml` as the configuration file of a fresh data directory.
    fn load(toml: &str) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("applyflow.toml"), toml).unwrap();
        Config::load(dir.path(), None)
    }

    #[test]
    fn non_finite_and_negative_numbers_are_refused_naming_the_key() {
        load("").unwrap();
        for (toml, key) in [
            ("[cell.sandbox]\nresponse_delay_secs = inf", "cell.sandbox.response_delay_secs"),
            ("[cell.sandbox]\nno_response_window_secs = 1e30", "cell.sandbox.no_response_window_secs"),
            ("[cell.sandbox]\nresponse_rate = nan", "cell.sandbox.response_rate"),
            ("[demo]\nresponse_delay_secs = -1.0", "demo.response_delay_secs"),
            ("[demo]\nno_response_window_secs = -inf", "demo.no_response_window_secs"),
            ("[demo]\ntimeout_secs = 9223372036854775807", "demo.timeout_secs"),
            ("[discovery]\ninterval_secs = 9223372036854775807", "discovery.interval_secs"),
            ("[ai.budget]\ncell_cap_usd = inf", "ai.budget.cell_cap_usd"),
            ("[ai.budget]\ncell_cap_usd = -5.0", "ai.budget.cell_cap_usd"),
            ("[ai.budget.plans.pro]\ncalls_per_day = 10\nuser_cap_usd = nan", "ai.budget.plans.pro.user_cap_usd"),
            ("[ai.budget]\nalert_thresholds = [0.5, inf]", "ai.budget.alert_thresholds[1]"),
            ("[ai.budget]\nalert_thresholds = [0.0]", "ai.budget.alert_thresholds[0]"),
            (
                "[ai.pricing.fallback]\ninput_per_mtok = inf\noutput_per_mtok = 1.0",
                "ai.pricing.fallback.input_per_mtok",
            ),
            (
                "[ai.pricing.fallback]\ninput_per_mtok = 1.0\noutput_per_mtok = -2.0",
                "ai.pricing.fallback.output_per_mtok",
            ),
        ] {
            let err = format!("{:#}", load(toml).unwrap_err());
            assert!(err.contains(key), "{toml:?}: {err}");
        }
        let err = format!("{:#}", load("[ai.budget]\ncell_cap_usd = inf").unwrap_err());
        assert!(err.contains("must be a finite number"), "{err}");
    }
}
