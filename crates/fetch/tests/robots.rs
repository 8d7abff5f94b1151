//! robots.txt: consulted once per origin for page requests only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{api, client, config, page, url};
use discovery::sources::{FetchError, HttpClient};
use fetch::FetchConfig;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_with_robots(robots: ResponseTemplate, robots_hits: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/robots.txt")).respond_with(robots).expect(robots_hits).mount(&server).await;
    Mock::given(path("/private/job")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(path("/jobs/1")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

#[tokio::test]
async fn disallow_blocks_a_page_request_but_not_an_api_request() {
    let robots = ResponseTemplate::new(200).set_body_string("User-agent: *\nDisallow: /private\n");
    let server = server_with_robots(robots, 1).await;
    let c = client(config());
    let err = c.get(&page(url(&server, "/private/job"))).await.unwrap_err();
    assert_eq!(err, FetchError::RobotsDisallowed(url(&server, "/private/job").to_string()));
    assert!(c.get(&api(url(&server, "/private/job"))).await.is_ok());
    // Cached: the second page request does not fetch robots.txt again (`expect(1)`).
    assert!(c.get(&page(url(&server, "/jobs/1"))).await.is_ok());
}

#[tokio::test]
async fn a_group_for_our_product_token_applies() {
    let robots = ResponseTemplate::new(200).set_body_string("User-agent: Applyflow\nDisallow: /jobs\n");
    let server = server_with_robots(robots, 1).await;
    let err = client(config()).get(&page(url(&server, "/jobs/1"))).await.unwrap_err();
    assert!(matches!(err, FetchError::RobotsDisallowed(_)), "{err:?}");
}

#[tokio::test]
async fn a_missing_robots_txt_allows_everything() {
    let server = server_with_robots(ResponseTemplate::new(404), 1).await;
    let c = client(config());
    assert!(c.get(&page(url(&server, "/private/job"))).await.is_ok());
    assert!(c.get(&page(url(&server, "/jobs/1"))).await.is_ok());
}

#[tokio::test]
async fn an_unreachable_robots_txt_allows_with_a_warning() {
    let server = server_with_robots(ResponseTemplate::new(500), 1).await;
    assert!(client(config()).get(&page(url(&server, "/private/job"))).await.is_ok());
}

#[tokio::test]
async fn robots_can_be_ignored_by_configuration() {
    let server =
        server_with_robots(ResponseTemplate::new(200).set_body_string("User-agent: *\nDisallow: /\n"), 0).await;
    let c = client(FetchConfig { respect_robots: false, ..config() });
    assert!(c.get(&page(url(&server, "/jobs/1"))).await.is_ok());
}

#[tokio::test]
async fn a_blocked_origin_is_refused_before_robots_txt() {
    let server = server_with_robots(ResponseTemplate::new(200), 0).await;
    let c = client(FetchConfig { allow_hosts: vec![], ..config() });
    let err = c.get(&page(url(&server, "/jobs/1"))).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked(_)), "{err:?}");
}
