//! The render step inside the workflow: with an artifact directory configured, the selected
//! variant of every application is typeset to a PDF in the content-addressed store, and its
//! document row points there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use domain::ApplicationState;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_selected_variant_is_rendered_to_pdf_in_the_artifact_store() {
    let ts = testkit::sqlite().await;
    let artifacts = tempfile::tempdir().unwrap();
    let user = new_user(&ts.store, "pdf@example.com").await;
    let config = cell::CellConfig { artifacts_dir: Some(artifacts.path().to_path_buf()), ..fast_config() };
    let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::new(1024));
    let cell = cell::Cell::new(
        ts.store.clone(),
        bus,
        config,
        Arc::new(cell::SystemClock),
        domain::WorkflowDefinition::standard(),
        cell::agents::standard(),
    );
    let postings = matching_postings(2);
    run_to_idle(&cell, &user, &postings).await;

    let apps = all_apps(&ts.store, &user).await;
    assert_eq!(apps.len(), postings.len());
    for app in apps.iter().filter(|a| a.state != ApplicationState::Withdrawn) {
        let resumes = ts.store.list_resumes(user.id, app.id).await.unwrap();
        let selected = resumes.iter().find(|r| r.selected).expect("a selected variant");
        let path =
            ts.store.get_document(user.id, app.id, &selected.variant_id, "pdf").await.unwrap().expect("a pdf row");
        let bytes = std::fs::read(artifacts.path().join(&path)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{path} is a PDF");
        for other in resumes.iter().filter(|r| !r.selected) {
            assert!(ts.store.get_document(user.id, app.id, &other.variant_id, "pdf").await.unwrap().is_none());
        }
    }
}
