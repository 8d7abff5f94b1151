//! The cell's settings (filled from the layered configuration by the binary).

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How the sandbox employer behaves (see `submit::SandboxEmployer`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Share of applications the employer answers (0..=1).
    pub response_rate: f64,
    /// Share of answers that are interviews (the rest are rejections).
    pub interview_rate: f64,
    /// Typical delay before an answer, in seconds.
    pub response_delay_secs: f64,
    /// How long to wait before closing an unanswered application as "no response", in seconds.
    pub no_response_window_secs: f64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            response_rate: 0.6,
            interview_rate: 0.3,
            response_delay_secs: 2.0 * 86_400.0,
            no_response_window_secs: 14.0 * 86_400.0,
        }
    }
}

impl SandboxConfig {
    pub fn employer(&self) -> submit::SandboxEmployer {
        submit::SandboxEmployer {
            response_rate: self.response_rate.clamp(0.0, 1.0),
            interview_rate: self.interview_rate.clamp(0.0, 1.0),
            response_delay: Duration::from_secs_f64(self.response_delay_secs.max(0.0)),
            no_response_window: Duration::from_secs_f64(self.no_response_window_secs.max(0.0)),
        }
    }
}

/// Settings of one cell.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CellConfig {
    /// This cell's id, written into every event.
    pub cell_id: String,
    /// Concurrent workers per consumer; a user always lands on the same worker (per-user order).
    pub workers_per_consumer: usize,
    /// Rows the outbox relay moves per round trip.
    pub relay_batch: u32,
    /// Idle poll interval of the relay and the timer wheel, in milliseconds.
    pub poll_interval_ms: u64,
    /// After this many quiet milliseconds a consumer sweeps the log for events it has not
    /// processed (missed while the store was down, or a failed start-up recovery).
    pub sweep_interval_ms: u64,
    /// Divides every retry delay (1 = the seed's 1 s, 2 s, 4 s, 8 s).
    pub time_compression: u32,
    pub sandbox: SandboxConfig,
    /// Where the generate step stores the selected variant's PDF (content-addressed by
    /// SHA-256, so an identical resume is rendered and stored once). Unset: no PDF in the
    /// workflow. The binary sets it to `DATA_DIR/artifacts`.
    pub artifacts_dir: Option<std::path::PathBuf>,
    /// The PDF template of the generate step (`classic`, `modern` or `ats`).
    pub pdf_template: String,
    /// How applications leave (the top-level `submit` section; the binary copies it here).
    #[serde(skip)]
    pub submit: SubmitConfig,
    /// How answers are followed (the top-level `track` section; copied here by the binary).
    #[serde(skip)]
    pub track: TrackConfig,
}

impl Default for CellConfig {
    fn default() -> Self {
        Self {
            cell_id: "cell-001".into(),
            workers_per_consumer: 8,
            relay_batch: 512,
            poll_interval_ms: 20,
            sweep_interval_ms: 2_000,
            time_compression: 1,
            sandbox: SandboxConfig::default(),
            artifacts_dir: None,
            pdf_template: "ats".into(),
            submit: SubmitConfig::default(),
            track: TrackConfig::default(),
        }
    }
}

impl CellConfig {
    /// Checks values a typo could break, with a message naming the key.
    pub fn validate(&self) -> Result<(), String> {
        if !render::templates().iter().any(|t| t.name == self.pdf_template) {
            return Err(format!("cell.pdf_template: unknown template {:?}", self.pdf_template));
        }
        if self.cell_id.trim().is_empty() {
            return Err("cell.cell_id must not be empty".into());
        }
        if self.workers_per_consumer == 0 || self.workers_per_consumer > 1024 {
            return Err("cell.workers_per_consumer must be between 1 and 1024".into());
        }
        self.submit.validate()?;
        if self.relay_batch == 0 {
            return Err("cell.relay_batch must be at least 1".into());
        }
        let s = &self.sandbox;
        for (k, v) in [("response_rate", s.response_rate), ("interview_rate", s.interview_rate)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("cell.sandbox.{k} must be between 0 and 1, got {v}"));
            }
        }
        // Seconds become `Duration`s, which cannot hold `inf`, `nan`, negatives or 1e30: at
        // most a year.
        const MAX_SECS: f64 = 365.0 * 86_400.0;
        for (k, v) in
            [("response_delay_secs", s.response_delay_secs), ("no_response_window_secs", s.no_response_window_secs)]
        {
            if !v.is_finite() || !(0.0..=MAX_SECS).contains(&v) {
                return Err(format!(
                    "cell.sandbox.{k} must be a finite number of seconds from 0 to {MAX_SECS}, got {v}"
                ));
            }
        }
        Ok(())
    }

    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms.max(1))
    }

    pub fn sweep_interval(&self) -> Duration {
        Duration::from_millis(self.sweep_interval_ms.max(10))
    }
}

