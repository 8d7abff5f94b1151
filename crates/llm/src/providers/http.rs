//! HTTP plumbing the network providers share: one client per provider, sending, and turning
//! transport failures and error statuses into the `LlmError` split the chain acts on.

use crate::types::LlmError;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;
use url::Url;

/// Error bodies can be large HTML pages from a proxy; a bounded excerpt is enough to diagnose.
const MAX_MESSAGE_CHARS: usize = 500;

/// A client whose overall timeout bounds connect, send and reading the body alike.
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, LlmError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("applyflow-llm/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LlmError::Network(format!("cannot build HTTP client: {}", error_chain(&e))))
}

/// Checks a configured base URL once, at construction, so a typo fails loudly at startup rather
/// than as a network error on every call.
pub(crate) fn base_url(raw: &str) -> Result<String, LlmError> {
    let url = Url::parse(raw.trim()).map_err(|e| LlmError::BadRequest(format!("invalid base url {raw:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(LlmError::BadRequest(format!("base url {raw:?} is not http(s)")));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Sends a request and returns the body of a 2xx answer, or the error the status stands for.
/// `classify` lets a provider read its own error body first (Anthropic's typed errors).
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    timeout: Duration,
    classify: fn(u16, &HeaderMap, &[u8]) -> Option<LlmError>,
) -> Result<Vec<u8>, LlmError> {
    let response = request.send().await.map_err(|e| transport_error(&e, timeout))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body,
        // A 2xx whose body broke off: the provider produced (and billed) an answer we could not
        // read, which is a malformed answer rather than a network failure before the call.
        Err(e) if (200..300).contains(&status) && !e.is_timeout() => {
            return Err(LlmError::Malformed(format!("the answer was cut off: {}", error_chain(&e))));
        }
        Err(e) => return Err(transport_error(&e, timeout)),
    };
    if (200..300).contains(&status) {
        return Ok(body.to_vec());
    }
    let error = classify(status, &headers, &body).unwrap_or_else(|| status_error(status, &headers, &body));
    tracing::debug!(status, label = error.label(), "provider returned an error status");
    Err(error)
}

/// Parses a 2xx body as the provider's wire format; anything else is `Malformed`, which falls
/// back rather than surfacing a half-read answer.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, LlmError> {
    serde_json::from_slice(body)
        .map_err(|e| LlmError::Malformed(format!("{e} in body starting {:?}", excerpt(body, 120))))
}

pub(crate) fn transport_error(e: &reqwest::Error, timeout: Duration) -> LlmError {
    if e.is_timeout() {
        LlmError::Timeout(timeout)
    } else if e.is_decode() {
        LlmError::Malformed(error_chain(e))
    } else {
        LlmError::Network(error_chain(e))
    }
}

/// The generic status mapping (OpenAI, Ollama, compatible servers).
pub(crate) fn status_error(status: u16, headers: &HeaderMap, body: &[u8]) -> LlmError {
    let message = error_message(body);
    match status {
        429 => LlmError::RateLimited { retry_after: retry_after(headers) },
        529 => LlmError::Overloaded,
        401 | 403 => LlmError::Auth(message),
        // The server gave up waiting on us: transient, so retry it like a 5xx.
        408 => LlmError::Server { status, message },
        400..=499 => LlmError::BadRequest(message),
        500..=599 => LlmError::Server { status, message },
        _ => LlmError::Malformed(format!("unexpected status {status}: {message}")),
    }
}

/// The human-readable part of an error body: `error.message` (OpenAI, Anthropic), `error` as a
/// string (Ollama), `message`, or else the start of the raw body.
pub(crate) fn error_message(body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let found = value
            .pointer("/error/message")
            .and_then(Value::as_str)
            .or_else(|| value.get("error").and_then(Value::as_str))
            .or_else(|| value.get("message").and_then(Value::as_str));
        if let Some(message) = found {
            return truncate(message);
        }
    }
    let text = excerpt(body, MAX_MESSAGE_CHARS);
    if text.trim().is_empty() {
        "(empty body)".to_owned()
    } else {
        text
    }
}

/// How long a 429 asks us to wait, from the most precise header present: `retry-after-ms`,
/// `Retry-After` (seconds or an HTTP date), then OpenAI's `x-ratelimit-reset-*` durations.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return bounded_secs(ms / 1000.0);
        }
    }
    if let Some(d) = get("retry-after").and_then(|v| parse_retry_after(v, get("date"))) {
        return Some(d);
    }
    let requests = get("x-ratelimit-reset-requests").and_then(parse_go_duration);
    let tokens = get("x-ratelimit-reset-tokens").and_then(parse_go_duration);
    // The exhausted bucket is the one that matters; waiting for the other could be far too long
    // (requests reset in seconds, tokens in minutes) or too short.
    let exhausted = |name: &str| get(name) == Some("0");
    match (exhausted("x-ratelimit-remaining-requests"), exhausted("x-ratelimit-remaining-tokens")) {
        (true, false) if requests.is_some() => requests,
        (false, true) if tokens.is_some() => tokens,
        _ => requests.max(tokens),
    }
}

