//! Lever Postings API against a wiremock server: the wire format (key in the query, multipart
//! form), the answers' mapping, and an audit and errors that never show the key.

use crate::support::{self, assert_no_secret, audit_header, form_parts, only_request, PDF, SHORT};
use serde_json::json;
use submit::channel::{fallback_confirmation, Channel, LeverChannel, LeverConfig, Outgoing, Recipient, SendError};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "lv-test-key-91c4e0";
const PATH: &str = "/v0/postings/acme/5ac21346-8e0c-4494-8e7a-3eb92ff77902";

fn channel(server: &MockServer) -> LeverChannel {
    LeverChannel::new(LeverConfig { base_url: server.uri(), ..LeverConfig::new(KEY) }).unwrap()
}

fn application() -> Outgoing {
    let recipient = Recipient::Lever { site: "acme".into(), posting_id: "5ac21346-8e0c-4494-8e7a-3eb92ff77902".into() };
    let mut msg = support::outgoing(recipient, "lever");
    msg.answers[0].field = "cards[field0]".into();
    msg
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(PATH)).respond_with(response).mount(&server).await;
    server
}

#[tokio::test]
async fn posts_the_form_lever_expects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(query_param("key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true, "applicationId": "c5b6a1d2-app"})))
        .expect(1)
        .mount(&server)
        .await;
    let channel = channel(&server);
    assert_eq!(channel.name(), "lever");
    assert!(!channel.accepts_idempotency_key());
    let receipt = channel.send(&application()).await.unwrap();
    assert_eq!(receipt.confirmation, "c5b6a1d2-app");

    let request = only_request(&server).await;
    assert!(request.headers.get("authorization").is_none());
    let parts = form_parts(&request);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["name", "email", "phone", "comments", "cards[field0]", "question_456", "resume"]);
    let part = |name: &str| parts.iter().find(|p| p.name == name).unwrap();
    assert_eq!(part("name").text(), "Jane Doe");
    assert_eq!(part("email").text(), "jane.doe@example.org");
    assert_eq!(part("phone").text(), "+1 555 0100");
    assert_eq!(part("comments").text(), support::COVER_NOTE);
    assert_eq!(part("cards[field0]").text(), "Yes");
    let resume = part("resume");
    assert_eq!(resume.filename.as_deref(), Some("Jane_Doe_resume.pdf"));
    assert_eq!(resume.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(resume.bytes, PDF);

    let audit = &receipt.audit;
    assert_eq!(audit.target, format!("POST {}{PATH}?key=[redacted]", server.uri()));
    assert!(audit_header(audit, "content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert_eq!(audit.fields[0], ("name".to_owned(), "Jane Doe".to_owned()));
    assert_no_secret(audit, KEY);
    assert!(!format!("{:?} {channel:?}", LeverConfig::new(KEY)).contains(KEY), "Debug hides the key");
}

#[tokio::test]
async fn without_an_application_id_the_confirmation_is_ours() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).await;
    let msg = application();
    assert_eq!(
        channel(&server).send(&msg).await.unwrap().confirmation,
        fallback_confirmation("lever", &msg.idempotency_key)
    );
}

#[tokio::test]
async fn a_4xx_is_a_rejection_with_levers_message() {
    let body = json!({"code": "BadRequestError", "message": "Invalid email address"});
    let server = answering(ResponseTemplate::new(400).set_body_json(body)).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert_eq!(
        err,
        SendError::Rejected {
            channel: "lever".into(),
            status: "HTTP 400".into(),
            message: "Invalid email address".into()
        }
    );
}

#[tokio::test]
async fn ok_false_is_a_rejection() {
    let server =
        answering(ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": "Posting closed"}))).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert!(matches!(&err, SendError::Rejected { message, .. } if message == "Posting closed"), "{err:?}");
}

#[tokio::test]
async fn a_5xx_is_transient() {
    let server = answering(ResponseTemplate::new(502).set_body_string("bad gateway")).await;
    let err = channel(&server).send(&application()).await.unwrap_err();
    assert!(matches!(&err, SendError::Transient { message, .. } if message.starts_with("HTTP 502")), "{err:?}");
}

#[tokio::test]
async fn a_late_answer_is_transient_and_names_no_key() {
    let server = answering(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5))).await;
    let config = LeverConfig { base_url: server.uri(), timeout: SHORT, ..LeverConfig::new(KEY) };
    let err = LeverChannel::new(config).unwrap().send(&application()).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn nobody_listening_is_transient_and_names_no_key() {
    let closed = support::closed_port();
    let config = LeverConfig { base_url: format!("http://127.0.0.1:{}", closed.port), ..LeverConfig::new(KEY) };
    let err = LeverChannel::new(config).unwrap().send(&application()).await.unwrap_err();
    assert!(matches!(err, SendError::Transient { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn needs_a_lever_recipient() {
    let server = MockServer::start().await;
    let err = channel(&server).send(&support::outgoing(Recipient::Webhook, "lever")).await.unwrap_err();
    assert!(matches!(err, SendError::Config { .. }), "{err:?}");
}
