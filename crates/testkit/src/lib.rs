//! Test helpers shared by the crates' test suites: a fresh, migrated store per test on every
//! engine available (SQLite always; PostgreSQL when `TEST_DATABASE_URL` names a server, each
//! test in its own new database, as zero2prod does).
// Test fixtures stamp wall-clock times and fresh ids; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]

pub mod dovecot;
pub mod smtp;

use sqlx::Connection;
use store::DynStore;

/// A store for one test; keeps its temporary directory alive.
pub struct TestStore {
    pub name: &'static str,
    pub store: DynStore,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = store::connect(&url).await.unwrap_or_else(|e| panic!("open sqlite: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("migrate sqlite: {e}"));
    TestStore { name: "sqlite", store, _dir: Some(dir) }
}

/// A fresh PostgreSQL database, when `TEST_DATABASE_URL` is set.
pub async fn postgres() -> Option<TestStore> {
    let admin = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    let db = format!("applyflow_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| panic!("connect {admin}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut conn).await.unwrap_or_else(|e| panic!("create db: {e}"));
    let _ = conn.close().await;
    let url = match admin.rfind('/') {
        Some(i) if admin[..i].contains("://") && i > admin.find("://").map(|s| s + 2).unwrap_or(0) => {
            let (base, rest) = admin.split_at(i);
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{base}/{db}{query}")
        }
        _ => format!("{admin}/{db}"),
    };
    let store = store::connect(&url).await.unwrap_or_else(|e| panic!("open postgres: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("migrate postgres: {e}"));
    Some(TestStore { name: "postgres", store, _dir: None })
}

/// Every engine available: SQLite, plus PostgreSQL when configured.
pub async fn all_stores() -> Vec<TestStore> {
    let mut v = vec![sqlite().await];
    match postgres().await {
        Some(pg) => v.push(pg),
        None => eprintln!("note: TEST_DATABASE_URL is not set; PostgreSQL run skipped"),
    }
    v
}
