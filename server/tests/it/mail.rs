//! Outgoing mail: SMTP delivery to a real SMTP server (the aiosmtpd sink of
//! scripts/services/smtp.sh), a dead or silent server, the outbox default, and SMTP URLs
//! that never show their password.

use crate::common::{SmtpSink, TestDb, sink_header};
use agora_server::startup::{self, open_platform};
use app::accounts::{
    db::{register, request_password_reset, verify_email},
    model::Registration,
};
use app::i18n::Lang;
use app::platform::{Email, MailError, Mailer, Platform};
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::net::TcpListener;

const PASSWORD: &str = "hunter2-Smtp-Secret";

/// A registrant with an address of her own, so tests sharing the sink find their mail.
fn registrant() -> Registration {
    Registration {
        first_name: "Karen".into(),
        last_name: "Nielsen".into(),
        email: format!("karen.{:012x}@skole.example", rand::random::<u64>() >> 16),
        user_type: "teacher".into(),
        country: "DK".into(),
        password: "lilac tundra 47 kettle".into(),
        role_at_school: "Mathematics teacher".into(),
        ..Default::default()
    }
}

async fn platform_with_smtp(db: &TestDb, url: &str, timeout_secs: u64) -> Platform {
    let mut settings = db.settings();
    settings.smtp_url = Some(url.to_string());
    settings.smtp_timeout_secs = timeout_secs;
    settings.mail_from = "Agora Skolenet <noreply@agora.example>".into();
    let p = open_platform(&settings).await.expect("open platform");
    assert!(matches!(p.mailer, Mailer::Smtp(_)), "{:?}", p.mailer);
    p
}

/// A port on 127.0.0.1 that nothing listens on.
async fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

/// The text after `marker` up to the next white space.
fn token_after<'a>(text: &'a str, marker: &str) -> &'a str {
    text.split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        .split_whitespace()
        .next()
        .unwrap()
}

async fn registration_mail_goes_through_smtp(db: &TestDb) {
    let Some(sink) = SmtpSink::from_env() else {
        return;
    };
    let p = platform_with_smtp(db, &sink.url, 10).await;
    let r = registrant();
    let id = register(&p, &r, Lang::Da).await.unwrap().expect("a new account");

    let messages = sink.messages_to(&r.email.to_lowercase(), 1).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m["mail_from"], "noreply@agora.example");
    assert_eq!(m["rcpt_tos"], serde_json::json!([r.email.to_lowercase()]));
    assert_eq!(sink_header(m, "To"), [r.email.to_lowercase()]);
    assert_eq!(sink_header(m, "From"), ["Agora Skolenet <noreply@agora.example>"]);
    // Decoded by Python's email package from the RFC 2047 words lettre wrote.
    assert_eq!(sink_header(m, "Subject"), ["Bekræft din e-mailadresse til Agora"]);
    assert_eq!(sink_header(m, "Date").len(), 1, "{m}");
    let id_header = sink_header(m, "Message-ID");
    assert!(
        id_header.len() == 1 && id_header[0].ends_with("@agora.example>"),
        "{id_header:?}"
    );
    assert!(sink_header(m, "Bcc").is_empty() && sink_header(m, "Cc").is_empty());
    assert_eq!(m["content_type"], "text/plain");
    assert_eq!(m["charset"], "utf-8");
    // Over SMTP the message is 7-bit safe: the UTF-8 lives in encoded words and the
    // body's transfer encoding, and comes back whole when decoded.
    assert!(m["raw"].as_str().unwrap().is_ascii(), "{}", m["raw"]);
    let body = m["body"].as_str().unwrap().replace("\r\n", "\n");
    assert!(
        body.starts_with("Hej Karen\n\nBekræft din e-mailadresse"),
        "{body}"
    );
    let link_prefix = format!("{}/verify-email/", p.public_url);
    let secret = token_after(&body, &link_prefix);
    assert_eq!(
        verify_email(&p, secret).await.unwrap(),
        id,
        "the link in the delivered mail works"
    );

    // The reset mail, in Swedish: a subject that starts with a non-ASCII letter.
    request_password_reset(&p, &r.email, Lang::Sv).await.unwrap();
    let messages = sink.messages_to(&r.email.to_lowercase(), 2).await;
    let reset = messages
        .iter()
        .find(|m| sink_header(m, "Subject") == ["Återställ ditt lösenord för Agora"])
        .unwrap_or_else(|| panic!("no Swedish reset mail in {messages:?}"));
    let body = reset["body"].as_str().unwrap();
    assert!(body.contains("Hej Karen!"), "{body}");
    assert!(body.contains("välja ett nytt lösenord"), "{body}");
    assert!(
        body.contains(&format!("{}/reset-password/", p.public_url)),
        "{body}"
    );

    assert!(
        !db.dir.0.join("outbox").exists(),
        "with SMTP_URL nothing goes to the outbox"
    );
}
on_both_databases!(registration_over_smtp, registration_mail_goes_through_smtp);

