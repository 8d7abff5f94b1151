//! The timer wheel: fires scheduled events (employer answers, response windows) when due.
//! Firing commits the timer's pre-built event, the state change and the timer's deletion in one
//! unit, so a crash mid-way either fired it completely or not at all.

use super::Cell;
use domain::event::EventPayload;
use domain::ApplicationState;
use store::{StoreError, Timer, UnitOfWork, Write};
use tokio::sync::watch;

fn fire_unit(timer: &Timer, with_transition: bool) -> UnitOfWork {
    let mut writes = vec![Write::DeleteTimer(timer.id)];
    let mut events = Vec::new();
    if with_transition {
        let outcome = match timer.event.typed_payload() {
            Ok(EventPayload::ResponseReceived(r)) => r.outcome,
            _ => None,
        };
        writes.push(Write::Transition {
            application_id: timer.application_id,
            from: ApplicationState::Submitted,
            to: ApplicationState::Responded,
            outcome,
            variant_id: None,
            reason: None,
            at: timer.due_at,
        });
        if let Some(outcome) = outcome {
            // The timer's id is the entry's: firing twice cannot add two lines.
            writes.push(Write::Track(store::TimelineEntry {
                id: timer.id,
                application_id: timer.application_id,
                stage: Some(domain::Stage::of_outcome(outcome)),
                note: None,
                source: if outcome == domain::Outcome::NoResponse { "response_window" } else { "employer" }.into(),
                at: timer.due_at,
            }));
        }
        events.push(timer.event.clone());
    }
    UnitOfWork {
        user_id: timer.user_id,
        inbox: Some(("timer".into(), timer.id.to_string())),
        writes,
        events,
        at: timer.due_at,
    }
}

impl Cell {
    /// Fires every due timer; returns how many fired.
    pub async fn fire_due_timers(&self) -> Result<usize, StoreError> {
        let (ctx, store) = (&self.inner.ctx, &self.inner.store);
        let due = store.due_timers(ctx.clock.now(), 256).await?;
        let mut fired = 0;
        for timer in &due {
            match store.commit(&fire_unit(timer, true)).await {
                Ok(_) => fired += 1,
                Err(StoreError::StateConflict { .. }) => {
                    // The application moved on (withdrawn, failed): drop the timer.
                    store.commit(&fire_unit(timer, false)).await?;
                }
                Err(e) => return Err(e),
            }
        }
        if fired > 0 {
            self.inner.relay_wake.notify_one();
        }
        Ok(fired)
    }
}

pub(super) async fn run(cell: Cell, mut stop: watch::Receiver<bool>) {
    let idle = cell.inner.ctx.config.poll_interval();
    loop {
        let fired = match cell.fire_due_timers().await {
            Ok(n) => n,
            Err(error) => {
                tracing::warn!(%error, "timer round failed");
                0
            }
        };
        if fired == 0 {
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => return,
            }
        }
    }
}
