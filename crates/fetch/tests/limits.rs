//! Per-host politeness: concurrency never exceeds the limit and the rate limit makes requests
//! wait rather than fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{api, client, config, ok_response, raw_server, url};
use discovery::sources::HttpClient;
use fetch::FetchConfig;
use futures::future::join_all;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn concurrency_per_host_never_exceeds_the_limit() {
    let server = raw_server(ok_response("ok"), Duration::from_millis(150)).await;
    let c = client(FetchConfig { per_host_concurrency: 2, ..config() });
    let requests: Vec<_> = (0..8).map(|i| api(server.url(&format!("/jobs/{i}")))).collect();
    let results = join_all(requests.iter().map(|r| c.get(r))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 8);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_rate_limit_delays_instead_of_failing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(25).mount(&server).await;
    // 10 per second with a burst of 20: the last 5 of 25 wait about 0.1 s each.
    let c = client(FetchConfig { per_host_rate_per_sec: 10, per_host_concurrency: 25, ..config() });
    let requests: Vec<_> = (0..25).map(|_| api(url(&server, "/jobs"))).collect();
    let started = Instant::now();
    let results = join_all(requests.iter().map(|r| c.get(r))).await;
    assert!(results.iter().all(Result::is_ok));
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
}
