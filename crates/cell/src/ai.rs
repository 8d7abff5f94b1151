//! The cell's AI wiring: an [`AiClient`] whose spend is persisted (one row per charged provider
//! attempt), whose ledger starts from today's persisted spend (so caps hold across restarts),
//! and whose spend alerts become an `ai.spend_alert` event in the log, a metric, and a webhook
//! POST.
//!
//! Nothing counted is lost to a kill. An attempt on a billed provider first writes a hold to
//! the store's journal and is sent only once the hold is durable; its spend row replaces the
//! hold in one transaction. After a crash, an open hold counts as spent at its reserved amount
//! (and once stale it becomes a spend row of that amount). Records of free providers (offline,
//! local models) are batched, never a write per call; [`WiredAi::flush`] drains them on a
//! graceful stop. Alerts are stored with the spend that crossed their threshold, and marked sent
//! only once their event is committed and the webhook answered 2xx; undelivered ones are
//! retried, after a restart too, and a threshold found crossed on restore without a stored
//! alert is alerted then.

use crate::clock::DynClock;
use crate::metrics::Metrics;
use async_trait::async_trait;
use domain::event::{EventContext, EventPayload, SpendAlert as SpendAlertEvent};
use domain::{CellId, CorrelationId, EventEnvelope, EventId, UserId};
use llm::budget::{AlertScope, AlertSink, Plan, RestoredSpend, SpendAlert};
use llm::observe::{SpendHold, SpendJournal, SpendRecord, SpendSink};
use llm::{AiClient, AiConfig, AiSinks, Provider};
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use store::spend::{SpendAlertRow, SpendBatch, SpendHoldRow};
use store::{DynStore, SpendRow, StoreError, UnitOfWork};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How the cell's AI client is set up.
#[derive(Clone)]
pub struct AiSetup {
    pub providers: Vec<Arc<dyn Provider>>,
    /// Budgets (per-user plans in `config.budget.user_plans`), prices, chain and cache.
    pub config: AiConfig,
    /// The plan of every user not named in `config.budget.user_plans` (configuration key
    /// `ai.plan`); it replaces `config.plan`.
    pub plan: Plan,
    /// Where spend alerts are POSTed as JSON, if anywhere.
    pub alert_webhook: Option<String>,
    /// Time, ids of spend holds and of the spend alert events.
    pub clock: DynClock,
}

/// A wired client and the background tasks that persist its spend and publish its alerts.
pub struct WiredAi {
    pub client: AiClient,
    pub tasks: Vec<JoinHandle<()>>,
    /// Drains what is pending (keep a clone when the client and tasks are moved elsewhere).
    pub flusher: AiFlusher,
}

impl WiredAi {
    /// See [`AiFlusher::flush`].
    pub async fn flush(&self) -> Flushed {
        self.flusher.flush().await
    }
}

/// What a flush left behind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flushed {
    /// Alerts whose event or webhook could not be delivered yet. They are stored, so the next
    /// start resends them.
    pub undelivered_alerts: usize,
}

/// A handle on the wired AI's writers. Cheap to clone.
#[derive(Clone)]
pub struct AiFlusher {
    tx: UnboundedSender<ToWriter>,
}

impl AiFlusher {
    /// Writes every spend record, released hold and alert handed over before this call, then
    /// tries once to deliver every undelivered alert; returns when that is done. Call it on a
    /// graceful stop, after the engine stopped making AI calls. Waits while the store is down
    /// (the writer keeps retrying), so bound it with a timeout at shutdown; whatever it could
    /// not write was either free spend or is covered by a hold.
    pub async fn flush(&self) -> Flushed {
        let (ack, done) = oneshot::channel();
        if self.tx.send(ToWriter::Flush(ack)).is_err() {
            tracing::warn!("AI spend writer is gone; nothing to flush");
            return Flushed::default();
        }
        done.await.unwrap_or_default()
    }
}

enum ToWriter {
    Record(SpendRecord),
    Release(String),
    Alert(SpendAlert),
    Flush(oneshot::Sender<Flushed>),
}

enum ToPublisher {
    Alert(AlertJob),
    Flush(oneshot::Sender<Flushed>),
}

/// Hands records, released holds and alerts to the writer task (never blocks a caller).
struct ToStore(UnboundedSender<ToWriter>);

