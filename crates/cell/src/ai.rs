//! The cell's AI wiring: an [`AiClient`] whose spend is persisted (one row per answered call),
//! whose ledger starts from today's persisted spend (so caps hold across restarts), and whose
//! spend alerts become an `ai.spend_alert` event in the log, a metric, and a webhook POST.

use crate::metrics::Metrics;
use chrono::Utc;
use domain::event::{EventContext, EventPayload, SpendAlert as SpendAlertEvent};
use domain::{CellId, CorrelationId, EventEnvelope, EventId, UserId};
use llm::budget::{AlertScope, ChannelAlertSink, Plan, RestoredSpend, SpendAlert};
use llm::observe::{ChannelSpendSink, SpendRecord};
use llm::{AiClient, AiConfig, AiSinks, Provider};
use std::sync::Arc;
use std::time::Duration;
use store::{DynStore, SpendRow, StoreError, UnitOfWork};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

/// How the cell's AI client is set up.
#[derive(Clone)]
pub struct AiSetup {
    pub providers: Vec<Arc<dyn Provider>>,
    pub config: AiConfig,
    /// The plan every user of this cell is on (per-user plans come with billing).
    pub plan: Plan,
    /// Where spend alerts are POSTed as JSON, if anywhere.
    pub alert_webhook: Option<String>,
}

/// A wired client and the background tasks that persist its spend and publish its alerts.
pub struct WiredAi {
    pub client: AiClient,
    pub tasks: Vec<JoinHandle<()>>,
}

/// Builds the client, restores today's spend from the store and starts the writers. Must run
/// inside a Tokio runtime.
pub async fn wire(store: DynStore, cell_id: CellId, metrics: &Metrics, setup: AiSetup) -> Result<WiredAi, StoreError> {
    let (spend_sink, spend_rx) = ChannelSpendSink::new();
    let (alert_sink, alert_rx) = ChannelAlertSink::new();
    let sinks = AiSinks { alerts: Arc::new(alert_sink), spend: Arc::new(spend_sink), metrics: metrics.ai().clone() };
    let client = AiClient::with_sinks(setup.providers, setup.config, sinks);

    let now = Utc::now();
    let day = now.date_naive();
    let restored = store.spend_on(day).await?.into_iter().map(|t| RestoredSpend {
        day,
        user: t.user,
        cell: t.cell,
        provider: t.provider,
        model: t.model,
        calls: t.calls,
        cost_nanos: t.cost_nanos,
    });
    let plan = setup.plan;
    client.ledger().restore(now, restored, |_| plan);

    let tasks = vec![
        tokio::spawn(write_spend(store.clone(), spend_rx)),
        tokio::spawn(publish_alerts(store, cell_id, setup.alert_webhook, alert_rx)),
    ];
    Ok(WiredAi { client, tasks })
}

fn row(r: SpendRecord) -> SpendRow {
    SpendRow {
        at: r.at,
        user: r.user,
        cell: r.cell,
        task: r.task,
        provider: r.provider,
        model: r.model,
        input_tokens: r.input_tokens,
        output_tokens: r.output_tokens,
        cost_nanos: if r.cost_usd.is_finite() && r.cost_usd > 0.0 { (r.cost_usd * 1e9).round() as u64 } else { 0 },
    }
}

/// Writes spend records in batches; a failed write is retried (the rows are kept) until the
/// channel closes.
async fn write_spend(store: DynStore, mut rx: UnboundedReceiver<SpendRecord>) {
    let mut batch: Vec<SpendRow> = Vec::new();
    while let Some(first) = rx.recv().await {
        batch.push(row(first));
        while batch.len() < 512 {
            match rx.try_recv() {
                Ok(r) => batch.push(row(r)),
                Err(_) => break,
            }
        }
        let mut delay = Duration::from_millis(100);
        while let Err(e) = store.record_spend(&batch).await {
            tracing::warn!(error = %e, rows = batch.len(), "cannot record AI spend; retrying");
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
        batch.clear();
    }
}

/// The `ai.spend_alert` event of an alert; `None` when the payer is not a user id (a tool).
pub fn alert_event(alert: &SpendAlert, cell_id: &CellId) -> Option<EventEnvelope> {
    let user_id: UserId = alert.payer.parse().ok()?;
    let scope = match alert.scope {
        AlertScope::User => "user",
        AlertScope::Cell => "cell",
    };
    let payload = EventPayload::SpendAlert(SpendAlertEvent {
        scope: scope.into(),
        id: alert.id.clone(),
        threshold: alert.threshold,
        spent_usd: alert.spent_usd,
        cap_usd: alert.cap_usd,
        date: alert.date.to_string(),
    });
    let ctx = EventContext {
        user_id,
        cell_id,
        correlation_id: CorrelationId(uuid::Uuid::now_v7()),
        causation_id: None,
        occurred_at: Utc::now(),
    };
    Some(EventEnvelope::new(EventId(uuid::Uuid::now_v7()), ctx, &payload))
}

async fn publish_alerts(
    store: DynStore,
    cell_id: CellId,
    webhook: Option<String>,
    mut rx: UnboundedReceiver<SpendAlert>,
) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().ok();
    while let Some(alert) = rx.recv().await {
        if let Some(event) = alert_event(&alert, &cell_id) {
            let unit =
                UnitOfWork { user_id: event.user_id, inbox: None, writes: vec![], events: vec![event], at: Utc::now() };
            if let Err(e) = store.commit(&unit).await {
                tracing::warn!(error = %e, "cannot log the spend alert event");
            }
        }
        if let (Some(url), Some(http)) = (&webhook, &http) {
            match http.post(url).json(&alert).send().await {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => tracing::warn!(status = %r.status(), "the spend alert webhook refused the alert"),
                Err(e) => tracing::warn!(error = %e, "cannot reach the spend alert webhook"),
            }
        }
    }
}
