//! `parse_email` on its own: headers, encodings, body selection and what counts as unparseable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use track::imap::html_to_text;
use track::parse_email;

#[test]
fn plain_message() {
    let raw = b"From: \"Doe, Jane\" <Jane@Example.COM>\n\
To: a@x.org\n\
Subject: =?utf-8?B?SW50ZXJ2aWV3IMOcYmVyc2ljaHQ=?=\n\
Date: Mon, 1 Jun 2026 08:00:00 -0500\n\
Message-ID: <abc@example.com>\n\
\n\
Hi there,\n\nsee you.\n";
    let email = parse_email(7, raw).unwrap();
    assert_eq!(email.uid, 7);
    assert_eq!(email.from, "\"Doe, Jane\" <Jane@Example.COM>");
    assert_eq!(email.from_address, "jane@example.com");
    assert_eq!(email.subject, "Interview Übersicht");
    assert_eq!(email.date, Some(Utc.with_ymd_and_hms(2026, 6, 1, 13, 0, 0).unwrap()));
    assert_eq!(email.message_id.as_deref(), Some("<abc@example.com>"));
    assert!(email.in_reply_to.is_empty() && email.references.is_empty());
    assert_eq!(email.body, "Hi there,\n\nsee you.");
}

#[test]
fn base64_plain_part_wins_over_html_and_attachments() {
    let raw = b"From: hr@acme.com\r\n\
Subject: Offer\r\n\
Content-Type: multipart/mixed; boundary=outer\r\n\
\r\n\
--outer\r\n\
Content-Type: multipart/alternative; boundary=inner\r\n\
\r\n\
--inner\r\n\
Content-Type: text/html\r\n\
\r\n\
<p>HTML offer</p>\r\n\
--inner\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
V2UgYXJlIGhhcHB5IHRvIG9mZmVyIHlvdSB0aGUgcm9sZS4=\r\n\
--inner--\r\n\
--outer\r\n\
Content-Type: text/plain\r\n\
Content-Disposition: attachment; filename=terms.txt\r\n\
\r\n\
attachment text\r\n\
--outer--\r\n";
    let email = parse_email(1, raw).unwrap();
    assert_eq!(email.body, "We are happy to offer you the role.");
}

#[test]
fn attachment_only_plain_part_falls_back_to_html() {
    let raw = b"From: hr@acme.com\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\
\r\n\
--b\r\n\
Content-Type: text/html\r\n\
\r\n\
<div>Line one<br>Line&nbsp;two &lt;ok&gt;</div><!-- hidden -->\r\n\
--b\r\n\
Content-Type: text/plain\r\n\
Content-Disposition: attachment; filename=a.txt\r\n\
\r\n\
attached\r\n\
--b--\r\n";
    assert_eq!(parse_email(1, raw).unwrap().body, "Line one\nLine two <ok>");
}

#[test]
fn unparseable_messages_are_errors() {
    assert!(parse_email(1, b" starts with a continuation\r\n\r\nbody").unwrap_err().contains("MIME"));
    assert!(parse_email(1, b"Subject: no sender\r\n\r\nbody").unwrap_err().contains("From"));
    assert!(parse_email(1, b"").is_err());
}

#[test]
fn odd_but_readable_headers() {
    let raw = b"From: MAILER-DAEMON\r\nTo: undisclosed-recipients:;\r\nIn-Reply-To: bare@id (comment)\r\n\
Date: not a date\r\n\r\nbody";
    let email = parse_email(3, raw).unwrap();
    assert_eq!((email.from.as_str(), email.from_address.as_str()), ("MAILER-DAEMON", ""));
    assert!(email.to.is_empty());
    assert_eq!(email.in_reply_to, vec!["<bare@id>"]);
    assert_eq!((email.date, email.subject.as_str(), email.message_id), (None, "", None));
}

#[test]
fn html_text() {
    let html = "<html><head><title>T</title><style>x{}</style></head><body><h1>Hi</h1>\
<p>Thanks &amp; regards,<br/>Acme</p><SCRIPT>var a = '<p>';</SCRIPT><ul><li>one</li><li>two</li></ul></body></html>";
    assert_eq!(html_to_text(html), "Hi\n\nThanks & regards,\nAcme\n\none\n\ntwo");
    assert_eq!(html_to_text("no tags at all"), "no tags at all");
    assert_eq!(html_to_text("unclosed <b"), "unclosed");
    assert_eq!(html_to_text("Hel<b>lo</b> <i>you</i>"), "Hello you");
    assert_eq!(html_to_text("<table><tr><td>A</td><td>B</td></tr></table>"), "A B");
}

#[test]
fn inbound_email_round_trips_through_json() {
    let email = parse_email(9, b"From: a@b.co\r\nDate: Tue, 2 Jun 2026 10:00:00 +0000\r\n\r\nhi").unwrap();
    let json = serde_json::to_string(&email).unwrap();
    assert_eq!(serde_json::from_str::<track::InboundEmail>(&json).unwrap(), email);
}
