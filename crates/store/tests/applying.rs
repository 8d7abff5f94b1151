//! The submission and tracking contract: the idempotency ledger, the caps (exact under
//! concurrency), the audit copy, stages and timeline (a user's stage wins), notifications and
//! the mailbox cursor; on SQLite always and on PostgreSQL when `TEST_DATABASE_URL` is set.
// Test fixtures stamp wall-clock times and fresh ids; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Duration, Utc};
use domain::{Stage, UserId};
use store::{
    AttemptStart, AttemptStatus, Caps, DynStore, MailboxCursor, Notification, SubmitAttempt, TimelineEntry, Write,
};
use support::*;

contract_tests!(
    the_ledger_records_before_and_decides_after,
    caps_hold_under_concurrent_approvals,
    audit_stage_and_timeline,
    notifications_list_and_dismiss,
    mailbox_cursor_and_inbound_once,
);

fn attempt(user: UserId, app: domain::ApplicationId, key: &str, company: &str, channel: &str) -> SubmitAttempt {
    let now = Utc::now();
    SubmitAttempt {
        idempotency_key: key.into(),
        user_id: user,
        application_id: app,
        channel: channel.into(),
        recipient: "jobs@acme.example".into(),
        company: company.into(),
        status: AttemptStatus::Sending,
        attempts: 0,
        last_error: None,
        started_at: now,
        updated_at: now,
    }
}

async fn the_ledger_records_before_and_decides_after(store: DynStore) {
    let user = new_user("ledger");
    store.create_user(&user, "h-ledger").await.unwrap();
    let (_, app, _) = discover(store.as_ref(), user.id, "L1").await;
    let a = attempt(user.id, app.id, "key-1", "Acme", "email");
    assert!(matches!(store.begin_attempt(&a, None).await.unwrap(), AttemptStart::Proceed(_)));
    // A second start of the same key (a crash left it `sending`) must not send again.
    match store.begin_attempt(&a, None).await.unwrap() {
        AttemptStart::InFlight(row) => assert_eq!((row.status, row.attempts), (AttemptStatus::Sending, 1)),
        other => panic!("{other:?}"),
    }
    // Known not delivered: a restart proceeds and counts the attempt.
    store.set_attempt_status(user.id, "key-1", AttemptStatus::Retry, Some("503"), Utc::now()).await.unwrap();
    match store.begin_attempt(&a, None).await.unwrap() {
        AttemptStart::Proceed(row) => assert_eq!(row.attempts, 2),
        other => panic!("{other:?}"),
    }
    // Maybe delivered: reconcile, never resend.
    store.set_attempt_status(user.id, "key-1", AttemptStatus::Unknown, Some("timeout"), Utc::now()).await.unwrap();
    assert!(matches!(store.begin_attempt(&a, None).await.unwrap(), AttemptStart::InFlight(_)));
    let stuck = store.stuck_attempts(Utc::now() + Duration::seconds(1), 10).await.unwrap();
    assert!(stuck.iter().any(|s| s.idempotency_key == "key-1"));
    let finish = Write::FinishAttempt {
        idempotency_key: "key-1".into(),
        status: AttemptStatus::Sent,
        error: None,
        at: Utc::now(),
    };
    store.commit(&unit(user.id, None, vec![finish], vec![])).await.unwrap();
    assert!(matches!(store.begin_attempt(&a, None).await.unwrap(), AttemptStart::Done(_)));
    let rows = store.attempts_for(user.id, app.id).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, AttemptStatus::Sent);
    // Another user sees nothing of it, and cannot take the key over.
    let eve = new_user("eve");
    store.create_user(&eve, "h-eve").await.unwrap();
    assert!(store.attempts_for(eve.id, app.id).await.unwrap().is_empty());
    assert!(store.begin_attempt(&attempt(eve.id, app.id, "key-1", "Acme", "email"), None).await.is_err());
}

