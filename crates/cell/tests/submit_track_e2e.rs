//! The whole loop on loopback servers that speak the real protocols: discovery from a mock
//! Greenhouse board → analyze → generate (a real PDF) → the user approves → a real SMTP server
//! (aiosmtpd) receives the exact PDF → the employer's reply lands in a real IMAP mailbox
//! (Dovecot) → `track sync` ties it to the application and classifies it → `response.received`
//! → the application completes with `interview` and the tracker shows the stage `interview`.
// Test fixtures stamp wall-clock times; production code takes them from a Clock.
#![allow(clippy::disallowed_methods)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use domain::{ApplicationState, EventType, Outcome, Stage};
use std::sync::Arc;
use testkit::dovecot::{Dovecot, PASSWORD, USER};
use testkit::smtp::SmtpServer;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn board(job_id: u64) -> serde_json::Value {
    serde_json::json!({
        "id": job_id,
        "internal_job_id": 77,
        "title": "Backend Engineer (Rust)",
        "absolute_url": format!("https://job-boards.greenhouse.io/acme/jobs/{job_id}"),
        "location": {"name": "Berlin, Germany"},
        "updated_at": "2026-11-30T10:00:00-05:00",
        "company_name": "Acme Robotics",
        "content": "&lt;p&gt;We build robots. You will write Rust and PostgreSQL services, run them on \
            Kubernetes, and own our Kafka pipelines.&lt;/p&gt;&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;\
            &lt;li&gt;5+ years of Rust or Go&lt;/li&gt;&lt;li&gt;PostgreSQL and Kafka&lt;/li&gt;&lt;/ul&gt;\
            &lt;p&gt;To apply, send your CV to jobs@acme-robotics.test.&lt;/p&gt;",
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn discover_approve_email_reply_interview() {
    let smtp = SmtpServer::start();
    let imap = Dovecot::start();
    let boards = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/boards/acme/jobs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"jobs": [board(1001)], "meta": {"total": 1}})),
        )
        .mount(&boards)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/boards/acme/jobs/1001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(board(1001)))
        .mount(&boards)
        .await;

    let db = testkit::sqlite().await;
    let store = db.store.clone();
    let user = new_user(&store, "ada@example.com").await;
    let mut profile = sample_profile();
    profile.preferences = Default::default();
    store.put_profile(user.id, &profile).await.unwrap();

    let artifacts = tempfile::tempdir().unwrap();
    let mut config = fast_config();
    config.artifacts_dir = Some(artifacts.path().to_path_buf());
    config.submit.mode = cell::config::SubmitMode::Review;
    config.submit.channels.email.smtp_url = Some(smtp.url());
    config.submit.channels.email.from = Some("Applyflow <apply@applyflow.test>".into());
    let bus: Arc<dyn bus::EventBus> = Arc::new(bus::InProcessBus::new(1024));
    let cell = cell::Cell::new(
        store.clone(),
        bus,
        config,
        Arc::new(cell::SystemClock),
        domain::WorkflowDefinition::standard(),
        cell::agents::standard(),
    );
    let engine = cell.start().await.unwrap();

    // Discover from the loopback board through the real polite client.
    let client = fetch::PoliteClient::new(fetch::FetchConfig {
        allow_hosts: vec!["127.0.0.1".into()],
        per_host_rate_per_sec: 1000,
        ..Default::default()
    })
    .unwrap();
    let origin = url::Url::parse(&boards.uri()).unwrap();
    let spec = "greenhouse:acme".parse().unwrap();
    let polled = cell.poll_source(&client, user.id, &profile, &spec, Some(&origin)).await.unwrap();
    assert_eq!(polled.discovered, 1, "{polled:?}");
    wait_idle(&store, &user).await;

    // Review mode: it waits, and the preview names the channel, the recipient and the PDF.
    let app = all_apps(&store, &user).await.pop().unwrap();
    assert_eq!(app.state, ApplicationState::NeedsUser, "{:?}", app.reason);
    let view = cell.application_view(user.id, app.id).await.unwrap();
    let preview = view.preview.clone().unwrap();
    assert_eq!(preview.channel.as_deref(), Some("email"));
    assert_eq!(preview.recipient.as_deref(), Some("jobs@acme-robotics.test"));
    assert_eq!(preview.attachments.len(), 1, "{preview:?}");
    let sha = preview.attachments[0]["sha256"].as_str().unwrap().to_owned();

    // Approve: the SMTP server receives the exact PDF.
    let approved = cell.approve(user.id, app.id, vec![], false).await.unwrap();
    let cell::applying::Approved::Sent { channel, confirmation } = approved else { panic!("{approved:?}") };
    assert_eq!(channel, "email");
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let mail = mailparse::parse_mail(&received[0].1).unwrap();
    let pdf = mail
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "application/pdf")
        .expect("a PDF part")
        .get_body_raw()
        .unwrap();
    use sha2::Digest as _;
    assert_eq!(hex::encode(sha2::Sha256::digest(&pdf)), sha, "the PDF sent is the one previewed");
    assert!(pdf.starts_with(b"%PDF"));
    // A second approval sends nothing more.
    assert!(cell.approve(user.id, app.id, vec![], false).await.is_err());
    assert_eq!(smtp.received().len(), 1);
    // The sent PDF is the one the user can fetch.
    let (mime, bytes) = cell.document(user.id, app.id, "resume.pdf").await.unwrap().unwrap();
    assert_eq!((mime, bytes.as_slice()), ("application/pdf", pdf.as_slice()));

    // The employer answers in the thread.
    let date = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc2822();
    let reply = format!(
        "From: Maria Schulz <maria@acme-robotics.test>\r\nTo: ada@example.com\r\nSubject: Re: Application: Backend \
         Engineer (Rust)\r\nDate: {date}\r\nMessage-ID: <reply-1@acme-robotics.test>\r\nIn-Reply-To: {confirmation}\r\n\
         References: {confirmation}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Ada,\r\n\r\nThanks for \
         applying. We would like to invite you to a technical interview with our team. Could you share a few time \
         slots next week that work for you?\r\n\r\nBest,\r\nMaria\r\n"
    );
    imap.deliver(reply.as_bytes());
    let settings = cell::config::ImapSettings {
        url: Some(imap.url()),
        username: Some(USER.into()),
        password: Some(PASSWORD.into()),
        mailbox: "INBOX".into(),
    };
    let report = cell.sync_mailbox(user.id, &settings).await.unwrap();
    assert_eq!((report.fetched, report.matched), (1, 1), "{report:?}");
    assert_eq!(report.by_kind.get("interview"), Some(&1), "{report:?}");
    // A second sync records nothing twice.
    let again = cell.sync_mailbox(user.id, &settings).await.unwrap();
    assert_eq!(again.matched, 0, "{again:?}");

    wait_idle(&store, &user).await;
    engine.shutdown().await;
    let app = store.get_application(user.id, app.id).await.unwrap().unwrap();
    assert_eq!((app.state, app.outcome), (ApplicationState::Completed, Some(Outcome::Interview)));
    let events = app_events(&store, &user, &app).await;
    let responses: Vec<_> = events.iter().filter(|e| e.event_type == EventType::ResponseReceived).collect();
    assert_eq!(responses.len(), 1, "{responses:?}");
    assert_eq!(responses[0].payload["source"], "email");
    assert_eq!(responses[0].payload["reply"], "interview");
    let view = cell.application_view(user.id, app.id).await.unwrap();
    assert_eq!(view.stage, Stage::Interview);
    assert_eq!(view.stage_source, "email");
    assert!(view.audit.is_some());
}

