//! HTTP hardening: the header-read timeout cuts slowloris clients off (over a real socket), the
//! request timeout and the in-flight cap answer 503 in the seed-002 error body, HTTP method
//! labels stay a fixed set whatever methods clients invent, and `/metrics` says OpenMetrics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use cell::api::{ApiState, HttpLimits};
use common::*;
use http_body_util::BodyExt;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, Semaphore};
use tokio::task::JoinHandle;
use tower::ServiceExt;

/// A cell over a fresh SQLite store (keep the `TestStore`: it owns the directory).
async fn cell_state() -> (testkit::TestStore, cell::Cell, ApiState) {
    let ts = testkit::sqlite().await;
    let cell = cell_with(ts.store.clone(), vec![]);
    let state = ApiState::for_cell(&cell);
    (ts, cell, state)
}

/// Serves `app` on a loopback port; the sender stops the server.
async fn spawn_server(app: Router, limits: HttpLimits) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        cell::api::serve(listener, app, &limits, async {
            let _ = stopped.await;
        })
        .await;
    });
    (addr, stop, server)
}

/// Reads everything until the server closes the connection (or `within` passes: `None`).
async fn read_until_closed(stream: &mut (impl AsyncReadExt + Unpin), within: Duration) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut buf)).await {
        Ok(_) => Some(buf), // EOF or a reset: closed either way
        Err(_) => None,
    }
}

async fn send(app: &Router, method: Method, path: &str) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.clone().oneshot(Request::builder().method(method).uri(path).body(Body::empty()).unwrap()).await;
    let res = res.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, headers, body)
}

