#!/usr/bin/env bash
# README command 1: build Agora and run it with demo data at http://127.0.0.1:3000.
source "$(dirname "$0")/lib.sh"
setup_build
setup_runtime
build_release
say "loading demo data into ${AGORA_DATA_DIR:-./data}"
"$BIN_RELEASE" seed --demo
say "starting Agora (Ctrl-C stops it)"
exec "$BIN_RELEASE" serve
