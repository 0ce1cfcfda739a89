"""SMTP capture: accepts every message and keeps it as an ``.eml`` file in a folder.

Nothing is relayed. Tests read what was "sent" with :meth:`SmtpCapture.messages`
or :meth:`SmtpCapture.wait_for`; the folder works across processes, so the same
reader serves a capture server started by ``make run``
(``python -m crm_localinfra.smtp --port 1025 --dir FOLDER``).
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from crm_localinfra.ports import POLL_INTERVAL_SECONDS

MAIL_FROM_HEADER = "X-Captured-Mail-From"
RCPT_TO_HEADER = "X-Captured-Rcpt-To"


@dataclass(frozen=True)
class CapturedMessage:
    """One received message with its SMTP envelope."""

    path: Path
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    def text(self) -> str:
        """The plain-text body (or the HTML one when there is no plain part)."""
        body = self.message.get_body(preferencelist=("plain", "html"))
        return "" if body is None else str(body.get_content())


class _SaveToFolder:
    """aiosmtpd handler writing each message atomically into ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sequence = itertools.count()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        envelope_headers = (
            f"{MAIL_FROM_HEADER}: {envelope.mail_from}\r\n"
            f"{RCPT_TO_HEADER}: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        name = f"{time.time_ns()}-{os.getpid()}-{next(self._sequence):06d}"
        partial = self.folder / f".{name}.tmp"
        partial.write_bytes(envelope_headers + content)
        partial.replace(self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


def read_folder(folder: Path) -> list[CapturedMessage]:
    """Every message captured in ``folder``, oldest first."""
    parser = BytesParser(policy=policy.default)
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        rcpt = str(message.get(RCPT_TO_HEADER, ""))
        found.append(
            CapturedMessage(
                path=path,
                mail_from=str(message.get(MAIL_FROM_HEADER, "")),
                rcpt_tos=tuple(r.strip() for r in rcpt.split(",") if r.strip()),
                message=message,
            )
        )
    return found


class SmtpCapture:
    """An SMTP capture server; in this process (a thread) after ``start()``.

    Use :meth:`reader` for a folder filled by a capture server in another process.
    """

    def __init__(self, port: int, maildir: Path, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self.maildir = maildir
        self._controller: Any = None

    @classmethod
    def reader(cls, port: int, maildir: Path, host: str = "127.0.0.1") -> SmtpCapture:
        """A handle for reading a capture folder without running a server here."""
        return cls(port, maildir, host=host)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.maildir.mkdir(parents=True, exist_ok=True)
        # Controller.start() returns once the server has answered a test connection.
        self._controller = Controller(
            _SaveToFolder(self.maildir), hostname=self.host, port=self.port, ready_timeout=10
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def is_running(self) -> bool:
        return self._controller is not None

    def messages(self) -> list[CapturedMessage]:
        return read_folder(self.maildir)

    def messages_to(self, address: str) -> list[CapturedMessage]:
        wanted = address.lower()
        return [m for m in self.messages() if wanted in (r.lower() for r in m.rcpt_tos)]

    def wait_for(
        self, condition: Callable[[CapturedMessage], bool], timeout: float = 10.0
    ) -> CapturedMessage:
        """The first captured message matching ``condition``, polling until ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                if condition(message):
                    return message
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no matching message in {self.maildir} after {timeout} s")
            time.sleep(POLL_INTERVAL_SECONDS)

    def clear(self) -> None:
        for path in self.maildir.glob("*.eml"):
            path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    """Run a capture server until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m crm_localinfra.smtp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, required=True, help="folder for the .eml files")
    args = parser.parse_args(argv)

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    capture = SmtpCapture(args.port, args.dir, host=args.host)
    capture.start()
    print(f"READY smtp capture on {args.host}:{args.port}, messages in {args.dir}", flush=True)  # noqa: T201
    try:
        stopping.wait()
    finally:
        capture.stop()


if __name__ == "__main__":
    main()
