//! The `Channel` port: one way of delivering an application (email, an ATS API, a webhook, the
//! sandbox). The submitter builds one [`Outgoing`] per application, records its idempotency key
//! *before* calling [`Channel::send`], and keeps the returned [`Audit`] (the exact bytes that
//! left) with the application.
//!
//! Error contract: [`SendError::Rejected`] (the receiver answered 4xx, or SMTP 5xx) is
//! permanent: the application waits for the user with the receiver's message.
//! [`SendError::Transient`] (5xx, timeouts, connection refused, SMTP 4xx) is retried, with the
//! same idempotency key. [`SendError::Config`] means the channel cannot be used as configured.
//! HTTP 408 and 429 are the exceptions among 4xx: they say "later", so they are transient.
//!
//! The adapters: [`SandboxChannel`] (sends nothing), [`EmailChannel`] (SMTP through `lettre`),
//! [`GreenhouseChannel`] and [`LeverChannel`] (the boards' public application APIs, multipart
//! forms) and [`WebhookChannel`] (signed JSON). Each is built once from its config and holds
//! one client; every network send is bounded by the config's `timeout` (default
//! [`DEFAULT_TIMEOUT`]).

pub mod email;
pub mod greenhouse;
mod http;
pub mod lever;
pub mod sandbox;
pub mod webhook;

pub use email::{EmailChannel, EmailConfig};
pub use greenhouse::{GreenhouseChannel, GreenhouseConfig};
pub use lever::{LeverChannel, LeverConfig};
pub use sandbox::SandboxChannel;
pub use webhook::{sign, verify, VerifyError, WebhookChannel, WebhookConfig};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// How long one send may take, connect to last byte, unless a config says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time in whole seconds since the Unix epoch, as the caller's clock tells it (webhook
/// timestamps, the email `Date`). Tests pass a fixed one; [`system_clock`] reads the machine's;
/// from the workspace's injected clock: `Arc::new(move || clock.now().timestamp())`.
pub type UnixClock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The machine's clock as a [`UnixClock`]: the default of the configs that need the time.
pub fn system_clock() -> UnixClock {
    Arc::new(system_unix_seconds)
}

// The one read of the system time in this crate: the workspace takes time from an injected
// clock, and this is the default a caller replaces (`UnixClock`) to control it.
#[allow(clippy::disallowed_methods)]
fn system_unix_seconds() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// A stable id of ours for a delivery whose receiver gives none: `{prefix}-` and the first 12
/// hex digits of SHA-256(`idempotency_key`), e.g. `sandbox-3f2a9c0d1e4b`.
pub fn fallback_confirmation(prefix: &str, idempotency_key: &str) -> String {
    let digest = Sha256::digest(idempotency_key.as_bytes());
    format!("{prefix}-{}", hex::encode(&digest[..6]))
}

/// The idempotency key of one application on one channel: hex SHA-256 of
/// `applyflow-submit:{user}:{job}:{channel}`, so the same (user, job, channel) always gets the
/// same key, whichever process or retry computes it.
pub fn idempotency_key(user_id: &str, job_id: &str, channel: &str) -> String {
    let digest = Sha256::digest(format!("applyflow-submit:{user_id}:{job_id}:{channel}").as_bytes());
    hex::encode(digest)
}

/// Where a channel delivers: the part of the posting that names the recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recipient {
    /// An email address the posting names.
    Email { address: String },
    /// A Greenhouse job: board token and job id.
    Greenhouse { board_token: String, job_id: String },
    /// A Lever posting: site name and posting id.
    Lever { site: String, posting_id: String },
    /// The configured webhook (the URL comes from configuration).
    Webhook,
    /// Nowhere: the sandbox.
    Sandbox,
}

impl Recipient {
    /// A short human description ("jobs@acme.example", "greenhouse acme/4012345", …).
    pub fn describe(&self) -> String {
        match self {
            Self::Email { address } => address.clone(),
            Self::Greenhouse { board_token, job_id } => format!("greenhouse {board_token}/{job_id}"),
            Self::Lever { site, posting_id } => format!("lever {site}/{posting_id}"),
            Self::Webhook => "the configured webhook".into(),
            Self::Sandbox => "the sandbox (nothing leaves this machine)".into(),
        }
    }
}

