//! The PostgreSQL adapter, for `DATABASE_URL=postgres://...`.

use crate::StoreError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How many connections the pool opens at most.
const POOL_SIZE: u32 = 16;

/// A store in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Time and ids of the rows the store stamps itself.
    clock: clock::DynClock,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool).finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database `url` names. Does not migrate: call [`crate::Store::migrate`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Self { pool, clock: clock::system() })
    }
}

impl PgStore {
    /// Stamps rows with `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: clock::DynClock) -> Self {
        self.clock = clock;
        self
    }
}

crate::adapter::impl_store!(PgStore, sqlx::Postgres, sqlx::PgConnection, "postgres", MIGRATOR);
crate::sources::impl_source_store!(PgStore);
crate::spend::impl_spend_store!(PgStore);
crate::applying::impl_apply_store!(PgStore);
