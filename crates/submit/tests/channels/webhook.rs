//! The signed-JSON webhook against a wiremock server, and `verify` as a receiver uses it: good
//! signatures pass; a changed body, another secret or a stale timestamp do not.

use crate::support::{self, assert_no_secret, audit_header, only_request, SHORT};
use serde_json::json;
use std::sync::Arc;
use submit::channel::webhook::DEFAULT_REPLAY_WINDOW_SECS;
use submit::channel::{
    fallback_confirmation, sign, verify, Channel, Outgoing, Recipient, SendError, VerifyError, WebhookChannel,
    WebhookConfig,
};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "whsec-test-6f1d0c2a";
const NOW: i64 = 1_700_000_000;
const PATH: &str = "/hooks/applyflow";

fn config(url: String) -> WebhookConfig {
    WebhookConfig { clock: Arc::new(|| NOW), ..WebhookConfig::new(url, SECRET) }
}

fn channel(server: &MockServer) -> WebhookChannel {
    WebhookChannel::new(config(format!("{}{PATH}", server.uri()))).unwrap()
}

fn application() -> Outgoing {
    support::outgoing(Recipient::Webhook, "webhook")
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(PATH)).respond_with(response).mount(&server).await;
    server
}

#[tokio::test]
async fn posts_signed_json() {
    let msg = application();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("content-type", "application/json"))
        .and(header("idempotency-key", msg.idempotency_key.as_str()))
        .and(header("x-applyflow-timestamp", NOW.to_string().as_str()))
        .and(body_json(serde_json::to_value(&msg).unwrap()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "wh-77"})))
        .expect(1)
        .mount(&server)
        .await;
    let channel = channel(&server);
    assert_eq!(channel.name(), "webhook");
    assert!(channel.accepts_idempotency_key());
    let receipt = channel.send(&msg).await.unwrap();
    assert_eq!(receipt.confirmation, "wh-77");

    let request = only_request(&server).await;
    let back: Outgoing = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(back, msg, "the whole application, attachments' bytes included");
    let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(json["applicant"]["first_name"], "Jane");
    assert_eq!(json["recipient"], json!({"kind": "webhook"}));
    assert_eq!(json["attachments"][1]["name"], "Jane_Doe_resume.pdf");

    let signature = request.headers.get("x-applyflow-signature").unwrap().to_str().unwrap();
    let timestamp = request.headers.get("x-applyflow-timestamp").unwrap().to_str().unwrap();
    assert!(signature.starts_with("v1=") && signature.len() == 3 + 64, "{signature}");
    assert_eq!(
        verify(SECRET.as_bytes(), timestamp, signature, &request.body, NOW + 5, DEFAULT_REPLAY_WINDOW_SECS),
        Ok(())
    );
    assert_eq!(signature, sign(SECRET.as_bytes(), NOW, &request.body));

    let audit = &receipt.audit;
    assert_eq!(audit.target, format!("POST {}{PATH}", server.uri()));
    assert_eq!(audit.body, request.body, "the audit keeps the exact bytes sent");
    assert_eq!(audit_header(audit, "x-applyflow-signature"), Some(signature));
    assert_eq!(audit_header(audit, "idempotency-key"), Some(msg.idempotency_key.as_str()));
    assert_eq!(audit_header(audit, "content-type"), Some("application/json"));
    let field = |name: &str| audit.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(field("title"), Some("Staff Engineer"));
    assert!(field("attachments").is_none());
    assert_no_secret(audit, SECRET);
    assert!(!format!("{:?} {channel:?}", config("http://x".into())).contains(SECRET), "Debug hides the secret");
}

#[tokio::test]
async fn the_clock_gives_the_timestamp() {
    let server = answering(ResponseTemplate::new(202)).await;
    let config = WebhookConfig { clock: Arc::new(|| 1_234_567_890), ..config(format!("{}{PATH}", server.uri())) };
    let msg = application();
    let receipt = WebhookChannel::new(config).unwrap().send(&msg).await.unwrap();
    assert_eq!(receipt.confirmation, fallback_confirmation("webhook", &msg.idempotency_key), "no id in the answer");
    let request = only_request(&server).await;
    assert_eq!(request.headers.get("x-applyflow-timestamp").unwrap(), "1234567890");
}

