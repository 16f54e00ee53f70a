"""SMTP sink for the tests: accepts every message on 127.0.0.1 and stores it.

    AGORA_SMTP_SINK_DIR=DIR python smtp_sink.py PORT

Each message becomes one JSON file in DIR, written to a temporary name and renamed, so
a reader never sees half of one. The file holds the SMTP envelope, the raw message, and
the message as Python's email package decodes it (headers with RFC 2047 words decoded,
the text body with its transfer encoding undone), so the tests check what a mail client
would show, decoded by something other than the code that encoded it.
"""

import email
import email.policy
import json
import os
import signal
import sys
import threading
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "raw": raw.decode("utf-8", "replace"),
        }
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            record["headers"] = [[name, str(value)] for name, value in msg.items()]
            record["content_type"] = msg.get_content_type()
            record["charset"] = msg.get_content_charset()
            record["transfer_encoding"] = msg.get("Content-Transfer-Encoding")
            record["body"] = None if msg.is_multipart() else msg.get_content()
        except Exception as e:  # keep the raw message even if it does not parse
            record["parse_error"] = repr(e)
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.json"
        tmp = os.path.join(self.directory, f".{name}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=1)
        os.replace(tmp, os.path.join(self.directory, name))
        print(f"stored {name} for {record['rcpt_tos']}", flush=True)
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    directory = os.environ["AGORA_SMTP_SINK_DIR"]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}, storing in {directory}", flush=True)
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
