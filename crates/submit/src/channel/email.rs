//! The email channel: one RFC 5322 message per application over SMTP (`lettre`, tokio).
//!
//! `smtp://host:port` speaks plain SMTP; `smtp://host?tls=required` (STARTTLS) and
//! `smtps://host` (TLS from the start) use rustls with the webpki roots; `user:pass@` in the URL
//! logs in. The message: `From` the configured sender, `To` the posting's address, `Reply-To`
//! the applicant, `Subject: Application: {title} — {first} {last}`,
//! `Message-ID: <{idempotency key}@applyflow>` (replies thread to it and a receiver can
//! deduplicate by it), `X-Applyflow-Idempotency-Key`, and a multipart/mixed body: the cover
//! note as text/plain, then every attachment with its content type and file name. `Date` and
//! the MIME boundary come from the clock and the key, so the same application at the same
//! second is the same bytes. The audit body is exactly the bytes given to the SMTP server.

use super::{Audit, Channel, Outgoing, Receipt, Recipient, SendError, UnixClock, DEFAULT_TIMEOUT};
use async_trait::async_trait;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::{Duration, UNIX_EPOCH};

const CHANNEL: &str = "email";

/// The header that carries the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "X-Applyflow-Idempotency-Key";

/// Which SMTP server to use and whom the mail is from. `Debug` hides a password in the URL.
#[derive(Clone)]
pub struct EmailConfig {
    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required` or `smtps://host`.
    pub smtp_url: String,
    /// The sender, `apply@example.org` or `Jane Doe <jane@example.org>`.
    pub from: String,
    /// Bounds one whole send: connect, dialogue and data (default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// Gives the `Date` header (default [`super::system_clock`]).
    pub clock: UnixClock,
}

impl EmailConfig {
    /// `smtp_url` and `from` with the default timeout and the system clock.
    pub fn new(smtp_url: impl Into<String>, from: impl Into<String>) -> Self {
        Self { smtp_url: smtp_url.into(), from: from.into(), timeout: DEFAULT_TIMEOUT, clock: super::system_clock() }
    }
}

impl std::fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = match reqwest::Url::parse(&self.smtp_url) {
            Ok(url) if url.password().is_some() => super::http::redacted_url(&url),
            _ => self.smtp_url.clone(),
        };
        f.debug_struct("EmailConfig")
            .field("smtp_url", &url)
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Sends applications as email; needs [`Recipient::Email`].
#[derive(Clone)]
pub struct EmailChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
    clock: UnixClock,
}

impl std::fmt::Debug for EmailChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChannel")
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl EmailChannel {
    /// Checks the URL and sender; [`SendError::Config`] when either is unusable. Connects
    /// only when sending.
    pub fn new(config: EmailConfig) -> Result<Self, SendError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| config_error(format!("the sender {:?} is not a mailbox: {e}", config.from)))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
            // lettre's message can quote the URL, and so a password: name the cause alone.
            .map_err(|_| config_error("the SMTP URL is not smtp://, smtp://…?tls=required or smtps://".into()))?
            .timeout(Some(config.timeout))
            .build();
        Ok(Self { transport, from, timeout: config.timeout, clock: config.clock })
    }

    /// The message for `msg`, exactly as [`Channel::send`] would send it.
    fn compose(&self, msg: &Outgoing) -> Result<Message, SendError> {
        let Recipient::Email { address } = &msg.recipient else {
            return Err(config_error(format!("cannot deliver to {}", msg.recipient.describe())));
        };
        let to: Address =
            address.trim().parse().map_err(|e| config_error(format!("the posting's address {address:?}: {e}")))?;
        let applicant = &msg.applicant;
        let full_name = format!("{} {}", applicant.first_name.trim(), applicant.last_name.trim()).trim().to_owned();
        let seconds = u64::try_from((self.clock)()).unwrap_or(0);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(format!("Application: {} — {full_name}", msg.title.trim()))
            .date(UNIX_EPOCH + Duration::from_secs(seconds))
            .message_id(Some(message_id(&msg.idempotency_key)))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str(IDEMPOTENCY_HEADER),
                msg.idempotency_key.clone(),
            ));
        if !applicant.email.trim().is_empty() {
            let reply_to: Address = applicant
                .email
                .trim()
                .parse()
                .map_err(|e| config_error(format!("the applicant's address {:?}: {e}", applicant.email)))?;
            let name = (!full_name.is_empty()).then(|| full_name.clone());
            builder = builder.reply_to(Mailbox::new(name, reply_to));
        }
        let boundary: String = format!("applyflow-{}", msg.idempotency_key.chars().take(32).collect::<String>());
        let mut body = MultiPart::mixed().boundary(boundary).singlepart(SinglePart::plain(msg.cover_note.clone()));
        for file in &msg.attachments {
            let content_type = ContentType::parse(&file.content_type).map_err(|e| {
                config_error(format!(
                    "attachment {:?} has an invalid content type {:?}: {e}",
                    file.name, file.content_type
                ))
            })?;
            body = body.singlepart(MimeAttachment::new(file.name.clone()).body(file.bytes.clone(), content_type));
        }
        builder.multipart(body).map_err(|e| config_error(format!("cannot build the message: {e}")))
    }
}