/// The person applying, as the profile states it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Applicant {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// A file that goes with the application (the exact bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as the receiver sees it, e.g. `Jane_Doe_resume.pdf`.
    pub name: String,
    pub content_type: String,
    #[serde(with = "b64")]
    pub bytes: Vec<u8>,
}

/// One answer to one of the job's own questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The receiver's field name (Greenhouse `question_123`, Lever card field, …).
    pub field: String,
    /// The question as the user saw it.
    pub label: String,
    pub value: String,
}

/// Everything one submission sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub idempotency_key: String,
    pub user_id: String,
    pub application_id: String,
    pub job_id: String,
    pub company: String,
    pub title: String,
    pub recipient: Recipient,
    pub applicant: Applicant,
    /// The plain-text cover note (email body; `cover_letter` / `comments` on ATS APIs).
    pub cover_note: String,
    pub attachments: Vec<Attachment>,
    pub answers: Vec<Answer>,
}

/// What left the machine, kept with the application and shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Audit {
    /// Request line or SMTP envelope, e.g. `POST http://…/v1/boards/acme/jobs/1` or
    /// `SMTP MAIL FROM:<a@x> RCPT TO:<b@y>`.
    pub target: String,
    /// Headers as sent, with secrets (Authorization, API keys in URLs, signatures' keys) replaced by `[redacted]`.
    pub headers: Vec<(String, String)>,
    /// The fields sent besides files (form fields, JSON body without files, or the MIME text parts).
    pub fields: Vec<(String, String)>,
    /// The whole body as sent when the channel builds it itself (the RFC 5322 message for
    /// email, the JSON for the webhook); empty for multipart forms (see `fields` + attachments).
    #[serde(with = "b64")]
    pub body: Vec<u8>,
}

/// A successful delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The receiver's id for it when it gives one, else a stable id of ours (e.g. Message-ID).
    pub confirmation: String,
    pub audit: Audit,
}

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The receiver refused it (HTTP 4xx, SMTP 5xx): the user must act. `message` is the receiver's.
    #[error("{channel} refused the application ({status}): {message}")]
    Rejected { channel: String, status: String, message: String },
    /// Worth retrying with the same key (HTTP 5xx, timeout, connection error, SMTP 4xx).
    #[error("{channel} is unavailable: {message}")]
    Transient { channel: String, message: String },
    /// The channel cannot be used as configured (missing key, bad URL, no recipient of its kind).
    #[error("{channel} is not usable: {message}")]
    Config { channel: String, message: String },
}

impl SendError {
    /// Whether the request may have reached the receiver even though no answer came back (a
    /// time-out after the request left, or a connection lost mid-way). A refused connection, an
    /// HTTP 5xx or an SMTP 4xx is a known non-delivery; a resend without an idempotency key
    /// after a possible delivery could deliver twice.
    pub fn maybe_delivered(&self) -> bool {
        match self {
            Self::Transient { message, .. } => {
                !(message.starts_with("HTTP ")
                    || message.starts_with("SMTP ")
                    || message.starts_with("cannot connect")
                    || message.starts_with("unexpected HTTP")
                    || message.contains("onnection refused"))
            }
            Self::Rejected { .. } | Self::Config { .. } => false,
        }
    }
}

/// One way of delivering applications.
#[async_trait]
pub trait Channel: Send + Sync {
    /// `email`, `greenhouse`, `lever`, `webhook` or `sandbox`.
    fn name(&self) -> &'static str;
    /// Whether the receiver deduplicates by our idempotency key (so a keyed resend after a
    /// crash is answered, not applied twice).
    fn accepts_idempotency_key(&self) -> bool;
    /// Delivers `msg`. Must not retry internally: the submitter owns retries.
    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError>;
}

/// Base64 (standard alphabet) for byte fields in JSON.
mod b64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(s).map_err(serde::de::Error::custom)
    }
}
