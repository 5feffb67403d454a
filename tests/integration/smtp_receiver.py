#!/usr/bin/python3
"""An SMTP server for tests: stores every message it accepts, fails on request.

    /usr/bin/python3 tests/integration/smtp_receiver.py --dir DIR [--port N] [--host H]

Listens on 127.0.0.1 (port 0 = any free port) and prints "PORT n" as its first line on
stdout once it accepts connections. Each accepted message becomes DIR/NNNNN.eml (the
bytes received, CRLF line ends kept, dot-stuffing undone) with DIR/NNNNN.json beside
it: {"mail_from", "rcpt_tos", "received_at"} (mail_from is "<>" for the null sender,
as aiosmtpd records it). The .json is written before the .eml and
both by rename, so a reader that sees an .eml sees whole files. Numbering continues
after the highest number already in DIR.

Faults come from the file DIR/mode, read on every transaction:
    absent or "accept"  250 to everything
    "tempfail"          451 to the end of DATA
    "reject"            550 to every RCPT TO
    "slow N"            waits N seconds (a float) before answering the end of DATA
Exits 0 on SIGTERM or SIGINT. Needs Debian's python3-aiosmtpd (/usr/bin/python3).
"""

import argparse
import asyncio
import datetime
import json
import os
import re
import signal
import sys

from aiosmtpd.smtp import SMTP


def read_mode(directory):
    try:
        with open(os.path.join(directory, "mode"), encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return "accept"


def write_atomically(path, data):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "wb") as f:
        f.write(data)
    os.rename(temporary, path)


class Store:
    def __init__(self, directory):
        self.directory = directory
        numbers = [int(m.group(1)) for name in os.listdir(directory) if (m := re.fullmatch(r"(\d+)\.eml", name))]
        self.next_number = max(numbers, default=0) + 1

    def save(self, envelope):
        number = "%05d" % self.next_number
        self.next_number += 1
        sidecar = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        }
        write_atomically(os.path.join(self.directory, number + ".json"), json.dumps(sidecar).encode("utf-8"))
        write_atomically(os.path.join(self.directory, number + ".eml"), envelope.original_content or b"")
        return number


class Handler:
    def __init__(self, store):
        self.store = store

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if read_mode(self.store.directory) == "reject":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        mode = read_mode(self.store.directory)
        if mode.startswith("slow"):
            try:
                await asyncio.sleep(float(mode.split()[1]))
            except (IndexError, ValueError):
                pass
            mode = read_mode(self.store.directory)
        if mode == "tempfail":
            return "451 4.3.0 Temporary failure, try again later"
        number = self.store.save(envelope)
        return "250 2.0.0 OK queued as %s" % number


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(Store(args.dir))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="kizuna-test-smtp", enable_SMTPUTF8=True, data_size_limit=64 << 20),
        host=args.host,
        port=args.port,
        reuse_address=True,
    )
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    await stopped.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="where received messages are written")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
