#!/usr/bin/env bash
# README command 2: every test. Formatting, lints, Rust unit and integration tests on
# SQLite and PostgreSQL, then the browser tests against the release build.
source "$(dirname "$0")/lib.sh"
started=$(date +%s)
setup_build
setup_runtime
setup_e2e
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
rustup component list --installed | grep -q '^clippy' || rustup component add clippy

say "rustfmt"
cargo fmt --all -- --check

say "clippy (server)"
cargo clippy -p agora -p app --all-targets -- -D warnings
say "clippy (browser)"
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

# PostgreSQL: the integration tests create a fresh database per test on this server.
PG_ADMIN_URL="${AGORA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v psql >/dev/null && psql "$PG_ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  export AGORA_TEST_POSTGRES_URL="$PG_ADMIN_URL"
  # Databases left behind by an interrupted earlier run.
  psql "$PG_ADMIN_URL" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE 'agora_test_%'" |
    while read -r db; do psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
  say "PostgreSQL reachable: integration tests run on SQLite and PostgreSQL"
else
  say "PostgreSQL NOT reachable at $PG_ADMIN_URL: PostgreSQL tests will report SKIPPED"
  unset AGORA_TEST_POSTGRES_URL
fi
# On CI a missing PostgreSQL is a failure, not a skip.
# Likewise the test servers of scripts/services (S3, SMTP, OpenID Connect).
if [ "${CI:-}" = "true" ]; then export AGORA_REQUIRE_POSTGRES=1 AGORA_REQUIRE_SERVICES=1; fi

say "test servers (S3, SMTP, OpenID Connect) on 127.0.0.1"
setup_python_tools
start_test_services

say "Rust tests"
cargo nextest run --workspace --no-fail-fast

build_release

say "browser tests (Chromium)"
# A stuck test fails after 3 minutes instead of holding CI until its deadline; the whole
# browser run has 40 minutes (it takes about 4).
(cd e2e && AGORA_BIN="$BIN_RELEASE" AGORA_SITE_ROOT="$SITE" \
  timeout --kill-after=30s 2400 node --test --test-concurrency=1 --test-timeout=180000 tests/)

say "all tests passed in $(( $(date +%s) - started )) s"
