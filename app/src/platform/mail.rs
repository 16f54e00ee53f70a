//! Outgoing mail. One message format, built with lettre (From, To, Subject, Date,
//! Message-ID, a UTF-8 `text/plain` body), and two ways out:
//!
//! - [`Mailer::Smtp`] when `SMTP_URL` is set: each message goes to that SMTP server
//!   (plain, STARTTLS or implicit TLS, with rustls), bounded by a timeout so a slow or
//!   dead server cannot hold a request.
//! - [`Mailer::Outbox`] otherwise: each message is written as an RFC 5322 `.eml` file
//!   into `<data-dir>/outbox`, so the default install needs no mail server and tests can
//!   read what was sent.
//!
//! Addresses are parsed, never pasted into headers: an address with CR/LF or that is not
//! an address at all is a [`MailError`], not a sent (or written) message.
use super::redact::redact_url;
use lettre::{
    Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, SinglePart, header::ContentType},
};
use std::{
    fmt,
    path::PathBuf,
    time::{Duration, SystemTime},
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// How long one message may take to reach the SMTP server, unless configured otherwise.
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub enum Mailer {
    Outbox { dir: PathBuf, from: Mailbox },
    Smtp(Box<Smtp>),
}

/// An SMTP server to hand messages to. Built from an `SMTP_URL` by [`Mailer::smtp`].
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The URL with its password masked: the only form that is ever printed.
    server: String,
    timeout: Duration,
    encrypted: bool,
    authenticated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the sender address (AGORA_MAIL_FROM) {value:?} is not usable: {reason}")]
    Sender { value: String, reason: String },
    #[error("SMTP_URL {url} is not usable: {reason}")]
    Config { url: String, reason: String },
    /// The recipient's address is deliberately not part of the message: it is personal
    /// data and this error is logged.
    #[error("the recipient address is not usable: {0}")]
    Recipient(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not write to the mail outbox {dir}: {source}")]
    Outbox { dir: String, source: std::io::Error },
    #[error("SMTP delivery via {server} failed: {source}")]
    Smtp {
        server: String,
        source: lettre::transport::smtp::Error,
    },
    #[error("SMTP delivery via {server} gave up after {} s", after.as_secs_f32())]
    Timeout { server: String, after: Duration },
}

impl Mailer {
    /// Messages as `.eml` files in `dir`, sent from `from` (e.g. `Agora <noreply@x.org>`).
    pub fn outbox(dir: PathBuf, from: &str) -> Result<Self, MailError> {
        Ok(Mailer::Outbox {
            dir,
            from: parse_sender(from)?,
        })
    }

    /// Messages to the SMTP server of `url`:
    /// - `smtp://HOST:PORT`: plain SMTP, for a relay on the same host or network;
    /// - `smtp://USER:PASSWORD@HOST:587?tls=required`: STARTTLS, refused if not offered;
    /// - `smtps://USER:PASSWORD@HOST:465`: implicit TLS.
    ///
    /// User and password are percent-encoded; a path (`smtp://HOST/NAME`) sets the name
    /// sent with EHLO. `timeout` bounds each message, from connecting to the last reply.
    pub fn smtp(url: &str, from: &str, timeout: Duration) -> Result<Self, MailError> {
        let server = redact_url(url);
        let config = |reason: String| MailError::Config {
            url: server.clone(),
            reason,
        };
        let parsed = url::Url::parse(url).map_err(|e| config(e.to_string()))?;
        // lettre ignores query parameters it does not know, so `?tsl=required` would
        // silently send in plain text. Only `tls` is accepted.
        if let Some((key, _)) = parsed.query_pairs().find(|(k, _)| k != "tls") {
            return Err(config(format!(
                "unknown parameter {key:?} (only tls=required or tls=opportunistic)"
            )));
        }
        if !parsed.username().is_empty() && parsed.password().is_none() {
            return Err(config("a user name needs a password (USER:PASSWORD@HOST)".into()));
        }
        if parsed.port() == Some(0) {
            return Err(config("port 0".into()));
        }
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let encrypted = parsed.scheme() == "smtps" || tls.as_deref() == Some("required");
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| config(e.to_string()))?
            .timeout(Some(timeout))
            .build();
        Ok(Mailer::Smtp(Box::new(Smtp {
            transport,
            from: parse_sender(from)?,
            server,
            timeout,
            encrypted,
            authenticated: parsed.password().is_some(),
        })))
    }

    /// Sends one message. The outbox and SMTP get the same message; only the body's
    /// transfer encoding differs (8bit in files, 7bit-safe over SMTP).
    pub async fn send(&self, mail: &Email, now_ms: i64) -> Result<(), MailError> {
        match self {
            Mailer::Outbox { dir, from } => {
                let message = build(from, mail, now_ms)?;
                let failed = |source| MailError::Outbox {
                    dir: dir.display().to_string(),
                    source,
                };
                tokio::fs::create_dir_all(dir).await.map_err(failed)?;
                let name = format!("{now_ms}-{:016x}", rand::random::<u64>());
                // Write then rename, so a reader never sees half a message.
                let tmp = dir.join(format!(".{name}.tmp"));
                tokio::fs::write(&tmp, eml(&message, &mail.body))
                    .await
                    .map_err(failed)?;
                tokio::fs::rename(&tmp, dir.join(format!("{name}.eml")))
                    .await
                    .map_err(failed)
            }
            Mailer::Smtp(smtp) => {
                let message = build(&smtp.from, mail, now_ms)?;
                smtp.bounded(smtp.transport.send(message)).await.map(|_| ())
            }
        }
    }

    /// Connects (and signs in) to the SMTP server and says NOOP, within the timeout.
    /// The outbox has nothing to check.
    pub async fn check(&self) -> Result<(), MailError> {
        match self {
            Mailer::Outbox { .. } => Ok(()),
            Mailer::Smtp(smtp) => match smtp.bounded(smtp.transport.test_connection()).await? {
                true => Ok(()),
                false => Err(MailError::Config {
                    url: smtp.server.clone(),
                    reason: "the server did not answer NOOP".into(),
                }),
            },
        }
    }

    /// A password would go over the network unencrypted: worth a warning at startup.
    pub fn sends_password_in_clear(&self) -> bool {
        matches!(self, Mailer::Smtp(s) if s.authenticated && !s.encrypted)
    }
}

