//! Reading new mail from the user's IMAP mailbox: [`fetch_since`] logs in, opens the mailbox
//! read-only (`EXAMINE`), downloads every message whose UID is above the last one seen and parses
//! it with [`parse_email`] into an [`InboundEmail`]. `imaps://` goes through rustls (ring provider,
//! webpki roots); plain `imap://` is only allowed to a loopback address (tests, local bridges).

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_imap::error::Error as ImapLibError;
use async_imap::imap_proto::{Response, Status};
use async_imap::Client;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use mailparse::{MailHeaderMap, ParsedMail};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// Where and how to read mail.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapConfig {
    /// `imaps://host[:port]` (TLS, default port 993) or `imap://host[:port]` (plain, default port
    /// 143, loopback hosts only).
    pub url: String,
    pub username: String,
    pub password: String,
    /// The mailbox to read, usually `INBOX`.
    pub mailbox: String,
    /// Limit for connecting (TCP and TLS) and for each IMAP command or response.
    pub timeout: Duration,
}

impl ImapConfig {
    /// The default timeout for [`ImapConfig::new`].
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// A config reading `INBOX` with [`ImapConfig::DEFAULT_TIMEOUT`].
    pub fn new(url: impl Into<String>, username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            username: username.into(),
            password: password.into(),
            mailbox: "INBOX".to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }
}

impl fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapConfig")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("mailbox", &self.mailbox)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// One message read from the mailbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboundEmail {
    /// The IMAP UID (valid within one UIDVALIDITY of the mailbox).
    pub uid: u32,
    /// The `Message-ID`, with its angle brackets (`<id@host>`).
    pub message_id: Option<String>,
    /// The ids in `In-Reply-To`, with angle brackets.
    pub in_reply_to: Vec<String>,
    /// The ids in `References`, with angle brackets, oldest first.
    pub references: Vec<String>,
    /// The `From` header as written (encoded words decoded), e.g. `Acme Talent <jobs@acme.com>`.
    pub from: String,
    /// The sender's address, lowercased; empty when the header names none.
    pub from_address: String,
    /// The addresses in `To`, lowercased.
    pub to: Vec<String>,
    pub subject: String,
    pub date: Option<DateTime<Utc>>,
    /// The text/plain part, or the text of the HTML part (tags stripped) when there is no plain
    /// part.
    pub body: String,
}

/// What one [`fetch_since`] call read.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// The mailbox's UIDVALIDITY now; store it with `last_uid`.
    pub uid_validity: u32,
    /// The new messages, by ascending UID.
    pub emails: Vec<InboundEmail>,
    /// The highest UID seen (parsed or skipped); pass it as `after_uid` next time. Equal to the
    /// starting point when nothing new arrived.
    pub last_uid: u32,
    /// New messages that could not be parsed and were left out.
    pub skipped: usize,
}

/// Why reading the mailbox failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImapError {
    /// Bad URL, unreachable server, TLS failure or connect timeout.
    #[error("cannot connect to the IMAP server: {0}")]
    Connect(String),
    /// The server refused the login.
    #[error("IMAP login failed: {0}")]
    Auth(String),
    /// The server answered something unexpected, refused a command, or timed out.
    #[error("IMAP error: {0}")]
    Protocol(String),
}

/// Reads the messages of `cfg.mailbox` whose UID is above `after_uid`.
///
/// `uid_validity` is the value stored with `after_uid`; when the server's differs (the mailbox was
/// recreated and its UIDs renumbered), every message is read again from UID 1. A message that
/// cannot be parsed is counted in [`Fetched::skipped`] and does not stop the batch.
pub async fn fetch_since(cfg: &ImapConfig, after_uid: u32, uid_validity: Option<u32>) -> Result<Fetched, ImapError> {
    let endpoint = Endpoint::parse(&cfg.url)?;
    let addr = endpoint.address();
    let tcp = within(cfg.timeout, TcpStream::connect((endpoint.connect_host(), endpoint.port)))
        .await
        .map_err(|_| ImapError::Connect(format!("connecting to {addr} timed out after {:?}", cfg.timeout)))?
        .map_err(|e| ImapError::Connect(format!("cannot reach {addr}: {e}")))?;
    if !endpoint.tls {
        return session(Client::new(tcp), cfg, after_uid, uid_validity).await;
    }
    let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone())
        .map_err(|e| ImapError::Connect(format!("invalid TLS server name {:?}: {e}", endpoint.host)))?;
    let tls = within(cfg.timeout, tls_connector()?.connect(name, tcp))
        .await
        .map_err(|_| ImapError::Connect(format!("TLS handshake with {addr} timed out after {:?}", cfg.timeout)))?
        .map_err(|e| ImapError::Connect(format!("TLS handshake with {addr} failed: {e}")))?;
    session(Client::new(tls), cfg, after_uid, uid_validity).await
}

