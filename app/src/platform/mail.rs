//! Outgoing mail. Without SMTP configured, each message is written as an RFC 5322 `.eml`
//! file into `<data-dir>/outbox`, so the default install needs no mail server and tests
//! can read what was sent.
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone, Debug)]
pub enum Mailer {
    Outbox { dir: PathBuf, from: String },
}

impl Mailer {
    pub fn outbox(dir: PathBuf, from: impl Into<String>) -> Self {
        Mailer::Outbox {
            dir,
            from: from.into(),
        }
    }

    pub async fn send(&self, mail: &Email, now_ms: i64) -> std::io::Result<()> {
        match self {
            Mailer::Outbox { dir, from } => {
                tokio::fs::create_dir_all(dir).await?;
                let id = format!("{now_ms}-{:016x}", rand::random::<u64>());
                let text = render(from, mail, &id, now_ms);
                // Write then rename, so a reader never sees half a message.
                let tmp = dir.join(format!(".{id}.tmp"));
                tokio::fs::write(&tmp, text).await?;
                tokio::fs::rename(&tmp, dir.join(format!("{id}.eml"))).await
            }
        }
    }
}

/// RFC 2047 encoded-word for non-ASCII header text.
fn encode_header(value: &str) -> String {
    use base64::{Engine, engine::general_purpose::STANDARD};
    if value.is_ascii() {
        value.to_string()
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(value))
    }
}

fn render(from: &str, mail: &Email, id: &str, now_ms: i64) -> String {
    let date = httpdate(now_ms);
    let body = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: {}\r\nDate: {date}\r\nMessage-ID: <{id}@agora>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        mail.to.replace(['\r', '\n'], ""),
        encode_header(&mail.subject.replace(['\r', '\n'], " ")),
    )
}

/// RFC 5322 date in UTC, e.g. `Mon, 23 Nov 2026 09:00:00 +0000`.
fn httpdate(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc5322() {
        assert_eq!(httpdate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(httpdate(1_795_424_400_000), "Mon, 23 Nov 2026 09:00:00 +0000");
    }

    #[test]
    fn headers_cannot_be_injected_and_utf8_subjects_are_encoded() {
        let mail = Email {
            to: "a@b.dk\r\nBcc: x@y.z".into(),
            subject: "Bekræft".into(),
            body: "Hej\nlink".into(),
        };
        let text = render("Agora <noreply@agora>", &mail, "1", 0);
        assert!(text.contains("To: a@b.dkBcc: x@y.z\r\n"));
        assert!(!text.contains("\nBcc:"));
        assert!(text.contains("Subject: =?UTF-8?B?QmVrcsOmZnQ=?="));
        assert!(text.ends_with("Hej\r\nlink\r\n"));
    }

    #[tokio::test]
    async fn outbox_writes_whole_eml_files() {
        let dir = std::env::temp_dir().join(format!("agora-mail-{:x}", rand::random::<u64>()));
        let m = Mailer::outbox(dir.clone(), "noreply@agora");
        m.send(
            &Email {
                to: "a@b.dk".into(),
                subject: "S".into(),
                body: "B".into(),
            },
            0,
        )
        .await
        .unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert!(files[0].extension().unwrap() == "eml");
        assert!(
            std::fs::read_to_string(&files[0])
                .unwrap()
                .contains("To: a@b.dk\r\n")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
