//! The `EventBus` contract, one suite run against every adapter (today the in-process bus; a
//! Kafka adapter joins `buses()` and must pass the same cases): routing by type, fan-out to
//! every group, per-user order within a group, one subscriber per group name, publishing to
//! nobody, and close ending subscriptions after what was published.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bus::{EventBus, InProcessBus};
use clock::{Clock, ManualClock};
use domain::event::{EventContext, EventPayload, JobClosed, WorkflowCompleted};
use domain::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Every adapter under test, fresh.
fn buses() -> Vec<(&'static str, Arc<dyn EventBus>)> {
    vec![("in_process", Arc::new(InProcessBus::new(64)))]
}

fn event(clock: &ManualClock, user: UserId, closed: bool) -> EventEnvelope {
    let cell = CellId::new("cell-test");
    let ctx = EventContext {
        user_id: user,
        cell_id: &cell,
        correlation_id: CorrelationId(clock.new_id()),
        causation_id: None,
        occurred_at: clock.now(),
    };
    let (job_id, application_id) = (JobId(clock.new_id()), ApplicationId(clock.new_id()));
    let payload = if closed {
        EventPayload::JobClosed(JobClosed {
            job_id,
            application_id,
            source: "greenhouse".into(),
            source_id: "1".into(),
            withdrawn: false,
        })
    } else {
        EventPayload::WorkflowCompleted(WorkflowCompleted { job_id, application_id, outcome: Outcome::Interview })
    };
    EventEnvelope::new(EventId(clock.new_id()), ctx, &payload)
}

#[tokio::test]
async fn routes_by_type_and_fans_out_to_every_group() {
    for (name, bus) in buses() {
        let clock = ManualClock::at_epoch();
        let mut a = bus.subscribe("a", &[EventType::WorkflowCompleted]).await.unwrap();
        let mut b = bus.subscribe("b", &[EventType::WorkflowCompleted, EventType::JobClosed]).await.unwrap();
        let mut c = bus.subscribe("c", &[EventType::JobClosed]).await.unwrap();
        let user = UserId(clock.new_id());
        let (done, closed) = (event(&clock, user, false), event(&clock, user, true));
        bus.publish(&[done.clone(), closed.clone()]).await.unwrap();
        assert_eq!(a.next().await.unwrap().event_id, done.event_id, "{name}");
        assert_eq!(b.next().await.unwrap().event_id, done.event_id, "{name}");
        assert_eq!(b.next().await.unwrap().event_id, closed.event_id, "{name}");
        assert_eq!(c.next().await.unwrap().event_id, closed.event_id, "{name}");
        bus.close();
        assert!(a.next().await.is_none(), "{name}: a got more than its type");
        assert!(c.next().await.is_none(), "{name}");
    }
}

#[tokio::test]
async fn one_users_events_stay_in_order_while_users_interleave() {
    for (name, bus) in buses() {
        let clock = ManualClock::at_epoch();
        let mut sub = bus.subscribe("g", &[EventType::WorkflowCompleted]).await.unwrap();
        let users: Vec<UserId> = (0..5).map(|_| UserId(clock.new_id())).collect();
        let mut published: HashMap<UserId, Vec<EventId>> = HashMap::new();
        let consumer = tokio::spawn(async move {
            let mut got: HashMap<UserId, Vec<EventId>> = HashMap::new();
            for _ in 0..200 {
                let e = sub.next().await.unwrap();
                got.entry(e.user_id).or_default().push(e.event_id);
            }
            got
        });
        for round in 0..40 {
            let batch: Vec<EventEnvelope> = users.iter().map(|u| event(&clock, *u, false)).collect();
            for e in &batch {
                published.entry(e.user_id).or_default().push(e.event_id);
            }
            // Uneven batches: the contract holds whatever the batching.
            if round % 2 == 0 {
                bus.publish(&batch).await.unwrap();
            } else {
                for e in batch {
                    bus.publish(std::slice::from_ref(&e)).await.unwrap();
                }
            }
        }
        let got = consumer.await.unwrap();
        assert_eq!(got, published, "{name}: per-user order broken");
        bus.close();
    }
}

#[tokio::test]
async fn a_group_name_has_one_subscriber_and_publishing_to_nobody_is_fine() {
    for (name, bus) in buses() {
        let clock = ManualClock::at_epoch();
        bus.publish(&[event(&clock, UserId(clock.new_id()), false)]).await.unwrap();
        let _a = bus.subscribe("a", &[EventType::WorkflowCompleted]).await.unwrap();
        assert!(bus.subscribe("a", &[EventType::JobClosed]).await.is_err(), "{name}");
        bus.close();
    }
}

#[tokio::test]
async fn close_ends_subscriptions_after_what_was_published() {
    for (name, bus) in buses() {
        let clock = ManualClock::at_epoch();
        let mut sub = bus.subscribe("g", &[EventType::WorkflowCompleted]).await.unwrap();
        let user = UserId(clock.new_id());
        let events: Vec<_> = (0..3).map(|_| event(&clock, user, false)).collect();
        bus.publish(&events).await.unwrap();
        bus.close();
        for e in &events {
            assert_eq!(sub.next().await.unwrap().event_id, e.event_id, "{name}: drained before the end");
        }
        assert!(sub.next().await.is_none(), "{name}");
    }
}