/// Parses one raw RFC 5322 message. Fails when the bytes are not a MIME message or have no `From`
/// header.
pub fn parse_email(uid: u32, raw: &[u8]) -> Result<InboundEmail, String> {
    let mail = mailparse::parse_mail(raw).map_err(|e| format!("not a MIME message: {e}"))?;
    let headers = &mail.headers;
    let from_header = headers.get_first_header("From").ok_or_else(|| "the message has no From header".to_owned())?;
    let from = collapse_spaces(&from_header.get_value());
    let from_address = mailparse::addrparse_header(from_header)
        .ok()
        .and_then(|list| list.iter().flat_map(addresses).next())
        .or_else(|| find_address(&from))
        .unwrap_or_default();
    let to = headers
        .get_all_headers("To")
        .into_iter()
        .flat_map(|h| match mailparse::addrparse_header(h) {
            Ok(list) => list.iter().flat_map(addresses).collect::<Vec<_>>(),
            Err(_) => h.get_value().split(',').filter_map(find_address).collect(),
        })
        .collect();
    let date = headers
        .get_first_value("Date")
        .and_then(|d| mailparse::dateparse(&d).ok())
        .filter(|&ts| ts > 0) // mailparse reads an unreadable date as the epoch
        .and_then(|ts| DateTime::from_timestamp(ts, 0));
    Ok(InboundEmail {
        uid,
        message_id: headers.get_first_value("Message-ID").and_then(|v| message_ids(&v).into_iter().next()),
        in_reply_to: headers.get_all_values("In-Reply-To").iter().flat_map(|v| message_ids(v)).collect(),
        references: headers.get_all_values("References").iter().flat_map(|v| message_ids(v)).collect(),
        from,
        from_address,
        to,
        subject: collapse_spaces(&headers.get_first_value("Subject").unwrap_or_default()),
        date,
        body: body_text(&mail),
    })
}

/// The text of an HTML document: scripts, styles and comments dropped, block ends turned into line
/// breaks, other tags removed, entities decoded, spaces collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        out.push_str(&html[i..i + rel]);
        let start = i + rel;
        if lower[start..].starts_with("<!--") {
            i = lower[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(end) = html[start..].find('>').map(|e| start + e) else {
            i = html.len();
            break;
        };
        let tag = &lower[start + 1..end];
        let closing = tag.starts_with('/');
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        i = end + 1;
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
            let close = format!("</{name}");
            i = lower[i..].find(&close).map_or(html.len(), |e| {
                let after = i + e;
                lower[after..].find('>').map_or(html.len(), |g| after + g + 1)
            });
            continue;
        }
        if is_block(&name) {
            out.push('\n');
        } else if matches!(name.as_str(), "td" | "th" | "img") {
            out.push(' ');
        }
    }
    if i < html.len() {
        out.push_str(&html[i..]);
    }
    tidy_text(&html_escape::decode_html_entities(&out))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "tr"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "body"
            | "html"
    )
}

/// Trims every line, collapses runs of spaces and of blank lines.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = collapse_spaces(line);
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn addresses(addr: &mailparse::MailAddr) -> Vec<String> {
    match addr {
        mailparse::MailAddr::Single(info) => vec![info.addr.trim().to_lowercase()],
        mailparse::MailAddr::Group(group) => group.addrs.iter().map(|i| i.addr.trim().to_lowercase()).collect(),
    }
}

/// The first `local@domain` looking word in `s`, lowercased.
fn find_address(s: &str) -> Option<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';' | '(' | ')'))
        .find(|w| w.len() > 2 && w.contains('@') && !w.starts_with('@') && !w.ends_with('@'))
        .map(str::to_lowercase)
}

/// The `<id>` tokens of a Message-ID list header; bare words are bracketed.
fn message_ids(value: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let id = rest[open + 1..open + close].trim();
        if !id.is_empty() {
            ids.push(format!("<{id}>"));
        }
        rest = &rest[open + close + 1..];
    }
    if ids.is_empty() {
        ids = value
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| w.contains('@'))
            .map(|w| format!("<{}>", w.trim_matches(|c| c == '<' || c == '>')))
            .collect();
    }
    ids
}

