//! `fetch_source` for the feed-like sources (Remote OK, Remotive, RSS, HN Algolia, JSON-LD
//! pages) through a fake HTTP client: real paths and queries, `--base-url` origin replacement,
//! HN pagination and its cap, conditional requests and 304s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use discovery::sources::{FetchError, HttpRequest, HttpResponse, SourceBatch, SourceError, SourceKind, Validators};
use discovery::{fetch_source, HttpClient, SourceSpec};
use std::collections::HashMap;
use std::sync::Mutex;
use url::Url;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Answers by `path?query` (a missing key is a 404, `None` a 304) and records every request.
#[derive(Default)]
struct FakeClient {
    routes: HashMap<String, Option<String>>,
    requests: Mutex<Vec<HttpRequest>>,
}

impl FakeClient {
    fn new(routes: &[(&str, Option<String>)]) -> Self {
        Self { routes: routes.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(), ..Self::default() }
    }

    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap().clone()
    }

    fn urls(&self) -> Vec<String> {
        self.requests().iter().map(|r| r.url.to_string()).collect()
    }
}

fn key(url: &Url) -> String {
    format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

#[async_trait]
impl HttpClient for FakeClient {
    async fn get(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError> {
        self.requests.lock().unwrap().push(req.clone());
        match self.routes.get(&key(&req.url)) {
            Some(Some(body)) => Ok(HttpResponse::Ok { body: body.clone(), validators: etag("\"new\"") }),
            Some(None) => Ok(HttpResponse::NotModified),
            None => Err(FetchError::Status { status: 404, url: req.url.to_string() }),
        }
    }
}

fn etag(tag: &str) -> Validators {
    Validators { etag: Some(tag.to_owned()), last_modified: None }
}

async fn fetch(
    client: &FakeClient,
    spec: &str,
    base: Option<&str>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let spec: SourceSpec = spec.parse().unwrap();
    let base = base.map(|b| Url::parse(b).unwrap());
    fetch_source(client, &spec, base.as_ref(), validators).await
}

#[tokio::test]
async fn remoteok_calls_the_real_endpoint_and_honours_304() {
    let client = FakeClient::new(&[
        ("/api", Some(fixture("remoteok_api.json"))),
        ("/api?tag=exec", Some(fixture("remoteok_api.json"))),
    ]);
    let batch = fetch(&client, "remoteok:all", None, &etag("\"old\"")).await.unwrap();
    assert_eq!(batch.postings.len(), 3);
    assert!(!batch.not_modified);
    assert_eq!(batch.validators, etag("\"new\""));
    let batch = fetch(&client, "remoteok:exec", Some("http://127.0.0.1:8080"), &Validators::default()).await.unwrap();
    assert_eq!(batch.postings.len(), 2, "the tag is applied even though the API ignores it");
    assert_eq!(client.urls(), ["https://remoteok.com/api", "http://127.0.0.1:8080/api?tag=exec"]);
    let requests = client.requests();
    assert_eq!(requests[0].validators, etag("\"old\""));
    assert!(!requests[0].is_page);

    let client = FakeClient::new(&[("/api", None)]);
    let batch = fetch(&client, "remoteok:all", None, &etag("\"old\"")).await.unwrap();
    assert!(batch.not_modified);
    assert!(batch.postings.is_empty());
    assert_eq!(batch.validators, etag("\"old\""), "a 304 keeps the validators for next time");
}

#[tokio::test]
async fn remotive_lists_all_jobs_or_a_category() {
    let body = fixture("remotive_remote_jobs.json");
    let client = FakeClient::new(&[
        ("/api/remote-jobs", Some(body.clone())),
        ("/api/remote-jobs?category=software-dev", Some(body)),
    ]);
    assert_eq!(fetch(&client, "remotive:all", None, &Validators::default()).await.unwrap().postings.len(), 4);
    let batch =
        fetch(&client, "remotive:software-dev", Some("http://localhost:9000/ignored/path"), &Validators::default())
            .await
            .unwrap();
    assert_eq!(batch.postings.len(), 4);
    assert_eq!(
        client.urls(),
        ["https://remotive.com/api/remote-jobs", "http://localhost:9000/api/remote-jobs?category=software-dev"]
    );
    let client = FakeClient::new(&[("/api/remote-jobs", Some("{\"jobs\": 3}".into()))]);
    let err = fetch(&client, "remotive:all", None, &Validators::default()).await.unwrap_err();
    assert!(matches!(err, SourceError::Malformed { source_kind: SourceKind::Remotive, .. }), "{err}");
}

#[tokio::test]
async fn rss_fetches_the_feed_url_on_the_base_origin() {
    let feed = "https://weworkremotely.com/categories/remote-programming-jobs.rss";
    let client =
        FakeClient::new(&[("/categories/remote-programming-jobs.rss", Some(fixture("weworkremotely_rss.xml")))]);
    let batch = fetch(&client, &format!("rss:{feed}"), Some("http://127.0.0.1:4000"), &etag("\"v1\"")).await.unwrap();
    assert_eq!(batch.postings.len(), 2);
    assert_eq!(client.urls(), ["http://127.0.0.1:4000/categories/remote-programming-jobs.rss"]);
    assert_eq!(client.requests()[0].validators, etag("\"v1\""));
    assert_eq!(batch.postings[0].workplace_hint.as_deref(), Some("remote"), "still known as a WWR feed");
    assert!(batch.postings[0].url.as_deref().unwrap().starts_with("https://weworkremotely.com/remote-jobs/"));

    let client = FakeClient::new(&[("/categories/remote-programming-jobs.rss", None)]);
    assert!(fetch(&client, &format!("rss:{feed}"), None, &etag("\"v1\"")).await.unwrap().not_modified);
    assert_eq!(client.urls(), [feed]);

    let client = FakeClient::new(&[]);
    let err = fetch(&client, &format!("rss:{feed}"), None, &Validators::default()).await.unwrap_err();
    assert!(matches!(err, SourceError::Fetch(FetchError::Status { status: 404, .. })), "{err}");
}

fn hn_page(page: u64, pages: u64) -> String {
    format!("{{\"hits\": [], \"nbHits\": 0, \"nbPages\": {pages}, \"page\": {page}, \"hitsPerPage\": 200}}")
}

#[tokio::test]
async fn hn_pages_through_the_comments_of_a_story() {
    let q = "/api/v1/search?tags=comment,story_48357725&hitsPerPage=200&page=";
    let client = FakeClient::new(&[
        (
            &format!("{q}0"),
            Some(fixture("hn_algolia_whoishiring_comments.json").replace("\"nbPages\": 10", "\"nbPages\": 2")),
        ),
        (&format!("{q}1"), Some(hn_page(1, 2))),
    ]);
    let batch = fetch(&client, "hn:48357725", Some("http://127.0.0.1:7000"), &etag("\"e\"")).await.unwrap();
    assert_eq!(batch.postings.len(), 2);
    assert_eq!(batch.skipped.len(), 3, "replies are skipped with a reason");
    assert_eq!(batch.validators, etag("\"new\""));
    let requests = client.requests();
    assert_eq!(client.urls(), [format!("http://127.0.0.1:7000{q}0"), format!("http://127.0.0.1:7000{q}1")]);
    assert_eq!(requests[0].validators, etag("\"e\""));
    assert_eq!(requests[1].validators, Validators::default(), "only the first page is conditional");
}

#[tokio::test]
async fn hn_pagination_is_capped() {
    let q = "/api/v1/search?tags=comment,story_1&hitsPerPage=200&page=";
    let routes: Vec<(String, Option<String>)> = (0..20).map(|p| (format!("{q}{p}"), Some(hn_page(p, 20)))).collect();
    let routes: Vec<(&str, Option<String>)> = routes.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let client = FakeClient::new(&routes);
    let batch = fetch(&client, "hn:1", None, &Validators::default()).await.unwrap();
    assert_eq!(client.urls().len(), 5);
    assert!(client.urls()[0].starts_with("https://hn.algolia.com/api/v1/search?"));
    assert_eq!(batch.skipped.len(), 1);
    assert!(batch.skipped[0].reason.starts_with("stopped after 5 pages"), "{:?}", batch.skipped);
}

#[tokio::test]
async fn hn_latest_finds_the_newest_hiring_thread_and_304_propagates() {
    let stories = r#"{"hits": [
        {"objectID": "300", "title": "Ask HN: Who wants to be hired? (July 2026)"},
        {"objectID": "299", "title": "Ask HN: Freelancer? Seeking freelancer? (July 2026)"},
        {"objectID": "298", "title": "Ask HN: Who is hiring? (July 2026)"}], "nbPages": 1}"#;
    let client = FakeClient::new(&[
        ("/api/v1/search_by_date?tags=story,author_whoishiring&hitsPerPage=20", Some(stories.into())),
        ("/api/v1/search?tags=comment,story_298&hitsPerPage=200&page=0", None),
    ]);
    let batch = fetch(&client, "hn:latest", None, &etag("\"e\"")).await.unwrap();
    assert!(batch.not_modified);
    assert_eq!(batch.validators, etag("\"e\""));
    assert_eq!(client.urls().len(), 2);

    let err = fetch(&FakeClient::default(), "hn:abc", None, &Validators::default()).await.unwrap_err();
    assert!(matches!(err, SourceError::BadSpec(_)), "{err}");
}

