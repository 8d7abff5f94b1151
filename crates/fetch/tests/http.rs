//! Request and response handling: conditional requests, the size limit, retries, status and
//! timeout errors, and the User-Agent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{api, chunked_response, client, config, ok_response, raw_server, url};
use discovery::sources::{FetchError, HttpClient, HttpRequest, HttpResponse, Validators};
use domain::RetryPolicy;
use fetch::FetchConfig;
use std::time::Duration;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn etag_round_trip_gives_not_modified() {
    let server = MockServer::start().await;
    Mock::given(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .insert_header("last-modified", "Wed, 21 Oct 2015 07:28:00 GMT")
                .set_body_string("[]"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(config());
    let first = c.get(&api(url(&server, "/jobs"))).await.unwrap();
    let HttpResponse::Ok { validators, .. } = first else { panic!("{first:?}") };
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(validators.last_modified.as_deref(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    let second = HttpRequest { url: url(&server, "/jobs"), validators, is_page: false };
    assert!(matches!(c.get(&second).await.unwrap(), HttpResponse::NotModified));
}

#[tokio::test]
async fn if_modified_since_is_sent() {
    let server = MockServer::start().await;
    // wiremock's `header` matcher splits on commas, which HTTP dates contain.
    let sent_date = |req: &wiremock::Request| {
        req.headers.get("if-modified-since").is_some_and(|v| v == "Wed, 21 Oct 2015 07:28:00 GMT")
    };
    Mock::given(sent_date).respond_with(ResponseTemplate::new(304)).expect(1).mount(&server).await;
    let validators = Validators { etag: None, last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()) };
    let req = HttpRequest { url: url(&server, "/feed"), validators, is_page: false };
    assert!(matches!(client(config()).get(&req).await.unwrap(), HttpResponse::NotModified));
}

#[tokio::test]
async fn a_declared_oversized_body_is_too_large_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(10_000)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(FetchConfig { max_body_bytes: 1000, ..config() });
    let err = c.get(&api(url(&server, "/big"))).await.unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: 1000 });
}

#[tokio::test]
async fn a_chunked_oversized_body_is_too_large() {
    let server = raw_server(chunked_response(20, 1000), Duration::ZERO).await;
    let c = client(FetchConfig { max_body_bytes: 5000, ..config() });
    let err = c.get(&api(server.url("/stream"))).await.unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: 5000 });
    assert_eq!(server.hits.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_chunked_body_within_the_limit_is_read_whole() {
    let server = raw_server(chunked_response(5, 1000), Duration::ZERO).await;
    let c = client(FetchConfig { max_body_bytes: 5000, ..config() });
    let Ok(HttpResponse::Ok { body, .. }) = c.get(&api(server.url("/stream"))).await else { panic!() };
    assert_eq!(body.len(), 5000);
}

#[tokio::test]
async fn invalid_utf8_is_decoded_lossily() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"ok \xff!".to_vec()))
        .mount(&server)
        .await;
    let Ok(HttpResponse::Ok { body, .. }) = client(config()).get(&api(url(&server, "/"))).await else { panic!() };
    assert_eq!(body, "ok \u{fffd}!");
}

#[tokio::test]
async fn service_unavailable_twice_then_ok_succeeds_after_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("up"))
        .expect(1)
        .mount(&server)
        .await;
    let Ok(HttpResponse::Ok { body, .. }) = client(config()).get(&api(url(&server, "/jobs"))).await else { panic!() };
    assert_eq!(body, "up");
}

#[tokio::test]
async fn too_many_requests_with_retry_after_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    assert!(client(config()).get(&api(url(&server, "/jobs"))).await.is_ok());
}

#[tokio::test]
async fn a_long_retry_after_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(config()).get(&api(url(&server, "/jobs"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 429, .. }), "{err:?}");
}

#[tokio::test]
async fn persistent_server_errors_fail_with_the_status_after_all_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).expect(3).mount(&server).await;
    let c = client(FetchConfig { retry: RetryPolicy::new(2, Duration::from_millis(10)), ..config() });
    let err = c.get(&api(url(&server, "/jobs"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 500, .. }), "{err:?}");
}

#[tokio::test]
async fn not_found_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).expect(1).mount(&server).await;
    let target = url(&server, "/missing");
    let err = client(config()).get(&api(target.clone())).await.unwrap_err();
    assert_eq!(err, FetchError::Status { status: 404, url: target.to_string() });
}

#[tokio::test]
async fn a_slow_server_times_out_after_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(FetchConfig {
        timeout: Duration::from_millis(200),
        retry: RetryPolicy::new(1, Duration::from_millis(10)),
        ..config()
    });
    let err = c.get(&api(url(&server, "/slow"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let target = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let c = client(FetchConfig { retry: RetryPolicy::new(1, Duration::from_millis(10)), ..config() });
    let err = c.get(&api(target)).await.unwrap_err();
    assert!(matches!(err, FetchError::Network(ref m) if m.to_lowercase().contains("connect")), "{err:?}");
}

#[tokio::test]
async fn the_user_agent_is_sent() {
    let server = MockServer::start().await;
    let ua = FetchConfig::default().user_agent;
    assert_eq!(ua, "Applyflow/0.1 (+https://github.com/applyflow/applyflow)");
    Mock::given(header("user-agent", ua.as_str()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client(config()).get(&api(url(&server, "/"))).await.is_ok());
}

#[tokio::test]
async fn a_small_ok_body_from_a_raw_server_is_returned() {
    let server = raw_server(ok_response("fine"), Duration::ZERO).await;
    let Ok(HttpResponse::Ok { body, validators }) = client(config()).get(&api(server.url("/"))).await else { panic!() };
    assert_eq!(body, "fine");
    assert_eq!(validators, Validators::default());
}