impl ToStore {
    fn send(&self, msg: ToWriter) {
        if self.0.send(msg).is_err() {
            tracing::warn!("AI spend writer is gone; a spend record or alert was not persisted");
        }
    }
}

impl SpendSink for ToStore {
    fn record(&self, record: SpendRecord) {
        self.send(ToWriter::Record(record));
    }
    fn release(&self, hold: &str) {
        self.send(ToWriter::Release(hold.to_owned()));
    }
}

impl AlertSink for ToStore {
    fn alert(&self, alert: SpendAlert) {
        self.send(ToWriter::Alert(alert));
    }
}

/// The store as the write-ahead journal of billed attempts.
struct StoreJournal(DynStore);

#[async_trait]
impl SpendJournal for StoreJournal {
    async fn hold(&self, h: &SpendHold) -> Result<(), String> {
        let row = SpendHoldRow {
            id: h.id.clone(),
            at: h.at,
            stale_at: h.stale_at,
            user: h.user.clone(),
            cell: h.cell.clone(),
            task: h.task.clone(),
            provider: h.provider.clone(),
            model: h.model.clone(),
            reserved_nanos: nanos(h.reserved_usd),
        };
        self.0.hold_spend(&row).await.map_err(|e| e.to_string())
    }
}

/// Builds the client, restores today's spend from the store (open holds of billed attempts
/// included; stale ones are charged first) and starts the writers, queueing every alert not
/// yet delivered. Must run inside a Tokio runtime.
pub async fn wire(store: DynStore, cell_id: CellId, metrics: &Metrics, setup: AiSetup) -> Result<WiredAi, StoreError> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let to_store = Arc::new(ToStore(tx.clone()));
    let journaled = store.keeps_spend_journal();
    let journal: Option<Arc<dyn SpendJournal>> =
        if journaled { Some(Arc::new(StoreJournal(store.clone()))) } else { None };
    let sinks = AiSinks {
        alerts: to_store.clone(),
        spend: to_store,
        metrics: metrics.ai().clone(),
        journal,
        clock: setup.clock.clone(),
    };
    let config = AiConfig { plan: setup.plan, ..setup.config };
    let client = AiClient::with_sinks(setup.providers, config, sinks);

    let now = setup.clock.now();
    let day = now.date_naive();
    for h in store.recover_spend_holds(now).await? {
        tracing::warn!(
            hold = %h.id, user = %h.user, provider = %h.provider, task = %h.task, usd = h.reserved_nanos as f64 / 1e9,
            "an AI call was cut off by a crash; charged at its reserved amount"
        );
    }
    let mut restored: Vec<RestoredSpend> = store
        .spend_on(day)
        .await?
        .into_iter()
        .map(|t| RestoredSpend {
            day,
            user: t.user,
            cell: t.cell,
            provider: t.provider,
            model: t.model,
            calls: t.calls,
            cost_nanos: t.cost_nanos,
        })
        .collect();
    // Calls in flight elsewhere (or cut off less than a stale period ago) count in full.
    restored.extend(store.open_spend_holds(day).await?.into_iter().map(|h| RestoredSpend {
        day,
        user: h.user,
        cell: h.cell,
        provider: h.provider,
        model: h.model,
        calls: 1,
        cost_nanos: h.reserved_nanos,
    }));
    let crossed = client.ledger().restore(now, restored, |user| client.plan_of(user));

    let mut backlog = Vec::new();
    if journaled {
        // A threshold crossed by stored spend whose alert was never stored: the process died
        // between counting and writing. Alert it now.
        let stored: HashSet<String> = store.spend_alerts_on(day).await?.into_iter().map(|a| a.key).collect();
        let missing: Vec<SpendAlertRow> =
            crossed.iter().filter(|a| !stored.contains(&alert_key(a))).map(|a| alert_row(a, now)).collect();
        if !missing.is_empty() {
            tracing::info!(alerts = missing.len(), "spend alerts found crossed on restore; sending them");
            store.write_spend(&SpendBatch { alerts: missing, ..SpendBatch::default() }).await?;
        }
        for row in store.unsent_spend_alerts().await? {
            match serde_json::from_str::<SpendAlert>(&row.alert_json) {
                Ok(alert) => backlog.push(AlertJob::new(row.key, alert)),
                Err(e) => tracing::error!(key = %row.key, error = %e, "stored spend alert is unreadable; skipped"),
            }
        }
    }

    let (publish_tx, publish_rx) = tokio::sync::mpsc::unbounded_channel();
    let publisher = Publisher {
        store: store.clone(),
        cell_id,
        webhook: setup.alert_webhook,
        clock: setup.clock.clone(),
        http: reqwest::Client::builder().timeout(Duration::from_secs(5)).build().ok(),
    };
    let tasks = vec![
        tokio::spawn(write_spend(store, rx, publish_tx, setup.clock)),
        tokio::spawn(publisher.run(publish_rx, backlog)),
    ];
    Ok(WiredAi { client, tasks, flusher: AiFlusher { tx } })
}

