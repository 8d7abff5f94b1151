//! The email channel against a real SMTP server on loopback: `testkit::smtp` (Python's
//! aiosmtpd) saves what it receives, and the test reads it back with `mailparse`. Refusals
//! (`reject@` → 550, `busy@` → 451), a closed port and a silent server map to the error split.

use crate::support::{self, PDF, SHORT};
use std::sync::Arc;
use std::time::{Duration, Instant};
use submit::channel::email::message_id;
use submit::channel::{Channel, EmailChannel, EmailConfig, Outgoing, Recipient, SendError};
use testkit::smtp::SmtpServer;

const FROM: &str = "Applyflow <apply@applyflow.test>";
const NOW: i64 = 1_700_000_000;

fn email_channel(smtp_url: String, timeout: Duration) -> EmailChannel {
    EmailChannel::new(EmailConfig { timeout, clock: Arc::new(|| NOW), ..EmailConfig::new(smtp_url, FROM) }).unwrap()
}

fn application(to: &str) -> Outgoing {
    support::outgoing(Recipient::Email { address: to.into() }, "email")
}

fn header(mail: &mailparse::ParsedMail<'_>, name: &str) -> String {
    use mailparse::MailHeaderMap as _;
    mail.headers.get_first_value(name).unwrap_or_else(|| panic!("no {name} header"))
}

#[tokio::test]
async fn delivers_a_real_message() {
    let server = SmtpServer::start();
    let channel = email_channel(server.url(), SHORT * 20);
    assert_eq!(channel.name(), "email");
    let msg = application("jobs@acme.test");
    let receipt = channel.send(&msg).await.unwrap_or_else(|e| panic!("{e}: {}", server.log()));
    assert_eq!(receipt.confirmation, format!("<{}@applyflow>", msg.idempotency_key));
    assert_eq!(receipt.confirmation, message_id(&msg.idempotency_key));

    let received = server.received();
    assert_eq!(received.len(), 1, "one message: {}", server.log());
    let (envelope, raw) = &received[0];
    assert_eq!(envelope["mail_from"], "apply@applyflow.test");
    assert_eq!(envelope["rcpt_tos"], serde_json::json!(["jobs@acme.test"]));

    let mail = mailparse::parse_mail(raw).unwrap();
    assert_eq!(header(&mail, "From"), FROM);
    assert_eq!(header(&mail, "To"), "jobs@acme.test");
    assert_eq!(header(&mail, "Reply-To"), r#""Jane Doe" <jane.doe@example.org>"#);
    assert_eq!(header(&mail, "Subject"), "Application: Staff Engineer — Jane Doe");
    assert_eq!(header(&mail, "Message-ID"), format!("<{}@applyflow>", msg.idempotency_key));
    assert_eq!(header(&mail, "X-Applyflow-Idempotency-Key"), msg.idempotency_key);
    assert_eq!(header(&mail, "Date"), "Tue, 14 Nov 2023 22:13:20 +0000", "the date comes from the clock");
    assert_eq!(mail.ctype.mimetype, "multipart/mixed");

    assert_eq!(mail.subparts.len(), 3, "the note and both attachments");
    let note = &mail.subparts[0];
    assert_eq!(note.ctype.mimetype, "text/plain");
    // MIME text travels with CRLF line ends; the words are the note's.
    assert_eq!(note.get_body().unwrap().replace("\r\n", "\n"), support::COVER_NOTE);
    let pdf = &mail.subparts[2];
    assert_eq!(pdf.ctype.mimetype, "application/pdf");
    let disposition = pdf.get_content_disposition();
    assert_eq!(disposition.disposition, mailparse::DispositionType::Attachment);
    assert_eq!(disposition.params.get("filename").map(String::as_str), Some("Jane_Doe_resume.pdf"));
    assert_eq!(pdf.get_body_raw().unwrap(), PDF);
    let notes = &mail.subparts[1];
    assert_eq!(notes.get_content_disposition().params.get("filename").map(String::as_str), Some("notes.txt"));
    assert_eq!(notes.get_body_raw().unwrap(), b"not the resume");

    let audit = &receipt.audit;
    assert_eq!(audit.target, "SMTP MAIL FROM:<apply@applyflow.test> RCPT TO:<jobs@acme.test>");
    let audit_header = |name: &str| audit.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(audit_header("Subject"), Some("Application: Staff Engineer — Jane Doe"));
    assert_eq!(audit_header("Message-ID"), Some(receipt.confirmation.as_str()));
    assert_eq!(audit_header("X-Applyflow-Idempotency-Key"), Some(msg.idempotency_key.as_str()));
    assert_eq!(audit.fields, [("text/plain".to_owned(), support::COVER_NOTE.to_owned())]);
    // lettre ends DATA with CRLF "." CRLF after the message's own final CRLF, so the server's
    // copy has one more CRLF than the message; otherwise the bytes are the audit's.
    let stored = raw.strip_suffix(b"\r\n").unwrap_or(raw);
    assert!(stored == audit.body.as_slice(), "the audit holds the bytes the server received");

    // Same application, same second: the same bytes (a resend is recognisable).
    let again = channel.send(&msg).await.unwrap();
    assert_eq!(again.audit.body, audit.body);
}

#[tokio::test]
async fn smtp_refusals_map_to_rejected_and_transient() {
    let server = SmtpServer::start();
    let channel = email_channel(server.url(), SHORT * 20);

    let err = channel.send(&application("reject@acme.test")).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Rejected {
            channel: "email".into(),
            status: "SMTP 550".into(),
            message: "5.1.1 mailbox unavailable".into()
        }
    );

    let err = channel.send(&application("busy@acme.test")).await.unwrap_err();
    assert!(
        matches!(&err, SendError::Transient { message, .. } if message == "SMTP 451: 4.3.0 try again later"),
        "{err:?}"
    );
    assert!(server.received().is_empty(), "nothing was accepted");
}

#[tokio::test]
async fn unreachable_or_silent_servers_are_transient() {
    let port = support::closed_port();
    let closed = email_channel(format!("smtp://127.0.0.1:{}", port.port), SHORT * 10);
    let err = closed.send(&application("jobs@acme.test")).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");

    // Accepts the connection (the kernel does) but never greets.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let channel = email_channel(format!("smtp://{}", silent.local_addr().unwrap()), SHORT);
    let started = Instant::now();
    let err = channel.send(&application("jobs@acme.test")).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "the timeout bounds the send");
}

#[tokio::test]
async fn configuration_errors() {
    let channel = email_channel("smtp://127.0.0.1:1".into(), SHORT);
    let wrong_kind = support::outgoing(Recipient::Webhook, "email");
    assert!(matches!(channel.send(&wrong_kind).await, Err(SendError::Config { .. })));
    assert!(matches!(channel.send(&application("not an address")).await, Err(SendError::Config { .. })));
    assert!(matches!(EmailChannel::new(EmailConfig::new("http://x", FROM)), Err(SendError::Config { .. })));
    assert!(matches!(EmailChannel::new(EmailConfig::new("smtp://x", "nobody")), Err(SendError::Config { .. })));
    let with_password = EmailConfig::new("smtps://user:hunter2@smtp.example.org", FROM);
    assert!(!format!("{with_password:?}").contains("hunter2"), "Debug hides the password");
}
