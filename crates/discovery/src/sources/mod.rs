//! Job-board adapters. Each board is one module with a pure `parse` (board response → raw
//! postings) and an async `fetch` that walks the board's endpoints (pagination, detail calls)
//! through the [`HttpClient`] port. The real HTTP client (SSRF guard, rate limits, robots.txt,
//! retries, size limits) lives in the `fetch` crate; tests use fakes or loopback servers.

mod ashby;
mod ats_json;
mod greenhouse;
mod hn;
mod jsonld;
mod lever;
mod recruitee;
mod remoteok;
mod remotive;
mod rss;
mod smartrecruiters;
mod workable;

pub use ashby::parse as parse_ashby;
pub use greenhouse::parse as parse_greenhouse;
pub use hn::parse as parse_hn;
pub use jsonld::parse as parse_jsonld;
pub use lever::parse as parse_lever;
pub use recruitee::parse as parse_recruitee;
pub use remoteok::parse as parse_remoteok;
pub use remotive::parse as parse_remotive;
pub use rss::parse as parse_rss;
pub use smartrecruiters::parse as parse_smartrecruiters;
pub use workable::parse as parse_workable;

use crate::raw::RawPosting;
use async_trait::async_trait;
use std::fmt;
use std::str::FromStr;
use url::Url;

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    Greenhouse,
    Lever,
    Ashby,
    Workable,
    SmartRecruiters,
    Recruitee,
    RemoteOk,
    Remotive,
    Rss,
    Hn,
    JsonLd,
}

impl SourceKind {
    pub const ALL: [Self; 11] = [
        Self::Greenhouse,
        Self::Lever,
        Self::Ashby,
        Self::Workable,
        Self::SmartRecruiters,
        Self::Recruitee,
        Self::RemoteOk,
        Self::Remotive,
        Self::Rss,
        Self::Hn,
        Self::JsonLd,
    ];

    /// The prefix in `applyflow sources add KIND:ID` and the `source` of its postings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Greenhouse => "greenhouse",
            Self::Lever => "lever",
            Self::Ashby => "ashby",
            Self::Workable => "workable",
            Self::SmartRecruiters => "smartrecruiters",
            Self::Recruitee => "recruitee",
            Self::RemoteOk => "remoteok",
            Self::Remotive => "remotive",
            Self::Rss => "rss",
            Self::Hn => "hn",
            Self::JsonLd => "jsonld",
        }
    }

    /// The real API's origin. `--base-url` replaces scheme, host and port; paths stay real.
    /// For `rss` and `jsonld` the id is itself a URL and this is unused.
    pub fn default_base(self) -> &'static str {
        match self {
            Self::Greenhouse => "https://boards-api.greenhouse.io",
            Self::Lever => "https://api.lever.co",
            Self::Ashby => "https://api.ashbyhq.com",
            Self::Workable => "https://apply.workable.com",
            Self::SmartRecruiters => "https://api.smartrecruiters.com",
            // Recruitee boards live on the company's own subdomain: https://{id}.recruitee.com
            Self::Recruitee => "https://recruitee.com",
            Self::RemoteOk => "https://remoteok.com",
            Self::Remotive => "https://remotive.com",
            Self::Rss => "https://weworkremotely.com",
            Self::Hn => "https://hn.algolia.com",
            Self::JsonLd => "https://example.com",
        }
    }

    /// Whether fetching it scrapes a web page (robots.txt applies) rather than calling an API.
    pub fn is_page(self) -> bool {
        matches!(self, Self::JsonLd)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured source: `greenhouse:anthropic`, `rss:https://…`, `remoteok:all`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceSpec {
    pub kind: SourceKind,
    pub id: String,
}

impl fmt::Display for SourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

impl FromStr for SourceSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, id) = s.split_once(':').ok_or_else(|| format!("expected KIND:ID, got {s:?}"))?;
        let kind = SourceKind::ALL.into_iter().find(|k| k.as_str() == kind.trim()).ok_or_else(|| {
            let kinds: Vec<_> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown source kind {kind:?}; one of {}", kinds.join(", "))
        })?;
        let id = id.trim();
        if id.is_empty() {
            return Err(format!("{kind}: the id after `:` is empty"));
        }
        if matches!(kind, SourceKind::Rss | SourceKind::JsonLd) {
            let u = Url::parse(id).map_err(|e| format!("{kind}: {id:?} is not a URL ({e})"))?;
            if !matches!(u.scheme(), "http" | "https") {
                return Err(format!("{kind}: only http(s) URLs are allowed"));
            }
        } else if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(format!("{kind}: {id:?} may only contain letters, digits, '-', '_' and '.'"));
        }
        Ok(Self { kind, id: id.to_owned() })
    }
}

