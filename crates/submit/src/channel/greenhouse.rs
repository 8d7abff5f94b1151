//! Greenhouse's Job Board API: `POST {base}/v1/boards/{board_token}/jobs/{job_id}` as
//! multipart/form-data, HTTP Basic auth with the API key as user name and an empty password.
//!
//! Form fields: `first_name`, `last_name`, `email`, `phone` (when known), `cover_letter_text`
//! (the cover note, when not empty), each answer under its own `field` name (`question_123`),
//! and `resume`: the first PDF attachment (or the first attachment when none is a PDF) as a
//! file part. Other attachments are not sent. Greenhouse does not deduplicate by our key.

use super::http::{self, USER_AGENT};
use super::{fallback_confirmation, Audit, Channel, Outgoing, Receipt, Recipient, SendError, DEFAULT_TIMEOUT};
use async_trait::async_trait;
use reqwest::multipart::Form;
use reqwest::Url;
use std::time::Duration;

const CHANNEL: &str = "greenhouse";

/// Greenhouse's public Job Board API.
pub const GREENHOUSE_API: &str = "https://boards-api.greenhouse.io";

/// How to reach Greenhouse. `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct GreenhouseConfig {
    /// [`GREENHOUSE_API`] unless testing.
    pub base_url: String,
    /// The Job Board API key (Basic auth user name).
    pub api_key: String,
    /// Bounds one whole request (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
}

impl GreenhouseConfig {
    /// The public API with `api_key` and the default timeout.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self { base_url: GREENHOUSE_API.to_owned(), api_key: api_key.into(), timeout: DEFAULT_TIMEOUT }
    }
}

impl std::fmt::Debug for GreenhouseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreenhouseConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &http::REDACTED)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Applies through the Greenhouse Job Board API; needs [`Recipient::Greenhouse`].
#[derive(Clone)]
pub struct GreenhouseChannel {
    http: reqwest::Client,
    base: Url,
    api_key: String,
    timeout: Duration,
}

impl std::fmt::Debug for GreenhouseChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GreenhouseChannel")
            .field("base", &self.base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl GreenhouseChannel {
    /// Checks the base URL and key and builds the client; [`SendError::Config`] when unusable.
    pub fn new(config: GreenhouseConfig) -> Result<Self, SendError> {
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
    let mut fields = vec![
        ("first_name".to_owned(), applicant.first_name.clone()),
        ("last_name".to_owned(), applicant.last_name.clone()),
        ("email".to_owned(), applicant.email.clone()),
    ];
    if let Some(phone) = applicant.phone.as_ref().filter(|p| !p.trim().is_empty()) {
        fields.push(("phone".to_owned(), phone.clone()));
    }
    if !msg.cover_note.trim().is_empty() {
        fields.push(("cover_letter_text".to_owned(), msg.cover_note.clone()));
    }
    fields.extend(msg.answers.iter().map(|a| (a.field.clone(), a.value.clone())));
    fields
}

#[async_trait]
impl Channel for GreenhouseChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts_idempotency_key(&self) -> bool {
        false
    }

    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let Recipient::Greenhouse { board_token, job_id } = &msg.recipient else {
            return Err(http::config(CHANNEL, format!("cannot deliver to {}", msg.recipient.describe())));
        };
        let url = http::endpoint(CHANNEL, &self.base, &["v1", "boards", board_token, "jobs", job_id])?;
        let fields = form_fields(msg);
        let mut form = fields.iter().fold(Form::new(), |form, (k, v)| form.text(k.clone(), v.clone()));
        if let Some(resume) = http::resume(&msg.attachments) {
            form = form.part("resume", http::file_part(CHANNEL, resume)?);
        }
        let request = self
            .http
            .post(url.clone())
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .basic_auth(&self.api_key, Some(""))
            .multipart(form)
            .build()
            .map_err(|e| http::config(CHANNEL, format!("cannot build the request: {}", http::error_chain(&e))))?;
        let audit = Audit {
            target: format!("POST {}", http::redacted_url(&url)),
            headers: http::audit_headers(request.headers()),
            fields,
            body: Vec::new(),
        };
        let body = http::execute(CHANNEL, &self.http, request, self.timeout).await?;
        let confirmation = http::confirmation_from_json(&body, &["id", "application_id", "applicationId"])
            .unwrap_or_else(|| fallback_confirmation(CHANNEL, &msg.idempotency_key));
        Ok(Receipt { confirmation, audit })
    }
}
