//! End-to-end workflow tests on every engine: the six events in causal order, exactly-once
//! effects under redelivery and replay, retries, each error strategy, malformed log rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cell::engine::ProcessResult;
use common::*;
use domain::{ApplicationState, EventEnvelope, EventType};
use std::collections::BTreeMap;

const SIX: [EventType; 6] = [
    EventType::JobDiscovered,
    EventType::JobAnalyzed,
    EventType::ResumeGenerated,
    EventType::ApplicationSubmitted,
    EventType::ResponseReceived,
    EventType::WorkflowCompleted,
];

fn schema_for(t: EventType) -> jsonschema::Validator {
    let path = format!("{}/../../docs/events/{}.schema.json", env!("CARGO_MANIFEST_DIR"), t.as_str());
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(ev: &EventEnvelope) {
    let v = serde_json::to_value(ev).unwrap();
    let validator = schema_for(ev.event_type);
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{} does not match its schema: {errors:?}\n{v:#}", ev.event_type);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_matching_job_completes_with_six_causal_events() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "six@example.com").await;
        let other = new_user(&store, "other@example.com").await;
        let cell = cell_with(store.clone(), cell::agents::standard());
        let postings = matching_postings(8);
        assert!(postings.len() >= 5, "the feed should have matching postings");
        run_to_idle(&cell, &user, &postings).await;

        let apps = all_apps(&store, &user).await;
        assert_eq!(apps.len(), postings.len(), "[{}] one application per matching posting", ts.name);
        for app in &apps {
            assert_eq!(app.state, ApplicationState::Completed, "[{}] {app:?}", ts.name);
            assert!(app.outcome.is_some());
            let events = app_events(&store, &user, app).await;
            let types: Vec<_> = events.iter().map(|e| e.event_type).collect();
            assert_eq!(types, SIX, "[{}] causal order", ts.name);
            assert_eq!(events[0].causation_id, None);
            for pair in events.windows(2) {
                assert_eq!(pair[1].causation_id, Some(pair[0].event_id), "causation chain");
                assert_eq!(pair[1].correlation_id, pair[0].correlation_id, "one correlation id");
            }
            for ev in &events {
                assert_valid(ev);
                assert_eq!(ev.subject().unwrap(), (app.job_id, app.id));
            }
            let sub = store.get_submission(user.id, app.id).await.unwrap().unwrap();
            assert_eq!(Some(sub.variant_id.clone()), app.variant_id);
            let resumes = store.list_resumes(user.id, app.id).await.unwrap();
            assert_eq!(resumes.len(), 3, "generate makes 3 versions");
            assert_eq!(resumes.iter().filter(|r| r.selected).count(), 1, "optimize selects one");
            let profile = sample_profile();
            for r in &resumes {
                tailor::verify_truth(r, &profile).unwrap();
            }
            // Another user sees none of it.
            assert!(store.get_application(other.id, app.id).await.unwrap().is_none());
            assert!(store.application_events(other.id, app.id, 0, 100).await.unwrap().is_empty());
        }
        let counts = store.event_counts(user.id).await.unwrap();
        for t in SIX {
            assert_eq!(counts.get(t.as_str()).copied(), Some(apps.len() as u64), "[{}] {t}", ts.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redelivery_and_replay_have_no_second_effect() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "again@example.com").await;
        let cell = cell_with(store.clone(), cell::agents::standard());
        let postings = matching_postings(4);
        run_to_idle(&cell, &user, &postings).await;
        let before = store.event_counts(user.id).await.unwrap();

        // Deliver every event to every consumer again.
        let rows = store.events_after(Some(user.id), 0, 10_000).await.unwrap();
        for row in &rows {
            let ev = row.event.as_ref().unwrap();
            for agent in cell.agents().iter().filter(|a| a.consumes().contains(&ev.event_type)) {
                assert_eq!(cell.process(agent.as_ref(), ev).await, ProcessResult::Duplicate);
            }
        }
        let report = cell.replay(Some(user.id)).await.unwrap();
        assert_eq!(report.applied, 0, "[{}] {report:?}", ts.name);
        assert!(report.duplicates > 0);
        // Discovery again: nothing new.
        let profile = sample_profile();
        let again = cell.discover(user.id, &profile, &postings, || {}).await.unwrap();
        assert_eq!(again.discovered, 0);
        assert_eq!(again.already_known, postings.len());
        assert_eq!(store.event_counts(user.id).await.unwrap(), before, "[{}]", ts.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_are_retried_then_succeed() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "retry@example.com").await;
    let agents = agents_with("analyzer", |a| Faulty::wrap(a, Fault::TransientFirst(2)));
    let cell = cell_with(store.clone(), agents);
    run_to_idle(&cell, &user, &matching_postings(3)).await;
    for app in all_apps(&store, &user).await {
        assert_eq!(app.state, ApplicationState::Completed);
    }
    assert!(cell.metrics().render().contains("result=\"retried\""));
    assert!(store.dead_letters(user.id).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyze_exhaustion_fails_the_workflow_with_a_dead_letter() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "dead@example.com").await;
    let cell = cell_with(store.clone(), agents_with("analyzer", |a| Faulty::wrap(a, Fault::Always)));
    let postings = matching_postings(2);
    run_to_idle(&cell, &user, &postings).await;
    let apps = all_apps(&store, &user).await;
    // The first job has nothing similar to borrow from; later ones may borrow each other's only
    // if one succeeded, which none did.
    for app in &apps {
        assert_eq!(app.state, ApplicationState::Failed, "{app:?}");
        let types: Vec<_> = app_events(&store, &user, app).await.iter().map(|e| e.event_type).collect();
        assert_eq!(types, [EventType::JobDiscovered, EventType::WorkflowFailed]);
    }
    let dead = store.dead_letters(user.id).await.unwrap();
    assert_eq!(dead.len(), apps.len());
    assert!(dead.iter().all(|d| d.step == "analyze" && d.attempts == 4), "{dead:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyze_exhaustion_uses_the_cached_similar_analysis() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "similar@example.com").await;
    let first = matching_postings(1);
    run_to_idle(&cell_with(store.clone(), cell::agents::standard()), &user, &first).await;
    // The same role reposted under a new id, while the analyzer is down.
    let mut repost = first[0].clone();
    repost.source_id = format!("{}-repost", repost.source_id);
    let cell = cell_with(store.clone(), agents_with("analyzer", |a| Faulty::wrap(a, Fault::Always)));
    run_to_idle(&cell, &user, &[repost]).await;
    let apps = all_apps(&store, &user).await;
    assert_eq!(apps.len(), 2);
    for app in &apps {
        assert_eq!(app.state, ApplicationState::Completed);
    }
    let analysis = store.get_analysis(user.id, apps[1].job_id).await.unwrap().unwrap();
    assert!(analysis.provider.starts_with("cached_similar:"), "{}", analysis.provider);
    let events = app_events(&store, &user, &apps[1]).await;
    assert_eq!(events[1].payload["strategy"], "use_cached_similar");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_exhaustion_falls_back_to_the_template() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "template@example.com").await;
    let cell = cell_with(store.clone(), agents_with("generator", |a| Faulty::wrap(a, Fault::Always)));
    run_to_idle(&cell, &user, &matching_postings(2)).await;
    for app in all_apps(&store, &user).await {
        assert_eq!(app.state, ApplicationState::Completed);
        assert_eq!(app.variant_id.as_deref(), Some("template"));
        let events = app_events(&store, &user, &app).await;
        assert_eq!(events[2].payload["strategy"], "fallback_to_template");
        assert_valid(&events[2]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_exhaustion_notifies_the_user_and_never_submits() {
    let ts = testkit::sqlite().await;
    let store = ts.store.clone();
    let user = new_user(&store, "notify@example.com").await;
    let cell = cell_with(store.clone(), agents_with("submitter", |a| Faulty::wrap(a, Fault::Always)));
    run_to_idle(&cell, &user, &matching_postings(2)).await;
    for app in all_apps(&store, &user).await {
        assert_eq!(app.state, ApplicationState::NeedsUser);
        assert!(store.get_submission(user.id, app.id).await.unwrap().is_none());
        let events = app_events(&store, &user, &app).await;
        let last = events.last().unwrap();
        assert_eq!(last.event_type, EventType::WorkflowFailed);
        assert_eq!(last.payload["strategy"], "notify_user");
        assert_valid(last);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_event_in_the_log_is_reported_and_changes_nothing() {
    for ts in testkit::all_stores().await {
        let store = ts.store.clone();
        let user = new_user(&store, "malformed@example.com").await;
        let cell = cell_with(store.clone(), cell::agents::standard());
        run_to_idle(&cell, &user, &matching_postings(2)).await;
        let counts = |m: BTreeMap<String, u64>| m.into_iter().filter(|(k, _)| k != "job.analyzed").collect::<Vec<_>>();
        let before = counts(store.event_counts(user.id).await.unwrap());
        store
            .append_raw_event_for_test(
                user.id,
                "job.analyzed",
                r#"{"event_type":"job.analyzed","payload":{"oops":true}}"#,
            )
            .await
            .unwrap();
        let report = cell.replay(Some(user.id)).await.unwrap();
        assert_eq!(report.malformed.len(), 1, "[{}] {report:?}", ts.name);
        assert_eq!(report.applied, 0);
        assert_eq!(counts(store.event_counts(user.id).await.unwrap()), before);
        // The engine also skips it on start.
        let engine = cell.start().await.unwrap();
        engine.shutdown().await;
        assert!(store.dead_letters(user.id).await.unwrap().is_empty());
    }
}
