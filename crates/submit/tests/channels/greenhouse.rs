//! Greenhouse Job Board API against a wiremock server: the wire format, the answers' mapping to
//! receipts and errors, and an audit without the API key.

use crate::support::{self, assert_no_secret, audit_header, form_parts, only_request, PDF, SHORT};
use base64::Engine as _;
use serde_json::json;
use submit::channel::{
    fallback_confirmation, Channel, GreenhouseChannel, GreenhouseConfig, Outgoing, Recipient, SendError,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "gh-test-key-3b9f27";
const PATH: &str = "/v1/boards/acme/jobs/4012345";

fn channel(server: &MockServer) -> GreenhouseChannel {
    GreenhouseChannel::new(GreenhouseConfig { base_url: server.uri(), ..GreenhouseConfig::new(KEY) }).unwrap()
}

fn application() -> Outgoing {
    support::outgoing(Recipient::Greenhouse { board_token: "acme".into(), job_id: "4012345".into() }, "greenhouse")
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(PATH)).respond_with(response).mount(&server).await;
    server
}

#[tokio::test]
async fn posts_the_form_greenhouse_expects() {
    let server = MockServer::start().await;
    let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:")));
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("authorization", basic.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": "Candidate saved successfully"})))
        .expect(1)
        .mount(&server)
        .await;
    let channel = channel(&server);
    assert_eq!(channel.name(), "greenhouse");
    assert!(!channel.accepts_idempotency_key());
    let msg = application();
    let receipt = channel.send(&msg).await.unwrap();

    // No id in Greenhouse's answer: our stable one.
    assert_eq!(receipt.confirmation, fallback_confirmation("greenhouse", &msg.idempotency_key));
    assert!(receipt.confirmation.starts_with("greenhouse-") && receipt.confirmation.len() == "greenhouse-".len() + 12);

    let request = only_request(&server).await;
    let parts = form_parts(&request);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["first_name", "last_name", "email", "phone", "cover_letter_text", "question_123", "question_456", "resume"]
    );
    let part = |name: &str| parts.iter().find(|p| p.name == name).unwrap();
    assert_eq!(part("first_name").text(), "Jane");
    assert_eq!(part("last_name").text(), "Doe");
    assert_eq!(part("email").text(), "jane.doe@example.org");
    assert_eq!(part("phone").text(), "+1 555 0100");
    assert_eq!(part("cover_letter_text").text(), support::COVER_NOTE);
    assert_eq!(part("question_123").text(), "Yes");
    assert_eq!(part("question_456").text(), "4 weeks");
    assert!(part("first_name").filename.is_none());
    let resume = part("resume");
    assert_eq!(resume.filename.as_deref(), Some("Jane_Doe_resume.pdf"), "the PDF, not the first attachment");
    assert_eq!(resume.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(resume.bytes, PDF);

    let audit = &receipt.audit;
    assert_eq!(audit.target, format!("POST {}{PATH}", server.uri()));
    assert_eq!(audit_header(audit, "authorization"), Some("[redacted]"));
    assert!(audit_header(audit, "content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert!(audit_header(audit, "user-agent").unwrap().starts_with("applyflow-submit/"));
    assert_eq!(audit.fields.len(), 7, "the text fields, not the file: {:?}", audit.fields);
    assert_eq!(audit.fields[0], ("first_name".to_owned(), "Jane".to_owned()));
    assert!(audit.body.is_empty());
    assert_no_secret(audit, KEY);
    assert_no_secret(audit, &base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:")));
    assert!(!format!("{:?} {channel:?}", GreenhouseConfig::new(KEY)).contains(KEY), "Debug hides the key");
}

#[tokio::test]
async fn an_id_in_the_answer_is_the_confirmation() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({"id": 5551212}))).await;
    assert_eq!(channel(&server).send(&application()).await.unwrap().confirmation, "5551212");
}

#[tokio::test]
async fn without_phone_cover_note_or_pdf() {
    let server = answering(ResponseTemplate::new(200)).await;
    let mut msg = application();
    msg.applicant.phone = None;
    msg.cover_note = String::new();
    msg.attachments.truncate(1);
    channel(&server).send(&msg).await.unwrap();
    let parts = form_parts(&only_request(&server).await);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["first_name", "last_name", "email", "question_123", "question_456", "resume"]);
    assert_eq!(parts[5].filename.as_deref(), Some("notes.txt"), "no PDF: the first attachment is the resume");
}

#[tokio::test]
async fn a_4xx_is_a_rejection_with_greenhouses_message() {
    let body = json!({"status": 400, "error": "Invalid attributes: first_name"});
    let server = answering(ResponseTemplate::new(400).set_body_json(body)).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Rejected {
            channel: "greenhouse".into(),
            status: "HTTP 400".into(),
            message: "Invalid attributes: first_name".into()
        }
    );
}

#[tokio::test]
async fn a_raw_error_body_is_kept_up_to_500_characters() {
    let server = answering(ResponseTemplate::new(422).set_body_string("x".repeat(2_000))).await;
    let SendError::Rejected { message, .. } = channel(&server).send(&application()).await.unwrap_err() else {
        panic!("expected a rejection")
    };
    assert_eq!(message, "x".repeat(500));
}

#[tokio::test]
async fn a_5xx_or_429_is_transient() {
    for status in [500, 503, 429] {
        let server = answering(ResponseTemplate::new(status).set_body_string("down for maintenance")).await;
        let err = channel(&server).send(&application()).await.unwrap_err();
        assert!(
            matches!(&err, SendError::Transient { message, .. } if message.contains(&status.to_string()) && message.contains("down for maintenance")),
            "{status}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_late_answer_is_transient() {
    let server = answering(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5))).await;
    let config = GreenhouseConfig { base_url: server.uri(), timeout: SHORT, ..GreenhouseConfig::new(KEY) };
    let started = std::time::Instant::now();
    let err = GreenhouseChannel::new(config).unwrap().send(&application()).await.unwrap_err();
    assert!(matches!(&err, SendError::Transient { message, .. } if message.contains("no answer within")), "{err:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "the timeout bounds the send");
}

#[tokio::test]
async fn nobody_listening_is_transient() {
    let closed = support::closed_port();
    let config =
        GreenhouseConfig { base_url: format!("http://127.0.0.1:{}", closed.port), ..GreenhouseConfig::new(KEY) };
    let err = GreenhouseChannel::new(config).unwrap().send(&application()).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");
}

#[tokio::test]
async fn configuration_errors() {
    let server = MockServer::start().await;
    let err = channel(&server).send(&support::outgoing(Recipient::Sandbox, "greenhouse")).await.unwrap_err();
    assert!(matches!(err, SendError::Config { .. }), "{err:?}");
    assert!(matches!(GreenhouseChannel::new(GreenhouseConfig::new("  ")), Err(SendError::Config { .. })));
    let bad_url = GreenhouseConfig { base_url: "ftp://x".into(), ..GreenhouseConfig::new(KEY) };
    assert!(matches!(GreenhouseChannel::new(bad_url), Err(SendError::Config { .. })));
    assert!(server.received_requests().await.unwrap().is_empty());
}
