//! Shared test helpers: a client configured for loopback mock servers, request builders, and a
//! raw HTTP server for what wiremock cannot do (chunked bodies, counting overlapping requests).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use discovery::sources::{HttpRequest, Validators};
use domain::RetryPolicy;
use fetch::{FetchConfig, PoliteClient};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;
use wiremock::MockServer;

/// Loopback allow-listed, fast retries, a rate limit that never gets in the way.
pub fn config() -> FetchConfig {
    FetchConfig {
        allow_hosts: vec!["127.0.0.1".into()],
        retry: RetryPolicy::new(3, Duration::from_millis(10)),
        per_host_rate_per_sec: 1000,
        ..FetchConfig::default()
    }
}

pub fn client(config: FetchConfig) -> PoliteClient {
    PoliteClient::new(config).expect("client builds")
}

pub fn url(server: &MockServer, path: &str) -> Url {
    Url::parse(&format!("{}{path}", server.uri())).unwrap()
}

pub fn api(url: Url) -> HttpRequest {
    HttpRequest::api(url)
}

pub fn page(url: Url) -> HttpRequest {
    HttpRequest { url, validators: Validators::default(), is_page: true }
}

/// A one-response-per-connection HTTP server on 127.0.0.1.
pub struct RawServer {
    pub addr: SocketAddr,
    pub max_in_flight: Arc<AtomicUsize>,
    pub hits: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }
}

/// Answers every request with `response` (status line, headers and body, verbatim) after
/// `delay`, recording the most requests it was handling at once.
pub async fn raw_server(response: Vec<u8>, delay: Duration) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let response = Arc::new(response);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let hits = Arc::new(AtomicUsize::new(0));
    let (max, count) = (Arc::clone(&max_in_flight), Arc::clone(&hits));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (response, in_flight, max, count) =
                (Arc::clone(&response), Arc::clone(&in_flight), Arc::clone(&max), Arc::clone(&count));
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let _ = socket.write_all(&response).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    RawServer { addr, max_in_flight, hits }
}

/// A 200 with a chunked body of `chunks` chunks of `size` bytes and no Content-Length.
pub fn chunked_response(chunks: usize, size: usize) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..chunks {
        out.extend_from_slice(format!("{size:x}\r\n").as_bytes());
        out.extend(std::iter::repeat_n(b'a', size));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

pub fn ok_response(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).into_bytes()
}
