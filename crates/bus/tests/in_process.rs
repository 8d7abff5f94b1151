//! The in-process bus keeps per-group order and routes only subscribed types.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bus::{EventBus, InProcessBus};
use domain::event::{EventContext, EventPayload, WorkflowCompleted};
use domain::*;
use uuid::Uuid;

fn event(user: UserId) -> EventEnvelope {
    let cell = CellId::new("cell-test");
    let ctx = EventContext {
        user_id: user,
        cell_id: &cell,
        correlation_id: CorrelationId(Uuid::now_v7()),
        causation_id: None,
        occurred_at: chrono::Utc::now(),
    };
    EventEnvelope::new(
        EventId(Uuid::now_v7()),
        ctx,
        &EventPayload::WorkflowCompleted(WorkflowCompleted {
            job_id: JobId(Uuid::now_v7()),
            application_id: ApplicationId(Uuid::now_v7()),
            outcome: Outcome::Interview,
        }),
    )
}

#[tokio::test]
async fn delivers_in_order_to_subscribed_groups_only() {
    let bus = InProcessBus::new(16);
    let mut a = bus.subscribe("a", &[EventType::WorkflowCompleted]).await.unwrap();
    let _b = bus.subscribe("b", &[EventType::JobDiscovered]).await.unwrap();
    assert!(bus.subscribe("a", &[EventType::JobDiscovered]).await.is_err());
    let user = UserId(Uuid::now_v7());
    let events: Vec<_> = (0..10).map(|_| event(user)).collect();
    bus.publish(&events).await.unwrap();
    for e in &events {
        assert_eq!(a.next().await.unwrap().event_id, e.event_id);
    }
    bus.close();
    assert!(a.next().await.is_none());
}
