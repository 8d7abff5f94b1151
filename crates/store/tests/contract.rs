//! The storage contract: one set of tests every `Store` adapter must pass, run against SQLite
//! (always) and PostgreSQL (when `TEST_DATABASE_URL` names a server; skipped with a note
//! otherwise). `cargo test -p store --test contract`.
// Test fixtures stamp wall-clock times and fresh ids; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Duration, Utc};
use domain::{ApplicationId, ApplicationState, EventType, Outcome, Profile, UserId};
use std::collections::BTreeMap;
use store::{
    Committed, DeadLetter, Document, DynStore, Notification, Page, StoreError, Submission, Timer, UnitOfWork, Write,
};
use support::*;

contract_tests!(
    migrating_twice_is_fine,
    users_are_found_by_email_and_api_key,
    profiles_round_trip,
    commit_is_atomic_and_an_inbox_marker_deduplicates,
    a_transition_from_the_wrong_state_rolls_back_the_whole_unit,
    a_second_submission_fails_and_rolls_back,
    reads_are_scoped_by_user,
    jobs_and_applications_paginate_by_id,
    the_outbox_is_relayed_once,
    pending_for_excludes_what_the_consumer_processed,
    timers_come_due_in_order,
    a_malformed_row_is_reported_not_fatal,
    counts_by_event_type_and_state,
    resumes_documents_analyses_and_dead_letters,
    concurrent_commits_serialize,
    sources_poll_state_and_seen_postings,
    ai_spend_sums_per_day_exactly,
);

async fn migrating_twice_is_fine(store: DynStore) {
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert!(["sqlite", "postgres"].contains(&store.backend()));
}

async fn users_are_found_by_email_and_api_key(store: DynStore) {
    let ada = new_user("ada");
    store.create_user(&ada, "hash-ada-1").await.unwrap();
    store.add_api_key(ada.id, "hash-ada-2").await.unwrap();

    assert_eq!(store.user_by_email(&ada.email).await.unwrap(), Some(ada.clone()));
    assert_eq!(store.user_by_api_key_hash("hash-ada-1").await.unwrap(), Some(ada.clone()));
    assert_eq!(store.user_by_api_key_hash("hash-ada-2").await.unwrap(), Some(ada.clone()));
    assert_eq!(store.user_by_api_key_hash("hash-nobody").await.unwrap(), None);
    assert_eq!(store.user_by_email("nobody@example.com").await.unwrap(), None);

    let mut twin = new_user("twin");
    twin.email = ada.email.clone();
    let err = store.create_user(&twin, "hash-twin").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(store.user_by_api_key_hash("hash-twin").await.unwrap(), None, "the key was rolled back too");
    let err = store.add_api_key(UserId(id()), "hash-orphan").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");

    let bob = new_user("bob");
    store.create_user(&bob, "hash-bob").await.unwrap();
    assert_eq!(store.list_users().await.unwrap(), vec![ada, bob]);
}

async fn profiles_round_trip(store: DynStore) {
    let user = new_user("p");
    store.create_user(&user, "hash-p").await.unwrap();
    assert_eq!(store.get_profile(user.id).await.unwrap(), None);
    let json = serde_json::json!({
        "resume": {"basics": {"name": "Ada Lovelace", "email": "ada@example.com"}, "x-custom": {"kept": true},
                   "work": [{"name": "Engines", "startDate": "1842-01", "highlights": ["first program"]}]},
        "preferences": {"target_titles": ["engineer"], "salary_floor": 90000.0, "automation_mode": "review"}
    });
    let profile = Profile::import(&json.to_string()).unwrap();
    store.put_profile(user.id, &profile).await.unwrap();
    assert_eq!(store.get_profile(user.id).await.unwrap(), Some(profile.clone()));

    let mut changed = profile.clone();
    changed.preferences.keywords = vec!["rust".into()];
    store.put_profile(user.id, &changed).await.unwrap();
    assert_eq!(store.get_profile(user.id).await.unwrap(), Some(changed));
    assert_eq!(store.get_profile(new_user("other").id).await.unwrap(), None);
}

