//! Command line and environment. Every setting has a flag and an environment variable,
//! and the defaults run a complete platform on one machine with no configuration.
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "agora",
    version,
    about = "Agora: online courses, peer review and organisation catalogues for teachers",
    long_about = "Agora: online courses, peer review and organisation catalogues for teachers.\n\n\
        Runs with no configuration on one machine (SQLite and files in ./data). Every setting \
        below can be given as a flag or as the environment variable shown."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Serve the platform over HTTP (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// A small, realistic demo: organisations, courses in English, Danish and Swedish,
        /// and users of every role. Does nothing if the demo is already loaded.
        #[arg(long)]
        demo: bool,
    },
    /// Make a user a platform administrator, creating the account if needed.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Platform")]
        first_name: String,
        #[arg(long, default_value = "Administrator")]
        last_name: String,
        /// ISO 3166-1 alpha-2 country code.
        #[arg(long, default_value = "EU")]
        country: String,
    },
    /// Run the periodic clean-up once (expired invitations, orphaned files) and exit.
    /// `serve` runs it every hour by itself.
    Housekeeping,
}

#[derive(Args, Clone)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "AGORA_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,
    /// Directory for the SQLite database, uploads and the mail outbox.
    #[arg(long, env = "AGORA_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Database: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB. Default: a SQLite file
    /// in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// The URL users reach the platform at (links in e-mails, Secure cookies when https).
    #[arg(long, env = "AGORA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Directory with the built site (pkg/ with the WebAssembly, CSS, images).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "site", global = true)]
    pub site_root: PathBuf,
    /// Sub-directory of the site root with the WebAssembly bundle.
    #[arg(long, env = "LEPTOS_SITE_PKG_DIR", default_value = "pkg", global = true)]
    pub site_pkg_dir: String,
    /// Base name of the WebAssembly bundle's files.
    #[arg(long, env = "LEPTOS_OUTPUT_NAME", default_value = "agora", global = true)]
    pub output_name: String,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "AGORA_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For`
    /// entry (for attempt limits per IP). Only set this when a proxy you run sets it.
    #[arg(long, env = "AGORA_TRUST_PROXY", global = true)]
    pub trust_proxy: bool,
    /// Where uploaded files are kept: s3://BUCKET (AWS S3 or an S3-compatible store), or
    /// file:///ABSOLUTE/PATH. Default: the `objects` directory in the data directory.
    #[arg(long, env = "AGORA_OBJECT_STORE_URL", global = true)]
    pub object_store_url: Option<String>,
    /// S3 endpoint for S3-compatible stores (MinIO, Ceph, Garage); path-style requests.
    /// Default: AWS (or AWS_ENDPOINT).
    #[arg(long, env = "AGORA_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,
    /// S3 region. Default: AWS_REGION / AWS_DEFAULT_REGION, else us-east-1.
    #[arg(long, env = "AGORA_S3_REGION", global = true)]
    pub s3_region: Option<String>,
    /// S3 access key id. Default: AWS_ACCESS_KEY_ID (or the instance's role).
    #[arg(long, env = "AGORA_S3_ACCESS_KEY_ID", hide_env_values = true, global = true)]
    pub s3_access_key_id: Option<String>,
    /// S3 secret access key. Default: AWS_SECRET_ACCESS_KEY.
    #[arg(
        long,
        env = "AGORA_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        global = true
    )]
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain-http S3 endpoint (a test server on this machine; never in production).
    #[arg(long, env = "AGORA_S3_ALLOW_HTTP", global = true)]
    pub s3_allow_http: bool,
    /// Largest accepted profile photo upload, in bytes.
    #[arg(long, env = "AGORA_MAX_PHOTO_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_photo_bytes: u64,
    /// Largest accepted course image or lesson image upload, in bytes.
    #[arg(long, env = "AGORA_MAX_COURSE_IMAGE_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_course_image_bytes: u64,
    /// Largest accepted course file upload (PDF, text, office document), in bytes.
    #[arg(long, env = "AGORA_MAX_COURSE_FILE_BYTES", default_value_t = 25 * 1024 * 1024, global = true)]
    pub max_course_file_bytes: u64,
    /// How many bytes of lesson files and images one course may hold in all.
    #[arg(long, env = "AGORA_COURSE_FILES_QUOTA_BYTES", default_value_t = 1024 * 1024 * 1024, global = true)]
    pub course_files_quota_bytes: u64,
    /// Videos and tools that lessons may embed: provider names (youtube, vimeo, padlet, h5p,
    /// miro) and https:// origins of other tools, comma-separated; `none` for nothing.
    /// The pages' Content-Security-Policy allows frames from exactly these.
    #[arg(long, env = "AGORA_EMBED_PROVIDERS", default_value = app::ui::embed::DEFAULT_PROVIDERS, global = true)]
    pub embed_providers: String,
    /// Sender of the platform's e-mail.
    #[arg(
        long,
        env = "AGORA_MAIL_FROM",
        default_value = "Agora <noreply@agora.invalid>",
        global = true
    )]
    pub mail_from: String,
    /// SMTP server for the platform's e-mail: smtp://HOST:PORT (plain, for a local relay),
    /// smtp://USER:PASSWORD@HOST:587?tls=required (STARTTLS) or
    /// smtps://USER:PASSWORD@HOST:465 (TLS). Unset: mail is written as .eml files to
    /// <data-dir>/outbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// Longest wait for the SMTP server per message, in seconds, connecting included.
    #[arg(long, env = "AGORA_SMTP_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub smtp_timeout_secs: u64,
    /// /api/v1: requests per minute allowed to one API token.
    #[arg(long, env = "AGORA_API_TOKEN_REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub api_token_requests_per_minute: u32,
    /// /api/v1: requests per minute allowed to one client address without a token.
    #[arg(long, env = "AGORA_API_PUBLIC_REQUESTS_PER_MINUTE", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub api_public_requests_per_minute: u32,
    /// Directory with DejaVuSans.ttf and DejaVuSans-Bold.ttf, the fonts of PDF certificates
    /// (Debian: fonts-dejavu-core). Without them the PDF answers 503; the printable page works.
    #[arg(
        long,
        env = "AGORA_CERTIFICATE_FONT_DIR",
        default_value = crate::certificate_pdf::DEFAULT_FONT_DIR,
        global = true
    )]
    pub certificate_font_dir: PathBuf,
    /// Log format.
    #[arg(long, env = "AGORA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("agora.db").display()))
    }

    /// The SMTP URL, if one is set (an empty `SMTP_URL=` counts as unset).
    pub fn smtp_url(&self) -> Option<&str> {
        self.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty())
    }

    pub fn s3_options(&self) -> app::platform::S3Options {
        app::platform::S3Options {
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            access_key_id: self.s3_access_key_id.clone(),
            secret_access_key: self.s3_secret_access_key.clone(),
            allow_http: self.s3_allow_http,
        }
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }
}