impl Smtp {
    async fn bounded<T>(
        &self,
        work: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
    ) -> Result<T, MailError> {
        match tokio::time::timeout(self.timeout, work).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(source)) => Err(MailError::Smtp {
                server: self.server.clone(),
                source,
            }),
            Err(_) => Err(MailError::Timeout {
                server: self.server.clone(),
                after: self.timeout,
            }),
        }
    }
}

/// What is active, safe to log: `SMTP smtp://user:***@host:587?tls=required` or
/// `outbox ./data/outbox`.
impl fmt::Display for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::Outbox { dir, .. } => write!(f, "outbox {}", dir.display()),
            Mailer::Smtp(s) => write!(f, "SMTP {}", s.server),
        }
    }
}

/// Never shows the SMTP password.
impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::Outbox { dir, from } => f
                .debug_struct("Outbox")
                .field("dir", dir)
                .field("from", &from.to_string())
                .finish(),
            Mailer::Smtp(s) => f
                .debug_struct("Smtp")
                .field("server", &s.server)
                .field("from", &s.from.to_string())
                .field("timeout", &s.timeout)
                .field("encrypted", &s.encrypted)
                .finish_non_exhaustive(),
        }
    }
}

fn parse_sender(from: &str) -> Result<Mailbox, MailError> {
    from.parse::<Mailbox>().map_err(|e| MailError::Sender {
        value: from.to_string(),
        reason: e.to_string(),
    })
}