/// HTTP cache validators for conditional requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// One GET.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub url: Url,
    /// Sent as `If-None-Match` / `If-Modified-Since`.
    pub validators: Validators,
    /// A web page (robots.txt applies) rather than an API.
    pub is_page: bool,
}

impl HttpRequest {
    pub fn api(url: Url) -> Self {
        Self { url, validators: Validators::default(), is_page: false }
    }
}

/// A response.
#[derive(Debug, Clone)]
pub enum HttpResponse {
    Ok {
        body: String,
        validators: Validators,
    },
    /// 304: nothing changed since the validators.
    NotModified,
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("refused to connect to {0}: private, loopback or link-local address (allow-list it to permit)")]
    Blocked(String),
    #[error("robots.txt disallows {0}")]
    RobotsDisallowed(String),
    #[error("response larger than the {limit}-byte limit")]
    TooLarge { limit: usize },
    #[error("HTTP {status} from {url}")]
    Status { status: u16, url: String },
    #[error("timed out: {0}")]
    Timeout(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
}

/// The HTTP port the adapters use.
#[async_trait]
pub trait HttpClient: Send + Sync {
    async fn get(&self, req: &HttpRequest) -> Result<HttpResponse, FetchError>;
}

/// A posting an adapter could not read, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub source_id: Option<String>,
    pub reason: String,
}

/// What one fetch of one source gave.
#[derive(Debug, Clone, Default)]
pub struct SourceBatch {
    pub postings: Vec<RawPosting>,
    pub skipped: Vec<Skipped>,
    /// Validators of the listing response, for the next conditional request.
    pub validators: Validators,
    /// The listing answered 304: nothing changed (postings is empty; keep the previous ones).
    pub not_modified: bool,
}

/// Why a whole source could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{source_kind} response is malformed: {message}")]
    Malformed { source_kind: SourceKind, message: String },
    #[error("{0}")]
    BadSpec(String),
}

impl SourceError {
    pub fn malformed(kind: SourceKind, message: impl fmt::Display) -> Self {
        Self::Malformed { source_kind: kind, message: message.to_string() }
    }
}

/// `base` with the scheme, host and port of `origin` (the `--base-url` rule: paths stay real).
pub fn rebase(url: &Url, origin: Option<&Url>) -> Url {
    let Some(o) = origin else { return url.clone() };
    let mut u = url.clone();
    let _ = u.set_scheme(o.scheme());
    let _ = u.set_host(o.host_str());
    let _ = u.set_port(o.port());
    u
}

/// Builds `origin + path` where origin is the kind's real base or `base_override`.
pub fn api_url(kind: SourceKind, base_override: Option<&Url>, path_and_query: &str) -> Result<Url, SourceError> {
    let base = Url::parse(kind.default_base()).map_err(|e| SourceError::BadSpec(e.to_string()))?;
    let url = base.join(path_and_query).map_err(|e| SourceError::BadSpec(format!("{path_and_query}: {e}")))?;
    Ok(rebase(&url, base_override))
}

/// Fetches one source: every page of its listing (and detail calls where the board needs
/// them), conditional on `validators`.
pub async fn fetch_source(
    client: &dyn HttpClient,
    spec: &SourceSpec,
    base_override: Option<&Url>,
    validators: &Validators,
) -> Result<SourceBatch, SourceError> {
    let id = spec.id.as_str();
    match spec.kind {
        SourceKind::Greenhouse => greenhouse::fetch(client, id, base_override, validators).await,
        SourceKind::Lever => lever::fetch(client, id, base_override, validators).await,
        SourceKind::Ashby => ashby::fetch(client, id, base_override, validators).await,
        SourceKind::Workable => workable::fetch(client, id, base_override, validators).await,
        SourceKind::SmartRecruiters => smartrecruiters::fetch(client, id, base_override, validators).await,
        SourceKind::Recruitee => recruitee::fetch(client, id, base_override, validators).await,
        SourceKind::RemoteOk => remoteok::fetch(client, id, base_override, validators).await,
        SourceKind::Remotive => remotive::fetch(client, id, base_override, validators).await,
        SourceKind::Rss => rss::fetch(client, id, base_override, validators).await,
        SourceKind::Hn => hn::fetch(client, id, base_override, validators).await,
        SourceKind::JsonLd => jsonld::fetch(client, id, base_override, validators).await,
    }
}
