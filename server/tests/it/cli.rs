//! The `agora` binary as an operator meets it: help, start-up failures, shutdown.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

fn agora() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_agora"));
    for var in ["DATABASE_URL", "AGORA_BIND", "AGORA_DATA_DIR", "AGORA_PUBLIC_URL"] {
        c.env_remove(var);
    }
    c
}

#[test]
fn help_documents_every_setting() {
    let out = agora().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "AGORA_BIND",
        "AGORA_DATA_DIR",
        "DATABASE_URL",
        "AGORA_PUBLIC_URL",
        "LEPTOS_SITE_ROOT",
        "AGORA_MAX_BODY_BYTES",
        "AGORA_LOG_FORMAT",
        "serve",
        "migrate",
        "seed",
        "create-admin",
    ] {
        assert!(help.contains(needle), "--help does not mention {needle}:\n{help}");
    }
}

#[test]
fn unreachable_database_names_the_url_without_its_password() {
    let data = crate::common::TempDir::new("cli");
    let out = agora()
        .args([
            "migrate",
            "--database-url",
            "postgres://agora:topsecret@127.0.0.1:1/agora",
        ])
        .arg("--data-dir")
        .arg(&data.0)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to database postgres://agora:***@127.0.0.1:1/agora"),
        "{err}"
    );
    assert!(!err.contains("topsecret"), "password leaked: {err}");
}

#[test]
fn unsupported_database_url_is_refused_clearly() {
    let out = agora()
        .args(["migrate", "--database-url", "mysql://root:pw@127.0.0.1/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unsupported database URL mysql://root:***@127.0.0.1/x"),
        "{err}"
    );
}

#[test]
fn unwritable_data_directory_is_refused_before_anything_is_stored() {
    let scratch = crate::common::TempDir::new("cli");
    let file = scratch.0.join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let out = agora()
        .arg("migrate")
        .arg("--data-dir")
        .arg(file.join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("data directory") && err.contains("is not writable"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");
}

#[test]
fn seed_without_demo_explains_itself() {
    let data = crate::common::TempDir::new("cli");
    let out = agora()
        .arg("seed")
        .arg("--data-dir")
        .arg(&data.0)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("agora seed --demo"));
}

#[test]
fn housekeeping_runs_once_and_reports() {
    let data = crate::common::TempDir::new("cli");
    let out = agora()
        .arg("housekeeping")
        .arg("--data-dir")
        .arg(&data.0)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "housekeeping: 0 expired invitations, 0 expired course invitations, 0 orphaned files and 0 old attempt counts removed"
    ));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_health(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not become healthy");
}

/// SIGTERM lets a request that is already under way finish, then the process exits 0.
#[test]
fn sigterm_finishes_in_flight_requests_then_exits_cleanly() {
    let data = crate::common::TempDir::new("cli");
    let port = free_port();
    let mut child = agora()
        .arg("serve")
        .arg("--data-dir")
        .arg(&data.0)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_health(port);

    // Half a request: headers and part of the body.
    let body = "limit=5&offset=0";
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST /api/courses/published HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..6]
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    std::thread::sleep(Duration::from_millis(300));

    s.write_all(&body.as_bytes()[6..]).unwrap();
    let mut response = String::new();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "in-flight request was cut off: {response:?}"
    );
    assert!(response.ends_with("[]"), "{response}");

    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "server did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "exit status {status}");
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("stopped cleanly"), "{log}");
}
