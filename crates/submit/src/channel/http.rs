//! HTTP plumbing the Greenhouse, Lever and webhook channels share: one rustls client per
//! channel, URL checks, the audit's view of a request (secrets redacted), sending, and turning
//! statuses and transport failures into the [`SendError`] split the submitter acts on.

use super::{Attachment, SendError};
use reqwest::header::{HeaderMap, AUTHORIZATION, LOCATION, PROXY_AUTHORIZATION};
use reqwest::multipart::Part;
use reqwest::{StatusCode, Url};
use serde_json::Value;
use std::time::Duration;

/// Error bodies can be whole HTML pages from a proxy: a bounded excerpt is enough.
pub(crate) const MAX_MESSAGE_CHARS: usize = 500;

/// Sent on every request, and so shown in the audit.
pub(crate) const USER_AGENT: &str = concat!("applyflow-submit/", env!("CARGO_PKG_VERSION"));

/// What replaces a secret in an audit.
pub(crate) const REDACTED: &str = "[redacted]";

/// A rustls client whose overall timeout bounds connect, send and reading the answer alike.
/// Redirects are not followed: an application form is posted once, to the configured host.
pub(crate) fn client(channel: &str, timeout: Duration) -> Result<reqwest::Client, SendError> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| config(channel, format!("cannot build the HTTP client: {}", error_chain(&e))))
}

/// Checks a configured URL once, at construction, so a typo fails at startup.
pub(crate) fn parse_url(channel: &str, what: &str, raw: &str) -> Result<Url, SendError> {
    let url = Url::parse(raw.trim()).map_err(|e| config(channel, format!("invalid {what} {raw:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(config(channel, format!("{what} {raw:?} is not http(s)")));
    }
    Ok(url)
}

/// `base` with `segments` appended as path segments, each percent-encoded, so an id taken
/// from a posting cannot change the path (`../`, `?`, `#`).
pub(crate) fn endpoint(channel: &str, base: &Url, segments: &[&str]) -> Result<Url, SendError> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|()| config(channel, format!("{base} cannot take a path")))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// `url` as the audit shows it: user info and every query value replaced by `[redacted]`
/// (Lever's `?key=…`, tokens in webhook URLs).
pub(crate) fn redacted_url(url: &Url) -> String {
    let mut bare = url.clone();
    let had_userinfo = !bare.username().is_empty() || bare.password().is_some();
    // Both only fail for URLs that cannot have user info, which then have none to remove.
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    bare.set_query(None);
    bare.set_fragment(None);
    let mut shown = bare.to_string();
    if had_userinfo {
        if let Some(at) = shown.find("://") {
            shown.insert_str(at + 3, &format!("{REDACTED}@"));
        }
    }
    let keys: Vec<String> = url.query_pairs().map(|(k, _)| format!("{k}={REDACTED}")).collect();
    if !keys.is_empty() {
        shown.push('?');
        shown.push_str(&keys.join("&"));
    }
    shown
}

/// The request's headers as the audit shows them: credentials (Authorization, anything reqwest
/// marks sensitive) replaced by `[redacted]`.
pub(crate) fn audit_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let secret = value.is_sensitive() || name == AUTHORIZATION || name == PROXY_AUTHORIZATION;
            let shown =
                if secret { REDACTED.to_owned() } else { String::from_utf8_lossy(value.as_bytes()).into_owned() };
            (name.as_str().to_owned(), shown)
        })
        .collect()
}

/// The attachment to send as the résumé: the first PDF, or the first attachment when none is
/// a PDF.
pub(crate) fn resume(attachments: &[Attachment]) -> Option<&Attachment> {
    let is_pdf = |a: &&Attachment| {
        a.content_type.trim().to_ascii_lowercase().starts_with("application/pdf")
            || a.name.to_ascii_lowercase().ends_with(".pdf")
    };
    attachments.iter().find(is_pdf).or_else(|| attachments.first())
}

/// A multipart file part carrying the attachment's bytes, file name and content type.
pub(crate) fn file_part(channel: &str, attachment: &Attachment) -> Result<Part, SendError> {
    Part::bytes(attachment.bytes.clone()).file_name(attachment.name.clone()).mime_str(&attachment.content_type).map_err(
        |e| {
            config(
                channel,
                format!(
                    "attachment {:?} has an invalid content type {:?}: {e}",
                    attachment.name, attachment.content_type
                ),
            )
        },
    )
}

/// Sends `request` and returns the body of a 2xx answer, or the error its status stands for.
pub(crate) async fn execute(
    channel: &str,
    http: &reqwest::Client,
    request: reqwest::Request,
    timeout: Duration,
) -> Result<Vec<u8>, SendError> {
    let response = http.execute(request).await.map_err(|e| transport_error(channel, e, timeout))?;
    let status = response.status();
    let location = response.headers().get(LOCATION).map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
    let body = response.bytes().await.map_err(|e| transport_error(channel, e, timeout))?;
    classify(channel, status, location.as_deref(), &body)?;
    Ok(body.to_vec())
}