async fn caps_hold_under_concurrent_approvals(store: DynStore) {
    let user = new_user("caps");
    store.create_user(&user, "h-caps").await.unwrap();
    let caps = Caps { per_day: 5, per_company: 3, per_channel: 4 };
    let mut apps = Vec::new();
    for i in 0..12 {
        let (_, app, _) = discover(store.as_ref(), user.id, &format!("C{i}")).await;
        apps.push(app);
    }
    // Twelve approvals at once, all for one company: the company cap (3) must hold exactly.
    let tasks: Vec<_> = apps
        .iter()
        .enumerate()
        .map(|(i, app)| {
            let store = store.clone();
            let a = attempt(user.id, app.id, &format!("cap-{i}"), "Acme", "email");
            tokio::spawn(async move {
                for _ in 0..50 {
                    match store.begin_attempt(&a, Some(&caps)).await {
                        Ok(r) => return r,
                        // SQLite may report a busy database under contention: try again.
                        Err(e) if e.to_string().contains("locked") || e.to_string().contains("busy") => {
                            tokio::time::sleep(std::time::Duration::from_millis(5)).await
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
                panic!("never got through")
            })
        })
        .collect();
    let mut proceeded = 0;
    let mut over = 0;
    for t in tasks {
        match t.await.unwrap() {
            AttemptStart::Proceed(_) => proceeded += 1,
            AttemptStart::OverCap { scope, limit } => {
                assert_eq!((scope.as_str(), limit), ("company:acme", 3));
                over += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((proceeded, over), (3, 9));
    // Other companies still fit under the day cap (5) and channel cap (4): two more by email.
    let mut results = Vec::new();
    for (i, company) in ["Globex", "Initech", "Umbrella"].iter().enumerate() {
        let (_, app, _) = discover(store.as_ref(), user.id, &format!("D{i}")).await;
        results.push(
            store
                .begin_attempt(&attempt(user.id, app.id, &format!("d-{i}"), company, "email"), Some(&caps))
                .await
                .unwrap(),
        );
    }
    assert!(matches!(results[0], AttemptStart::Proceed(_)));
    assert!(matches!(&results[1], AttemptStart::OverCap { scope, .. } if scope == "channel:email"), "{results:?}");
    let (_, app, _) = discover(store.as_ref(), user.id, "E").await;
    let hook = store.begin_attempt(&attempt(user.id, app.id, "e", "Hooli", "webhook"), Some(&caps)).await.unwrap();
    assert!(matches!(hook, AttemptStart::Proceed(_)));
    let (_, app, _) = discover(store.as_ref(), user.id, "F").await;
    let sixth =
        store.begin_attempt(&attempt(user.id, app.id, "f", "Pied Piper", "webhook"), Some(&caps)).await.unwrap();
    assert!(matches!(&sixth, AttemptStart::OverCap { scope, .. } if scope == "all"), "{sixth:?}");
}

async fn audit_stage_and_timeline(store: DynStore) {
    let user = new_user("stage");
    store.create_user(&user, "h-stage").await.unwrap();
    let (_, app, _) = discover(store.as_ref(), user.id, "S1").await;
    let at = Utc::now();
    let entry = |stage: Option<Stage>, note: Option<&str>, source: &str, secs: i64| {
        Write::Track(TimelineEntry {
            id: id(),
            application_id: app.id,
            stage,
            note: note.map(str::to_owned),
            source: source.into(),
            at: at + Duration::seconds(secs),
        })
    };
    let audit = serde_json::json!({"target": "POST http://127.0.0.1/x", "headers": [["authorization", "[redacted]"]]});
    let writes = vec![
        Write::RecordAudit { application_id: app.id, channel: "greenhouse".into(), audit: audit.clone(), at },
        entry(Some(Stage::Applied), None, "system", 0),
    ];
    store.commit(&unit(user.id, None, writes, vec![])).await.unwrap();
    let got = store.get_audit(user.id, app.id).await.unwrap().unwrap();
    assert_eq!((got.channel.as_str(), &got.audit), ("greenhouse", &audit));
    store
        .commit(&unit(user.id, None, vec![entry(Some(Stage::Interview), Some("call on Friday"), "user", 1)], vec![]))
        .await
        .unwrap();
    // An automatic update after the user's does not replace it, but is on the timeline.
    store.commit(&unit(user.id, None, vec![entry(Some(Stage::NoResponse), None, "system", 2)], vec![])).await.unwrap();
    let stage = store.get_stage(user.id, app.id).await.unwrap().unwrap();
    assert_eq!((stage.stage, stage.source.as_str()), (Stage::Interview, "user"));
    store.commit(&unit(user.id, None, vec![entry(Some(Stage::Offer), None, "user", 3)], vec![])).await.unwrap();
    assert_eq!(store.get_stage(user.id, app.id).await.unwrap().unwrap().stage, Stage::Offer);
    let timeline = store.timeline(user.id, app.id).await.unwrap();
    let stages: Vec<_> = timeline.iter().map(|e| e.stage).collect();
    assert_eq!(stages, [Some(Stage::Applied), Some(Stage::Interview), Some(Stage::NoResponse), Some(Stage::Offer)]);
    assert_eq!(timeline[1].note.as_deref(), Some("call on Friday"));
    assert_eq!(store.list_stages(user.id).await.unwrap().len(), 1);
    let eve = new_user("eve2");
    store.create_user(&eve, "h-eve2").await.unwrap();
    assert!(store.get_audit(eve.id, app.id).await.unwrap().is_none());
    assert!(store.timeline(eve.id, app.id).await.unwrap().is_empty());
    assert!(store.get_stage(eve.id, app.id).await.unwrap().is_none());
}

async fn notifications_list_and_dismiss(store: DynStore) {
    let user = new_user("notes");
    store.create_user(&user, "h-notes").await.unwrap();
    let ids: Vec<_> = (0..3).map(|_| id()).collect();
    let writes = ids
        .iter()
        .enumerate()
        .map(|(i, n)| {
            Write::Notify(Notification {
                id: *n,
                user_id: user.id,
                application_id: None,
                message: format!("note {i}"),
                created_at: Utc::now() + Duration::seconds(i as i64),
            })
        })
        .collect();
    store.commit(&unit(user.id, None, writes, vec![])).await.unwrap();
    assert_eq!(store.notifications(user.id, false).await.unwrap()[0].message, "note 2");
    assert!(store.dismiss_notification(user.id, ids[1], Utc::now()).await.unwrap());
    assert!(!store.dismiss_notification(user.id, ids[1], Utc::now()).await.unwrap(), "already dismissed");
    let eve = new_user("eve3");
    store.create_user(&eve, "h-eve3").await.unwrap();
    assert!(!store.dismiss_notification(eve.id, ids[0], Utc::now()).await.unwrap(), "not hers");
    let open = store.notifications(user.id, false).await.unwrap();
    assert_eq!(open.len(), 2);
    let all = store.notifications(user.id, true).await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().any(|n| n.id == ids[1] && n.dismissed_at.is_some()));
}

async fn mailbox_cursor_and_inbound_once(store: DynStore) {
    let user = new_user("mail");
    store.create_user(&user, "h-mail").await.unwrap();
    assert_eq!(store.mailbox_cursor(user.id).await.unwrap(), None);
    let inbound = || Write::RecordInbound {
        message_key: "<m1@acme>".into(),
        application_id: None,
        kind: "interview".into(),
        subject: "Let's talk".into(),
        sender: "Ann <ann@acme.example>".into(),
        received_at: Utc::now(),
    };
    let cursor = MailboxCursor { uid_validity: 7, last_uid: 42 };
    let writes = vec![Write::MailboxCursor { cursor, at: Utc::now() }, inbound()];
    store.commit(&unit(user.id, None, writes, vec![])).await.unwrap();
    store.commit(&unit(user.id, None, vec![inbound()], vec![])).await.unwrap();
    assert_eq!(store.mailbox_cursor(user.id).await.unwrap(), Some(cursor));
    assert!(store.inbound_seen(user.id, "<m1@acme>").await.unwrap());
    assert!(!store.inbound_seen(user.id, "<m2@acme>").await.unwrap());
}