/// `<{key}@applyflow>`: the Message-ID, and the confirmation of an email application.
pub fn message_id(idempotency_key: &str) -> String {
    format!("<{idempotency_key}@applyflow>")
}

#[async_trait]
impl Channel for EmailChannel {
    fn name(&self) -> &'static str {
        CHANNEL
    }

    /// The key is in the Message-ID and its own header, but a mailbox is not bound to
    /// deduplicate by them: a resend may arrive twice.
    fn accepts_idempotency_key(&self) -> bool {
        false
    }

    async fn send(&self, msg: &Outgoing) -> Result<Receipt, SendError> {
        let message = self.compose(msg)?;
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        let from = envelope.from().map(ToString::to_string).unwrap_or_default();
        let rcpt: Vec<String> = envelope.to().iter().map(|a| format!("RCPT TO:<{a}>")).collect();
        let audit = Audit {
            target: format!("SMTP MAIL FROM:<{from}> {}", rcpt.join(" ")),
            headers: headers(&message),
            fields: vec![("text/plain".to_owned(), msg.cover_note.clone())],
            body: bytes.clone(),
        };
        match tokio::time::timeout(self.timeout, self.transport.send_raw(&envelope, &bytes)).await {
            Err(_) => Err(SendError::Transient {
                channel: CHANNEL.to_owned(),
                message: format!("no answer within {:?}", self.timeout),
            }),
            Ok(Err(e)) => Err(smtp_error(&e)),
            Ok(Ok(_)) => Ok(Receipt { confirmation: message_id(&msg.idempotency_key), audit }),
        }
    }
}

/// The message's top-level headers in order, each with its unencoded value.
fn headers(message: &Message) -> Vec<(String, String)> {
    let formatted = message.headers().to_string();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in formatted.split("\r\n").filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the previous header's encoded value.
            if let Some((_, value)) = out.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.to_owned(), value.trim_start().to_owned()));
        }
    }
    for (name, value) in &mut out {
        if let Some(raw) = message.headers().get_raw(name) {
            raw.clone_into(value);
        }
    }
    out
}

/// SMTP 5xx: the receiver refused (its text kept); 4xx, network, TLS and time-outs: retry;
/// a client-side impossibility (no STARTTLS, no usable login mechanism): configuration.
fn smtp_error(e: &SmtpError) -> SendError {
    let text = std::error::Error::source(e).map(ToString::to_string).unwrap_or_else(|| e.to_string());
    if let Some(code) = e.status() {
        if e.is_permanent() {
            return SendError::Rejected { channel: CHANNEL.to_owned(), status: format!("SMTP {code}"), message: text };
        }
        return SendError::Transient { channel: CHANNEL.to_owned(), message: format!("SMTP {code}: {text}") };
    }
    if e.is_client() {
        return config_error(e.to_string());
    }
    let message = if e.is_timeout() { format!("timed out: {e}") } else { e.to_string() };
    SendError::Transient { channel: CHANNEL.to_owned(), message }
}

fn config_error(message: String) -> SendError {
    SendError::Config { channel: CHANNEL.to_owned(), message }
}
