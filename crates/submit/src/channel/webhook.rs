//! The webhook channel: POSTs the whole [`Outgoing`] as JSON (attachments base64) to a
//! configured URL, signed so the receiver can tell it came from us and is fresh.
//!
//! Headers: `Content-Type: application/json`, `Idempotency-Key: {key}` (the receiver
//! deduplicates by it), `X-Applyflow-Timestamp: {unix seconds}` and
//! `X-Applyflow-Signature: v1={hex HMAC-SHA256(secret, "{timestamp}.{body}")}`. A receiver
//! checks both with [`verify`]. Any recipient kind is accepted: the JSON carries it.

use super::http::{self, USER_AGENT};
use super::{
    fallback_confirmation, system_clock, Audit, Channel, Outgoing, Receipt, SendError, UnixClock, DEFAULT_TIMEOUT,
};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use reqwest::header::CONTENT_TYPE;
use reqwest::Url;
use sha2::Sha256;
use std::time::Duration;

const CHANNEL: &str = "webhook";

/// The request header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The request header carrying the signing time, Unix seconds.
pub const TIMESTAMP_HEADER: &str = "X-Applyflow-Timestamp";
/// The request header carrying the signature, `v1={hex}`.
pub const SIGNATURE_HEADER: &str = "X-Applyflow-Signature";
/// How far a timestamp may be from the receiver's clock, either way, by default.
pub const DEFAULT_REPLAY_WINDOW_SECS: u64 = 300;

/// Where and how to sign. `Debug` hides the secret.
#[derive(Clone)]
pub struct WebhookConfig {
    /// The receiver, http(s).
    pub url: String,
    /// The shared HMAC secret; must not be empty.
    pub secret: String,
    /// Bounds one whole request (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// Gives the timestamp that is signed (default [`system_clock`]).
    pub clock: UnixClock,
}

impl WebhookConfig {
    /// `url` and `secret` with the default timeout and the system clock.
    pub fn new(url: impl Into<String>, secret: impl Into<String>) -> Self {
        Self { url: url.into(), secret: secret.into(), timeout: DEFAULT_TIMEOUT, clock: system_clock() }
    }
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url)
            .field("secret", &http::REDACTED)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Delivers applications as signed JSON to one URL.
#[derive(Clone)]
pub struct WebhookChannel {
    http: reqwest::Client,
    url: Url,
    secret: String,
    timeout: Duration,
    clock: UnixClock,
}

impl std::fmt::Debug for WebhookChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookChannel")
            .field("url", &http::redacted_url(&self.url))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl WebhookChannel {
    /// Checks the URL and secret and builds the client; [`SendError::Config`] when unusable.
    pub fn new(config: WebhookConfig) -> Result<Self, SendError> {
        if config.secret.is_empty() {
            return Err(http::config(CHANNEL, "no signing secret configured".into()));
        }
        Ok(Self {
            http: http::client(CHANNEL, config.timeout)?,
            url: http::parse_url(CHANNEL, "url", &config.url)?,
            secret: config.secret,
            timeout: config.timeout,
            clock: config.clock,
        })
    }
}

#[async_trait]
impl Channel for WebhookChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    fn accepts_idempotency_key(&self) -> bool {
        true
    }

    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let body = serde_json::to_vec(msg)
            .map_err(|e| http::config(CHANNEL, format!("cannot serialize the application: {e}")))?;
        let timestamp = (self.clock)();
        let request = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_HEADER, &msg.idempotency_key)
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, sign(self.secret.as_bytes(), timestamp, &body))
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .body(body.clone())
            .build()
            .map_err(|e| http::config(CHANNEL, format!("cannot build the request: {}", e.without_url())))?;
        let audit = Audit {
            target: format!("POST {}", http::redacted_url(&self.url)),
            headers: http::audit_headers(request.headers()),
            fields: json_fields(&body),
            body,
        };
        let answer = http::execute(CHANNEL, &self.http, request, self.timeout).await?;
        let confirmation = http::confirmation_from_json(&answer, &["id", "confirmation"])
            .unwrap_or_else(|| fallback_confirmation(CHANNEL, &msg.idempotency_key));
        Ok(Receipt { confirmation, audit })
    }
}

/// The JSON body's top-level fields except the attachments: strings as they are, anything
/// else as compact JSON.
fn json_fields(body: &[u8]) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else { return Vec::new() };
    map.into_iter()
        .filter(|(k, _)| k != "attachments")
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; the error exists only for fixed-size MACs.
    Hmac::<Sha256>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"))
}

/// The `X-Applyflow-Signature` value for `body` sent at `timestamp`:
/// `v1=` and hex HMAC-SHA256(`secret`, `"{timestamp}.{body}"`).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = mac(secret);
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Why a webhook request did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the timestamp header {0:?} is not Unix seconds")]
    BadTimestamp(String),
    #[error("the timestamp {timestamp} is more than {window_secs} s from now ({now})")]
    OutsideWindow { timestamp: i64, now: i64, window_secs: u64 },
    #[error("the signature header has no v1= hex signature")]
    BadSignatureFormat,
    #[error("the signature does not match the body")]
    Mismatch,
}

/// Checks a received request: `timestamp_header` must be within `window_secs` of `now_unix`
/// (either way; [`DEFAULT_REPLAY_WINDOW_SECS`] is the usual window) and one of the
/// comma-separated `v1=` signatures in `signature_header` must be HMAC-SHA256(`secret`,
/// `"{timestamp}.{body}"`), compared in constant time.
pub fn verify(
    secret: &[u8],
    timestamp_header: &str,
    signature_header: &str,
    body: &[u8],
    now_unix: i64,
    window_secs: u64,
) -> Result<(), VerifyError> {
    let timestamp: i64 =
        timestamp_header.trim().parse().map_err(|_| VerifyError::BadTimestamp(timestamp_header.to_owned()))?;
    if now_unix.abs_diff(timestamp) > window_secs {
        return Err(VerifyError::OutsideWindow { timestamp, now: now_unix, window_secs });
    }
    let candidates: Vec<Vec<u8>> = signature_header
        .split(',')
        .filter_map(|part| part.trim().strip_prefix("v1="))
        .filter_map(|h| hex::decode(h.trim()).ok())
        .collect();
    if candidates.is_empty() {
        return Err(VerifyError::BadSignatureFormat);
    }
    let mut signed = mac(secret);
    signed.update(format!("{timestamp}.").as_bytes());
    signed.update(body);
    if candidates.iter().any(|candidate| signed.clone().verify_slice(candidate).is_ok()) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_dot_body() {
        // Python: hmac.new(b"key", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        let sig = sign(b"key", 1_700_000_000, br#"{"a":1}"#);
        assert_eq!(sig, "v1=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03");
        let check = |header: &str| verify(b"key", "1700000000", header, br#"{"a":1}"#, 1_700_000_000, 300);
        assert_eq!(check(&sig), Ok(()));
        assert_eq!(check(&format!("v1=00, {sig}")), Ok(()), "one matching signature of several is enough");
        assert_eq!(check("v0=abc"), Err(VerifyError::BadSignatureFormat));
        assert_eq!(verify(b"key", "soon", &sig, b"{}", 0, 300), Err(VerifyError::BadTimestamp("soon".into())));
    }
}
