# SMTP sink for the mail tests (server/tests/it/mail.rs): aiosmtpd on a free 127.0.0.1 port,
# storing every message it receives as one JSON file (scripts/services/smtp_sink.py).
# Sourced by start_test_services in scripts/lib.sh, after setup_python_tools. By hand:
#   bash -c 'source scripts/lib.sh; setup_python_tools; start_test_services;
#            cargo nextest run -p agora --test it -E "test(/^mail::/)"'
# Exports AGORA_TEST_SMTP_URL (smtp://127.0.0.1:PORT) and AGORA_TEST_SMTP_DIR.
AGORA_TEST_SMTP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/agora-smtp-sink.XXXXXX")"
smtp_port="$(free_port)"
AGORA_SMTP_SINK_DIR="$AGORA_TEST_SMTP_DIR" "$PYTHON_TOOLS/python" scripts/services/smtp_sink.py "$smtp_port" \
  >"$AGORA_TOOLS_DIR/logs/smtp.log" 2>&1 &
SERVICE_PIDS+=($!)
wait_for_port "$smtp_port" "SMTP sink (aiosmtpd, log: $AGORA_TOOLS_DIR/logs/smtp.log)"
export AGORA_TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port" AGORA_TEST_SMTP_DIR
say "SMTP sink on $AGORA_TEST_SMTP_URL, messages in $AGORA_TEST_SMTP_DIR"
