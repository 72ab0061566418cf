#!/usr/bin/env python3
"""An SMTP server on loopback for OrderDesk's mail tests and bench (aiosmtpd).

Writes each message it accepts to DIR as NNNNNN.eml (the bytes as received) and NNNNNN.rcpt (the
envelope recipients, one a line), then prints nothing more. Prints the port it listens on, then
runs until its stdin closes or it gets SIGTERM.

Faults on demand, by files in DIR: `.refuse` makes it answer RCPT with 550 (a permanent
refusal), `.tempfail` with 451 (try again later).
"""
import argparse
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.directory, ".refuse")):
            return "550 5.7.1 Refused by the test server"
        if os.path.exists(os.path.join(self.directory, ".tempfail")):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, "%06d" % n)
        with open(base + ".rcpt.tmp", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".rcpt.tmp", base + ".rcpt")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    port = args.port or free_port()
    controller = Controller(Sink(args.directory), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    print(port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
