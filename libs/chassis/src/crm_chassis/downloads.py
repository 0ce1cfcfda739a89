"""The ``Content-Disposition`` of a file download, for any file name (RFC 6266).

HTTP header values are Latin-1: a file name such as ``合同.pdf`` cannot go in the plain
``filename`` parameter (Starlette fails to encode it). The name goes UTF-8 encoded in
``filename*`` (RFC 8187), which every current browser prefers, with an ASCII
stand-in in ``filename`` for older clients.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._ -]")


def attachment_disposition(filename: str) -> str:
    """``attachment`` with ``filename`` as given (control characters dropped)."""
    name = "".join(ch for ch in filename if ch.isprintable()).strip() or "download"
    fallback = _NOT_PLAIN.sub("_", name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
