//! Fixtures shared by the channel tests: an application to send, a PDF whose bytes must
//! survive every encoding, a multipart/form-data reader and the "no secret in the audit" check.

use std::time::Duration;
use submit::channel::{idempotency_key, Answer, Applicant, Attachment, Audit, Outgoing, Recipient};

/// Not a real PDF, but PDF-shaped bytes that break naive handling: non-UTF-8, NUL, CR LF and a
/// line that looks like a multipart boundary.
pub const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\xfe\xff\r\n--not-a-boundary\r\n.\r\n%%EOF\n";

/// A cover note with non-ASCII text and a line longer than 76 characters.
pub const COVER_NOTE: &str = "Dear hiring team,\n\nI would love to join Acme as a Staff Engineer — I have built résumé pipelines that process millions of documents a day, and I enjoy it.\n\nBest,\nJane";

/// A short timeout for the "answer came too late" tests.
pub const SHORT: Duration = Duration::from_millis(300);

/// A complete application for `recipient`, keyed as the submitter would key it.
pub fn outgoing(recipient: Recipient, channel: &str) -> Outgoing {
    Outgoing {
        idempotency_key: idempotency_key("user-1", "job-1", channel),
        user_id: "user-1".into(),
        application_id: "00000000-0000-7000-8000-000000000001".into(),
        job_id: "job-1".into(),
        company: "Acme".into(),
        title: "Staff Engineer".into(),
        recipient,
        applicant: Applicant {
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: "jane.doe@example.org".into(),
            phone: Some("+1 555 0100".into()),
        },
        cover_note: COVER_NOTE.into(),
        attachments: vec![
            Attachment {
                name: "notes.txt".into(),
                content_type: "text/plain".into(),
                bytes: b"not the resume".to_vec(),
            },
            Attachment {
                name: "Jane_Doe_resume.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: PDF.to_vec(),
            },
        ],
        answers: vec![
            Answer { field: "question_123".into(), label: "Are you authorized to work?".into(), value: "Yes".into() },
            Answer { field: "question_456".into(), label: "Notice period".into(), value: "4 weeks".into() },
        ],
    }
}

/// One part of a multipart/form-data body.
#[derive(Debug)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl FormPart {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap()
    }
}

/// The parts of a multipart/form-data request, read with `mailparse` (the same MIME grammar).
pub fn form_parts(request: &wiremock::Request) -> Vec<FormPart> {
    let content_type = request.headers.get("content-type").expect("a content type").to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let mut raw = format!("Content-Type: {content_type}\r\n\r\n").into_bytes();
    raw.extend_from_slice(&request.body);
    let mail = mailparse::parse_mail(&raw).unwrap();
    mail.subparts
        .iter()
        .map(|part| {
            let disposition = part.get_content_disposition();
            assert_eq!(disposition.disposition, mailparse::DispositionType::FormData);
            FormPart {
                name: disposition.params.get("name").cloned().expect("every part has a name"),
                filename: disposition.params.get("filename").cloned(),
                content_type: part
                    .headers
                    .iter()
                    .find(|h| h.get_key_ref().eq_ignore_ascii_case("content-type"))
                    .map(|h| h.get_value()),
                bytes: part.get_body_raw().unwrap(),
            }
        })
        .collect()
}

/// The only request `server` received.
pub async fn only_request(server: &wiremock::MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("request recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

/// Fails if `secret` appears anywhere in the audit: its JSON form or its raw body.
pub fn assert_no_secret(audit: &Audit, secret: &str) {
    let json = serde_json::to_string(audit).unwrap();
    assert!(!json.contains(secret), "the audit leaks the secret: {json}");
    assert!(!String::from_utf8_lossy(&audit.body).contains(secret), "the audit body leaks the secret");
    let debug = format!("{audit:?}");
    assert!(!debug.contains(secret), "the audit's Debug leaks the secret");
}

/// A loopback port where nothing listens, reserved while the guard lives: the socket is bound
/// but never listens, so connections are refused and no other test can take the port.
pub struct ClosedPort {
    pub port: u16,
    _socket: tokio::net::TcpSocket,
}

pub fn closed_port() -> ClosedPort {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    ClosedPort { port: socket.local_addr().unwrap().port(), _socket: socket }
}

/// The value of header `name` in an audit (case-insensitive).
pub fn audit_header<'a>(audit: &'a Audit, name: &str) -> Option<&'a str> {
    audit.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
