//! The SSRF guard end to end: loopback literals, names resolving to loopback, and redirects
//! towards private and metadata addresses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{api, client, config, url};
use discovery::sources::{FetchError, HttpClient, HttpResponse};
use fetch::FetchConfig;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_expecting(hits: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .expect(hits)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn loopback_is_blocked_by_default() {
    let server = server_expecting(0).await;
    let strict = client(FetchConfig { allow_hosts: vec![], ..config() });
    let err = strict.get(&api(url(&server, "/jobs"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked(_)), "{err:?}");
}

#[tokio::test]
async fn loopback_is_allowed_when_allow_listed_or_private_allowed() {
    let server = server_expecting(2).await;
    let listed = client(config());
    let Ok(HttpResponse::Ok { body, .. }) = listed.get(&api(url(&server, "/jobs"))).await else { panic!() };
    assert_eq!(body, "hello");
    let open = client(FetchConfig { allow_hosts: vec![], allow_private: true, ..config() });
    assert!(open.get(&api(url(&server, "/jobs"))).await.is_ok());
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_blocked_even_with_the_ip_allow_listed() {
    let server = server_expecting(0).await;
    let port = server.address().port();
    let err = client(config()).get(&api(Url::parse(&format!("http://localhost:{port}/")).unwrap())).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked(_)), "{err:?}");
}

#[tokio::test]
async fn an_allow_listed_name_may_resolve_to_loopback() {
    let server = server_expecting(1).await;
    let port = server.address().port();
    let named = client(FetchConfig { allow_hosts: vec!["LocalHost".into()], ..config() });
    assert!(named.get(&api(Url::parse(&format!("http://localhost:{port}/")).unwrap())).await.is_ok());
}

#[tokio::test]
async fn redirects_to_private_addresses_are_blocked() {
    for target in [
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::ffff:192.168.0.1]/".to_owned(),
        "http://[fd00::1]/".to_owned(),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/go"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
            .expect(1)
            .mount(&server)
            .await;
        let err = client(config()).get(&api(url(&server, "/go"))).await.unwrap_err();
        assert!(matches!(err, FetchError::Blocked(_)), "{target}: {err:?}");
    }
}

#[tokio::test]
async fn a_redirect_to_a_name_resolving_to_loopback_is_blocked_by_the_resolver() {
    let server = MockServer::start().await;
    let target = format!("http://localhost:{}/inner", server.address().port());
    Mock::given(path("/go"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", target.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/inner")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let err = client(config()).get(&api(url(&server, "/go"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked(_)), "{err:?}");
}

#[tokio::test]
async fn redirects_within_the_allowed_host_are_followed_up_to_the_limit() {
    let server = MockServer::start().await;
    Mock::given(path("/a"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/b"))
        .mount(&server)
        .await;
    Mock::given(path("/b")).respond_with(ResponseTemplate::new(200).set_body_string("b")).mount(&server).await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let c = client(config());
    let Ok(HttpResponse::Ok { body, .. }) = c.get(&api(url(&server, "/a"))).await else { panic!() };
    assert_eq!(body, "b");
    let err = c.get(&api(url(&server, "/loop"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Network(ref m) if m.contains("redirects")), "{err:?}");
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    for bad in ["ftp://example.com/file", "file:///etc/passwd"] {
        let err = client(config()).get(&api(Url::parse(bad).unwrap())).await.unwrap_err();
        assert!(matches!(err, FetchError::InvalidUrl(_)), "{bad}: {err:?}");
    }
}
