//! Spend alerts and where they go; publishing them (webhook, event bus) is the caller's wiring.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertScope {
    User,
    Cell,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendAlert {
    pub scope: AlertScope,
    pub id: String,
    /// The fraction of the cap that was crossed (0.8 = 80 %).
    pub threshold: f64,
    pub spent_usd: f64,
    pub cap_usd: f64,
    pub date: NaiveDate,
    /// The user whose call crossed the threshold (for a user alert, the same as `id`).
    pub payer: String,
}

/// Where spend alerts go; called outside the ledger's lock, but must not block.
pub trait AlertSink: Send + Sync {
    fn alert(&self, alert: SpendAlert);
}

/// Drops alerts.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoAlerts;

impl AlertSink for NoAlerts {
    fn alert(&self, _alert: SpendAlert) {}
}

/// Keeps alerts in memory (tests, the CLI).
#[derive(Debug, Default)]
pub struct CollectingAlertSink(Mutex<Vec<SpendAlert>>);

impl CollectingAlertSink {
    pub fn take(&self) -> Vec<SpendAlert> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl AlertSink for CollectingAlertSink {
    fn alert(&self, alert: SpendAlert) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(alert);
    }
}

/// Forwards alerts to a task that publishes them (webhook, event bus).
#[derive(Debug, Clone)]
pub struct ChannelAlertSink(tokio::sync::mpsc::UnboundedSender<SpendAlert>);

impl ChannelAlertSink {
    pub fn new() -> (Self, tokio::sync::mpsc::UnboundedReceiver<SpendAlert>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        (Self(tx), rx)
    }
}

impl AlertSink for ChannelAlertSink {
    fn alert(&self, alert: SpendAlert) {
        if self.0.send(alert).is_err() {
            tracing::debug!("spend alert dropped: receiver gone");
        }
    }
}