async fn commit_is_atomic_and_an_inbox_marker_deduplicates(store: DynStore) {
    let user = UserId(id());
    assert!(!store.is_processed("discovery", "greenhouse:1").await.unwrap());
    let (job, app, event) = discover(store.as_ref(), user, "1").await;
    assert!(store.is_processed("discovery", "greenhouse:1").await.unwrap());
    assert_eq!(store.get_job(user, job.id).await.unwrap(), Some(job.clone()));
    assert_eq!(store.get_application(user, app.id).await.unwrap(), Some(app.clone()));
    let logged = store.events_after(Some(user), 0, 10).await.unwrap();
    assert_eq!(envelopes(&logged), vec![event.clone()]);
    let by_app = store.application_events(user, app.id, 0, 10).await.unwrap();
    assert_eq!(envelopes(&by_app), vec![event]);

    // The same marker again: nothing of the unit is written.
    let other = support::job(user, "2");
    let again = unit(user, Some(("discovery", "greenhouse:1")), vec![Write::InsertJob(other.clone())], vec![]);
    assert_eq!(store.commit(&again).await.unwrap(), Committed::Duplicate);
    assert_eq!(store.get_job(user, other.id).await.unwrap(), None);
    assert_eq!(store.events_after(None, 0, 10).await.unwrap().len(), 1);

    // A job this user already has from the same source is not inserted twice.
    let mut same = support::job(user, "1");
    same.title = "renamed".into();
    store.commit(&unit(user, None, vec![Write::InsertJob(same.clone())], vec![])).await.unwrap();
    assert_eq!(store.get_job(user, same.id).await.unwrap(), None);
    assert_eq!(store.list_jobs(user, &Page { after: None, limit: 10 }).await.unwrap(), vec![job]);

    // An event id is logged once: a second unit carrying it fails as a whole.
    let logged_again = logged[0].event.clone().unwrap();
    let err = store.commit(&unit(user, Some(("x", "y")), vec![], vec![logged_again])).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!store.is_processed("x", "y").await.unwrap());
}

async fn a_transition_from_the_wrong_state_rolls_back_the_whole_unit(store: DynStore) {
    let user = UserId(id());
    let (job, app, cause) = discover(store.as_ref(), user, "1").await;
    let key = cause.event_id.to_string();
    let step = |from| {
        let writes = vec![
            Write::PutAnalysis(analysis(&job)),
            Write::Transition {
                application_id: app.id,
                from,
                to: ApplicationState::Analyzed,
                outcome: None,
                variant_id: Some("v1".into()),
                reason: None,
                at: Utc::now(),
            },
        ];
        unit(user, Some(("analyzer", &key)), writes, vec![analyzed(&cause, &app)])
    };

    let err = store.commit(&step(ApplicationState::Generated)).await.unwrap_err();
    match err {
        StoreError::StateConflict { application_id, expected, found } => {
            assert_eq!(application_id, app.id.to_string());
            assert_eq!(expected, ApplicationState::Generated);
            assert_eq!(found, "discovered");
        }
        other => panic!("expected a state conflict, got {other}"),
    }
    assert_eq!(store.get_analysis(user, job.id).await.unwrap(), None);
    assert_eq!(store.events_after(None, 0, 10).await.unwrap().len(), 1);
    assert!(!store.is_processed("analyzer", &key).await.unwrap(), "the marker must not be kept");

    // The retry, from the right state, applies.
    assert_eq!(store.commit(&step(ApplicationState::Discovered)).await.unwrap(), Committed::Applied);
    let now = store.get_application(user, app.id).await.unwrap().unwrap();
    assert_eq!((now.state, now.variant_id.as_deref()), (ApplicationState::Analyzed, Some("v1")));
    assert_eq!(store.get_analysis(user, job.id).await.unwrap(), Some(analysis(&job)));
    assert_eq!(store.commit(&step(ApplicationState::Discovered)).await.unwrap(), Committed::Duplicate);

    // Outcome and variant are kept unless given; the reason is the transition's own.
    let fail = Write::Transition {
        application_id: app.id,
        from: ApplicationState::Analyzed,
        to: ApplicationState::Failed,
        outcome: Some(Outcome::NoResponse),
        variant_id: None,
        reason: Some("gave up".into()),
        at: Utc::now(),
    };
    store.commit(&unit(user, None, vec![fail], vec![])).await.unwrap();
    let done = store.get_application(user, app.id).await.unwrap().unwrap();
    assert_eq!(done.state, ApplicationState::Failed);
    assert_eq!(done.outcome, Some(Outcome::NoResponse));
    assert_eq!(done.variant_id.as_deref(), Some("v1"));
    assert_eq!(done.reason.as_deref(), Some("gave up"));
    assert!(done.updated_at > app.updated_at);
}

