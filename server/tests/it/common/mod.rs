//! Test support: a fresh database of either dialect, and the whole app in-process.
#![allow(dead_code)]
pub mod browser;
pub mod courses;
use agora_server::{
    AppState,
    config::{Cli, Settings},
    router,
    startup::open_platform,
};
use app::platform::Platform;
use axum::{
    Router,
    body::Body,
    http::{Request, Response},
};
use clap::Parser;
use http_body_util::BodyExt;
use std::path::PathBuf;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A scratch directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("agora-test-{tag}-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, empty database: a SQLite file in a temp dir, or a new PostgreSQL database
/// created on the server named by `AGORA_TEST_POSTGRES_URL`. `None` means PostgreSQL is
/// not available here; the caller reports the test as skipped.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub dir: TempDir,
    pg_admin: Option<(String, String)>,
}

const PG_ENV: &str = "AGORA_TEST_POSTGRES_URL";

impl TestDb {
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let dir = TempDir::new("db");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}?mode=rwc", dir.0.join("agora.db").display());
                Some(TestDb {
                    backend,
                    url,
                    dir,
                    pg_admin: None,
                })
            }
            Backend::Postgres => {
                let Ok(admin) = std::env::var(PG_ENV) else {
                    if std::env::var("AGORA_REQUIRE_POSTGRES").is_ok() {
                        panic!("AGORA_REQUIRE_POSTGRES is set but {PG_ENV} is not");
                    }
                    eprintln!(
                        "SKIPPED: PostgreSQL test (set {PG_ENV}, e.g. postgres://postgres@127.0.0.1:5432/postgres)"
                    );
                    return None;
                };
                let name = format!("agora_test_{:016x}", rand::random::<u64>());
                sqlx::any::install_default_drivers();
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {PG_ENV} unreachable: {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                let url = format!("{base}/{name}");
                Some(TestDb {
                    backend,
                    url,
                    dir,
                    pg_admin: Some((admin, name)),
                })
            }
        }
    }

    pub fn settings(&self) -> Settings {
        let mut cli = Cli::try_parse_from(["agora"]).unwrap();
        cli.settings.data_dir = self.dir.0.clone();
        cli.settings.database_url = Some(self.url.clone());
        cli.settings.site_root = self.dir.0.join("site");
        cli.settings.max_body_bytes = 64 * 1024;
        cli.settings
    }

    pub async fn platform(&self) -> Platform {
        open_platform(&self.settings()).await.expect("open platform")
    }

    /// Drops a PostgreSQL test database. SQLite files go with the temp dir.
    pub async fn cleanup(self, platform: Option<Platform>) {
        if let Some(p) = platform {
            p.db.pool.close().await;
        }
        if let Some((admin, name)) = &self.pg_admin {
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin)
                .await
                .unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// The variables a test server of `scripts/services` exports, or `None` when they are not
/// set: the caller then returns early and the test reports SKIPPED, except where
/// `AGORA_REQUIRE_SERVICES` is set (CI), where a missing server is a failure.
pub fn test_service(what: &str, script: &str, vars: &[&str]) -> Option<Vec<String>> {
    let values: Vec<Option<String>> = vars
        .iter()
        .map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .collect();
    let missing: Vec<&str> = vars
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| *k)
        .collect();
    if missing.is_empty() {
        return values.into_iter().collect();
    }
    let missing = missing.join(", ");
    if std::env::var_os("AGORA_REQUIRE_SERVICES").is_some() {
        panic!("AGORA_REQUIRE_SERVICES is set but {missing} is not (start {script})");
    }
    eprintln!("SKIPPED: {what} test, {missing} not set (start {script})");
    None
}

/// The SMTP sink of `scripts/services/smtp.sh`: an aiosmtpd server that stores each
/// message it receives as one JSON file (envelope, raw message, and the headers and body
/// as Python's email package decodes them).
pub struct SmtpSink {
    pub url: String,
    pub dir: PathBuf,
}

