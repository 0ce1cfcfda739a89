"""JSON logs on stdout, each line carrying the service, request id and trace ids."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id_var.get()
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            record.trace_id = format(span_context.trace_id, "032x")
            record.span_id = format(span_context.span_id, "016x")
        return True


_SECRET_IN_QUERY = re.compile(
    r"(?i)([?&](?:access_token|refresh_token|token|password|secret|client_secret|api_key)=)"
    r"[^&\s\"]*"
)


class RedactQuerySecrets(logging.Filter):
    """Blanks secrets some clients put in query strings (``?access_token=``) before a
    URL reaches any log, e.g. the server's access log or the HTTP client's request log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_QUERY.sub(r"\1***", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _SECRET_IN_QUERY.sub(r"\1***", record.msg)
        return True


# Loggers that write request URLs; a logger's own filter sees every record it emits,
# whichever handlers are attached to it.
_URL_LOGGERS = ("uvicorn.access", "uvicorn.error", "httpx")


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every log record to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiormq", "aio_pika", "pymongo", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in _URL_LOGGERS:
        url_logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQuerySecrets) for f in url_logger.filters):
            url_logger.addFilter(RedactQuerySecrets())