async fn a_second_submission_fails_and_rolls_back(store: DynStore) {
    let user = UserId(id());
    let (_, app, _) = discover(store.as_ref(), user, "1").await;
    let submission = |confirmation: &str| Submission {
        application_id: app.id,
        user_id: user,
        method: "sandbox".into(),
        variant_id: "v1".into(),
        confirmation: confirmation.into(),
        submitted_at: Utc::now(),
    };
    let first = submission("SBX-1");
    store
        .commit(&unit(user, Some(("submitter", "a")), vec![Write::RecordSubmission(first.clone())], vec![]))
        .await
        .unwrap();

    let notify = Write::Notify(Notification {
        id: id(),
        user_id: user,
        application_id: Some(app.id),
        message: "sent twice?".into(),
        created_at: Utc::now(),
    });
    let second =
        unit(user, Some(("submitter", "b")), vec![notify, Write::RecordSubmission(submission("SBX-2"))], vec![]);
    let err = store.commit(&second).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!store.is_processed("submitter", "b").await.unwrap());
    assert_eq!(store.get_submission(user, app.id).await.unwrap(), Some(first));
    assert_eq!(store.events_after(None, 0, 10).await.unwrap().len(), 1);
}

async fn reads_are_scoped_by_user(store: DynStore) {
    let (a, b) = (UserId(id()), UserId(id()));
    let (job, app, _) = discover(store.as_ref(), a, "1").await;
    let letter = dead_letter(a);
    let writes = vec![
        Write::PutAnalysis(analysis(&job)),
        Write::PutResume { resume: resume(&app, "v1", true), documents: vec![doc("markdown", "# Ada")] },
        Write::RecordSubmission(Submission {
            application_id: app.id,
            user_id: a,
            method: "sandbox".into(),
            variant_id: "v1".into(),
            confirmation: "SBX".into(),
            submitted_at: Utc::now(),
        }),
        Write::DeadLetter(letter.clone()),
    ];
    store.commit(&unit(a, None, writes, vec![])).await.unwrap();
    let page = Page { after: None, limit: 10 };

    assert!(store.get_job(b, job.id).await.unwrap().is_none());
    assert!(store.list_jobs(b, &page).await.unwrap().is_empty());
    assert!(store.get_application(b, app.id).await.unwrap().is_none());
    assert!(store.list_applications(b, &page).await.unwrap().is_empty());
    assert!(store.get_analysis(b, job.id).await.unwrap().is_none());
    assert!(store.recent_analyses(b, 10).await.unwrap().is_empty());
    assert!(store.list_resumes(b, app.id).await.unwrap().is_empty());
    assert!(store.get_document(b, app.id, "v1", "markdown").await.unwrap().is_none());
    assert!(store.get_submission(b, app.id).await.unwrap().is_none());
    assert!(store.application_events(b, app.id, 0, 10).await.unwrap().is_empty());
    assert!(store.events_after(Some(b), 0, 10).await.unwrap().is_empty());
    assert!(store.dead_letters(b).await.unwrap().is_empty());
    assert!(store.event_counts(b).await.unwrap().is_empty());
    assert!(store.application_state_counts(b).await.unwrap().is_empty());
    // ...while A sees all of it.
    assert_eq!(store.get_document(a, app.id, "v1", "markdown").await.unwrap().as_deref(), Some("# Ada"));
    assert_eq!(store.dead_letters(a).await.unwrap(), vec![letter]);

    // B's units cannot write A's records or move A's application.
    let err = store.commit(&unit(b, None, vec![Write::InsertJob(support::job(a, "9"))], vec![])).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    let mut stolen = resume(&app, "v1", false);
    stolen.user_id = b;
    let put = Write::PutResume { resume: stolen, documents: vec![] };
    assert!(store.commit(&unit(b, None, vec![put], vec![])).await.is_err());
    let hijack = Write::Transition {
        application_id: app.id,
        from: ApplicationState::Discovered,
        to: ApplicationState::Withdrawn,
        outcome: None,
        variant_id: None,
        reason: None,
        at: Utc::now(),
    };
    let err = store.commit(&unit(b, None, vec![hijack], vec![])).await.unwrap_err();
    assert!(matches!(&err, StoreError::StateConflict { found, .. } if found == "missing"), "{err}");
    assert_eq!(store.get_application(a, app.id).await.unwrap().unwrap().state, ApplicationState::Discovered);
    assert!(store.list_resumes(a, app.id).await.unwrap()[0].selected);
}

