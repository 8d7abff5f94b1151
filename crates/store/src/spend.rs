//! AI spend: one row per answered LLM call, summed per day for `applyflow ai spend` and for
//! restoring the budget ledger after a restart. Implemented for both engines by
//! [`impl_spend_store!`].

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

/// Where AI spend is kept.
#[async_trait]
pub trait SpendStore: Send + Sync {
    /// Appends answered calls (one transaction).
    async fn record_spend(&self, rows: &[SpendRow]) -> Result<(), StoreError>;
    /// The spend of one UTC day, per (user, cell, provider, model), ordered by those.
    async fn spend_on(&self, day: NaiveDate) -> Result<Vec<SpendTotal>, StoreError>;
}

pub(crate) const INSERT_SPEND: &str = "INSERT INTO ai_spend \
     (day, at, user_id, cell, task, provider, model, input_tokens, output_tokens, cost_nanos) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
pub(crate) const SPEND_ON: &str = "SELECT user_id, cell, provider, model, COUNT(*) AS calls, \
     CAST(SUM(input_tokens) AS BIGINT) AS input_tokens, CAST(SUM(output_tokens) AS BIGINT) AS output_tokens, \
     CAST(SUM(cost_nanos) AS BIGINT) AS cost_nanos \
     FROM ai_spend WHERE day = $1 GROUP BY user_id, cell, provider, model ORDER BY user_id, cell, provider, model";

pub(crate) fn clamp(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

/// Implements [`SpendStore`] for `$store` (a struct with a `pool` field).
macro_rules! impl_spend_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::spend::SpendStore for $store {
            async fn record_spend(&self, rows: &[$crate::spend::SpendRow]) -> Result<(), $crate::StoreError> {
                use $crate::spend::clamp;
                let mut tx = self.pool.begin().await?;
                for r in rows {
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
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
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
