//! The SQLite adapter: the embedded default, one WAL-mode database file in the data directory.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How many connections the pool keeps (SQLite has one writer at a time anyway).
const POOL_SIZE: u32 = 4;

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Time and ids of the rows the store stamps itself.
    clock: clock::DynClock,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("pool", &self.pool).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating it and its directory if missing) the database file at `path`.
    /// Does not migrate: call [`crate::Store::migrate`].
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::DataDir { path: dir.display().to_string(), source })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(POOL_SIZE).connect_with(options).await?;
        Ok(Self { pool, clock: clock::system() })
    }
}

impl SqliteStore {
    /// Stamps rows with `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: clock::DynClock) -> Self {
        self.clock = clock;
        self
    }
}

crate::adapter::impl_store!(SqliteStore, sqlx::Sqlite, sqlx::SqliteConnection, "sqlite", MIGRATOR);
crate::sources::impl_source_store!(SqliteStore);
crate::spend::impl_spend_store!(SqliteStore);
crate::applying::impl_apply_store!(SqliteStore);