async fn jobs_and_applications_paginate_by_id(store: DynStore) {
    let user = UserId(id());
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(discover(store.as_ref(), user, &n.to_string()).await);
    }
    discover(store.as_ref(), UserId(id()), "other-user").await;
    let (mut jobs, mut apps) = (Vec::new(), Vec::new());
    let mut after = None;
    loop {
        let page = store.list_jobs(user, &Page { after, limit: 2 }).await.unwrap();
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.id.0);
        jobs.extend(page);
    }
    after = None;
    loop {
        let page = store.list_applications(user, &Page { after, limit: 2 }).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id.0);
        apps.extend(page);
    }
    assert_eq!(jobs, made.iter().map(|m| m.0.clone()).collect::<Vec<_>>(), "ids are v7: creation order");
    assert_eq!(apps, made.iter().map(|m| m.1.clone()).collect::<Vec<_>>());
    assert!(store.list_jobs(user, &Page { after: None, limit: 0 }).await.unwrap().is_empty());
}

async fn the_outbox_is_relayed_once(store: DynStore) {
    let user = UserId(id());
    for n in 0..3 {
        discover(store.as_ref(), user, &n.to_string()).await;
    }
    let pending = store.unpublished_events(10).await.unwrap();
    assert_eq!(pending.len(), 3);
    let seqs: Vec<i64> = pending.iter().map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in log order: {seqs:?}");
    assert_eq!(store.unpublished_events(2).await.unwrap().len(), 2);

    store.mark_published(&seqs[..2]).await.unwrap();
    store.mark_published(&[]).await.unwrap();
    let left = store.unpublished_events(10).await.unwrap();
    assert_eq!(left.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![seqs[2]]);
    store.mark_published(&seqs).await.unwrap();
    assert!(store.unpublished_events(10).await.unwrap().is_empty());
    assert_eq!(store.events_after(None, 0, 10).await.unwrap().len(), 3, "published rows stay in the log");
    assert_eq!(store.events_after(None, seqs[0], 10).await.unwrap().len(), 2);
}

async fn pending_for_excludes_what_the_consumer_processed(store: DynStore) {
    let user = UserId(id());
    let (_, app, cause) = discover(store.as_ref(), user, "1").await;
    let (_, _, second) = discover(store.as_ref(), user, "2").await;
    store.commit(&unit(user, None, vec![], vec![analyzed(&cause, &app)])).await.unwrap();

    let wanted = [EventType::JobDiscovered];
    let pending = store.pending_for("analyzer", &wanted, 10).await.unwrap();
    assert_eq!(envelopes(&pending), vec![cause.clone(), second.clone()]);
    assert_eq!(store.pending_for("analyzer", &wanted, 1).await.unwrap().len(), 1);
    assert!(store.pending_for("analyzer", &[], 10).await.unwrap().is_empty());

    let key = cause.event_id.to_string();
    store.commit(&unit(user, Some(("analyzer", &key)), vec![], vec![])).await.unwrap();
    assert_eq!(envelopes(&store.pending_for("analyzer", &wanted, 10).await.unwrap()), vec![second]);
    assert_eq!(store.pending_for("tailor", &wanted, 10).await.unwrap().len(), 2, "markers are per consumer");
    let both = [EventType::JobAnalyzed, EventType::JobDiscovered];
    assert_eq!(store.pending_for("analyzer", &both, 10).await.unwrap().len(), 2);
}

