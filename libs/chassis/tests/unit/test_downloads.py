"""A download's Content-Disposition carries any file name, Chinese included."""

from __future__ import annotations

import re
from urllib.parse import unquote

from starlette.responses import Response

from crm_chassis.downloads import attachment_disposition


def _utf8_name(header: str) -> str:
    """The ``filename*`` a browser prefers (RFC 6266 section 4.3)."""
    found = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert found is not None, header
    return unquote(found.group(1))


def test_a_chinese_file_name_survives_as_utf8_and_the_header_encodes() -> None:
    header = attachment_disposition("合同 v2.pdf")

    response = Response(b"x", headers={"Content-Disposition": header})

    assert response.headers["content-disposition"] == header
    assert header.startswith('attachment; filename="__ v2.pdf"; ')
    assert _utf8_name(header) == "合同 v2.pdf"


def test_quotes_and_control_characters_cannot_break_out_of_the_header() -> None:
    header = attachment_disposition('a"b\r\nSet-Cookie: x.txt')

    assert "\r" not in header
    assert "\n" not in header
    assert header.startswith('attachment; filename="a_bSet-Cookie_ x.txt"; ')
    assert _utf8_name(header) == 'a"bSet-Cookie: x.txt'
    assert attachment_disposition("\n") == (
        "attachment; filename=\"download\"; filename*=UTF-8''download"
    )
