//! The outbox relay: moves committed events from the log to the bus, in log order, and marks
//! them published. At least once: a crash between publish and mark republishes, and the
//! consumers' inbox absorbs the repeat.

use super::{Cell, EngineError};
use tokio::sync::watch;

/// Publishes one batch; returns how many rows it moved.
pub(super) async fn relay_once(cell: &Cell) -> Result<usize, EngineError> {
    let store = &cell.inner.store;
    let rows = store.unpublished_events(cell.inner.ctx.config.relay_batch).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        match &row.event {
            Ok(ev) => events.push(ev.clone()),
            Err(reason) => tracing::error!(seq = row.seq, %reason, "not publishing malformed event"),
        }
    }
    cell.inner.bus.publish(&events).await?;
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    store.mark_published(&seqs).await?;
    Ok(rows.len())
}

pub(super) async fn run(cell: Cell, mut stop: watch::Receiver<bool>) {
    let idle = cell.inner.ctx.config.poll_interval();
    loop {
        if *stop.borrow() {
            return;
        }
        let moved = match relay_once(&cell).await {
            Ok(n) => n,
            Err(error) => {
                tracing::warn!(%error, "outbox relay round failed");
                0
            }
        };
        if moved == 0 {
            tokio::select! {
                _ = cell.inner.relay_wake.notified() => {}
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => return,
            }
        }
    }
}