#[tokio::test]
async fn a_confirmation_field_is_the_confirmation() {
    let server = answering(ResponseTemplate::new(201).set_body_json(json!({"confirmation": "REF-9"}))).await;
    assert_eq!(channel(&server).send(&application()).await.unwrap().confirmation, "REF-9");
}

#[tokio::test]
async fn a_4xx_is_a_rejection_with_the_receivers_message() {
    let server = answering(ResponseTemplate::new(422).set_body_json(json!({"error": "unknown job"}))).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Rejected { channel: "webhook".into(), status: "HTTP 422".into(), message: "unknown job".into() }
    );
}

#[tokio::test]
async fn a_5xx_is_transient() {
    let server = answering(ResponseTemplate::new(500)).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert!(
        matches!(&err, SendError::Transient { message, .. } if message == "HTTP 500: Internal Server Error"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_late_answer_is_transient() {
    let server = answering(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5))).await;
    let config = WebhookConfig { timeout: SHORT, ..config(format!("{}{PATH}", server.uri())) };
    let err = WebhookChannel::new(config).unwrap().send(&application()).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let server = answering(ResponseTemplate::new(301).insert_header("location", "http://127.0.0.1:9/elsewhere")).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert!(matches!(&err, SendError::Config { message, .. } if message.contains("/elsewhere")), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn unusable_configurations() {
    assert!(matches!(
        WebhookChannel::new(WebhookConfig::new("http://127.0.0.1:1/h", "")),
        Err(SendError::Config { .. })
    ));
    assert!(matches!(WebhookChannel::new(WebhookConfig::new("not a url", SECRET)), Err(SendError::Config { .. })));
}

#[test]
fn verify_accepts_only_the_signed_body_within_the_window() {
    let body = br#"{"idempotency_key":"abc","title":"Staff Engineer"}"#;
    let signature = sign(SECRET.as_bytes(), NOW, body);
    let ts = NOW.to_string();
    let window = DEFAULT_REPLAY_WINDOW_SECS;
    assert_eq!(verify(SECRET.as_bytes(), &ts, &signature, body, NOW, window), Ok(()));
    assert_eq!(verify(SECRET.as_bytes(), &ts, &signature, body, NOW + 300, window), Ok(()), "the edge is inside");
    assert_eq!(verify(SECRET.as_bytes(), &ts, &signature, body, NOW - 300, window), Ok(()), "a little clock skew");

    let tampered = br#"{"idempotency_key":"abc","title":"Staff Engineer!"}"#;
    assert_eq!(verify(SECRET.as_bytes(), &ts, &signature, tampered, NOW, window), Err(VerifyError::Mismatch));
    assert_eq!(verify(b"another secret", &ts, &signature, body, NOW, window), Err(VerifyError::Mismatch));
    let moved = (NOW + 1).to_string();
    assert_eq!(
        verify(SECRET.as_bytes(), &moved, &signature, body, NOW, window),
        Err(VerifyError::Mismatch),
        "the timestamp is signed too"
    );

    assert_eq!(
        verify(SECRET.as_bytes(), &ts, &signature, body, NOW + 301, window),
        Err(VerifyError::OutsideWindow { timestamp: NOW, now: NOW + 301, window_secs: 300 }),
        "a replay after the window"
    );
    assert!(matches!(
        verify(SECRET.as_bytes(), &ts, &signature, body, NOW - 3_600, window),
        Err(VerifyError::OutsideWindow { .. })
    ));
    assert_eq!(verify(SECRET.as_bytes(), &ts, "sha256=abc", body, NOW, window), Err(VerifyError::BadSignatureFormat));
    assert_eq!(verify(SECRET.as_bytes(), &ts, "v1=zz", body, NOW, window), Err(VerifyError::BadSignatureFormat));
    assert!(matches!(verify(SECRET.as_bytes(), "", &signature, body, NOW, window), Err(VerifyError::BadTimestamp(_))));
}
