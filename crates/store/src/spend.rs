//! AI spend: one row per charged LLM provider attempt, summed per day for `applyflow ai spend`
//! and for restoring the budget ledger after a restart; the write-ahead holds of billed attempts
//! in flight (durable before the request is sent, closed with its spend row in one transaction,
//! charged in full if their process died); and spend alerts until they are delivered.
//! Implemented for both engines by [`impl_spend_store!`].

use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

/// One answered call.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendRow {
    pub at: DateTime<Utc>,
    /// The payer: a user id, or a tool's name (`cli`).
    pub user: String,
    pub cell: String,
    pub task: String,
    pub provider: String,
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Cost in nano-dollars (1e-9 USD), so sums are exact.
    pub cost_nanos: u64,
}

/// A day's spend for one (user, cell, provider, model).
#[derive(Debug, Clone, PartialEq)]
pub struct SpendTotal {
    pub user: String,
    pub cell: String,
    pub provider: String,
    pub model: String,
    pub calls: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_nanos: u64,
}

/// The write-ahead hold of one billed provider attempt: written before the request is sent,
/// deleted when its spend row is written.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendHoldRow {
    pub id: String,
    pub at: DateTime<Utc>,
    /// Past this, no live call can still close the hold: recovery charges it in full.
    pub stale_at: DateTime<Utc>,
    pub user: String,
    pub cell: String,
    pub task: String,
    pub provider: String,
    pub model: String,
    /// The attempt's upper bound, in nano-dollars.
    pub reserved_nanos: u64,
}

/// A spend alert (`alert_json`, the alert as JSON) under its natural key (day, scope, id,
/// threshold); `sent_at` is set once its event is in the log and its webhook answered 2xx.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendAlertRow {
    pub key: String,
    pub day: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub alert_json: String,
    pub sent_at: Option<DateTime<Utc>>,
}

/// What one write of the spend writer persists, in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendBatch {
    /// Charged attempts without a hold (free providers, or a client without a journal).
    pub rows: Vec<SpendRow>,
    /// Charged attempts closing their hold `(hold id, row)`. When the hold is gone (recovery
    /// already charged it in full, as an orphan), the row is not written again.
    pub settled: Vec<(String, SpendRow)>,
    /// Holds of attempts that were not billed: deleted without spend.
    pub released: Vec<String>,
    /// New alerts; one whose key is already stored is left as it is.
    pub alerts: Vec<SpendAlertRow>,
}

/// Where AI spend is kept.
///
/// The journal methods have defaults that keep no journal (holds are not written, batches are
/// plain [`SpendStore::record_spend`]s, there are no open holds or stored alerts), so a wrapper
/// store that forwards only the first two methods still works, without the crash guarantees:
/// wrappers should forward every method and [`SpendStore::keeps_spend_journal`].
#[async_trait]
pub trait SpendStore: Send + Sync {
    /// Appends charged attempts (one transaction).
    async fn record_spend(&self, rows: &[SpendRow]) -> Result<(), StoreError>;
    /// The spend of one UTC day, per (user, cell, provider, model), ordered by those.
    async fn spend_on(&self, day: NaiveDate) -> Result<Vec<SpendTotal>, StoreError>;

    /// Whether this store keeps the write-ahead journal and the alert outbox.
    fn keeps_spend_journal(&self) -> bool {
        false
    }
    /// Makes a hold durable (before its request is sent).
    async fn hold_spend(&self, hold: &SpendHoldRow) -> Result<(), StoreError> {
        let _ = hold;
        Ok(())
    }
    /// Writes a batch in one transaction (see [`SpendBatch`]).
    async fn write_spend(&self, batch: &SpendBatch) -> Result<(), StoreError> {
        let mut rows = batch.rows.clone();
        rows.extend(batch.settled.iter().map(|(_, row)| row.clone()));
        self.record_spend(&rows).await
    }
    /// Holds still open that were taken on `day`, oldest first.
    async fn open_spend_holds(&self, day: NaiveDate) -> Result<Vec<SpendHoldRow>, StoreError> {
        let _ = day;
        Ok(Vec::new())
    }
    /// Charges every hold stale at `now` in full: each becomes a spend row of its reserved
    /// amount (on the day it was taken) and is deleted, in one transaction. Returns them.
    async fn recover_spend_holds(&self, now: DateTime<Utc>) -> Result<Vec<SpendHoldRow>, StoreError> {
        let _ = now;
        Ok(Vec::new())
    }
    /// The alerts of `day`, delivered or not.
    async fn spend_alerts_on(&self, day: NaiveDate) -> Result<Vec<SpendAlertRow>, StoreError> {
        let _ = day;
        Ok(Vec::new())
    }
    /// Alerts not delivered yet, of any day, oldest first.
    async fn unsent_spend_alerts(&self) -> Result<Vec<SpendAlertRow>, StoreError> {
        Ok(Vec::new())
    }
    /// Marks an alert delivered.
    async fn mark_spend_alert_sent(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let _ = (key, at);
        Ok(())
    }
}