fn assert_unavailable(headers: &axum::http::HeaderMap, body: &Value, reason: &str) {
    let e = &body["error"];
    assert_eq!(e["code"], "SERVICE_UNAVAILABLE", "{body}");
    assert_eq!(e["details"]["reason"], reason, "{body}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap();
    assert_eq!(e["request_id"], request_id, "{body}");
    assert!(e["timestamp"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_read_timeout_cuts_slow_and_silent_clients_off() {
    let (_ts, _cell, state) = cell_state().await;
    let limits = HttpLimits { header_read_timeout: Duration::from_millis(300), ..HttpLimits::default() };
    let (addr, stop, server) = spawn_server(cell::api::app_with_limits(state, &limits), limits).await;

    // A well-behaved client is served.
    let mut ok = TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let answer = String::from_utf8(read_until_closed(&mut ok, Duration::from_secs(5)).await.unwrap()).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"ok""#), "{answer}");

    // Slowloris: a header line every 100 ms, forever; the server hangs up without answering.
    let slow = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    let (mut rd, mut wr) = slow.into_split();
    wr.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    let dribbler = tokio::spawn(async move {
        for i in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if wr.write_all(format!("x-slow-{i}: 1\r\n").as_bytes()).await.is_err() {
                return;
            }
        }
    });
    let answer = read_until_closed(&mut rd, Duration::from_secs(5)).await;
    let took = started.elapsed();
    dribbler.abort();
    let answer = answer.expect("the slowloris connection was still open after 5 s");
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    assert!(took >= Duration::from_millis(250), "cut off before the timeout: {took:?}");
    assert!(took < Duration::from_secs(3), "cut off late: {took:?}");

    // A client that connects and sends nothing is cut off too.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert_eq!(answer.as_deref(), Some(&b""[..]), "the silent connection was still open after 5 s");
    assert!(started.elapsed() < Duration::from_secs(3));

    // The server still serves, then stops when asked.
    let mut ok = TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let answer = String::from_utf8(read_until_closed(&mut ok, Duration::from_secs(5)).await.unwrap()).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("serve did not return").unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_past_the_request_timeout_answers_503_in_the_error_body() {
    let (_ts, _cell, state) = cell_state().await;
    let limits = HttpLimits { request_timeout: Duration::from_millis(200), ..HttpLimits::default() };
    let routes = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "too late"
            }),
        )
        .route("/fast", get(|| async { "fast" }));
    let app = cell::api::with_request_layers(routes, state.clone(), &limits);

    let started = Instant::now();
    let (status, headers, body) = tokio::time::timeout(Duration::from_secs(5), send(&app, Method::GET, "/slow"))
        .await
        .expect("the slow handler was not cut off");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_unavailable(&headers, &body, "request_timeout");
    assert_eq!(body["error"]["details"]["timeout_ms"], 200);
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/json");

    let (status, _, body) = send(&app, Method::GET, "/fast").await;
    assert_eq!((status, body), (StatusCode::OK, Value::String("fast".into())));

    let text = state.metrics.render();
    assert!(text.contains(r#"applyflow_http_requests_total{method="GET",route="/slow",status="503"} 1"#), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_upload_to_the_real_api_times_out_over_a_socket() {
    let (ts, _cell, state) = cell_state().await;
    new_user(&ts.store, "slow@example.com").await;
    let limits = HttpLimits { request_timeout: Duration::from_millis(300), ..HttpLimits::default() };
    let (addr, stop, server) = spawn_server(cell::api::app_with_limits(state, &limits), limits).await;

    // Headers promise 1000 bytes of body; 10 arrive, then nothing.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/v1/tailor HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer key-slow@example.com\r\n\
          Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{\"job\": {",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut s, Duration::from_secs(5)).await.expect("no answer within 5 s");
    let answer = String::from_utf8(answer).unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error"]["code"], "SERVICE_UNAVAILABLE", "{body}");
    assert_eq!(body["error"]["details"]["reason"], "request_timeout", "{body}");
    assert!(body["error"]["request_id"].as_str().is_some_and(|r| !r.is_empty()));

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("serve did not return").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_over_the_in_flight_cap_answer_503_at_once() {
    let (_ts, _cell, state) = cell_state().await;
    let limits = HttpLimits { max_in_flight: 2, ..HttpLimits::default() };
    let gate = Arc::new(Semaphore::new(0));
    let (entered_tx, mut entered) = mpsc::unbounded_channel::<()>();
    let routes = Router::new()
        .route(
            "/gated",
            get({
                let gate = gate.clone();
                move || {
                    let (gate, entered_tx) = (gate.clone(), entered_tx.clone());
                    async move {
                        let _ = entered_tx.send(());
                        gate.acquire().await.unwrap().forget();
                        "through"
                    }
                }
            }),
        )
        .route("/fast", get(|| async { "fast" }));
    let app = cell::api::with_request_layers(routes, state.clone(), &limits);

    let held: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { send(&app, Method::GET, "/gated").await })
        })
        .collect();
    for _ in 0..2 {
        tokio::time::timeout(Duration::from_secs(5), entered.recv()).await.unwrap().unwrap();
    }

    // Both slots are taken: the next request is refused at once, whatever its route.
    for path in ["/fast", "/gated", "/nope"] {
        let started = Instant::now();
        let (status, headers, body) = tokio::time::timeout(Duration::from_secs(2), send(&app, Method::GET, path))
            .await
            .unwrap_or_else(|_| panic!("{path} was queued instead of refused"));
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {body}");
        assert!(started.elapsed() < Duration::from_secs(1), "{path} queued: {:?}", started.elapsed());
        assert_unavailable(&headers, &body, "overloaded");
        assert_eq!(body["error"]["details"]["max_in_flight"], 2);
        assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1", "{path}");
    }

    gate.add_permits(2);
    for h in held {
        let (status, _, body) = tokio::time::timeout(Duration::from_secs(5), h).await.unwrap().unwrap();
        assert_eq!((status, body), (StatusCode::OK, Value::String("through".into())));
    }
    // The slots are free again.
    let (status, _, _) = send(&app, Method::GET, "/fast").await;
    assert_eq!(status, StatusCode::OK);
    let text = state.metrics.render();
    assert!(text.contains(r#"applyflow_http_requests_total{method="GET",route="/fast",status="503"} 1"#), "{text}");
}

/// `(labels, value)` of every `applyflow_http_requests_total` sample.
fn http_request_samples(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("applyflow_http_requests_total{"))
        .map(|l| {
            let (labels, value) = l.split_once("} ").unwrap();
            (labels.to_owned(), value.trim().parse().unwrap())
        })
        .collect()
}

fn label<'a>(labels: &'a str, name: &str) -> &'a str {
    let start = labels.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let len = labels[start..].find('"').unwrap();
    &labels[start..start + len]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invented_http_methods_do_not_grow_the_metric_labels() {
    let (_ts, _cell, state) = cell_state().await;
    let app = cell::api::app(state);
    // Seeded: the same hundred invented methods on every run.
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    for i in 0..100 {
        let len = rng.gen_range(4..16);
        let mut method: String = "X".into();
        method.extend((0..len).map(|_| rng.sample(rand::distributions::Alphanumeric) as char));
        let path = match i % 3 {
            0 => "/healthz".to_owned(),
            1 => "/api/v1/jobs".to_owned(),
            _ => format!("/made-up/{}", rng.gen::<u64>()),
        };
        let (status, headers, _) = send(&app, Method::from_bytes(method.as_bytes()).unwrap(), &path).await;
        assert!(status.is_client_error(), "{method} {path}: {status}");
        assert!(headers.contains_key("x-request-id"));
    }
    send(&app, Method::GET, "/healthz").await;

    let (status, _, body) = send(&app, Method::GET, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let samples = http_request_samples(body.as_str().unwrap());
    let methods: BTreeSet<&str> = samples.iter().map(|(l, _)| label(l, "method")).collect();
    let routes: BTreeSet<&str> = samples.iter().map(|(l, _)| label(l, "route")).collect();
    let fixed = BTreeSet::from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "other"]);
    assert!(methods.is_subset(&fixed), "{methods:?}");
    assert!(routes.is_subset(&BTreeSet::from(["/healthz", "/api/v1/jobs", "unmatched"])), "{routes:?}");
    let other: u64 = samples.iter().filter(|(l, _)| label(l, "method") == "other").map(|(_, n)| n).sum();
    assert_eq!(other, 100, "{samples:?}");
    let get: u64 = samples.iter().filter(|(l, _)| label(l, "method") == "GET").map(|(_, n)| n).sum();
    assert_eq!(get, 1, "{samples:?}");
    // Three routes × a few statuses, not a hundred series.
    assert!(samples.len() <= 6, "{samples:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_as_openmetrics_text() {
    let (_ts, _cell, state) = cell_state().await;
    let app = cell::api::app(state);
    send(&app, Method::GET, "/healthz").await;
    let (status, headers, body) = send(&app, Method::GET, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap(),
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    assert_eq!(cell::metrics::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    let text = body.as_str().unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert!(text.contains(r#"applyflow_http_requests_total{method="GET",route="/healthz",status="200"} 1"#), "{text}");
}