/// `Retry-After`: delay-seconds (integer, tolerated as decimal) or an HTTP date. A date is
/// measured from the response's own `Date` (the server's clock, so skew between its clock and
/// ours does not matter); without one the date says nothing usable and the chain's backoff
/// applies.
fn parse_retry_after(value: &str, date: Option<&str>) -> Option<Duration> {
    if let Ok(secs) = value.parse::<f64>() {
        return bounded_secs(secs);
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let sent = chrono::DateTime::parse_from_rfc2822(date?).ok()?;
    Some((at - sent).to_std().unwrap_or(Duration::ZERO).min(MAX_HEADER_WAIT))
}

/// Go's `time.Duration` text, as OpenAI sends it: `1s`, `120ms`, `6m0s`, `1h2m3.5s`.
pub(crate) fn parse_go_duration(value: &str) -> Option<Duration> {
    let mut rest = value.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" | "μs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * seconds_per_unit;
    }
    bounded_secs(total)
}

/// The longest wait a header can ask for. A server may send anything (`retry-after: 1e20`, a
/// reset of a thousand years); past a day the answer means "not soon", and the chain moves on.
pub(crate) const MAX_HEADER_WAIT: Duration = Duration::from_secs(86_400);

/// Seconds from a header as a duration, capped at [`MAX_HEADER_WAIT`]; `None` for negative or
/// non-finite values. Never panics, whatever the number.
pub(crate) fn bounded_secs(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).map_or(MAX_HEADER_WAIT, |d| d.min(MAX_HEADER_WAIT)))
}

/// reqwest's top-level message is generic ("error sending request"); the cause is in the chain.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn excerpt(body: &[u8], max_chars: usize) -> String {
    String::from_utf8_lossy(body).chars().take(max_chars).collect()
}

fn truncate(message: &str) -> String {
    message.chars().take(MAX_MESSAGE_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn absurd_waits_are_capped_not_a_panic() {
        for (name, value) in [
            ("retry-after", "1e20"),
            ("retry-after", "99999999999999999999999999999"),
            ("retry-after-ms", "1e300"),
            ("x-ratelimit-reset-requests", "99999999999999999999h"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(name, reqwest::header::HeaderValue::from_static(value));
            assert_eq!(retry_after(&h), Some(MAX_HEADER_WAIT), "{name}: {value}");
        }
        assert_eq!(bounded_secs(f64::INFINITY), None);
        assert_eq!(bounded_secs(f64::NAN), None);
        assert_eq!(bounded_secs(-1.0), None);
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1s"), Some(Duration::from_secs(1)));
        assert_eq!(parse_go_duration("6m0s"), Some(Duration::from_secs(360)));
        assert_eq!(parse_go_duration("120ms"), Some(Duration::from_millis(120)));
        assert_eq!(parse_go_duration("1h2m3.5s"), Some(Duration::from_secs_f64(3723.5)));
        assert_eq!(parse_go_duration("soon"), None);
        assert_eq!(parse_go_duration(""), None);
    }

    #[test]
    fn retry_after_prefers_the_exhausted_bucket() {
        let h = headers(&[
            ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-reset-tokens", "6m0s"),
            ("x-ratelimit-remaining-requests", "0"),
            ("x-ratelimit-remaining-tokens", "900"),
        ]);
        assert_eq!(retry_after(&h), Some(Duration::from_secs(1)));
        let h = headers(&[("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6m0s")]);
        assert_eq!(retry_after(&h), Some(Duration::from_secs(360)));
        assert_eq!(retry_after(&headers(&[("retry-after", "7")])), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(&[("retry-after-ms", "250")])), Some(Duration::from_millis(250)));
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        let later = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"), ("date", date)]);
        assert_eq!(retry_after(&later), Some(Duration::from_secs(30)));
        let past = headers(&[("retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"), ("date", date)]);
        assert_eq!(retry_after(&past), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers(&[("retry-after", date)])), None, "no Date: nothing to measure from");
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn error_messages() {
        assert_eq!(error_message(br#"{"error":{"message":"bad model","type":"x"}}"#), "bad model");
        assert_eq!(error_message(br#"{"error":"model not found"}"#), "model not found");
        assert_eq!(error_message(b"<html>oops</html>"), "<html>oops</html>");
        assert_eq!(error_message(b""), "(empty body)");
    }

    #[test]
    fn status_mapping() {
        let none = HeaderMap::new();
        assert_eq!(status_error(529, &none, b""), LlmError::Overloaded);
        assert!(matches!(status_error(503, &none, b""), LlmError::Server { status: 503, .. }));
        assert!(matches!(status_error(403, &none, b""), LlmError::Auth(_)));
        assert!(matches!(status_error(422, &none, b""), LlmError::BadRequest(_)));
    }

    #[test]
    fn base_urls() {
        assert_eq!(base_url("https://api.openai.com/v1/").ok().as_deref(), Some("https://api.openai.com/v1"));
        assert!(base_url("ftp://x").is_err());
        assert!(base_url("not a url").is_err());
    }
}
