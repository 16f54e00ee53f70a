//! What the benchmarks share: a deterministic generator and running one benchmark on
//! SQLite and, when `AGORA_TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database that
//! is dropped after.
use std::future::Future;

/// A small deterministic generator, so both databases hold the same rows.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// `cargo bench` passes `--bench`; a plain `cargo test` run of the benches does nothing.
pub fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Runs `bench(database name, url)` on a new SQLite file, then on a new PostgreSQL database.
pub async fn on_each_database<F, Fut>(tag: &str, mut bench: F)
where
    F: FnMut(&'static str, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = std::env::temp_dir().join(format!("agora-bench-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    bench(
        "SQLite",
        format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(admin) = std::env::var("AGORA_TEST_POSTGRES_URL") else {
        println!("\nPostgreSQL skipped (set AGORA_TEST_POSTGRES_URL)");
        return;
    };
    sqlx::any::install_default_drivers();
    let name = format!("agora_bench_{tag}_{}", std::process::id());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    bench("PostgreSQL", format!("{base}/{name}")).await;
    sqlx::query(&format!("DROP DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
}
