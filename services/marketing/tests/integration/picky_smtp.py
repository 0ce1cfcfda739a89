"""An SMTP server that refuses some recipients: for good (550) or once (451)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller

from crm_localinfra.ports import free_port


class PickyHandler:
    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.deferred: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 No such user"
        if address.startswith("later") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.2.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted"


@contextmanager
def picky_smtp() -> Iterator[tuple[int, PickyHandler]]:
    handler = PickyHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()