async fn timers_come_due_in_order(store: DynStore) {
    let user = UserId(id());
    let (_, app, cause) = discover(store.as_ref(), user, "1").await;
    let now = Utc::now();
    let timer = |minutes| Timer {
        id: id(),
        user_id: user,
        application_id: app.id,
        due_at: now + Duration::minutes(minutes),
        event: analyzed(&cause, &app),
    };
    let (late, early, future) = (timer(-1), timer(-30), timer(60));
    let writes = [&late, &early, &future].map(|t| Write::ScheduleTimer(t.clone())).to_vec();
    store.commit(&unit(user, None, writes, vec![])).await.unwrap();

    assert_eq!(store.due_timers(now, 10).await.unwrap(), vec![early.clone(), late.clone()]);
    assert_eq!(store.due_timers(now, 1).await.unwrap(), vec![early.clone()]);
    assert_eq!(store.due_timers(now + Duration::hours(2), 10).await.unwrap().len(), 3);

    // Firing: delete the timer and log its pre-minted event in one unit.
    let fire = unit(user, None, vec![Write::DeleteTimer(early.id)], vec![early.event.clone()]);
    store.commit(&fire).await.unwrap();
    assert_eq!(store.due_timers(now, 10).await.unwrap(), vec![late.clone()]);
    // Another user cannot delete it.
    store.commit(&unit(UserId(id()), None, vec![Write::DeleteTimer(late.id)], vec![])).await.unwrap();
    assert_eq!(store.due_timers(now, 10).await.unwrap(), vec![late]);
}

async fn a_malformed_row_is_reported_not_fatal(store: DynStore) {
    let user = UserId(id());
    let (_, _, first) = discover(store.as_ref(), user, "1").await;
    store.append_raw_event_for_test(user, "job.discovered", "{not json").await.unwrap();
    store.append_raw_event_for_test(user, "job.exploded", r#"{"event_type":"job.exploded"}"#).await.unwrap();
    let (_, _, last) = discover(store.as_ref(), user, "2").await;

    for rows in [store.events_after(None, 0, 10).await.unwrap(), store.events_after(Some(user), 0, 10).await.unwrap()] {
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].event.as_ref().unwrap(), &first);
        assert!(rows[1].event.is_err());
        assert_eq!(rows[1].raw, "{not json");
        assert!(rows[2].event.is_err());
        assert_eq!(rows[3].event.as_ref().unwrap(), &last);
        assert!(rows.windows(2).all(|w| w[0].seq < w[1].seq));
    }
    assert_eq!(store.unpublished_events(10).await.unwrap().len(), 4);
    let pending = store.pending_for("analyzer", &[EventType::JobDiscovered], 10).await.unwrap();
    assert_eq!(pending.iter().filter(|r| r.event.is_err()).count(), 1);
}

async fn counts_by_event_type_and_state(store: DynStore) {
    let user = UserId(id());
    let (_, app, cause) = discover(store.as_ref(), user, "1").await;
    discover(store.as_ref(), user, "2").await;
    let step = Write::Transition {
        application_id: app.id,
        from: ApplicationState::Discovered,
        to: ApplicationState::Analyzed,
        outcome: None,
        variant_id: None,
        reason: None,
        at: Utc::now(),
    };
    store.commit(&unit(user, None, vec![step], vec![analyzed(&cause, &app)])).await.unwrap();
    discover(store.as_ref(), UserId(id()), "someone-else").await;

    let events: BTreeMap<String, u64> = [("job.analyzed".into(), 1), ("job.discovered".into(), 2)].into();
    assert_eq!(store.event_counts(user).await.unwrap(), events);
    let states: BTreeMap<String, u64> = [("analyzed".into(), 1), ("discovered".into(), 1)].into();
    assert_eq!(store.application_state_counts(user).await.unwrap(), states);
}

