//! `fetch_source` for the ATS boards (Greenhouse, Lever, Ashby, Workable, SmartRecruiters,
//! Recruitee) through a fake HTTP client: real paths and queries, `--base-url` origins,
//! pagination, detail calls and conditional requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use discovery::sources::{FetchError, HttpRequest, HttpResponse, SourceBatch, SourceError, Validators};
use discovery::{fetch_source, HttpClient, SourceSpec};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use url::Url;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

enum Reply {
    Body(String),
    NotModified,
}

type Handler = Box<dyn Fn(&str) -> Option<Reply> + Send + Sync>;

/// Answers by `path?query`; anything else is a 404. Records every request.
struct Fake {
    handler: Handler,
    requests: Mutex<Vec<HttpRequest>>,
}

impl Fake {
    fn routes(routes: Vec<(&str, Reply)>) -> Self {
        let map: HashMap<String, Reply> = routes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Self::with(move |key| match map.get(key)? {
            Reply::Body(b) => Some(Reply::Body(b.clone())),
            Reply::NotModified => Some(Reply::NotModified),
        })
    }

    fn with(handler: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static) -> Self {
        Self { handler: Box::new(handler), requests: Mutex::new(Vec::new()) }
    }

    fn urls(&self) -> Vec<String> {
        self.requests.lock().unwrap().iter().map(|r| r.url.to_string()).collect()
    }

    fn paths(&self) -> Vec<String> {
        self.requests.lock().unwrap().iter().map(|r| key(&r.url)).collect()
    }
}

