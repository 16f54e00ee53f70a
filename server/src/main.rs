use agora_server::{
    AppState, admin,
    config::{Cli, Command},
    housekeeping,
    http::middleware::observability::init_logging,
    router, seed,
    startup::{self, open_platform},
};
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.settings.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "agora stopped");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let settings = cli.settings;
    let platform = open_platform(&settings).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("database is up to date");
        }
        Command::Seed { demo } => {
            if !demo {
                return Err(seed::SeedError::NothingToDo.into());
            }
            if seed::seed_demo(&platform).await? {
                println!("demo data loaded");
            } else {
                println!("demo data already present; nothing changed");
            }
        }
        Command::CreateAdmin {
            email,
            first_name,
            last_name,
            country,
        } => {
            let (id, created) =
                admin::create_admin(&platform, &email, &first_name, &last_name, &country).await?;
            let what = if created { "created and made" } else { "made" };
            println!(
                "user {id} <{}> {what} a platform administrator",
                email.trim().to_lowercase()
            );
        }
        Command::Housekeeping => {
            let report = housekeeping::run_once(&platform).await;
            println!(
                "housekeeping: {} expired invitations, {} expired course invitations, {} orphaned files and {} old attempt counts removed",
                report.expired_invitations,
                report.expired_run_invitations,
                report.orphan_files,
                report.old_attempts
            );
        }
        Command::Serve => {
            let bind = settings.bind;
            let public_url = settings.public_url();
            startup::report_mailer(&platform.mailer);
            startup::report_certificate_font(&settings.certificate_font_dir);
            housekeeping::spawn(platform.clone());
            let app = router(AppState::new(settings, platform)?);
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
            tracing::info!(address = %bind, %public_url, "agora listening");
            println!("Agora is running at {public_url}");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            tracing::info!("agora stopped cleanly");
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
