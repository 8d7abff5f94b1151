//! The AI spend journal on both engines: a hold is open until its spend row replaces it in one
//! transaction, a stale hold is charged in full exactly once (a late settlement is not counted
//! again), released holds leave no spend, and alerts stay unsent until marked.
// Test fixtures stamp wall-clock times; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{DateTime, Duration, Utc};
use store::spend::{SpendAlertRow, SpendBatch, SpendHoldRow};
use store::{DynStore, SpendRow};

contract_tests!(
    a_hold_is_open_until_its_row_replaces_it,
    a_stale_hold_is_charged_once_in_full,
    alerts_stay_unsent_until_marked,
);

fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-14T12:00:00Z").unwrap().with_timezone(&Utc)
}

fn hold(id: &str, reserved_nanos: u64) -> SpendHoldRow {
    SpendHoldRow {
        id: id.into(),
        at: at(),
        stale_at: at() + Duration::minutes(5),
        user: "u".into(),
        cell: "c".into(),
        task: "analyze_job".into(),
        provider: "openai".into(),
        model: "gpt-4o-mini".into(),
        reserved_nanos,
    }
}

fn row(cost_nanos: u64) -> SpendRow {
    SpendRow {
        at: at() + Duration::seconds(2),
        user: "u".into(),
        cell: "c".into(),
        task: "analyze_job".into(),
        provider: "openai".into(),
        model: "gpt-4o-mini".into(),
        input_tokens: 100,
        output_tokens: 10,
        cost_nanos,
    }
}

async fn a_hold_is_open_until_its_row_replaces_it(store: DynStore) {
    assert!(store.keeps_spend_journal());
    let day = at().date_naive();
    store.hold_spend(&hold("h1", 5_000)).await.unwrap();
    store.hold_spend(&hold("h2", 7_000)).await.unwrap();
    let open = store.open_spend_holds(day).await.unwrap();
    assert_eq!(open, vec![hold("h1", 5_000), hold("h2", 7_000)]);

    let batch = SpendBatch {
        rows: vec![row(0)],
        settled: vec![("h1".into(), row(1_234))],
        released: vec!["h2".into()],
        alerts: vec![],
    };
    store.write_spend(&batch).await.unwrap();
    assert!(store.open_spend_holds(day).await.unwrap().is_empty());
    let totals = store.spend_on(day).await.unwrap();
    assert_eq!((totals[0].calls, totals[0].cost_nanos), (2, 1_234), "the released hold left no spend");
    assert!(store.recover_spend_holds(at() + Duration::hours(1)).await.unwrap().is_empty());
}

async fn a_stale_hold_is_charged_once_in_full(store: DynStore) {
    let day = at().date_naive();
    store.hold_spend(&hold("h1", 9_000)).await.unwrap();
    assert!(store.recover_spend_holds(at() + Duration::minutes(4)).await.unwrap().is_empty(), "not stale yet");
    let recovered = store.recover_spend_holds(at() + Duration::minutes(5)).await.unwrap();
    assert_eq!(recovered, vec![hold("h1", 9_000)]);
    // The call that held it settles after all: already charged, so not counted again.
    store.write_spend(&SpendBatch { settled: vec![("h1".into(), row(1_000))], ..SpendBatch::default() }).await.unwrap();
    let totals = store.spend_on(day).await.unwrap();
    assert_eq!((totals[0].calls, totals[0].cost_nanos), (1, 9_000));
    assert!(store.open_spend_holds(day).await.unwrap().is_empty());
}

async fn alerts_stay_unsent_until_marked(store: DynStore) {
    let day = at().date_naive();
    let alert = |key: &str| SpendAlertRow {
        key: key.into(),
        day,
        created_at: at(),
        alert_json: format!("{{\"key\":\"{key}\"}}"),
        sent_at: None,
    };
    let batch = SpendBatch { alerts: vec![alert("a"), alert("b")], ..SpendBatch::default() };
    store.write_spend(&batch).await.unwrap();
    store.write_spend(&batch).await.unwrap();
    assert_eq!(store.spend_alerts_on(day).await.unwrap().len(), 2, "an alert is stored once");
    store.mark_spend_alert_sent("a", at() + Duration::seconds(1)).await.unwrap();
    let unsent: Vec<String> = store.unsent_spend_alerts().await.unwrap().into_iter().map(|a| a.key).collect();
    assert_eq!(unsent, ["b"]);
    let sent = store.spend_alerts_on(day).await.unwrap().into_iter().find(|a| a.key == "a").unwrap();
    assert_eq!(sent.sent_at, Some(at() + Duration::seconds(1)));
    assert_eq!(store.spend_alerts_on(day.succ_opt().unwrap()).await.unwrap(), vec![]);
}