/// OpenAI (at the mock) then the offline provider.
fn ai_at(server: &MockServer) -> llm::AiClient {
    let openai = llm::providers::OpenAiProvider::new(llm::providers::OpenAiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Some("sk-test".into()),
        timeout: std::time::Duration::from_secs(2),
        ..Default::default()
    })
    .unwrap();
    let providers: Vec<Arc<dyn llm::Provider>> = vec![Arc::new(openai), Arc::new(analysis::OfflineProvider::new())];
    let chain = llm::chain::ChainConfig {
        retry: domain::RetryPolicy::new(1, std::time::Duration::from_millis(1)),
        ..llm::chain::ChainConfig::default()
    };
    llm::AiClient::new(providers, llm::AiConfig { chain, ..llm::AiConfig::default() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_classified_through_the_ai_layer_with_the_rules_as_fallback() {
    let db = testkit::sqlite().await;
    let user = new_user(&db.store, "cls@example.com").await;
    let (subject, from) = ("Your application", "Talent <talent@globex.test>");
    let body = "Hi Ada, thanks for applying. Could you send us your salary expectations and notice period?";

    // No provider but the offline one (which does not do this task): the rules decide.
    let offline = cell_with(db.store.clone(), cell::agents::standard());
    let (kind, by) = cell::applying::classify::classify(offline.ctx(), user.id, subject, from, body).await;
    assert_eq!((kind, by.as_str()), (track::ReplyKind::InfoRequest, "rules"));

    // A provider answers in the task's schema: its answer is used, and it saw the email as data.
    let server = MockServer::start().await;
    let content = serde_json::json!({"kind": "interview", "reason": "asks to schedule"}).to_string();
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 200, "completion_tokens": 20, "total_tokens": 220}
        })))
        .mount(&server)
        .await;
    let with_ai = cell_with(db.store.clone(), cell::agents::standard()).with_ai(ai_at(&server));
    let (kind, by) = cell::applying::classify::classify(with_ai.ctx(), user.id, subject, from, body).await;
    assert_eq!((kind, by.as_str()), (track::ReplyKind::Interview, "ai:openai"));
    let sent: serde_json::Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert!(sent.to_string().contains("salary expectations"), "the email went as data");

    // An answer outside the six kinds is not trusted: the rules decide.
    server.reset().await;
    let bad = serde_json::json!({"kind": "hired!!", "reason": "x"}).to_string();
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "chatcmpl-2", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": bad}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 200, "completion_tokens": 20, "total_tokens": 220}
        })))
        .mount(&server)
        .await;
    // (Another email: the same one would be answered from the AI layer's cache.)
    let body = "Hello Ada, could you please send us a copy of your work permit before we continue?";
    let (kind, by) = cell::applying::classify::classify(with_ai.ctx(), user.id, subject, from, body).await;
    assert_eq!((kind, by.as_str()), (track::ReplyKind::InfoRequest, "rules"));
}