async fn resumes_documents_analyses_and_dead_letters(store: DynStore) {
    let user = UserId(id());
    let (job1, app, _) = discover(store.as_ref(), user, "1").await;
    let (job2, _, _) = discover(store.as_ref(), user, "2").await;
    let put = |variant, selected, html: &str| Write::PutResume {
        resume: resume(&app, variant, selected),
        documents: vec![doc("markdown", "# Ada"), doc("html", html)],
    };
    let writes = vec![put("v2", false, "<p>2</p>"), put("v1", true, "<p>1</p>"), Write::PutAnalysis(analysis(&job1))];
    store.commit(&unit(user, None, writes, vec![])).await.unwrap();
    let later = UnitOfWork { at: Utc::now() + Duration::seconds(1), ..unit(user, None, vec![], vec![]) };
    store.commit(&UnitOfWork { writes: vec![Write::PutAnalysis(analysis(&job2))], ..later }).await.unwrap();

    let listed = store.list_resumes(user, app.id).await.unwrap();
    assert_eq!(listed, vec![resume(&app, "v1", true), resume(&app, "v2", false)]);
    assert_eq!(store.get_document(user, app.id, "v2", "html").await.unwrap().as_deref(), Some("<p>2</p>"));
    assert_eq!(store.get_document(user, app.id, "v2", "pdf").await.unwrap(), None);
    assert_eq!(store.get_document(user, ApplicationId(id()), "v2", "html").await.unwrap(), None);

    // Re-selecting upserts both the resume and its documents.
    store.commit(&unit(user, None, vec![put("v2", true, "<p>2b</p>")], vec![])).await.unwrap();
    assert!(store.list_resumes(user, app.id).await.unwrap()[1].selected);
    assert_eq!(store.get_document(user, app.id, "v2", "html").await.unwrap().as_deref(), Some("<p>2b</p>"));

    let recent = store.recent_analyses(user, 10).await.unwrap();
    assert_eq!(recent, vec![(job2.title.clone(), analysis(&job2)), (job1.title.clone(), analysis(&job1))]);
    assert_eq!(store.recent_analyses(user, 1).await.unwrap().len(), 1);

    let (first, second) = (dead_letter(user), dead_letter(user));
    let writes = vec![Write::DeadLetter(first.clone()), Write::DeadLetter(second.clone())];
    store.commit(&unit(user, None, writes, vec![])).await.unwrap();
    assert_eq!(store.dead_letters(user).await.unwrap(), vec![first, second]);
}

async fn concurrent_commits_serialize(store: DynStore) {
    let user = UserId(id());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            let job = support::job(user, &format!("c{n}"));
            let app = application(&job);
            let event = discovered(&job, &app);
            let key = format!("greenhouse:c{n}");
            let writes = vec![Write::InsertJob(job), Write::InsertApplication(app)];
            store.commit(&unit(user, Some(("discovery", &key)), writes, vec![event])).await
        });
    }
    // Six deliveries of one message: one effect.
    for n in 0..6 {
        let store = store.clone();
        tasks.spawn(async move {
            let writes = vec![Write::InsertJob(support::job(user, &format!("same-{n}")))];
            store.commit(&unit(user, Some(("discovery", "same-key")), writes, vec![])).await
        });
    }
    let mut results = Vec::new();
    while let Some(done) = tasks.join_next().await {
        results.push(done.unwrap().unwrap());
    }
    let applied = results.iter().filter(|c| **c == Committed::Applied).count();
    assert_eq!((applied, results.len() - applied), (9, 5));
    assert_eq!(store.events_after(Some(user), 0, 100).await.unwrap().len(), 8);
    assert_eq!(store.list_jobs(user, &Page { after: None, limit: 100 }).await.unwrap().len(), 9);
}

fn doc(format: &str, content: &str) -> Document {
    Document { format: format.into(), content: content.into() }
}

fn dead_letter(user: UserId) -> DeadLetter {
    DeadLetter {
        id: id(),
        user_id: user,
        consumer: "submitter".into(),
        event_id: Some(id()),
        step: "submit".into(),
        attempts: 3,
        error: "timeout".into(),
        payload: serde_json::json!({"attempt": 3}),
        created_at: Utc::now(),
    }
}

