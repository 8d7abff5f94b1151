//! `fetch_since` against a real Dovecot IMAP server on loopback (the server is `testkit::dovecot`; CI
//! installs it with `apt-get install dovecot-imapd`, and these tests fail without it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/dovecot.rs"]
mod dovecot;

use chrono::{TimeZone, Utc};
use dovecot::{Dovecot, ImapConfigExt as _};
use track::{fetch_since, ImapConfig, ImapError};

fn message(n: u32, subject: &str) -> Vec<u8> {
    format!(
        "From: Acme Talent <talent@acme.com>\r\n\
         To: me@example.org\r\n\
         Subject: {subject}\r\n\
         Date: Tue, 02 Jun 2026 10:0{n}:00 +0000\r\n\
         Message-ID: <msg{n}@acme.com>\r\n\
         \r\n\
         Message number {n}.\r\n"
    )
    .into_bytes()
}

const REPLY: &[u8] = b"From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <Juergen.Mueller@Mail.Acme.com>\r\n\
To: Me <me@example.org>, other@example.org\r\n\
Subject: Re: Application for Backend Engineer\r\n\
Date: Wed, 03 Jun 2026 09:30:00 +0200\r\n\
Message-ID: <reply-1@mail.acme.com>\r\n\
In-Reply-To: <app-42@applyflow>\r\n\
References: <thread-0@applyflow>\r\n <app-42@applyflow>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Hello, we would like to invite you to an interview. Gr=C3=BC=C3=9Fe\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Hello, <b>HTML</b> version</p>\r\n\
--b1--\r\n";

const HTML_ONLY: &[u8] = b"From: jobs@beta.io\r\n\
Subject: Your application\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<html><head><style>p{color:red}</style></head><body><p>Thanks for applying &amp; good luck.</p>\
<script>alert(1)</script><div>Team&nbsp;Beta</div></body></html>\r\n";

#[tokio::test]
async fn fetch_returns_the_parsed_messages() {
    let server = Dovecot::start();
    server.deliver(REPLY);
    server.deliver(HTML_ONLY);

    let fetched = fetch_since(&server.config(), 0, None).await.unwrap_or_else(|e| panic!("{e}\n{}", server.logs()));
    assert_ne!(fetched.uid_validity, 0);
    assert_eq!((fetched.last_uid, fetched.skipped, fetched.emails.len()), (2, 0, 2));

    let reply = &fetched.emails[0];
    assert_eq!(reply.uid, 1);
    assert_eq!(reply.subject, "Re: Application for Backend Engineer");
    assert_eq!(reply.from, "Jürgen Müller <Juergen.Mueller@Mail.Acme.com>");
    assert_eq!(reply.from_address, "juergen.mueller@mail.acme.com");
    assert_eq!(reply.to, vec!["me@example.org", "other@example.org"]);
    assert_eq!(reply.message_id.as_deref(), Some("<reply-1@mail.acme.com>"));
    assert_eq!(reply.in_reply_to, vec!["<app-42@applyflow>"]);
    assert_eq!(reply.references, vec!["<thread-0@applyflow>", "<app-42@applyflow>"]);
    assert_eq!(reply.date, Some(Utc.with_ymd_and_hms(2026, 6, 3, 7, 30, 0).unwrap()));
    assert_eq!(reply.body, "Hello, we would like to invite you to an interview. Grüße");

    let html = &fetched.emails[1];
    assert_eq!((html.uid, html.from_address.as_str(), html.date), (2, "jobs@beta.io", None));
    assert_eq!(html.body, "Thanks for applying & good luck.\n\nTeam Beta");
}

#[tokio::test]
async fn a_second_call_returns_only_new_messages() {
    let server = Dovecot::start();
    let cfg = server.config();
    server.deliver(&message(1, "first"));
    server.deliver(&message(2, "second"));
    let first = fetch_since(&cfg, 0, None).await.unwrap();
    assert_eq!(first.emails.iter().map(|e| e.subject.as_str()).collect::<Vec<_>>(), ["first", "second"]);
    assert_eq!(first.last_uid, 2);

    // Nothing new.
    let none = fetch_since(&cfg, first.last_uid, Some(first.uid_validity)).await.unwrap();
    assert!(none.emails.is_empty(), "{none:?}");
    assert_eq!((none.last_uid, none.uid_validity, none.skipped), (2, first.uid_validity, 0));

    server.deliver(&message(3, "third"));
    let next = fetch_since(&cfg, first.last_uid, Some(first.uid_validity)).await.unwrap();
    assert_eq!(next.emails.iter().map(|e| (e.uid, e.subject.as_str())).collect::<Vec<_>>(), [(3, "third")]);
    assert_eq!(next.last_uid, 3);

    // Reading is read-only (EXAMINE): the same range can be read again.
    let again = fetch_since(&cfg, 0, Some(first.uid_validity)).await.unwrap();
    assert_eq!(again.emails.len(), 3);
}

