# The OpenID Connect test provider (S6): oauth2-mock-server with the per-sign-in behaviour
# of oidc-mock/server.mjs, on a free port of 127.0.0.1. Exports AGORA_TEST_OIDC_ISSUER,
# which server/tests/it/oidc.rs and e2e/tests/oidc.test.mjs read. Sourced by
# start_test_services (scripts/lib.sh); needs Node.js 20.19 or newer.
oidc_dir="$ROOT/scripts/services/oidc-mock"
if [ ! -d "$oidc_dir/node_modules" ] || [ "$oidc_dir/package-lock.json" -nt "$oidc_dir/node_modules/.package-lock.json" ]; then
  say "installing the OpenID Connect test provider (oauth2-mock-server, pinned)"
  (cd "$oidc_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
oidc_port=$(free_port)
node "$oidc_dir/server.mjs" "$oidc_port" >"$AGORA_TOOLS_DIR/logs/oidc.log" 2>&1 &
SERVICE_PIDS+=($!)
wait_for_port "$oidc_port" "the OpenID Connect test provider (log: $AGORA_TOOLS_DIR/logs/oidc.log)"
export AGORA_TEST_OIDC_ISSUER="http://127.0.0.1:$oidc_port"
say "OpenID Connect test provider at $AGORA_TEST_OIDC_ISSUER"
