#!/usr/bin/env bash
# The browser tests, several times in a row, while stress-ng keeps both cores busy
# (issue 14: the journeys wait for conditions, never for time, so a busy machine makes
# them slower, not red). Usage: scripts/e2e-under-load.sh [runs, default 3].
# Builds the release server and site first; stops by itself (stress-ng is bounded by the
# whole run's time and killed at the end).
source "$(dirname "$0")/lib.sh"
runs="${1:-3}"
setup_build
setup_runtime
setup_e2e
apt_install stress-ng
build_release
setup_python_tools
start_test_services

say "browser tests under load: $runs runs beside stress-ng --cpu $(nproc)"
stress-ng --cpu "$(nproc)" --timeout "$((runs * 900))s" --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true; stop_test_services' EXIT
failed=0
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if (cd e2e && AGORA_BIN="$BIN_RELEASE" AGORA_SITE_ROOT="$SITE" \
    timeout --kill-after=30s 900 node --test --test-concurrency=1 --test-timeout=180000 tests/); then
    say "run $i of $runs passed in $(( $(date +%s) - started )) s"
  else
    say "run $i of $runs FAILED after $(( $(date +%s) - started )) s"
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ] || { say "$failed of $runs runs failed under load"; exit 1; }
say "all $runs runs passed under load"