#[tokio::test]
async fn uid_fetch_past_the_end_does_not_repeat_the_newest_message() {
    let server = Dovecot::start();
    for n in 1..=3 {
        server.deliver(&message(n, &format!("m{n}")));
    }
    server.expunge(3);
    // UIDNEXT is 4, so `UID FETCH 3:*` is sent; the server answers it with UID 2, the newest
    // message, which was already read.
    let fetched = fetch_since(&server.config(), 2, None).await.unwrap();
    assert!(fetched.emails.is_empty(), "{fetched:?}");
    assert_eq!((fetched.last_uid, fetched.skipped), (2, 0));
}

#[tokio::test]
async fn an_empty_mailbox_returns_nothing() {
    let server = Dovecot::start();
    let fetched = fetch_since(&server.config(), 0, None).await.unwrap();
    assert!(fetched.emails.is_empty());
    assert_eq!((fetched.last_uid, fetched.skipped), (0, 0));
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error() {
    let server = Dovecot::start();
    let cfg = ImapConfig { password: "not-the-password".to_owned(), ..server.config() };
    match fetch_since(&cfg, 0, None).await {
        Err(ImapError::Auth(msg)) => assert!(msg.contains("wrong username or password"), "{msg}"),
        other => panic!("expected an Auth error, got {other:?}"),
    }
    let cfg = ImapConfig { username: "nobody-here".to_owned(), ..server.config() };
    assert!(matches!(fetch_since(&cfg, 0, None).await, Err(ImapError::Auth(_))));
}

#[tokio::test]
async fn a_malformed_message_is_skipped_and_counted() {
    let server = Dovecot::start();
    server.deliver(&message(1, "good one"));
    // A header block that starts with a continuation line is not a MIME message.
    server.deliver(b" broken: header\r\n\r\nnot an email\r\n");
    // No From header: nothing to tie to an application.
    server.deliver(b"Subject: who sent this\r\n\r\nbody\r\n");
    server.deliver(&message(4, "good two"));

    let fetched = fetch_since(&server.config(), 0, None).await.unwrap();
    assert_eq!(
        fetched.emails.iter().map(|e| (e.uid, e.subject.as_str())).collect::<Vec<_>>(),
        [(1, "good one"), (4, "good two")]
    );
    assert_eq!((fetched.skipped, fetched.last_uid), (2, 4));
}

#[tokio::test]
async fn a_uidvalidity_change_starts_over() {
    let server = Dovecot::start();
    let cfg = server.config();
    server.deliver(&message(1, "one"));
    server.deliver(&message(2, "two"));
    let first = fetch_since(&cfg, 0, None).await.unwrap();
    assert_eq!(first.last_uid, 2);

    let renewed = first.uid_validity.wrapping_add(1000).max(1);
    server.set_uid_validity(renewed);
    let after = fetch_since(&cfg, first.last_uid, Some(first.uid_validity)).await.unwrap();
    assert_eq!(after.uid_validity, renewed);
    assert_eq!(after.emails.iter().map(|e| e.subject.as_str()).collect::<Vec<_>>(), ["one", "two"]);
    assert_eq!(after.last_uid, 2);

    // With the stored validity matching, the UID is honoured again.
    let same = fetch_since(&cfg, after.last_uid, Some(renewed)).await.unwrap();
    assert!(same.emails.is_empty());
}

#[tokio::test]
async fn a_missing_mailbox_is_a_protocol_error() {
    let server = Dovecot::start();
    let cfg = ImapConfig { mailbox: "Does-Not-Exist".to_owned(), ..server.config() };
    match fetch_since(&cfg, 0, None).await {
        Err(ImapError::Protocol(msg)) => assert!(msg.contains("Does-Not-Exist"), "{msg}"),
        other => panic!("expected a Protocol error, got {other:?}"),
    }
}

#[tokio::test]
async fn tls_to_a_plaintext_port_is_a_connect_error() {
    let server = Dovecot::start();
    let cfg = ImapConfig { url: format!("imaps://127.0.0.1:{}", server.port()), ..server.config() };
    match fetch_since(&cfg, 0, None).await {
        Err(ImapError::Connect(msg)) => assert!(msg.contains("TLS"), "{msg}"),
        other => panic!("expected a Connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let cfg = ImapConfig::new(format!("imap://127.0.0.1:{port}"), "u", "p");
    assert!(matches!(fetch_since(&cfg, 0, None).await, Err(ImapError::Connect(_))));
}
