#!/usr/bin/env python3
"""Reads the messages an SMTP sink wrote (DIR/NNNNNN.eml) with Python's email package and
prints them as one JSON list: each message's decoded headers, addresses, body, and facts about
its raw form (the longest line, whether it is all ASCII)."""
import email
import email.policy
import json
import os
import sys


def read(path):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    rcpt_path = path[:-4] + ".rcpt"
    rcpts = open(rcpt_path).read().split() if os.path.exists(rcpt_path) else []
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]

    def addresses(name):
        header = msg[name]
        if header is None:
            return []
        return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]

    return {
        "file": os.path.basename(path),
        "rcpt": rcpts,
        "headers": {k: str(v) for k, v in msg.items()},
        "raw_headers": head.decode("ascii", "replace"),
        "from": addresses("From"),
        "to": addresses("To"),
        "reply_to": addresses("Reply-To"),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "content_type": msg.get_content_type(),
        "charset": msg.get_content_charset(),
        "transfer_encoding": str(msg["Content-Transfer-Encoding"]),
        "body": msg.get_content(),
        "defects": [type(d).__name__ for d in msg.defects],
        "longest_line": max(len(line) for line in raw.split(b"\n")),
        "ascii": all(b < 128 for b in raw),
    }


def main():
    directory = sys.argv[1]
    names = sorted(n for n in os.listdir(directory) if n.endswith(".eml"))
    text = json.dumps([read(os.path.join(directory, n)) for n in names], ensure_ascii=False)
    sys.stdout.buffer.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