/// The text/plain part that is not an attachment, else the HTML part's text, else "".
fn body_text(mail: &ParsedMail<'_>) -> String {
    let inline = |part: &&ParsedMail<'_>| {
        part.subparts.is_empty() && part.get_content_disposition().disposition != mailparse::DispositionType::Attachment
    };
    let decoded = |part: &ParsedMail<'_>| {
        part.get_body()
            .unwrap_or_else(|_| String::from_utf8_lossy(part.get_body_raw().as_deref().unwrap_or(b"")).into())
    };
    if let Some(plain) = mail.parts().filter(inline).find(|p| p.ctype.mimetype.eq_ignore_ascii_case("text/plain")) {
        return decoded(plain).replace("\r\n", "\n").trim().to_owned();
    }
    mail.parts()
        .filter(inline)
        .find(|p| p.ctype.mimetype.eq_ignore_ascii_case("text/html"))
        .map(|html| html_to_text(&decoded(html)))
        .unwrap_or_default()
}

/// A parsed `imap://` or `imaps://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    tls: bool,
    /// Host name or IP address (IPv6 without brackets).
    host: String,
    port: u16,
}

impl Endpoint {
    fn parse(raw: &str) -> Result<Self, ImapError> {
        let url =
            url::Url::parse(raw.trim()).map_err(|e| ImapError::Connect(format!("invalid IMAP URL {raw:?}: {e}")))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => {
                return Err(ImapError::Connect(format!(
                    "unsupported URL scheme {other:?} in {raw:?}: use imaps://host:993 (or imap:// on loopback)"
                )))
            }
        };
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            None => return Err(ImapError::Connect(format!("the IMAP URL {raw:?} has no host"))),
        };
        if host.is_empty() {
            return Err(ImapError::Connect(format!("the IMAP URL {raw:?} has no host")));
        }
        let port = url.port().unwrap_or(if tls { 993 } else { 143 });
        let endpoint = Self { tls, host, port };
        if !tls && !endpoint.is_loopback() {
            return Err(ImapError::Connect(format!(
                "plain imap:// would send the password unencrypted to {}; use imaps:// (plain IMAP is only \
                 allowed to a loopback address)",
                endpoint.host
            )));
        }
        Ok(endpoint)
    }

    fn is_loopback(&self) -> bool {
        self.host == "localhost" || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    fn connect_host(&self) -> &str {
        &self.host
    }

    fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

fn tls_connector() -> Result<tokio_rustls::TlsConnector, ImapError> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| ImapError::Connect(format!("TLS setup failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

async fn within<F: Future>(limit: Duration, fut: F) -> Result<F::Output, tokio::time::error::Elapsed> {
    tokio::time::timeout(limit, fut).await
}

/// Runs `fut`, one IMAP command, under the timeout; failures become [`ImapError::Protocol`].
async fn command<T, F>(cfg: &ImapConfig, what: &str, fut: F) -> Result<T, ImapError>
where
    F: Future<Output = Result<T, ImapLibError>>,
{
    within(cfg.timeout, fut)
        .await
        .map_err(|_| ImapError::Protocol(format!("{what} timed out after {:?}", cfg.timeout)))?
        .map_err(|e| protocol_error(what, e))
}

fn protocol_error(what: &str, e: ImapLibError) -> ImapError {
    ImapError::Protocol(match e {
        ImapLibError::No(msg) => format!("{what}: the server refused: {msg}"),
        ImapLibError::Bad(msg) => format!("{what}: the server rejected the command: {msg}"),
        ImapLibError::ConnectionLost => format!("{what}: the server closed the connection"),
        other => format!("{what}: {other}"),
    })
}

async fn session<T>(
    mut client: Client<T>,
    cfg: &ImapConfig,
    after_uid: u32,
    known_validity: Option<u32>,
) -> Result<Fetched, ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + fmt::Debug + Send,
{
    let greeting = within(cfg.timeout, client.read_response())
        .await
        .map_err(|_| ImapError::Connect(format!("no server greeting within {:?}", cfg.timeout)))?
        .map_err(|e| ImapError::Connect(format!("reading the server greeting failed: {e}")))?
        .ok_or_else(|| ImapError::Connect("the server closed the connection before its greeting".to_owned()))?;
    if let Response::Data { status: Status::Bye | Status::No | Status::Bad, outcome } = greeting.parsed() {
        let why = outcome.information.as_deref().unwrap_or("no reason given");
        return Err(ImapError::Connect(format!("the server turned the connection away: {why}")));
    }

    let mut session = match within(cfg.timeout, client.login(&cfg.username, &cfg.password)).await {
        Err(_) => return Err(ImapError::Auth(format!("login timed out after {:?}", cfg.timeout))),
        Ok(Ok(session)) => session,
        Ok(Err((ImapLibError::No(msg) | ImapLibError::Bad(msg), _))) => {
            return Err(ImapError::Auth(format!(
                "the server rejected the login for {:?}: wrong username or password ({})",
                cfg.username,
                msg.trim()
            )))
        }
        Ok(Err((ImapLibError::Validate(e), _))) => {
            return Err(ImapError::Auth(format!("the username or password cannot be sent over IMAP: {e}")))
        }
        Ok(Err((e, _))) => return Err(protocol_error("LOGIN", e)),
    };

    let mailbox = command(cfg, &format!("EXAMINE {:?}", cfg.mailbox), session.examine(&cfg.mailbox)).await?;
    let uid_validity = mailbox
        .uid_validity
        .ok_or_else(|| ImapError::Protocol(format!("the server reported no UIDVALIDITY for {:?}", cfg.mailbox)))?;
    let start = match known_validity {
        Some(known) if known != uid_validity => 0,
        _ => after_uid,
    };
    let mut fetched = Fetched { uid_validity, emails: Vec::new(), last_uid: start, skipped: 0 };
    let first = start.saturating_add(1);
    let has_new = mailbox.exists > 0 && mailbox.uid_next.is_none_or(|next| next > first) && start < u32::MAX;
    if has_new {
        let what = format!("UID FETCH {first}:*");
        let mut stream = command(cfg, &what, session.uid_fetch(format!("{first}:*"), "(UID RFC822)")).await?;
        loop {
            let item = within(cfg.timeout, stream.next())
                .await
                .map_err(|_| ImapError::Protocol(format!("{what} timed out after {:?}", cfg.timeout)))?;
            let Some(item) = item else { break };
            let message = item.map_err(|e| protocol_error(&what, e))?;
            // `first:*` always includes the newest message, even when its UID is below `first`.
            let Some(uid) = message.uid.filter(|&uid| uid > start) else {
                if message.uid.is_none() {
                    fetched.skipped += 1;
                    tracing::warn!(seq = message.message, "IMAP message without UID skipped");
                }
                continue;
            };
            fetched.last_uid = fetched.last_uid.max(uid);
            match message.body().map(|raw| parse_email(uid, raw)) {
                Some(Ok(email)) => fetched.emails.push(email),
                Some(Err(why)) => {
                    fetched.skipped += 1;
                    tracing::warn!(uid, %why, "unparseable email skipped");
                }
                None => {
                    fetched.skipped += 1;
                    tracing::warn!(uid, "IMAP server sent no message body; skipped");
                }
            }
        }
    }
    fetched.emails.sort_by_key(|e| e.uid);

    if let Err(e) = command(cfg, "LOGOUT", session.logout()).await {
        tracing::warn!(error = %e, "IMAP logout failed (messages were read)");
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn urls() {
        let e = Endpoint::parse("imaps://imap.example.com").unwrap();
        assert_eq!((e.tls, e.host.as_str(), e.port), (true, "imap.example.com", 993));
        let e = Endpoint::parse("imap://127.0.0.1:1143").unwrap();
        assert_eq!((e.tls, e.port), (false, 1143));
        let e = Endpoint::parse("imap://[::1]:1143").unwrap();
        assert_eq!((e.host.as_str(), e.address()), ("::1", "[::1]:1143".to_owned()));
        assert!(Endpoint::parse("imap://localhost").is_ok());
        assert!(
            matches!(Endpoint::parse("imap://mail.example.com"), Err(ImapError::Connect(m)) if m.contains("imaps://"))
        );
        assert!(matches!(Endpoint::parse("pop3://x"), Err(ImapError::Connect(_))));
        assert!(matches!(Endpoint::parse("not a url"), Err(ImapError::Connect(_))));
    }

    #[test]
    fn debug_hides_password() {
        let cfg = ImapConfig::new("imaps://h", "u", "hunter2");
        assert!(!format!("{cfg:?}").contains("hunter2"));
        assert_eq!(cfg.mailbox, "INBOX");
    }

    #[test]
    fn ids() {
        assert_eq!(message_ids(" <a@x>\r\n <b@y> "), vec!["<a@x>", "<b@y>"]);
        assert_eq!(message_ids("a@x"), vec!["<a@x>"]);
        assert!(message_ids("").is_empty());
    }

    #[test]
    fn fetch_future_is_send() {
        fn is_send<T: Send>(_: &T) {}
        let cfg = ImapConfig::new("imap://127.0.0.1:1", "u", "p");
        let fut = fetch_since(&cfg, 0, None);
        is_send(&fut);
    }
}