async fn dead_smtp_server_fails_fast_and_keeps_the_account(db: &TestDb) {
    let port = closed_port().await;
    let p = platform_with_smtp(db, &format!("smtp://agora:{PASSWORD}@127.0.0.1:{port}"), 5).await;
    let mail = Email {
        to: "someone@skole.example".into(),
        subject: "Hej".into(),
        body: "Hej".into(),
    };
    let started = Instant::now();
    let err = p.mailer.send(&mail, p.clock.now_ms()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, MailError::Smtp { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    assert!(!shown.contains(PASSWORD), "{shown}");

    // Registration still succeeds and stores the account; the failure is logged, without
    // the password.
    let logs = Logs::default();
    let _guard = logs.capture();
    let r = registrant();
    let id = register(&p, &r, Lang::Da).await.unwrap().expect("a new account");
    let stored: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, r.email.to_lowercase());
    let logged = logs.text();
    assert!(logged.contains("could not send mail"), "{logged}");
    assert!(logged.contains("agora:***@127.0.0.1"), "{logged}");
    assert!(!logged.contains(PASSWORD), "{logged}");
    assert!(!logged.contains(&r.email.to_lowercase()), "{logged}");
    p.db.pool.close().await;
}
on_both_databases!(
    dead_smtp_server,
    dead_smtp_server_fails_fast_and_keeps_the_account
);

#[tokio::test]
async fn a_silent_smtp_server_cannot_hold_a_request() {
    // Accepts connections and never says a word.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let mailer = Mailer::smtp(
        &format!("smtp://127.0.0.1:{port}"),
        "noreply@agora.example",
        Duration::from_secs(1),
    )
    .unwrap();
    let mail = Email {
        to: "someone@skole.example".into(),
        subject: "Hej".into(),
        body: "Hej".into(),
    };
    let started = Instant::now();
    let err = mailer.send(&mail, 0).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(
        matches!(err, MailError::Timeout { .. } | MailError::Smtp { .. }),
        "{err:?}"
    );
    held.abort();
}

async fn outbox_is_the_default(db: &TestDb) {
    let p = db.platform().await;
    assert!(matches!(p.mailer, Mailer::Outbox { .. }), "{:?}", p.mailer);
    let r = registrant();
    let id = register(&p, &r, Lang::Sv).await.unwrap().expect("a new account");
    let files: Vec<_> = std::fs::read_dir(db.dir.0.join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        eml.contains(&format!("\r\nTo: {}\r\n", r.email.to_lowercase())),
        "{eml}"
    );
    assert!(eml.contains("From: Agora <noreply@agora.invalid>\r\n"), "{eml}");
    assert!(eml.contains("Content-Transfer-Encoding: 8bit\r\n"), "{eml}");
    assert!(
        eml.contains("\r\n\r\nHej Karen!\r\n\r\nBekräfta din e-postadress"),
        "{eml}"
    );
    let secret = token_after(&eml, "/verify-email/");
    assert_eq!(verify_email(&p, secret).await.unwrap(), id);
}
on_both_databases!(outbox_default, outbox_is_the_default);

#[tokio::test]
async fn smtp_urls_never_show_their_password() {
    let db = TestDb::new(crate::common::Backend::Sqlite).await.unwrap();
    let port = closed_port().await;
    let url = format!("smtp://agora:{PASSWORD}@127.0.0.1:{port}");
    let mut settings = db.settings();
    settings.smtp_url = Some(url.clone());

    let mailer = startup::mailer(&settings).unwrap();
    let shown = format!("{mailer} {mailer:?}");
    assert!(
        shown.contains(&format!("smtp://agora:***@127.0.0.1:{port}")),
        "{shown}"
    );
    assert!(!shown.contains(PASSWORD), "{shown}");

    // What `serve` logs: the active mailer, a warning about the password in clear, and
    // the failed background check. None of it with the password.
    let logs = Logs::default();
    let guard = logs.capture();
    startup::report_mailer(&mailer);
    for _ in 0..50 {
        if logs.text().contains("not reachable") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(guard);
    let logged = logs.text();
    assert!(
        logged.contains(&format!(
            "outgoing mail mailer=SMTP smtp://agora:***@127.0.0.1:{port}"
        )),
        "{logged}"
    );
    assert!(logged.contains("without TLS"), "{logged}");
    assert!(logged.contains("SMTP server not reachable"), "{logged}");
    assert!(!logged.contains(PASSWORD), "{logged}");

    // A broken SMTP_URL stops startup with a clear message, without the password.
    for bad in [
        format!("smtp://agora:{PASSWORD}@127.0.0.1:{port}?tls=sometimes"),
        format!("smtp://agora:{PASSWORD}@127.0.0.1:{port}?tsl=required"),
        format!("imap://agora:{PASSWORD}@127.0.0.1"),
    ] {
        settings.smtp_url = Some(bad.clone());
        let err = open_platform(&settings).await.err().expect(&bad).to_string();
        assert!(
            err.starts_with("SMTP_URL smtp") || err.starts_with("SMTP_URL imap"),
            "{err}"
        );
        assert!(!err.contains(PASSWORD), "{err}");
    }
    db.cleanup(None).await;
}

/// Log lines written while a [`Logs::capture`] guard lives (on this thread, which is the
/// whole runtime in a `#[tokio::test]`).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(self.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;
    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}