/// By hand, so that printing the settings (in a log line, a panic) never shows a password
/// or key: URLs are redacted and secrets replaced.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use app::platform::redact_url;
        let secret = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("public_url", &self.public_url)
            .field("site_root", &self.site_root)
            .field("site_pkg_dir", &self.site_pkg_dir)
            .field("output_name", &self.output_name)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("trust_proxy", &self.trust_proxy)
            .field("object_store_url", &self.object_store_url)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key_id", &secret(&self.s3_access_key_id))
            .field("s3_secret_access_key", &secret(&self.s3_secret_access_key))
            .field("s3_allow_http", &self.s3_allow_http)
            .field("max_photo_bytes", &self.max_photo_bytes)
            .field("max_course_image_bytes", &self.max_course_image_bytes)
            .field("max_course_file_bytes", &self.max_course_file_bytes)
            .field("course_files_quota_bytes", &self.course_files_quota_bytes)
            .field("embed_providers", &self.embed_providers)
            .field("mail_from", &self.mail_from)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("smtp_timeout_secs", &self.smtp_timeout_secs)
            .field(
                "api_token_requests_per_minute",
                &self.api_token_requests_per_minute,
            )
            .field(
                "api_public_requests_per_minute",
                &self.api_public_requests_per_minute,
            )
            .field("certificate_font_dir", &self.certificate_font_dir)
            .field("log_format", &self.log_format)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn printing_the_settings_shows_no_secret() {
        let cli = super::Cli::try_parse_from([
            "agora",
            "--database-url",
            "postgres://agora:db-pass-123@db.example/agora",
            "--smtp-url",
            "smtps://mailer:smtp-pass-456@smtp.example",
            "--s3-access-key-id",
            "AKIDEXAMPLE789",
            "--s3-secret-access-key",
            "s3-secret-000",
        ])
        .unwrap();
        let printed = format!("{cli:?}");
        for secret in ["db-pass-123", "smtp-pass-456", "AKIDEXAMPLE789", "s3-secret-000"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("db.example") && printed.contains("smtp.example"));
    }

    use super::*;

    #[test]
    fn defaults_need_no_configuration() {
        let cli = Cli::try_parse_from(["agora"]).unwrap();
        assert!(cli.command.is_none());
        let s = cli.settings;
        assert_eq!(s.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(s.database_url(), "sqlite://./data/agora.db?mode=rwc");
        assert_eq!(s.public_url(), "http://127.0.0.1:3000");
        assert_eq!(s.smtp_url(), None);
        assert_eq!(s.smtp_timeout_secs, 10);
        assert_eq!(s.object_store_url, None);
        assert_eq!(s.max_photo_bytes, 10 * 1024 * 1024);
        assert_eq!(s.max_course_image_bytes, 10 * 1024 * 1024);
        assert_eq!(s.max_course_file_bytes, 25 * 1024 * 1024);
        assert_eq!(s.course_files_quota_bytes, 1024 * 1024 * 1024);
        assert_eq!(s.embed_providers, "youtube,vimeo,padlet,h5p");
        assert_eq!(s.api_token_requests_per_minute, 600);
        assert_eq!(s.api_public_requests_per_minute, 300);
        assert!(Cli::try_parse_from(["agora", "--api-token-requests-per-minute", "0"]).is_err());
    }

    #[test]
    fn smtp_settings() {
        let cli = Cli::try_parse_from([
            "agora",
            "--smtp-url",
            "smtps://u:p@smtp.example",
            "--smtp-timeout-secs",
            "3",
        ])
        .unwrap();
        assert_eq!(cli.settings.smtp_url(), Some("smtps://u:p@smtp.example"));
        assert_eq!(cli.settings.smtp_timeout_secs, 3);
        let cli = Cli::try_parse_from(["agora", "--smtp-url", " "]).unwrap();
        assert_eq!(cli.settings.smtp_url(), None, "blank means unset");
        assert!(Cli::try_parse_from(["agora", "--smtp-timeout-secs", "0"]).is_err());
    }

    #[test]
    fn flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["agora", "seed", "--demo", "--data-dir", "/tmp/x"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Seed { demo: true })));
        assert_eq!(cli.settings.data_dir, PathBuf::from("/tmp/x"));
    }
}