fn key(url: &Url) -> String {
    format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

fn etag(tag: &str) -> Validators {
    Validators { etag: Some(tag.to_owned()), last_modified: None }
}

#[async_trait]
impl HttpClient for Fake {
    async fn get(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError> {
        self.requests.lock().unwrap().push(req.clone());
        match (self.handler)(&key(&req.url)) {
            Some(Reply::Body(body)) => Ok(HttpResponse::Ok { body, validators: etag("\"served\"") }),
            Some(Reply::NotModified) => Ok(HttpResponse::NotModified),
            None => Err(FetchError::Status { status: 404, url: req.url.to_string() }),
        }
    }
}

async fn run(client: &Fake, spec: &str, base: Option<&str>) -> Result<SourceBatch, SourceError> {
    let spec: SourceSpec = spec.parse().unwrap();
    let base = base.map(|b| Url::parse(b).unwrap());
    fetch_source(client, &spec, base.as_ref(), &etag("\"old\"")).await
}

const BASE: &str = "http://127.0.0.1:8099";

#[tokio::test]
async fn greenhouse_lists_then_fetches_questions() {
    let mut detail: Value = serde_json::from_str(&fixture("greenhouse_job_questions.json")).unwrap();
    detail["id"] = json!(5311686008_u64);
    let client = Fake::routes(vec![
        ("/v1/boards/anthropic/jobs?content=true", Reply::Body(fixture("greenhouse_jobs.json"))),
        ("/v1/boards/anthropic/jobs/5311686008?questions=true", Reply::Body(detail.to_string())),
        // Another job's answer must not land on this one.
        ("/v1/boards/anthropic/jobs/5215052008?questions=true", Reply::Body(fixture("greenhouse_job_questions.json"))),
    ]);
    let batch = run(&client, "greenhouse:anthropic", Some(BASE)).await.unwrap();
    assert_eq!((batch.postings.len(), batch.skipped.len(), batch.not_modified), (4, 0, false));
    assert_eq!(batch.validators, etag("\"served\""));
    let form = batch.postings[0].application_questions.as_ref().unwrap();
    assert_eq!(form["questions"].as_array().unwrap().len(), 11);
    assert_eq!(batch.postings[0].salary_text.as_deref(), Some("50 – 70 USD"));
    assert!(batch.postings[1..].iter().all(|p| p.application_questions.is_none()), "failed details keep the posting");
    assert_eq!(
        client.urls(),
        [
            "http://127.0.0.1:8099/v1/boards/anthropic/jobs?content=true",
            "http://127.0.0.1:8099/v1/boards/anthropic/jobs/5311686008?questions=true",
            "http://127.0.0.1:8099/v1/boards/anthropic/jobs/5215052008?questions=true",
            "http://127.0.0.1:8099/v1/boards/anthropic/jobs/5023394008?questions=true",
            "http://127.0.0.1:8099/v1/boards/anthropic/jobs/5101378008?questions=true",
        ]
    );
    let reqs = client.requests.lock().unwrap();
    assert_eq!(reqs[0].validators, etag("\"old\""), "the listing is conditional");
    assert!(reqs[1..].iter().all(|r| r.validators == Validators::default() && !r.is_page));
}

#[tokio::test]
async fn real_origins_without_a_base() {
    let client = Fake::routes(vec![]);
    for spec in
        ["greenhouse:acme", "lever:acme", "ashby:acme", "workable:acme", "smartrecruiters:acme", "recruitee:acme"]
    {
        assert!(matches!(
            run(&client, spec, None).await,
            Err(SourceError::Fetch(FetchError::Status { status: 404, .. }))
        ));
    }
    assert_eq!(
        client.urls(),
        [
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
            "https://api.lever.co/v0/postings/acme?mode=json&skip=0&limit=100",
            "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true",
            "https://apply.workable.com/api/v1/widget/accounts/acme?details=true",
            "https://api.smartrecruiters.com/v1/companies/acme/postings?limit=100&offset=0",
            "https://acme.recruitee.com/api/offers/",
        ]
    );
}

#[tokio::test]
async fn not_modified_is_propagated() {
    for (spec, path) in [
        ("greenhouse:anthropic", "/v1/boards/anthropic/jobs?content=true"),
        ("lever:spotify", "/v0/postings/spotify?mode=json&skip=0&limit=100"),
        ("ashby:ramp", "/posting-api/job-board/ramp?includeCompensation=true"),
        ("workable:kroo", "/api/v1/widget/accounts/kroo?details=true"),
        ("smartrecruiters:Gousto1", "/v1/companies/Gousto1/postings?limit=100&offset=0"),
        ("recruitee:radishlab", "/api/offers/"),
    ] {
        let client = Fake::routes(vec![(path, Reply::NotModified)]);
        let batch = run(&client, spec, Some(BASE)).await.unwrap();
        assert!(batch.not_modified && batch.postings.is_empty(), "{spec}");
        assert_eq!(client.paths(), [path], "{spec}: nothing after a 304");
    }
}

#[tokio::test]
async fn single_answer_boards() {
    let client = Fake::routes(vec![
        (
            "/posting-api/job-board/ramp?includeCompensation=true",
            Reply::Body(fixture("ashby_jobs_compensation_tiers.json")),
        ),
        ("/api/v1/widget/accounts/kroo?details=true", Reply::Body(fixture("workable_widget_accounts_details.json"))),
        ("/api/offers/", Reply::Body(fixture("recruitee_offers.json"))),
    ]);
    assert_eq!(run(&client, "ashby:ramp", Some(BASE)).await.unwrap().postings.len(), 4);
    assert_eq!(run(&client, "workable:kroo", Some(BASE)).await.unwrap().postings.len(), 7);
    let batch = run(&client, "recruitee:radishlab", Some("https://mock.test:9443")).await.unwrap();
    assert_eq!((batch.postings.len(), batch.validators), (4, etag("\"served\"")));
    assert_eq!(client.urls()[2], "https://mock.test:9443/api/offers/", "the subdomain origin is replaced too");
    assert_eq!(client.requests.lock().unwrap().len(), 3);
}

/// `n` Lever postings with ids `{prefix}-{i}`.
fn lever_page(prefix: &str, n: usize) -> String {
    Value::Array((0..n).map(|i| json!({"id": format!("{prefix}-{i}"), "text": "Engineer"})).collect()).to_string()
}

#[tokio::test]
async fn lever_follows_skip_and_limit_until_a_short_page() {
    let client = Fake::routes(vec![
        ("/v0/postings/acme?mode=json&skip=0&limit=100", Reply::Body(lever_page("a", 100))),
        ("/v0/postings/acme?mode=json&skip=100&limit=100", Reply::Body(lever_page("b", 100))),
        ("/v0/postings/acme?mode=json&skip=200&limit=100", Reply::Body(lever_page("c", 7))),
    ]);
    let batch = run(&client, "lever:acme", Some(BASE)).await.unwrap();
    assert_eq!(batch.postings.len(), 207);
    assert_eq!(client.requests.lock().unwrap().len(), 3);
    assert_eq!(batch.postings[206].source_id, "c-6");

    let client = Fake::routes(vec![(
        "/v0/postings/spotify?mode=json&skip=0&limit=100",
        Reply::Body(fixture("lever_postings.json")),
    )]);
    assert_eq!(run(&client, "lever:spotify", None).await.unwrap().postings.len(), 4);
    assert_eq!(client.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn paginators_that_never_end_are_stopped() {
    // Ignores `skip`: page one forever. The second answer adds nothing, so it stops there.
    let client = Fake::with(|_| Some(Reply::Body(lever_page("same", 100))));
    assert_eq!(run(&client, "lever:acme", None).await.unwrap().postings.len(), 100);
    assert_eq!(client.requests.lock().unwrap().len(), 2);
    // Fresh postings on every page, forever: the page cap ends it.
    let client = Fake::with(|key| Some(Reply::Body(lever_page(key, 100))));
    assert_eq!(run(&client, "lever:acme", None).await.unwrap().postings.len(), 5000);
    assert_eq!(client.requests.lock().unwrap().len(), 50);
}

fn sr_page(total: usize, from: usize, n: usize) -> String {
    let content: Vec<Value> = (from..from + n).map(|i| json!({"id": format!("{i}"), "name": "Analyst"})).collect();
    json!({"offset": from, "limit": 100, "totalFound": total, "content": content}).to_string()
}

#[tokio::test]
async fn smartrecruiters_pages_by_offset_then_fetches_details() {
    let client = Fake::routes(vec![
        ("/v1/companies/acme/postings?limit=100&offset=0", Reply::Body(sr_page(130, 0, 100))),
        ("/v1/companies/acme/postings?limit=100&offset=100", Reply::Body(sr_page(130, 100, 30))),
    ]);
    let batch = run(&client, "smartrecruiters:acme", Some(BASE)).await.unwrap();
    assert_eq!(batch.postings.len(), 130);
    let paths = client.paths();
    assert_eq!(paths.len(), 2 + 130, "two pages, then one detail call per posting");
    assert_eq!(paths[1], "/v1/companies/acme/postings?limit=100&offset=100");
    assert_eq!(paths[2], "/v1/companies/acme/postings/0");
    assert_eq!(batch.postings[0].url.as_deref(), Some("https://jobs.smartrecruiters.com/acme/0"));

    let client = Fake::routes(vec![
        ("/v1/companies/Gousto1/postings?limit=100&offset=0", Reply::Body(fixture("smartrecruiters_postings.json"))),
        ("/v1/companies/Gousto1/postings/744000005631445", Reply::Body(fixture("smartrecruiters_posting_detail.json"))),
    ]);
    let batch = run(&client, "smartrecruiters:Gousto1", None).await.unwrap();
    assert_eq!((batch.postings.len(), client.requests.lock().unwrap().len()), (15, 16));
    let p = &batch.postings[0];
    assert!(p.description_html.as_deref().unwrap().contains("<h3>Job Description</h3>"));
    assert_eq!(p.url.as_deref(), Some("https://jobs.smartrecruiters.com/Gousto1/744000005631445-product-manager"));
    assert!(p.apply_url.as_deref().unwrap().ends_with("?oga=true"));
    assert_eq!(batch.postings[1].description_html, None, "its detail call failed; the posting stays");
}

#[tokio::test]
async fn broken_listings_and_bad_ids_are_errors() {
    let client =
        Fake::routes(vec![("/v0/postings/acme?mode=json&skip=0&limit=100", Reply::Body("<html>hi</html>".into()))]);
    let e = run(&client, "lever:acme", None).await.unwrap_err();
    assert!(matches!(e, SourceError::Malformed { .. }) && e.to_string().contains("lever"), "{e}");
    let e = run(&client, "greenhouse:..", None).await.unwrap_err();
    assert!(matches!(e, SourceError::BadSpec(_)), "{e}");
}
