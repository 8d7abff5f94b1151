"""A real SMTP server on loopback for the email channel's tests (aiosmtpd).

Usage: python3 smtp_server.py --port PORT --dir DIR

Saves every accepted message as DIR/NNNN.eml (the DATA bytes exactly as received) next to
DIR/NNNN.json ({"mail_from": ..., "rcpt_tos": [...]}); the .json is written last, so its
presence means the message is complete. RCPT to an address starting with `reject@` is refused
with `550 5.1.1 mailbox unavailable`, to `busy@` with `451 4.3.0 try again later`. The
greeting reads `220 127.0.0.1 applyflow-test-smtp pid=PID`. Prints `READY` once it accepts
connections and runs until killed (SIGTERM/SIGINT stop it cleanly).
"""

import argparse
import itertools
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class SavingHandler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.lower()
        if local.startswith("reject@"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            n = next(self.counter)
        base = os.path.join(self.directory, f"{n:04d}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Ok: saved"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    # The greeting names this process, so the test knows it reached this server.
    ident = f"applyflow-test-smtp pid={os.getpid()}"
    controller = Controller(SavingHandler(args.dir), hostname="127.0.0.1", port=args.port, ident=ident)
    controller.start()
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