fn nanos(usd: f64) -> u64 {
    if usd.is_finite() && usd > 0.0 {
        (usd * 1e9).round() as u64
    } else {
        0
    }
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
        cost_nanos: nanos(r.cost_usd),
    }
}

/// The natural key of an alert: it fires once per day, scope, id and threshold.
pub fn alert_key(a: &SpendAlert) -> String {
    let scope = match a.scope {
        AlertScope::User => "user",
        AlertScope::Cell => "cell",
    };
    format!("{}/{scope}/{}/{}", a.date, a.id, a.threshold)
}

fn alert_row(a: &SpendAlert, now: chrono::DateTime<chrono::Utc>) -> SpendAlertRow {
    SpendAlertRow {
        key: alert_key(a),
        day: a.date,
        created_at: now,
        alert_json: serde_json::to_string(a).unwrap_or_default(),
        sent_at: None,
    }
}

/// How long the writer gathers records into one write: free calls never cost a write each.
const LINGER: Duration = Duration::from_millis(200);
const MAX_BATCH: usize = 512;

/// Writes spend records, released holds and new alerts in batches (one transaction each),
/// retrying a failed write (the batch is kept) until it succeeds; then hands the alerts and
/// flush requests on to the publisher.
async fn write_spend(
    store: DynStore,
    mut rx: UnboundedReceiver<ToWriter>,
    publisher: UnboundedSender<ToPublisher>,
    clock: DynClock,
) {
    let mut open = true;
    while open {
        let Some(first) = rx.recv().await else { break };
        let mut batch = SpendBatch::default();
        let mut alerts = Vec::new();
        let mut flushes = Vec::new();
        let mut take = |msg: ToWriter, flushes: &mut Vec<oneshot::Sender<Flushed>>| match msg {
            ToWriter::Record(r) => match r.hold.clone() {
                Some(hold) => batch.settled.push((hold, row(r))),
                None => batch.rows.push(row(r)),
            },
            ToWriter::Release(hold) => batch.released.push(hold),
            ToWriter::Alert(a) => {
                batch.alerts.push(alert_row(&a, clock.now()));
                alerts.push(a);
            }
            ToWriter::Flush(ack) => flushes.push(ack),
        };
        take(first, &mut flushes);
        let linger = tokio::time::sleep(LINGER);
        tokio::pin!(linger);
        let mut size = 1;
        while flushes.is_empty() && size < MAX_BATCH {
            tokio::select! {
                biased;
                msg = rx.recv() => match msg {
                    Some(msg) => {
                        take(msg, &mut flushes);
                        size += 1;
                    }
                    None => {
                        open = false;
                        break;
                    }
                },
                () = &mut linger => break,
            }
        }
        let mut delay = Duration::from_millis(100);
        if batch != SpendBatch::default() {
            while let Err(e) = store.write_spend(&batch).await {
                let rows = batch.rows.len() + batch.settled.len();
                tracing::warn!(error = %e, rows, "cannot record AI spend; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        }
        for a in alerts {
            let _ = publisher.send(ToPublisher::Alert(AlertJob::new(alert_key(&a), a)));
        }
        for ack in flushes {
            if let Err(ToPublisher::Flush(ack)) = publisher.send(ToPublisher::Flush(ack)).map_err(|e| e.0) {
                let _ = ack.send(Flushed::default());
            }
        }
    }
}

/// The `ai.spend_alert` event of an alert; `None` when the payer is not a user id (a tool).
pub fn alert_event(alert: &SpendAlert, cell_id: &CellId, clock: &dyn crate::clock::Clock) -> Option<EventEnvelope> {
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
        correlation_id: CorrelationId(clock.new_id()),
        causation_id: None,
        occurred_at: clock.now(),
    };
    Some(EventEnvelope::new(EventId(clock.new_id()), ctx, &payload))
}

/// The inbox consumer that makes an alert's event idempotent: a resent alert logs no second
/// event.
const ALERT_CONSUMER: &str = "ai.spend_alert";

/// One alert on its way out; what is done is not repeated within this process.
struct AlertJob {
    key: String,
    alert: SpendAlert,
    event_done: bool,
    webhook_done: bool,
}

impl AlertJob {
    fn new(key: String, alert: SpendAlert) -> Self {
        Self { key, alert, event_done: false, webhook_done: false }
    }
}

struct Publisher {
    store: DynStore,
    cell_id: CellId,
    webhook: Option<String>,
    clock: DynClock,
    http: Option<reqwest::Client>,
}

impl Publisher {
    /// Delivers alerts as they come, retrying undelivered ones with a growing pause (up to a
    /// minute); on a flush, tries every undelivered one once more and reports what is left.
    async fn run(self, mut rx: UnboundedReceiver<ToPublisher>, backlog: Vec<AlertJob>) {
        let mut pending: VecDeque<AlertJob> = backlog.into();
        let mut pause = Duration::from_secs(1);
        self.deliver_all(&mut pending).await;
        loop {
            let msg = if pending.is_empty() {
                rx.recv().await
            } else {
                match tokio::time::timeout(pause, rx.recv()).await {
                    Ok(msg) => msg,
                    Err(_) => {
                        self.deliver_all(&mut pending).await;
                        pause = if pending.is_empty() {
                            Duration::from_secs(1)
                        } else {
                            (pause * 2).min(Duration::from_secs(60))
                        };
                        continue;
                    }
                }
            };
            match msg {
                None => break,
                Some(ToPublisher::Alert(job)) => {
                    pending.push_back(job);
                    self.deliver_all(&mut pending).await;
                }
                Some(ToPublisher::Flush(ack)) => {
                    self.deliver_all(&mut pending).await;
                    let _ = ack.send(Flushed { undelivered_alerts: pending.len() });
                }
            }
            if pending.is_empty() {
                pause = Duration::from_secs(1);
            }
        }
    }

    async fn deliver_all(&self, pending: &mut VecDeque<AlertJob>) {
        for _ in 0..pending.len() {
            let Some(mut job) = pending.pop_front() else { break };
            if !self.deliver(&mut job).await {
                pending.push_back(job);
            }
        }
    }

    /// The event (committed once, by its inbox marker), then the webhook (2xx), then the sent
    /// mark; `false` when a step failed (the job keeps what it got done).
    async fn deliver(&self, job: &mut AlertJob) -> bool {
        if !job.event_done {
            match alert_event(&job.alert, &self.cell_id, self.clock.as_ref()) {
                None => job.event_done = true,
                Some(event) => {
                    let unit = UnitOfWork {
                        user_id: event.user_id,
                        inbox: Some((ALERT_CONSUMER.to_owned(), job.key.clone())),
                        writes: vec![],
                        events: vec![event],
                        at: self.clock.now(),
                    };
                    match self.store.commit(&unit).await {
                        Ok(_) => job.event_done = true,
                        Err(e) => {
                            tracing::warn!(error = %e, key = %job.key, "cannot log the spend alert event; will retry");
                            return false;
                        }
                    }
                }
            }
        }
        if !job.webhook_done {
            match (&self.webhook, &self.http) {
                (Some(url), Some(http)) => match http.post(url).json(&job.alert).send().await {
                    Ok(r) if r.status().is_success() => job.webhook_done = true,
                    Ok(r) => {
                        tracing::warn!(status = %r.status(), key = %job.key, "the spend alert webhook refused the alert; will retry");
                        return false;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, key = %job.key, "cannot reach the spend alert webhook; will retry");
                        return false;
                    }
                },
                (Some(_), None) => {
                    tracing::warn!(key = %job.key, "no HTTP client for the spend alert webhook; will retry");
                    return false;
                }
                (None, _) => job.webhook_done = true,
            }
        }
        match self.store.mark_spend_alert_sent(&job.key, self.clock.now()).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, key = %job.key, "cannot mark the spend alert sent; will retry");
                false
            }
        }
    }
}