async fn sources_poll_state_and_seen_postings(store: DynStore) {
    let ada = new_user("src-ada");
    let bob = new_user("src-bob");
    store.create_user(&ada, "hash-src-ada").await.unwrap();
    store.create_user(&bob, "hash-src-bob").await.unwrap();
    let now = Utc::now();
    assert!(store.add_source(ada.id, "greenhouse:acme", now).await.unwrap());
    assert!(!store.add_source(ada.id, "greenhouse:acme", now).await.unwrap(), "adding twice is a no-op");
    assert!(store.add_source(ada.id, "lever:acme", now).await.unwrap());
    let specs: Vec<_> = store.list_sources(ada.id).await.unwrap().into_iter().map(|s| s.spec).collect();
    assert_eq!(specs, ["greenhouse:acme", "lever:acme"]);
    assert!(store.list_sources(bob.id).await.unwrap().is_empty(), "scoped by user");

    store
        .save_poll(ada.id, "greenhouse:acme", Some("\"v1\""), Some("Mon, 01 Jan 2024 00:00:00 GMT"), now)
        .await
        .unwrap();
    let gh = store.list_sources(ada.id).await.unwrap()[0].clone();
    assert_eq!(gh.etag.as_deref(), Some("\"v1\""));
    assert!(gh.last_polled_at.is_some());

    let job = domain::JobId(id());
    let see = |source_id: &str, hash: &str, job_id| Write::SeePosting {
        spec: "greenhouse:acme".into(),
        source_id: source_id.into(),
        content_hash: hash.into(),
        job_id,
        at: now,
    };
    let unit = UnitOfWork {
        user_id: ada.id,
        inbox: None,
        writes: vec![
            see("1", "h1", Some(job)),
            see("2", "h2", None),
            Write::AddJobSource { job_id: job, source: "greenhouse".into(), source_id: "1".into(), url: None },
            Write::AddJobSource { job_id: job, source: "lever".into(), source_id: "x".into(), url: None },
        ],
        events: vec![],
        at: now,
    };
    assert_eq!(store.commit(&unit).await.unwrap(), Committed::Applied);
    let close = UnitOfWork {
        user_id: ada.id,
        inbox: None,
        writes: vec![
            see("1", "h1b", None),
            Write::ClosePosting { spec: "greenhouse:acme".into(), source_id: "2".into(), at: now },
        ],
        events: vec![],
        at: now,
    };
    store.commit(&close).await.unwrap();
    let seen = store.seen_postings(ada.id, "greenhouse:acme").await.unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].content_hash.as_str(), seen[0].job_id, seen[0].closed), ("h1b", Some(job), false));
    assert!(seen[1].closed);
    assert!(store.seen_postings(bob.id, "greenhouse:acme").await.unwrap().is_empty());
    assert_eq!(store.job_by_source(ada.id, "lever", "x").await.unwrap(), Some(job));
    assert_eq!(store.job_by_source(bob.id, "lever", "x").await.unwrap(), None);
    assert!(store.set_source_interval(ada.id, "lever:acme", Some(900)).await.unwrap());
    assert!(!store.set_source_interval(bob.id, "lever:acme", Some(900)).await.unwrap(), "scoped by user");
    let lever = store.list_sources(ada.id).await.unwrap().into_iter().find(|s| s.spec == "lever:acme").unwrap();
    assert_eq!(lever.interval_secs, Some(900));
    assert!(lever.is_due(now, 3600), "never polled: due");
    assert!(!gh.is_due(now, 3600) && gh.is_due(now + Duration::seconds(3601), 3600));
    assert!(store.remove_source(ada.id, "lever:acme").await.unwrap());
    assert!(!store.remove_source(ada.id, "lever:acme").await.unwrap());
}

async fn ai_spend_sums_per_day_exactly(store: DynStore) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    let at = day.and_hms_opt(12, 0, 0).unwrap().and_utc();
    let row = |user: &str, model: &str, nanos: u64, at| store::SpendRow {
        at,
        user: user.into(),
        cell: "cell-1".into(),
        task: "analyze_job".into(),
        provider: "openai".into(),
        model: model.into(),
        input_tokens: 1000,
        output_tokens: 200,
        cost_nanos: nanos,
    };
    let rows = vec![
        row("ada", "gpt-4o-mini", 150_000, at),
        row("ada", "gpt-4o-mini", 150_001, at),
        row("ada", "gpt-4o", 2_500_000, at),
        row("bob", "gpt-4o-mini", 7, at),
        row("ada", "gpt-4o-mini", 999, at + Duration::days(1)),
    ];
    store.record_spend(&rows).await.unwrap();
    let totals = store.spend_on(day).await.unwrap();
    let got: Vec<(&str, &str, u64, u64, u64)> =
        totals.iter().map(|t| (t.user.as_str(), t.model.as_str(), t.calls, t.input_tokens, t.cost_nanos)).collect();
    assert_eq!(
        got,
        vec![
            ("ada", "gpt-4o", 1, 1000, 2_500_000),
            ("ada", "gpt-4o-mini", 2, 2000, 300_001),
            ("bob", "gpt-4o-mini", 1, 1000, 7),
        ]
    );
    assert_eq!(store.spend_on(day.succ_opt().unwrap()).await.unwrap().len(), 1);
    assert!(store.spend_on(day.pred_opt().unwrap()).await.unwrap().is_empty());
}
