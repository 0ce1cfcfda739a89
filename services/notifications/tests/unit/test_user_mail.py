"""What people's mail says, and when their daily digest is due, without servers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from notifications.domain.alerts import Kind, Language, Record
from notifications.domain.notifications import Notification
from notifications.domain.preferences import Digest, MailPlan, MailState, Preferences
from notifications.domain.user_mail import digest_mail, digest_slot, item_mail


def item(title: str, *, language: str = "en", urgent: bool = False, hour: int = 1) -> Notification:
    return Notification(
        notification_id=f"n-{title}",
        event_id="e1",
        recipient="agent-1",
        kind=Kind.SLA_BREACHED if urgent else Kind.TICKET_ASSIGNED,
        title=title,
        body=f"About {title}.",
        urgent=urgent,
        record=Record("ticket", "TK-1", "/support/tickets/TK-1"),
        console=True,
        created_at=datetime(2026, 6, 1, hour, 15, tzinfo=UTC),
        mail=MailPlan(MailState.PENDING),
        language=language,
    )


def test_an_items_mail_is_its_title_and_body_with_the_records_link() -> None:
    mail = item_mail(item("Ticket assigned: TK-1"), "https://crm.test/")

    assert mail.subject == "Ticket assigned: TK-1"
    assert mail.body.startswith("About Ticket assigned: TK-1.\n\n")
    assert "Open in the console: https://crm.test/support/tickets/TK-1" in mail.body


def test_an_urgent_items_subject_says_so_in_the_items_language() -> None:
    assert item_mail(item("SLA", urgent=True), "https://crm.test").subject == "[Urgent] SLA"
    chinese = item_mail(item("SLA", urgent=True, language="zh-CN"), "https://crm.test")
    assert chinese.subject == "【紧急】SLA"
    assert "在控制台查看" in chinese.body


def prefs(at: str = "08:00", zone: str = "Asia/Shanghai", enabled: bool = True) -> Preferences:
    return Preferences(language=Language.EN, time_zone=zone, digest=Digest(enabled=enabled, at=at))


def test_the_digest_is_due_at_the_persons_time_and_covers_the_day_before_it() -> None:
    # 07:59 in Shanghai on 2 June: the latest digest was 1 June 08:00.
    before = digest_slot(prefs(), datetime(2026, 6, 1, 23, 59, tzinfo=UTC))
    at_eight = digest_slot(prefs(), datetime(2026, 6, 2, 0, 0, tzinfo=UTC))

    assert before is not None
    assert before.day == date(2026, 6, 1)
    assert before.until == datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    assert at_eight is not None
    assert at_eight.day == date(2026, 6, 2)
    assert at_eight.since == datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    assert at_eight.until == datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
    assert digest_slot(prefs(enabled=False), datetime(2026, 6, 2, tzinfo=UTC)) is None


def test_a_digest_day_across_a_clock_change_is_23_hours_long() -> None:
    # Europe/Berlin moves to summer time on 29 March 2026.
    slot = digest_slot(prefs(zone="Europe/Berlin"), datetime(2026, 3, 29, 12, tzinfo=UTC))

    assert slot is not None
    assert slot.until == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert slot.since == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)


def test_the_digest_lists_items_newest_first_in_the_persons_zone() -> None:
    mail = digest_mail(
        [item("Older", hour=1), item("Newer", hour=3, urgent=True)],
        prefs(),
        date(2026, 6, 1),
        "https://crm.test",
    )

    assert mail.subject == "Your daily digest (2026-06-01): 2 unread notification(s)"
    assert mail.body.index("11:15 [Urgent] Newer") < mail.body.index("09:15 Older")
    assert "  https://crm.test/support/tickets/TK-1" in mail.body
