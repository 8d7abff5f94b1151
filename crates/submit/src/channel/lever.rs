//! Lever's Postings API: `POST {base}/v0/postings/{site}/{posting_id}?key={api_key}` as
//! multipart/form-data.
//!
//! Form fields: `name` (first and last), `email`, `phone` (when known), `comments` (the cover
//! note, when not empty), each answer under its own `field` name, and `resume`: the first PDF
//! attachment (or the first attachment when none is a PDF) as a file part. Other attachments
//! are not sent. Success answers `{"ok":true,"applicationId":"…"}`; a 2xx with `"ok":false` is
//! taken as a refusal. The audit shows the URL as `?key=[redacted]`. Lever does not
//! deduplicate by our key.

use super::http::{self, USER_AGENT};
use super::{fallback_confirmation, Audit, Channel, Outgoing, Receipt, Recipient, SendError, DEFAULT_TIMEOUT};
use async_trait::async_trait;
use reqwest::multipart::Form;
use reqwest::{StatusCode, Url};
use std::time::Duration;

const CHANNEL: &str = "lever";

/// Lever's public API.
pub const LEVER_API: &str = "https://api.lever.co";

/// How to reach Lever. `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct LeverConfig {
    /// [`LEVER_API`] unless testing.
    pub base_url: String,
    /// The Postings API key (sent as the `key` query parameter).
    pub api_key: String,
    /// Bounds one whole request (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
}

impl LeverConfig {
    /// The public API with `api_key` and the default timeout.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self { base_url: LEVER_API.to_owned(), api_key: api_key.into(), timeout: DEFAULT_TIMEOUT }
    }
}

impl std::fmt::Debug for LeverConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeverConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &http::REDACTED)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Applies through the Lever Postings API; needs [`Recipient::Lever`].
#[derive(Clone)]
pub struct LeverChannel {
    http: reqwest::Client,
    base: Url,
    api_key: String,
    timeout: Duration,
}

impl std::fmt::Debug for LeverChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeverChannel").field("base", &self.base).field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

impl LeverChannel {
    /// Checks the base URL and key and builds the client; [`SendError::Config`] when unusable.
    pub fn new(config: LeverConfig) -> Result<Self, SendError> {
        if config.api_key.trim().is_empty() {
            return Err(http::config(CHANNEL, "no API key configured".into()));
        }
        Ok(Self {
            http: http::client(CHANNEL, config.timeout)?,
            base: http::parse_url(CHANNEL, "base url", &config.base_url)?,
            api_key: config.api_key,
            timeout: config.timeout,
        })
    }
}

/// The text fields of the form, in the order they are sent.
fn form_fields(msg: &Outgoing) -> Vec<(String, String)> {
    let applicant = &msg.applicant;
    let name = format!("{} {}", applicant.first_name.trim(), applicant.last_name.trim()).trim().to_owned();
    let mut fields = vec![("name".to_owned(), name), ("email".to_owned(), applicant.email.clone())];
    if let Some(phone) = applicant.phone.as_ref().filter(|p| !p.trim().is_empty()) {
        fields.push(("phone".to_owned(), phone.clone()));
    }
    if !msg.cover_note.trim().is_empty() {
        fields.push(("comments".to_owned(), msg.cover_note.clone()));
    }
    fields.extend(msg.answers.iter().map(|a| (a.field.clone(), a.value.clone())));
    fields
}

#[async_trait]
impl Channel for LeverChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts_idempotency_key(&self) -> bool {
        false
    }

    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let Recipient::Lever { site, posting_id } = &msg.recipient else {
            return Err(http::config(CHANNEL, format!("cannot deliver to {}", msg.recipient.describe())));
        };
        let mut url = http::endpoint(CHANNEL, &self.base, &["v0", "postings", site, posting_id])?;
        url.query_pairs_mut().append_pair("key", &self.api_key);
        let fields = form_fields(msg);
        let mut form = fields.iter().fold(Form::new(), |form, (k, v)| form.text(k.clone(), v.clone()));
        if let Some(resume) = http::resume(&msg.attachments) {
            form = form.part("resume", http::file_part(CHANNEL, resume)?);
        }
        let request = self
            .http
            .post(url.clone())
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .multipart(form)
            .build()
            // reqwest's builder errors can quote the URL, and so the key: name the cause alone.
            .map_err(|_| http::config(CHANNEL, "cannot build the request".into()))?;
        let audit = Audit {
            target: format!("POST {}", http::redacted_url(&url)),
            headers: http::audit_headers(request.headers()),
            fields,
            body: Vec::new(),
        };
        let body = http::execute(CHANNEL, &self.http, request, self.timeout)
            .await
            .map_err(|e| redact_key(e, &self.api_key))?;
        if serde_json::from_slice::<serde_json::Value>(&body).is_ok_and(|json| json.get("ok") == Some(&false.into())) {
            return Err(SendError::Rejected {
                channel: CHANNEL.to_owned(),
                status: "ok=false".to_owned(),
                message: http::error_message(StatusCode::OK, &body),
            });
        }
        let confirmation = http::confirmation_from_json(&body, &["applicationId", "id"])
            .unwrap_or_else(|| fallback_confirmation(CHANNEL, &msg.idempotency_key));
        Ok(Receipt { confirmation, audit })
    }
}

/// reqwest's transport errors quote the URL, and Lever's URL carries the key.
fn redact_key(error: SendError, key: &str) -> SendError {
    let clean = |text: String| text.replace(key, http::REDACTED);
    match error {
        SendError::Rejected { channel, status, message } => {
            SendError::Rejected { channel, status, message: clean(message) }
        }
        SendError::Transient { channel, message } => SendError::Transient { channel, message: clean(message) },
        SendError::Config { channel, message } => SendError::Config { channel, message: clean(message) },
    }
}
