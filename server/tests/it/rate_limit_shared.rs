//! Attempt limits shared through PostgreSQL: several app nodes on one database allow one
//! budget together, not one each. Two real `agora serve` processes, and the limiter on its
//! own under concurrency. On SQLite the counters stay in memory (unit tests in
//! `app::platform::rate_limit`).

use crate::common::{Backend, TestDb};
use app::platform::{
    RateLimiter,
    rate_limit::{self, LONGEST_WINDOW_MS, Limited, Rule},
};
use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An `agora serve` process, killed when dropped.
struct Node {
    child: Child,
    port: u16,
    _data: crate::common::TempDir,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    async fn start(database_url: &str) -> Node {
        let data = crate::common::TempDir::new("node");
        let port = free_port();
        let mut c = Command::new(env!("CARGO_BIN_EXE_agora"));
        for var in [
            "DATABASE_URL",
            "AGORA_BIND",
            "AGORA_DATA_DIR",
            "AGORA_PUBLIC_URL",
            "AGORA_TRUST_PROXY",
        ] {
            c.env_remove(var);
        }
        let child = c
            .arg("serve")
            .args(["--database-url", database_url])
            .arg("--data-dir")
            .arg(&data.0)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let node = Node {
            child,
            port,
            _data: data,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = reqwest::get(format!("{}/healthz", node.url())).await
                && r.status() == 200
            {
                return node;
            }
            assert!(
                Instant::now() < deadline,
                "node on port {port} did not become healthy"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A sign-in attempt as the hydrated page sends it; returns the status.
    async fn sign_in(&self, email: &str, password: &str) -> u16 {
        let body = format!(
            "email={}&password={}",
            crate::common::browser::encode(email),
            crate::common::browser::encode(password)
        );
        reqwest::Client::new()
            .post(format!("{}/api/accounts/sign-in", self.url()))
            .header("Origin", self.url())
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

// Sign-in attempts for one account, spread over two nodes, are limited by one budget: ten
// per account in fifteen minutes, whichever node they reach.
#[tokio::test]
async fn two_nodes_on_one_postgres_database_share_the_sign_in_budget() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let a = Node::start(&db.url).await;
    let b = Node::start(&db.url).await;
    let email = "karen@skole.example";
    for i in 0..10 {
        let node = if i % 2 == 0 { &a } else { &b };
        assert_eq!(node.sign_in(email, "wrong wrong wrong").await, 422, "attempt {i}");
    }
    // Each node has seen five: with counters per process both would still allow five more.
    assert_eq!(a.sign_in(email, "wrong wrong wrong").await, 429);
    assert_eq!(b.sign_in(email, "wrong wrong wrong").await, 429);
    // Another account from the same client is not held back by this one (its own budget;
    // the client address has used 10 of 30).
    assert_eq!(b.sign_in("johan@skola.example", "wrong wrong wrong").await, 422);

    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limit_attempts WHERE key = $1")
        .bind(format!("signin:acct:{email}"))
        .fetch_one(&db.platform().await.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 10, "refused attempts are not recorded");
    drop((a, b));
    db.cleanup(None).await;
}

const RULE: Rule = Rule {
    max: 3,
    window_ms: 60_000,
};

fn waits(r: Result<(), Limited>) -> Option<u64> {
    match r {
        Ok(()) => None,
        Err(Limited::Wait(s)) => Some(s),
        Err(e) => panic!("{e}"),
    }
}

// The shared backend keeps the memory backend's rules: the wait it names works, a refused
// attempt is not recorded, several rules count only when all allow, clearing forgets.
#[tokio::test]
async fn shared_counters_keep_the_rules() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let p = db.platform().await;
    assert!(p.limits.is_shared(), "PostgreSQL platforms share their counters");
    let l = RateLimiter::shared(p.db.clone());
    let t0 = 1_000_000;
    for i in 0..3 {
        assert_eq!(waits(l.hit("k", RULE, t0 + i).await), None);
    }
    assert_eq!(waits(l.hit("k", RULE, t0 + 30_000).await), Some(30));
    for t in [40_000, 59_000] {
        assert!(waits(l.hit("k", RULE, t0 + t).await).is_some());
    }
    assert_eq!(
        waits(l.hit("k", RULE, t0 + 60_000).await),
        None,
        "refusals did not extend it"
    );

    let tight = Rule {
        max: 1,
        window_ms: 10_000,
    };
    l.hit_all(&[("ip", tight), ("acct", RULE)], t0).await.unwrap();
    assert_eq!(
        waits(l.hit_all(&[("ip", tight), ("acct", RULE)], t0 + 1_000).await),
        Some(9)
    );
    l.hit("acct", RULE, t0 + 2_000).await.unwrap();
    l.hit("acct", RULE, t0 + 2_000).await.unwrap();
    assert!(
        waits(l.hit("acct", RULE, t0 + 2_000).await).is_some(),
        "the refused hit_all charged nothing"
    );
    l.clear("acct").await.unwrap();
    assert_eq!(waits(l.hit("acct", RULE, t0 + 2_000).await), None);

    // Housekeeping deletes what no window can need any more.
    let later = t0 + 60_000 + LONGEST_WINDOW_MS;
    l.hit("fresh", RULE, later).await.unwrap();
    let purged = rate_limit::purge(&p.db, later).await.unwrap();
    assert_eq!(purged, 6);
    let left: Vec<String> = sqlx::query_scalar("SELECT key FROM rate_limit_attempts")
        .fetch_all(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(left, ["fresh"]);
    db.cleanup(Some(p)).await;
}

// Two platforms (two connection pools, as two nodes have) hitting one key at once: exactly
// the budget gets through, never more.
#[tokio::test]
async fn concurrent_attempts_on_two_nodes_never_exceed_the_budget() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let (p1, p2) = (db.platform().await, db.platform().await);
    let rule = Rule {
        max: 7,
        window_ms: 60_000,
    };
    let now = 5_000_000;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let l = if i % 2 == 0 {
            p1.limits.clone()
        } else {
            p2.limits.clone()
        };
        tasks.push(tokio::spawn(async move {
            l.hit_all(&[("race", rule), ("race:other", rule)], now).await
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => allowed += 1,
            Err(Limited::Wait(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(allowed, 7);
    p2.db.pool.close().await;
    db.cleanup(Some(p1)).await;
}

// SQLite (one process) keeps counting in memory; nothing is written to the table.
#[tokio::test]
async fn sqlite_counts_in_memory() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let p = db.platform().await;
    assert!(!p.limits.is_shared());
    p.limits.hit("k", RULE, 0).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limit_attempts")
        .fetch_one(&p.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(rate_limit::purge(&p.db, 0).await.unwrap(), 0);
    db.cleanup(Some(p)).await;
}
