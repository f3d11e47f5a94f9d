"""Calendar invitations (.ics, RFC 5545) for a booked meeting: one file per participant.

Times carry TZID=Europe/Copenhagen (the app's zone) with a VTIMEZONE block; the UID is
stable per meeting and participant (re-writing a file updates the same calendar entry); the
organizer is the house; the location is the room. A file names people, never a CPR number.
Files go to `settings.ics_folder` (created 0700), each written 0600.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText

from ungehus_tui.domain import clock
from ungehus_tui.services.desk.booking_text import KIND_DA, MeetingInfo, PartInfo, when_da
from ungehus_tui.services.errors import ServiceError
from ungehus_tui.settings import Settings

PRODID = "-//Ungehus//Ungehuset booking//DA"


def uid_for(info: MeetingInfo, part: PartInfo, settings: Settings) -> str:
    domain = settings.house_email.rpartition("@")[2] or "ungehus.invalid"
    return f"ungehus-moede-{info.meeting_id}-deltager-{part.id}@{domain}"


def file_name(info: MeetingInfo, part: PartInfo) -> str:
    return f"moede-{info.meeting_id}-deltager-{part.id}.ics"


def invitation(info: MeetingInfo, part: PartInfo, settings: Settings) -> bytes:
    """The invitation of `part` to the meeting, as .ics bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid_for(info, part, settings))
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", clock.local(info.start))
    event.add("dtend", clock.local(info.end))
    event.add("summary", f"{KIND_DA.get(info.kind, 'Møde')} i {settings.house_name}")
    event.add("location", info.place)
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    who = "\n".join(f"- {p.label}" for p in info.participants)
    event.add(
        "description",
        f"{when_da(info.start, info.end)}\nSted: {info.place}\nDeltagere:\n{who}\n"
        f"Mødeleder: {info.leader_name}",
    )
    organizer = vCalAddress(f"mailto:{settings.house_email}")
    organizer.params["cn"] = vText(settings.house_name)
    event.add("organizer", organizer)
    for p in info.participants:
        if p.email:
            attendee = vCalAddress(f"mailto:{p.email}")
            attendee.params["cn"] = vText(p.name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _private_folder(folder: Path) -> None:
    existed = folder.exists()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not existed:
        os.chmod(folder, 0o700)


def write_invitations(settings: Settings, info: MeetingInfo) -> list[Path]:
    """Write one .ics per participant; returns the paths (participants' order)."""
    folder = settings.ics_folder
    paths: list[Path] = []
    try:
        _private_folder(folder)
        for part in info.participants:
            path = folder / file_name(info, part)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, invitation(info, part, settings))
            finally:
                os.close(fd)
            paths.append(path)
    except OSError as exc:
        raise ServiceError(
            f"Mødet er booket (nr. {info.meeting_id}), men invitationerne kunne ikke gemmes i "
            f"{folder}: {exc.strerror}"
        ) from None
    return paths
