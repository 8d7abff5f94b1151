//! Loopback tests of the channel adapters: wiremock servers for the HTTP channels (Greenhouse,
//! Lever, webhook) and a real SMTP server (Python aiosmtpd) for email. Nothing leaves 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "channels/email.rs"]
mod email;
#[path = "channels/greenhouse.rs"]
mod greenhouse;
#[path = "channels/lever.rs"]
mod lever;
#[path = "channels/support.rs"]
mod support;
#[path = "channels/webhook.rs"]
mod webhook;

use submit::channel::{fallback_confirmation, Channel, Recipient, SandboxChannel};

#[tokio::test]
async fn sandbox_sends_nothing_and_confirms_stably() {
    let channel = SandboxChannel::new();
    assert_eq!(channel.name(), "sandbox");
    assert!(channel.accepts_idempotency_key());
    let msg = support::outgoing(Recipient::Sandbox, "sandbox");
    let receipt = channel.send(&msg).await.unwrap();
    assert_eq!(receipt.confirmation, fallback_confirmation("sandbox", &msg.idempotency_key));
    let hex = receipt.confirmation.strip_prefix("sandbox-").unwrap();
    assert!(hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()), "{}", receipt.confirmation);
    assert_eq!(channel.send(&msg).await.unwrap(), receipt, "a resend is the same receipt");

    let audit = &receipt.audit;
    assert_eq!(audit.target, "sandbox (nothing left this machine)");
    assert!(audit.headers.is_empty() && audit.body.is_empty());
    let field = |name: &str| audit.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(field("first_name"), Some("Jane"));
    assert_eq!(field("email"), Some("jane.doe@example.org"));
    assert_eq!(field("question_123"), Some("Yes"));

    let other = support::outgoing(Recipient::Sandbox, "sandbox-2");
    assert_ne!(channel.send(&other).await.unwrap().confirmation, receipt.confirmation);
}