/// Whether applications go out on their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitMode {
    /// Nothing is sent until the user approves (`applyflow apply approve ID`).
    #[default]
    Review,
    /// Sent as soon as the resume is ready, within the caps, when the user's profile allows it
    /// (`automation_mode: auto`).
    Auto,
}

/// Sends allowed per UTC day (auto mode and approvals alike).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapsConfig {
    pub per_day: u32,
    pub per_company: u32,
    pub per_channel: u32,
}

impl Default for CapsConfig {
    fn default() -> Self {
        Self { per_day: 10, per_company: 2, per_channel: 10 }
    }
}

/// `submit.channels.email`: SMTP relay for applications to an address a posting names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailChannelConfig {
    /// e.g. `smtp://127.0.0.1:2525`, `smtps://user:pass@smtp.example.com`.
    pub smtp_url: Option<String>,
    /// The From address (the user's own address is the Reply-To).
    pub from: Option<String>,
}

/// `submit.channels.greenhouse` / `.lever`: an ATS API with the employer's key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AtsChannelConfig {
    pub base_url: String,
    pub api_key: Option<String>,
}

/// `submit.channels.webhook`: a signed JSON POST for integrations.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookChannelConfig {
    pub url: Option<String>,
    pub secret: Option<String>,
}

/// `submit.channels`: a channel is configured when its URL (and key or secret) is set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelsConfig {
    pub email: EmailChannelConfig,
    pub greenhouse: AtsChannelConfig,
    pub lever: AtsChannelConfig,
    pub webhook: WebhookChannelConfig,
}

impl Default for ChannelsConfig {
    fn default() -> Self {
        Self {
            email: EmailChannelConfig::default(),
            greenhouse: AtsChannelConfig { base_url: "https://boards-api.greenhouse.io".into(), api_key: None },
            lever: AtsChannelConfig { base_url: "https://api.lever.co".into(), api_key: None },
            webhook: WebhookChannelConfig::default(),
        }
    }
}

/// `submit`: how applications leave.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubmitConfig {
    pub mode: SubmitMode,
    pub caps: CapsConfig,
    pub channels: ChannelsConfig,
    /// Per request to a channel.
    pub timeout_secs: u64,
    /// A ledger row still `sending` this long after its last change is looked at by the
    /// reconcile step (a crash between send and record).
    pub reconcile_after_secs: u64,
}

impl Default for SubmitConfig {
    fn default() -> Self {
        Self {
            mode: SubmitMode::Review,
            caps: CapsConfig::default(),
            channels: ChannelsConfig::default(),
            timeout_secs: 30,
            reconcile_after_secs: 120,
        }
    }
}

/// `track.imap`: the user's mailbox, read by `applyflow track sync`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImapSettings {
    /// `imap://host:143` (loopback only) or `imaps://host:993`.
    pub url: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub mailbox: String,
}

impl Default for ImapSettings {
    fn default() -> Self {
        Self { url: None, username: None, password: None, mailbox: "INBOX".into() }
    }
}

/// `track`: following applications to their outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrackConfig {
    /// Days without an answer after which a sent application counts as `no response`.
    pub no_response_days: u32,
    pub imap: ImapSettings,
}

impl Default for TrackConfig {
    fn default() -> Self {
        Self { no_response_days: 21, imap: ImapSettings::default() }
    }
}

impl SubmitConfig {
    /// Checks what a typo could break, naming the key.
    pub fn validate(&self) -> Result<(), String> {
        let c = &self.caps;
        for (k, v) in [("per_day", c.per_day), ("per_company", c.per_company), ("per_channel", c.per_channel)] {
            if v > 10_000 {
                return Err(format!("submit.caps.{k} must be at most 10000, got {v}"));
            }
        }
        if self.timeout_secs == 0 || self.timeout_secs > 600 {
            return Err(format!("submit.timeout_secs must be between 1 and 600, got {}", self.timeout_secs));
        }
        let ch = &self.channels;
        if ch.email.smtp_url.is_some() && ch.email.from.is_none() {
            return Err("submit.channels.email.from must be set when submit.channels.email.smtp_url is".into());
        }
        if ch.webhook.url.is_some() && ch.webhook.secret.as_deref().is_none_or(|s| s.len() < 16) {
            return Err("submit.channels.webhook.secret must be set (at least 16 characters) with the url".into());
        }
        for (k, ats) in [("greenhouse", &ch.greenhouse), ("lever", &ch.lever)] {
            if ats.base_url.is_empty() {
                continue;
            }
            url::Url::parse(&ats.base_url).map_err(|e| format!("submit.channels.{k}.base_url: {e}"))?;
        }
        Ok(())
    }
}
