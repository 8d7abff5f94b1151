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
