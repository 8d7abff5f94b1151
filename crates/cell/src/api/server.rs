//! The HTTP/1 server loop: accepts connections and serves a router on each with a header-read
//! timeout (which `axum::serve` does not set), then shuts down gracefully.

use super::HttpLimits;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Pause after an accept error that is not about one connection (out of file descriptors, …).
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` completes, closing any connection whose
/// client takes longer than `limits.header_read_timeout` to send a request's headers.
///
/// Build `router` with [`super::app_with_limits`] and the same `limits` so the request timeout
/// and the in-flight cap apply too. When `shutdown` completes, no new connection is accepted,
/// idle connections close, and requests being handled get to finish; connections still open
/// after `limits.request_timeout` more are left to the runtime's shutdown.
pub async fn serve<F>(listener: TcpListener, router: Router, limits: &HttpLimits, shutdown: F)
where
    F: Future<Output = ()>,
{
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    // Each connection holds a receiver; `true` asks it to finish and close, and the sender
    // sees every receiver gone once all connections have.
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = shutdown.as_mut() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(conn) => conn,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                tracing::error!(error = %e, "cannot accept connections; retrying in 1 s");
                tokio::select! {
                    () = shutdown.as_mut() => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, %peer, "cannot set TCP_NODELAY");
        }
        let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut conn = pin!(conn);
            let result = tokio::select! {
                result = conn.as_mut() => result,
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, %peer, "connection closed with an error");
            }
            drop(stop);
        });
    }
    drop(stop_rx);
    let _ = stop_tx.send(true);
    if tokio::time::timeout(limits.request_timeout, stop_tx.closed()).await.is_err() {
        tracing::warn!("connections still open after the request timeout; leaving them");
    }
}

/// Errors that concern one connection only (the listener itself is fine).
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}