pub(crate) const INSERT_SPEND: &str = "INSERT INTO ai_spend \
     (day, at, user_id, cell, task, provider, model, input_tokens, output_tokens, cost_nanos) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
pub(crate) const SPEND_ON: &str = "SELECT user_id, cell, provider, model, COUNT(*) AS calls, \
     CAST(SUM(input_tokens) AS BIGINT) AS input_tokens, CAST(SUM(output_tokens) AS BIGINT) AS output_tokens, \
     CAST(SUM(cost_nanos) AS BIGINT) AS cost_nanos \
     FROM ai_spend WHERE day = $1 GROUP BY user_id, cell, provider, model ORDER BY user_id, cell, provider, model";

pub(crate) const INSERT_HOLD: &str = "INSERT INTO ai_spend_holds \
     (id, day, at, stale_at, user_id, cell, task, provider, model, reserved_nanos) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
pub(crate) const DELETE_HOLD: &str = "DELETE FROM ai_spend_holds WHERE id = $1";
const HOLD_COLS: &str = "id, at, stale_at, user_id, cell, task, provider, model, reserved_nanos";
pub(crate) fn open_holds() -> String {
    format!("SELECT {HOLD_COLS} FROM ai_spend_holds WHERE day = $1 ORDER BY at, id")
}
pub(crate) fn stale_holds() -> String {
    format!("SELECT {HOLD_COLS} FROM ai_spend_holds WHERE stale_at <= $1 ORDER BY at, id")
}
pub(crate) const INSERT_ALERT: &str = "INSERT INTO ai_spend_alerts (key, day, created_at, alert_json, sent_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING";
const ALERT_COLS: &str = "key, day, created_at, alert_json, sent_at";
pub(crate) fn alerts_on() -> String {
    format!("SELECT {ALERT_COLS} FROM ai_spend_alerts WHERE day = $1 ORDER BY created_at, key")
}
pub(crate) fn unsent_alerts() -> String {
    format!("SELECT {ALERT_COLS} FROM ai_spend_alerts WHERE sent_at IS NULL ORDER BY created_at, key")
}
pub(crate) const MARK_ALERT_SENT: &str = "UPDATE ai_spend_alerts SET sent_at = $2 WHERE key = $1";

