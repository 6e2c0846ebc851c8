"""Calendar invites as calendar programs get them: through a real SMTP server on loopback,
parsed from the raw bytes; the iTIP part read by `icalendar` and checked by Debian's libical
(RFC 5546's restriction tables). One UID for the booking's life; SEQUENCE grows with each
change; a cancellation is METHOD:CANCEL with STATUS:CANCELLED."""

import json
import os
import subprocess
from datetime import timedelta
from pathlib import Path

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.tests.test_emails import parse, parts, smtp_server
from coaching.access import free_slots
from coaching.models import Booking
from coaching.tests.base import CoachingTestCase
from rapport.lib.calendar import scheduling_message

CHECKER = Path(__file__).with_name("libical_check.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def libical(ics: bytes) -> dict:
    """Debian's libical verdict on `ics` (coaching/tests/libical_check.py)."""
    found = subprocess.run(
        [SYSTEM_PYTHON, str(CHECKER)], input=ics, capture_output=True, timeout=60, check=False
    )
    if found.returncode != 0:
        if os.environ.get("CI"):
            raise AssertionError(f"libical is missing (gir1.2-ical-3.0): {found.stderr!r}")
        raise AssertionError(
            "Install Debian's libical binding: apt-get install -y gir1.2-ical-3.0 python3-gi\n"
            + found.stderr.decode(errors="replace")
        )
    return json.loads(found.stdout)


def calendar_part(raw: bytes) -> tuple[str, bytes]:
    """(the method parameter of the text/calendar part, its bytes)."""
    message = parse(raw)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return str(part.get_param("method")), part.get_content().encode()
    raise AssertionError("no text/calendar part")


def event_of(ics: bytes):  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


@override_settings(RAPPORT_SITE_URL="https://rapport.example.com")
class InviteTests(CoachingTestCase):
    def _book_through_the_page(self) -> Booking:
        self.client.force_login(self.bob)  # Asia/Tokyo; carol is in Europe/London
        slot = free_slots(self.bob, self.carol, now=timezone.now())[0]
        self.client.post(
            reverse("coaching:book_slot", args=[self.carol.public_id]),
            {"starts_at": slot.starts_at.isoformat()},
        )
        return Booking.objects.get()

    def test_booking_moving_and_cancelling_send_itip_messages_to_both(self) -> None:
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            booking = self._book_through_the_page()
        self.assertEqual(len(inbox.messages), 2)
        recipients = sorted(parse(raw)["To"] for raw in inbox.messages)
        self.assertEqual(recipients, ["bob@northwind.example", "carol@northwind.example"])
        uids = set()
        for raw in inbox.messages:
            method, ics = calendar_part(raw)
            self.assertEqual(method, "REQUEST")
            calendar, event = event_of(ics)
            self.assertEqual(str(calendar["METHOD"]), "REQUEST")
            self.assertEqual(int(event["SEQUENCE"]), 0)
            self.assertEqual(event.decoded("DTSTART"), booking.starts_at)
            self.assertEqual(str(event["ORGANIZER"]), "mailto:carol@northwind.example")
            self.assertEqual(str(event["ATTENDEE"]), "mailto:bob@northwind.example")
            self.assertEqual(str(event["LOCATION"]), "https://meet.example.com/carol")
            uids.add(str(event["UID"]))
            verdict = libical(ics)
            self.assertEqual(verdict, {**verdict, "parsed": True, "itip_ok": True, "errors": []})
            self.assertEqual(verdict["method"], "REQUEST")
        self.assertEqual(uids, {booking.ical_uid})

        # Each reads the time in their own zone.
        by_recipient = {parse(raw)["To"]: parts(parse(raw))[0] for raw in inbox.messages}
        tokyo = booking.starts_at.astimezone(timezone.get_fixed_timezone(9 * 60))
        self.assertIn(f"{tokyo:%H:%M}", by_recipient["bob@northwind.example"])
        self.assertIn("Asia/Tokyo", by_recipient["bob@northwind.example"])
        self.assertIn("Europe/London", by_recipient["carol@northwind.example"])

        # Carol moves it: the same UID, SEQUENCE 1, a REQUEST again.
        inbox.messages.clear()
        self.client.force_login(self.carol)
        target = free_slots(self.carol, self.carol, now=timezone.now(), ignore=booking)[1]
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("coaching:move", args=[booking.public_id]),
                {"starts_at": target.starts_at.isoformat()},
            )
        self.assertEqual(len(inbox.messages), 2)
        for raw in inbox.messages:
            self.assertIn("Moved", parse(raw)["Subject"])
            _method, ics = calendar_part(raw)
            _calendar, event = event_of(ics)
            self.assertEqual((str(event["UID"]), int(event["SEQUENCE"])), (booking.ical_uid, 1))
            self.assertEqual(event.decoded("DTSTART"), target.starts_at)
            self.assertTrue(libical(ics)["itip_ok"])

        # Bob cancels: METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE 2.
        self.client.force_login(self.bob)
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("coaching:cancel", args=[booking.public_id]))
        self.assertEqual(len(inbox.messages), 2)
        for raw in inbox.messages:
            self.assertIn("Cancelled", parse(raw)["Subject"])
            method, ics = calendar_part(raw)
            calendar, event = event_of(ics)
            self.assertEqual((method, str(calendar["METHOD"])), ("CANCEL", "CANCEL"))
            self.assertEqual(str(event["STATUS"]), "CANCELLED")
            self.assertEqual((str(event["UID"]), int(event["SEQUENCE"])), (booking.ical_uid, 2))
            verdict = libical(ics)
            self.assertEqual((verdict["itip_ok"], verdict["method"]), (True, "CANCEL"))

    def test_a_new_video_link_sends_an_updated_request(self) -> None:
        booking = self._book_through_the_page()
        self.client.force_login(self.carol)
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("coaching:video_link", args=[booking.public_id]),
                {"video_url": "https://video.example.org/room-12"},
            )
        self.assertEqual(len(inbox.messages), 2)
        for raw in inbox.messages:
            method, ics = calendar_part(raw)
            _calendar, event = event_of(ics)
            self.assertEqual((method, int(event["SEQUENCE"])), ("REQUEST", 1))
            self.assertEqual(str(event["LOCATION"]), "https://video.example.org/room-12")
            self.assertIn("New video link", parse(raw)["Subject"])
            self.assertIn("https://video.example.org/room-12", parts(parse(raw))[0])
            self.assertTrue(libical(ics)["itip_ok"])

    def test_libical_would_refuse_a_request_without_an_organizer(self) -> None:
        # The checker is not a rubber stamp: the same message without ORGANIZER fails.
        ics = scheduling_message(
            method="REQUEST",
            uid="check@rapport",
            sequence=0,
            title="Check",
            description="",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            organizer=("Carol", "carol@northwind.example"),
            attendees=[("Bob", "bob@northwind.example")],
        )
        stripped = b"\r\n".join(
            line for line in ics.split(b"\r\n") if not line.startswith(b"ORGANIZER")
        )
        verdict = libical(stripped)
        self.assertFalse(verdict["itip_ok"])
        self.assertTrue(any("ORGANIZER" in error for error in verdict["errors"]))