/// 2xx is success; 408, 429 and 5xx are worth a retry; other 4xx are the receiver's refusal;
/// a redirect means the configured URL is not the endpoint.
fn classify(channel: &str, status: StatusCode, location: Option<&str>, body: &[u8]) -> Result<(), SendError> {
    if status.is_success() {
        return Ok(());
    }
    let message = error_message(status, body);
    let code = format!("HTTP {}", status.as_u16());
    if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(SendError::Transient { channel: channel.to_owned(), message: format!("{code}: {message}") });
    }
    if status.is_client_error() {
        return Err(SendError::Rejected { channel: channel.to_owned(), status: code, message });
    }
    if status.is_redirection() {
        let to = location.unwrap_or("nowhere");
        return Err(config(channel, format!("{code} redirect to {to}: configure the endpoint's final URL")));
    }
    Err(SendError::Transient { channel: channel.to_owned(), message: format!("unexpected {code}: {message}") })
}

/// The receiver's own words: a JSON `error` or `message` string when the body has one (an
/// `error` object's `message` too), else the body itself; at most 500 characters, and the
/// status's reason when the body is empty.
pub(crate) fn error_message(status: StatusCode, body: &[u8]) -> String {
    let from_json = serde_json::from_slice::<Value>(body).ok().and_then(|json| {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        json.get("error")
            .and_then(|e| text(e).or_else(|| e.get("message").and_then(text)))
            .or_else(|| json.get("message").and_then(text))
    });
    let message = from_json.unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
    if message.is_empty() {
        return status.canonical_reason().unwrap_or("no message").to_owned();
    }
    truncate(&message, MAX_MESSAGE_CHARS)
}

/// The first of `keys` that the JSON object `body` has as a non-empty string or a number.
pub(crate) fn confirmation_from_json(body: &[u8], keys: &[&str]) -> Option<String> {
    let json = serde_json::from_slice::<Value>(body).ok()?;
    keys.iter().find_map(|key| match json.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// At most `max` characters of `text`.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Without the URL: it is in the audit already, and Lever's carries the API key.
fn transport_error(channel: &str, e: reqwest::Error, timeout: Duration) -> SendError {
    let e = &e.without_url();
    let message = if e.is_timeout() {
        format!("no answer within {timeout:?}")
    } else if e.is_connect() {
        format!("cannot connect: {}", error_chain(e))
    } else if e.is_builder() {
        return config(channel, format!("cannot build the request: {}", error_chain(e)));
    } else {
        format!("request failed: {}", error_chain(e))
    };
    SendError::Transient { channel: channel.to_owned(), message }
}

/// The error and its sources, joined: reqwest's own message alone rarely names the cause.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub(crate) fn config(channel: &str, message: String) -> SendError {
    SendError::Config { channel: channel.to_owned(), message }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn redacts_query_values_and_user_info() {
        let url = Url::parse("https://u:p@api.example/v0/postings/a/b?key=s3cret&x=1").unwrap();
        assert_eq!(redacted_url(&url), "https://[redacted]@api.example/v0/postings/a/b?key=[redacted]&x=[redacted]");
        let plain = Url::parse("http://127.0.0.1:8080/hook").unwrap();
        assert_eq!(redacted_url(&plain), "http://127.0.0.1:8080/hook");
    }

    #[test]
    fn segments_are_encoded() {
        let base = Url::parse("http://h/api/").unwrap();
        let url = endpoint("t", &base, &["v1", "boards", "../x?y", "1"]).unwrap();
        assert_eq!(url.as_str(), "http://h/api/v1/boards/..%2Fx%3Fy/1");
    }

    #[test]
    fn error_messages() {
        let bad = StatusCode::BAD_REQUEST;
        assert_eq!(
            error_message(bad, br#"{"status":400,"error":"Invalid attributes: first_name"}"#),
            "Invalid attributes: first_name"
        );
        assert_eq!(error_message(bad, br#"{"code":"BadRequestError","message":"Missing email"}"#), "Missing email");
        assert_eq!(error_message(bad, br#"{"error":{"message":"nested"}}"#), "nested");
        assert_eq!(error_message(bad, b"  plain words \n"), "plain words");
        assert_eq!(error_message(bad, b""), "Bad Request");
        assert_eq!(error_message(bad, "é".repeat(600).as_bytes()).chars().count(), 500);
    }

    #[test]
    fn confirmations() {
        assert_eq!(confirmation_from_json(br#"{"id":42}"#, &["id"]).as_deref(), Some("42"));
        assert_eq!(confirmation_from_json(br#"{"id":"","x":"a"}"#, &["id", "x"]).as_deref(), Some("a"));
        assert_eq!(confirmation_from_json(br#"{"success":"Candidate saved successfully"}"#, &["id"]), None);
        assert_eq!(confirmation_from_json(b"not json", &["id"]), None);
    }

    #[test]
    fn resume_prefers_the_first_pdf() {
        let file = |name: &str, ct: &str| Attachment { name: name.into(), content_type: ct.into(), bytes: vec![] };
        let files = [file("a.txt", "text/plain"), file("cv.pdf", "application/pdf"), file("b.pdf", "application/pdf")];
        assert_eq!(resume(&files).unwrap().name, "cv.pdf");
        assert_eq!(resume(&files[..1]).unwrap().name, "a.txt");
        assert!(resume(&[]).is_none());
    }
}
