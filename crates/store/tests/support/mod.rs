//! Fixtures and engine harness for the storage contract suite: fresh stores (a SQLite file in a
//! temporary directory; a throwaway PostgreSQL database when `TEST_DATABASE_URL` is set) and
//! domain values to write into them.
// Test fixtures stamp wall-clock times and fresh ids; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chrono::Utc;
use domain::event::{EventContext, EventPayload, JobAnalyzed, JobDiscovered};
use domain::{
    Application, ApplicationId, ApplicationState, CellId, CorrelationId, EventEnvelope, EventId, Job, JobAnalysis,
    JobId, Seniority, TailoredResume, TailoredSection, UserId, WorkplaceType,
};
use sqlx::Connection;
use std::sync::Arc;
use store::{Committed, DynStore, PgStore, SqliteStore, Store, UnitOfWork, User, Write};
use uuid::Uuid;

/// Runs each named contract test (an `async fn(DynStore)`) once per engine.
#[macro_export]
macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let store = $crate::support::sqlite_store(dir.path()).await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::support::PgTestDb::create().await else { return };
                    super::$name(db.store.clone()).await;
                    db.drop().await;
                }
            )*
        }
    };
}

/// A migrated SQLite store in `dir` (in a subdirectory, so `open` has to create it).
pub async fn sqlite_store(dir: &std::path::Path) -> DynStore {
    let store = SqliteStore::open(&dir.join("data").join("applyflow.db")).await.unwrap();
    store.migrate().await.unwrap();
    Arc::new(store)
}

/// A fresh PostgreSQL database `applyflow_test_<uuid>`, dropped by [`PgTestDb::drop`] (a failed
/// test leaves it behind for inspection).
pub struct PgTestDb {
    pub store: DynStore,
    admin_url: String,
    name: String,
}

impl PgTestDb {
    /// `None` (after a note) when `TEST_DATABASE_URL` is unset: the PostgreSQL run is skipped.
    pub async fn create() -> Option<Self> {
        let admin_url = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                eprintln!("note: TEST_DATABASE_URL is not set, skipping the PostgreSQL run of this test");
                return None;
            }
        };
        let name = format!("applyflow_test_{}", Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
        admin.close().await.unwrap();
        let store = PgStore::connect(&with_database(&admin_url, &name)).await.unwrap();
        store.migrate().await.unwrap();
        Some(Self { store: Arc::new(store), admin_url, name })
    }

    pub async fn drop(self) {
        drop(self.store);
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await.unwrap();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::query(&sql).execute(&mut admin).await.unwrap();
    }
}

/// `url` with its database name replaced by `db` (query string kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[host_start..].find('/').map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{db}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub fn id() -> Uuid {
    Uuid::now_v7()
}

pub fn new_user(tag: &str) -> User {
    User {
        id: UserId(id()),
        email: format!("{tag}-{}@example.com", id().simple()),
        cell_id: CellId::new("cell-001"),
        created_at: Utc::now(),
    }
}

pub fn job(user: UserId, source_id: &str) -> Job {
    Job {
        id: JobId(id()),
        user_id: user,
        source: "greenhouse".into(),
        source_id: source_id.into(),
        company: "Acme".into(),
        title: format!("Backend Engineer {source_id}"),
        location: "Berlin".into(),
        workplace: WorkplaceType::Hybrid,
        salary: None,
        description: "Rust, PostgreSQL.".into(),
        apply_url: "https://example.com/apply".into(),
        posted_at: None,
        discovered_at: Utc::now(),
        content_hash: "abc".into(),
        application_questions: None,
    }
}

pub fn application(job: &Job) -> Application {
    let now = Utc::now();
    Application {
        id: ApplicationId(id()),
        user_id: job.user_id,
        job_id: job.id,
        correlation_id: CorrelationId(id()),
        state: ApplicationState::Discovered,
        outcome: None,
        variant_id: None,
        reason: None,
        created_at: now,
        updated_at: now,
    }
}