pub(crate) fn clamp(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

pub(crate) fn hold_row(r: &impl crate::sql::RowExt) -> Result<SpendHoldRow, StoreError> {
    Ok(SpendHoldRow {
        id: r.text("id")?,
        at: crate::sql::parse_ts(&r.text("at")?)?,
        stale_at: crate::sql::parse_ts(&r.text("stale_at")?)?,
        user: r.text("user_id")?,
        cell: r.text("cell")?,
        task: r.text("task")?,
        provider: r.text("provider")?,
        model: r.text("model")?,
        reserved_nanos: r.int("reserved_nanos")?.max(0) as u64,
    })
}

pub(crate) fn alert_row(r: &impl crate::sql::RowExt) -> Result<SpendAlertRow, StoreError> {
    Ok(SpendAlertRow {
        key: r.text("key")?,
        day: r.text("day")?.parse().map_err(StoreError::corrupt)?,
        created_at: crate::sql::parse_ts(&r.text("created_at")?)?,
        alert_json: r.text("alert_json")?,
        sent_at: r.opt_text("sent_at")?.map(|t| crate::sql::parse_ts(&t)).transpose()?,
    })
}

/// The row a recovered (orphaned) hold is charged as: its full reserved amount.
pub(crate) fn recovered_row(h: &SpendHoldRow) -> SpendRow {
    SpendRow {
        at: h.at,
        user: h.user.clone(),
        cell: h.cell.clone(),
        task: h.task.clone(),
        provider: h.provider.clone(),
        model: h.model.clone(),
        input_tokens: 0,
        output_tokens: 0,
        cost_nanos: h.reserved_nanos,
    }
}

/// Binds and runs [`INSERT_SPEND`] for the row `$r` on the executor `$conn`.
macro_rules! insert_spend {
    ($conn:expr, $r:expr) => {{
        use $crate::spend::clamp;
        let r: &$crate::spend::SpendRow = $r;
        sqlx::query($crate::spend::INSERT_SPEND)
            .bind(r.at.date_naive().to_string())
            .bind($crate::sql::ts(r.at))
            .bind(&r.user)
            .bind(&r.cell)
            .bind(&r.task)
            .bind(&r.provider)
            .bind(&r.model)
            .bind(clamp(r.input_tokens))
            .bind(clamp(r.output_tokens))
            .bind(clamp(r.cost_nanos))
            .execute($conn)
            .await?
    }};
}
pub(crate) use insert_spend;

/// Implements [`SpendStore`] for `$store` (a struct with a `pool` field).
macro_rules! impl_spend_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::spend::SpendStore for $store {
            async fn record_spend(&self, rows: &[$crate::spend::SpendRow]) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                for r in rows {
                    $crate::spend::insert_spend!(&mut *tx, r);
                }
                tx.commit().await?;
                Ok(())
            }

            fn keeps_spend_journal(&self) -> bool {
                true
            }

            async fn hold_spend(&self, h: &$crate::spend::SpendHoldRow) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::spend::INSERT_HOLD)
                    .bind(&h.id)
                    .bind(h.at.date_naive().to_string())
                    .bind($crate::sql::ts(h.at))
                    .bind($crate::sql::ts(h.stale_at))
                    .bind(&h.user)
                    .bind(&h.cell)
                    .bind(&h.task)
                    .bind(&h.provider)
                    .bind(&h.model)
                    .bind($crate::spend::clamp(h.reserved_nanos))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn write_spend(&self, batch: &$crate::spend::SpendBatch) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                for r in &batch.rows {
                    $crate::spend::insert_spend!(&mut *tx, r);
                }
                for (hold, r) in &batch.settled {
                    let closed = sqlx::query($crate::spend::DELETE_HOLD).bind(hold).execute(&mut *tx).await?;
                    if closed.rows_affected() > 0 {
                        $crate::spend::insert_spend!(&mut *tx, r);
                    } else {
                        tracing::warn!(
                            hold,
                            "spend hold already charged in full by recovery; its settlement is dropped"
                        );
                    }
                }
                for hold in &batch.released {
                    sqlx::query($crate::spend::DELETE_HOLD).bind(hold).execute(&mut *tx).await?;
                }
                for a in &batch.alerts {
                    sqlx::query($crate::spend::INSERT_ALERT)
                        .bind(&a.key)
                        .bind(a.day.to_string())
                        .bind($crate::sql::ts(a.created_at))
                        .bind(&a.alert_json)
                        .bind(a.sent_at.map($crate::sql::ts))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn open_spend_holds(
                &self,
                day: chrono::NaiveDate,
            ) -> Result<Vec<$crate::spend::SpendHoldRow>, $crate::StoreError> {
                let rows =
                    sqlx::query(&$crate::spend::open_holds()).bind(day.to_string()).fetch_all(&self.pool).await?;
                rows.iter().map(|r| $crate::spend::hold_row(r)).collect()
            }

            async fn recover_spend_holds(
                &self,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<$crate::spend::SpendHoldRow>, $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                let rows =
                    sqlx::query(&$crate::spend::stale_holds()).bind($crate::sql::ts(now)).fetch_all(&mut *tx).await?;
                let stale = rows.iter().map(|r| $crate::spend::hold_row(r)).collect::<Result<Vec<_>, _>>()?;
                let mut recovered = Vec::with_capacity(stale.len());
                for h in stale {
                    let gone = sqlx::query($crate::spend::DELETE_HOLD).bind(&h.id).execute(&mut *tx).await?;
                    if gone.rows_affected() > 0 {
                        $crate::spend::insert_spend!(&mut *tx, &$crate::spend::recovered_row(&h));
                        recovered.push(h);
                    }
                }
                tx.commit().await?;
                Ok(recovered)
            }

            async fn spend_alerts_on(
                &self,
                day: chrono::NaiveDate,
            ) -> Result<Vec<$crate::spend::SpendAlertRow>, $crate::StoreError> {
                let rows = sqlx::query(&$crate::spend::alerts_on()).bind(day.to_string()).fetch_all(&self.pool).await?;
                rows.iter().map(|r| $crate::spend::alert_row(r)).collect()
            }

            async fn unsent_spend_alerts(&self) -> Result<Vec<$crate::spend::SpendAlertRow>, $crate::StoreError> {
                let rows = sqlx::query(&$crate::spend::unsent_alerts()).fetch_all(&self.pool).await?;
                rows.iter().map(|r| $crate::spend::alert_row(r)).collect()
            }

            async fn mark_spend_alert_sent(
                &self,
                key: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query($crate::spend::MARK_ALERT_SENT)
                    .bind(key)
                    .bind($crate::sql::ts(at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn spend_on(
                &self,
                day: chrono::NaiveDate,
            ) -> Result<Vec<$crate::spend::SpendTotal>, $crate::StoreError> {
                use $crate::sql::RowExt as _;
                let rows = sqlx::query($crate::spend::SPEND_ON).bind(day.to_string()).fetch_all(&self.pool).await?;
                let n = |v: i64| v.max(0) as u64;
                rows.iter()
                    .map(|r| {
                        Ok($crate::spend::SpendTotal {
                            user: r.text("user_id")?,
                            cell: r.text("cell")?,
                            provider: r.text("provider")?,
                            model: r.text("model")?,
                            calls: n(r.int("calls")?),
                            input_tokens: n(r.int("input_tokens")?),
                            output_tokens: n(r.int("output_tokens")?),
                            cost_nanos: n(r.int("cost_nanos")?),
                        })
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use impl_spend_store;