/// The message for `mail`. lettre encodes the body as 7bit, quoted-printable or base64,
/// which every SMTP server takes.
fn build(from: &Mailbox, mail: &Email, now_ms: i64) -> Result<Message, MailError> {
    // A bare address only: no display name, no CR/LF, no second address.
    let to: Address = mail
        .to
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Recipient(e.to_string()))?;
    // Subjects come from our own translations, but a line break must never start a header.
    let subject = mail.subject.replace(['\r', '\n'], " ");
    let date = SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(now_ms).unwrap_or(0));
    let message_id = format!(
        "<{now_ms}.{:016x}@{}>",
        rand::random::<u64>(),
        from.email.domain()
    );
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(subject)
        .date(date)
        .message_id(Some(message_id))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone()),
        )
        .map_err(|e| MailError::Build(e.to_string()))
}

/// The `.eml` file for the outbox: the message's own headers, then the body as 8bit
/// UTF-8, so a link in it stays whole and readable (quoted-printable would break it
/// across lines). Lines over RFC 5322's 998 octets keep lettre's encoding instead.
fn eml(message: &Message, body: &str) -> Vec<u8> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    if body.lines().any(|l| l.len() > 998) {
        return message.formatted();
    }
    format!(
        "{}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        message.headers(),
        body.replace('\n', "\r\n")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender() -> Mailbox {
        parse_sender("Agora <noreply@agora.example>").unwrap()
    }

    fn mail(to: &str) -> Email {
        Email {
            to: to.into(),
            subject: "Bekræft din e-mailadresse til Agora".into(),
            body: "Hej Karen\n\nÅbn https://agora.example/verify-email/abc123 inden for 24 timer.".into(),
        }
    }

    fn text(m: &Message) -> String {
        String::from_utf8(m.formatted()).unwrap()
    }

    /// A verification mail as the translations make it: lines longer than 76 characters.
    fn long_lines() -> Email {
        Email {
            body: "Hej Karen\n\nBekræft din e-mailadresse ved at åbne dette link inden for 24 timer:\n\n\
                   https://agora.example/verify-email/Abcdefghijklmnopqrstuvwxyz0123456789_-Abcdefghijklmnop\n"
                .into(),
            ..mail("karen@skole.example")
        }
    }

    #[test]
    fn outbox_files_carry_the_headers_and_a_readable_utf8_body() {
        let mail = long_lines();
        let m = build(&sender(), &mail, 1_795_424_400_000).unwrap();
        let t = String::from_utf8(eml(&m, &mail.body)).unwrap();
        assert!(t.starts_with("From: Agora <noreply@agora.example>\r\n"), "{t}");
        assert!(t.contains("\r\nTo: karen@skole.example\r\n"), "{t}");
        assert!(t.contains("\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"), "{t}");
        assert!(t.contains("\r\nMessage-ID: <1795424400000."), "{t}");
        assert!(t.contains("@agora.example>\r\n"), "{t}");
        assert!(t.contains("\r\nMIME-Version: 1.0\r\n"), "{t}");
        assert!(
            t.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"),
            "{t}"
        );
        assert!(
            t.contains("\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHej Karen\r\n"),
            "{t}"
        );
        assert_eq!(t.matches("Content-Type:").count(), 1, "{t}");
        // Non-ASCII subjects are RFC 2047 encoded words, never raw bytes in a header.
        let subject = t.lines().find(|l| l.starts_with("Subject: ")).unwrap();
        assert!(subject.is_ascii() && subject.contains("=?utf-8?b?"), "{subject}");
        assert!(
            t.contains("åbne dette link inden for 24 timer:\r\n\r\nhttps://agora.example/verify-email/Abcdefghijklmnopqrstuvwxyz0123456789_-Abcdefghijklmnop\r\n"),
            "{t}"
        );
        assert!(!t.replace("\r\n", "").contains('\n'), "bare LF in {t}");
    }

    #[test]
    fn smtp_messages_are_7bit_safe() {
        let mail = long_lines();
        let m = build(&sender(), &mail, 0).unwrap();
        let t = text(&m);
        assert!(t.is_ascii(), "{t}");
        assert!(
            t.contains("Content-Transfer-Encoding: quoted-printable\r\n"),
            "{t}"
        );
        assert!(t.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), "{t}");
        assert!(t.lines().all(|l| l.len() <= 78), "{t}");
        assert_eq!(
            m.envelope().to(),
            &["karen@skole.example".parse::<Address>().unwrap()]
        );
        assert_eq!(
            m.envelope().from(),
            Some(&"noreply@agora.example".parse::<Address>().unwrap())
        );
    }

    #[test]
    fn headers_cannot_be_injected() {
        for to in [
            "a@b.dk\r\nBcc: x@y.z",
            "a@b.dk\nBcc: x@y.z",
            "a@b.dk, x@y.z",
            "Someone <a@b.dk>",
            "not an address",
            "",
        ] {
            assert!(
                matches!(build(&sender(), &mail(to), 0), Err(MailError::Recipient(_))),
                "{to:?} accepted"
            );
        }
        let sneaky = Email {
            subject: "Hi\r\nBcc: x@y.z".into(),
            ..mail("a@b.dk")
        };
        let t = text(&build(&sender(), &sneaky, 0).unwrap());
        assert!(!t.contains("\nBcc:"), "{t}");
        assert!(t.contains("Subject: Hi  Bcc: x@y.z\r\n"), "{t}");
        assert!(Mailer::outbox(PathBuf::from("x"), "Agora <a@b\r\nBcc: x@y.z>").is_err());
        assert!(Mailer::outbox(PathBuf::from("x"), "nobody").is_err());
    }

    #[tokio::test]
    async fn outbox_writes_whole_eml_files() {
        let dir = std::env::temp_dir().join(format!("agora-mail-{:x}", rand::random::<u64>()));
        let m = Mailer::outbox(dir.clone(), "noreply@agora.example").unwrap();
        m.send(&mail("a@b.dk"), 0).await.unwrap();
        assert!(matches!(
            m.send(&mail("a@b.dk\r\nBcc: x@y.z"), 0).await,
            Err(MailError::Recipient(_))
        ));
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].extension().unwrap() == "eml");
        let t = std::fs::read_to_string(&files[0]).unwrap();
        assert!(t.contains("To: a@b.dk\r\n"), "{t}");
        assert!(
            t.contains("Åbn https://agora.example/verify-email/abc123 inden"),
            "{t}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn smtp_urls_are_checked_and_never_shown_with_their_password() {
        let from = "Agora <noreply@agora.example>";
        let t = Duration::from_secs(1);
        for (url, shown, clear) in [
            ("smtp://127.0.0.1:2525", "SMTP smtp://127.0.0.1:2525", false),
            (
                "smtp://mailer:hunter2@smtp.example:587?tls=required",
                "SMTP smtp://mailer:***@smtp.example:587?tls=required",
                false,
            ),
            (
                "smtps://mailer:hunter2@smtp.example",
                "SMTP smtps://mailer:***@smtp.example",
                false,
            ),
            (
                "smtp://mailer:hunter2@relay.example:25",
                "SMTP smtp://mailer:***@relay.example:25",
                true,
            ),
        ] {
            let m = Mailer::smtp(url, from, t).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(m.to_string(), shown);
            assert!(!format!("{m:?}").contains("hunter2"), "{m:?}");
            assert_eq!(m.sends_password_in_clear(), clear, "{url}");
        }
        for url in [
            "smtp//host",
            "http://host",
            "smtp://",
            "smtp://mailer:hunter2@host?tls=sometimes",
            "smtp://mailer:hunter2@host?tsl=required",
            "smtp://mailer@host:587?tls=required",
            "smtp://mailer:hunter2@host:99999",
            "smtp://host:0",
        ] {
            let e = Mailer::smtp(url, from, t).expect_err(url).to_string();
            assert!(e.starts_with("SMTP_URL "), "{e}");
            assert!(!e.contains("hunter2"), "{e}");
        }
    }
}