impl SmtpSink {
    pub fn from_env() -> Option<SmtpSink> {
        let mut v = test_service(
            "SMTP",
            "scripts/services/smtp.sh",
            &["AGORA_TEST_SMTP_URL", "AGORA_TEST_SMTP_DIR"],
        )?;
        let dir = PathBuf::from(v.pop().unwrap());
        Some(SmtpSink {
            url: v.pop().unwrap(),
            dir,
        })
    }

    /// The messages received for `rcpt` (tests share the sink, so each uses its own
    /// address), once there are at least `n`; panics after 10 s.
    pub async fn messages_to(&self, rcpt: &str, n: usize) -> Vec<serde_json::Value> {
        for _ in 0..100 {
            let mut found: Vec<(String, serde_json::Value)> = std::fs::read_dir(&self.dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .filter_map(|p| {
                    let v: serde_json::Value =
                        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                    let to_rcpt = v["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r.as_str() == Some(rcpt));
                    to_rcpt.then(|| (p.file_name().unwrap().to_string_lossy().into_owned(), v))
                })
                .collect();
            if found.len() >= n {
                found.sort_by(|a, b| a.0.cmp(&b.0));
                return found.into_iter().map(|(_, v)| v).collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("fewer than {n} messages for {rcpt} in {}", self.dir.display());
    }
}

/// The values of the header `name` in a message stored by the SMTP sink.
pub fn sink_header<'a>(message: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    message["headers"]
        .as_array()
        .unwrap_or_else(|| panic!("no parsed headers in {message}"))
        .iter()
        .filter(|h| h[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .map(|h| h[1].as_str().unwrap())
        .collect()
}

const S3_ENV: &str = "AGORA_TEST_S3_ENDPOINT";

/// The S3-protocol test server (moto) that `scripts/services/s3.sh` starts, or `None` (the
/// caller reports the test as skipped) unless `AGORA_REQUIRE_SERVICES` is set.
pub fn s3_endpoint() -> Option<String> {
    test_service("S3", "scripts/services/s3.sh", &[S3_ENV]).and_then(|mut v| v.pop())
}

/// A new, empty bucket on the S3 test server; returns the settings that use it.
pub async fn with_new_bucket(mut settings: Settings, endpoint: &str) -> Settings {
    let bucket = format!("agora-test-{:016x}", rand::random::<u64>());
    let authority = endpoint.trim_start_matches("http://").trim_end_matches('/');
    // moto creates a bucket on an unsigned PUT; one request needs no client library.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(authority)
        .await
        .unwrap_or_else(|e| panic!("S3 test server at {endpoint} unreachable: {e}"));
    conn.write_all(
        format!(
            "PUT /{bucket} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "creating bucket {bucket}: {answer}"
    );
    settings.object_store_url = Some(format!("s3://{bucket}"));
    settings.s3_endpoint = Some(endpoint.to_string());
    settings.s3_region = Some("us-east-1".into());
    settings.s3_access_key_id = Some("agora-test".into());
    settings.s3_secret_access_key = Some("agora-test-secret".into());
    settings.s3_allow_http = true;
    settings
}

/// The whole application, called in-process.
pub struct TestApp {
    pub router: Router,
    pub platform: Platform,
    pub settings: Settings,
}

impl TestApp {
    pub async fn new(db: &TestDb) -> TestApp {
        TestApp::with_settings(db.settings()).await
    }

    pub async fn with_settings(settings: Settings) -> TestApp {
        let platform = open_platform(&settings).await.expect("open platform");
        let router = router(AppState::new(settings.clone(), platform.clone()).expect("area configuration"));
        TestApp {
            router,
            platform,
            settings,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Response<Body> {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Declares one async test per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::common::TestDb::new($crate::common::Backend::Sqlite)
                    .await
                    .unwrap();
                $body(&db).await;
                db.cleanup(None).await;
            }
            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::common::TestDb::new($crate::common::Backend::Postgres).await else {
                    return;
                };
                $body(&db).await;
                db.cleanup(None).await;
            }
        }
    };
}
