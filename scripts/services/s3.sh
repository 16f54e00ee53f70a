# An S3-protocol server (moto) on a free port of 127.0.0.1 for the object-storage tests.
# Sourced by start_test_services in scripts/lib.sh; the Rust tests read
# AGORA_TEST_S3_ENDPOINT and create their own bucket each (any access key is accepted).
S3_PORT=$(free_port)
"$PYTHON_TOOLS/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$AGORA_TOOLS_DIR/logs/moto-s3.log" 2>&1 &
SERVICE_PIDS+=($!)
wait_for_port "$S3_PORT" "moto S3 server (log: $AGORA_TOOLS_DIR/logs/moto-s3.log)"
export AGORA_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
say "S3 (moto) at $AGORA_TEST_S3_ENDPOINT"