#[tokio::test]
async fn jsonld_fetches_the_page_as_a_page() {
    let page = "https://careers.example.org/jobs/software-engineer?src=feed";
    let client = FakeClient::new(&[(
        "/jobs/software-engineer?src=feed",
        Some(fixture("jsonld_google_docs_standard_jobposting.html")),
    )]);
    let batch = fetch(&client, &format!("jsonld:{page}"), Some("http://127.0.0.1:5000"), &etag("\"p\"")).await.unwrap();
    assert_eq!(batch.postings.len(), 1);
    assert_eq!(batch.postings[0].url.as_deref(), Some(page), "links stay on the real page");
    let requests = client.requests();
    assert_eq!(requests[0].url.as_str(), "http://127.0.0.1:5000/jobs/software-engineer?src=feed");
    assert!(requests[0].is_page, "robots.txt applies to pages");
    assert_eq!(requests[0].validators, etag("\"p\""));

    let client = FakeClient::new(&[("/jobs/software-engineer?src=feed", None)]);
    assert!(fetch(&client, &format!("jsonld:{page}"), None, &etag("\"p\"")).await.unwrap().not_modified);

    let client = FakeClient::new(&[("/jobs/software-engineer?src=feed", Some("<html><body>Hi</body></html>".into()))]);
    let batch = fetch(&client, &format!("jsonld:{page}"), None, &Validators::default()).await.unwrap();
    assert!(batch.postings.is_empty());
    assert_eq!(batch.skipped[0].reason, "no JobPosting JSON-LD found");
}