pub fn discovered(job: &Job, app: &Application) -> EventEnvelope {
    let cell = CellId::new("cell-001");
    let ctx = EventContext {
        user_id: app.user_id,
        cell_id: &cell,
        correlation_id: app.correlation_id,
        causation_id: None,
        occurred_at: Utc::now(),
    };
    let payload = EventPayload::JobDiscovered(JobDiscovered {
        job_id: job.id,
        application_id: app.id,
        source: job.source.clone(),
        source_id: job.source_id.clone(),
        company: job.company.clone(),
        title: job.title.clone(),
        location: job.location.clone(),
        workplace: job.workplace,
        apply_url: job.apply_url.clone(),
        match_reasons: vec!["title".into()],
    });
    EventEnvelope::new(EventId(id()), ctx, &payload)
}

pub fn analyzed(cause: &EventEnvelope, app: &Application) -> EventEnvelope {
    let payload = EventPayload::JobAnalyzed(JobAnalyzed {
        job_id: app.job_id,
        application_id: app.id,
        provider: "heuristic".into(),
        skills: vec!["rust".into()],
        seniority: Seniority::Senior,
        workplace: WorkplaceType::Hybrid,
        strategy: None,
        required_skills: vec![],
        match_score: None,
        below_threshold: false,
    });
    EventEnvelope::new(EventId(id()), cause.follow_up(Utc::now()), &payload)
}

pub fn analysis(job: &Job) -> JobAnalysis {
    JobAnalysis {
        job_id: job.id,
        user_id: job.user_id,
        skills: vec!["rust".into(), "postgresql".into()],
        keywords: vec!["backend".into()],
        seniority: Seniority::Senior,
        workplace: WorkplaceType::Hybrid,
        salary: None,
        provider: "heuristic".into(),
        required_skills: Vec::new(),
        preferred_skills: Vec::new(),
        years_experience: None,
        responsibilities: Vec::new(),
        education: Vec::new(),
        certifications: Vec::new(),
        location: None,
        visa_sponsorship: None,
        weighted_keywords: Vec::new(),
    }
}

pub fn resume(app: &Application, variant: &str, selected: bool) -> TailoredResume {
    TailoredResume {
        application_id: app.id,
        job_id: app.job_id,
        user_id: app.user_id,
        variant_id: variant.into(),
        name: "Ada Lovelace".into(),
        label: Some("Engineer".into()),
        email: Some("ada@example.com".into()),
        summary: None,
        skills: vec!["rust".into()],
        work: vec![TailoredSection {
            organization: "Analytical Engines".into(),
            position: "Programmer".into(),
            start_date: Some("1842".into()),
            end_date: None,
            summary: None,
            highlights: vec!["Wrote the first program".into()],
        }],
        ats_score: 0.75,
        matched_keywords: vec!["rust".into()],
        selected,
        strategy: String::new(),
        sections: Vec::new(),
        education: Vec::new(),
        certificates: Vec::new(),
        projects: Vec::new(),
        provenance: Vec::new(),
        ats_report: None,
        guard: Default::default(),
    }
}

pub fn unit(user: UserId, inbox: Option<(&str, &str)>, writes: Vec<Write>, events: Vec<EventEnvelope>) -> UnitOfWork {
    UnitOfWork {
        user_id: user,
        inbox: inbox.map(|(c, k)| (c.to_owned(), k.to_owned())),
        writes,
        events,
        at: Utc::now(),
    }
}

/// Commits a discovery (job, application, `job.discovered`) for `user`.
pub async fn discover(store: &dyn Store, user: UserId, source_id: &str) -> (Job, Application, EventEnvelope) {
    let job = job(user, source_id);
    let app = application(&job);
    let event = discovered(&job, &app);
    let writes = vec![Write::InsertJob(job.clone()), Write::InsertApplication(app.clone())];
    let key = format!("greenhouse:{source_id}");
    let done = store.commit(&unit(user, Some(("discovery", &key)), writes, vec![event.clone()])).await.unwrap();
    assert_eq!(done, Committed::Applied);
    (job, app, event)
}

/// The envelopes of log rows that parsed (panics on one that did not).
pub fn envelopes(rows: &[store::LoggedEvent]) -> Vec<EventEnvelope> {
    rows.iter().map(|r| r.event.clone().expect("a well-formed row")).collect()
}
