from email.message import EmailMessage

import pytest

from support.domain.inbound_mail import UnreadableMail, parse_inbound_mail
from support.domain.mail_signature import inbound_signature_is_valid, sign_inbound_mail


def raw_mail(**headers: str) -> bytes:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Thanks, that worked.\n\nOn Tue, Support wrote:\n> Try again")
    return bytes(message)


def test_reply_headers_give_the_thread_and_quoted_text_is_dropped() -> None:
    mail = parse_inbound_mail(
        raw_mail(
            From="Ann <Ann@Example.com>",
            Message_ID="<3@x>",
            In_Reply_To="<2@x>",
            References="<1@x> <2@x>",
            Subject="Re: [TKT-00C0FFEE] Login",
        )
    )
    assert mail.sender_email == "ann@example.com"
    assert mail.thread_ids == ["<2@x>", "<1@x>"]
    assert mail.reference == "TKT-00C0FFEE"
    assert mail.body == "Thanks, that worked."


def test_mail_without_sender_or_message_id_is_unreadable() -> None:
    with pytest.raises(UnreadableMail):
        parse_inbound_mail(raw_mail(Message_ID="<1@x>", Subject="hi"))
    with pytest.raises(UnreadableMail):
        parse_inbound_mail(raw_mail(From="a@b.com", Subject="hi"))


def test_signature_must_match_and_be_fresh() -> None:
    raw = b"From: a@b.com\r\n\r\nhi"
    signature = sign_inbound_mail("secret", 1000, raw)
    check = {"timestamp": 1000, "raw": raw, "max_age_seconds": 300}
    assert inbound_signature_is_valid("secret", signature=signature, now=1100, **check)  # type: ignore[arg-type]
    assert not inbound_signature_is_valid("other", signature=signature, now=1100, **check)  # type: ignore[arg-type]
    assert not inbound_signature_is_valid("secret", signature=signature, now=2000, **check)  # type: ignore[arg-type]
