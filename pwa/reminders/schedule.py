"""When a reminder is due: pure functions of a schedule, a time zone and an instant (no I/O).

A schedule (checked by pwa.reminders.schemas) is a dict:
- `{"mode": "random", "count": 1..5, "window": {"start": "10:00", "end": "21:00"}}` — `count`
  moments a day inside the window, at least an hour apart in real time. They are drawn from a
  RNG seeded by the reminder's id and the local date, so every process (and every restart)
  agrees on a day's moments without storing them.
- `{"mode": "fixed", "times": ["08:30", "20:00"]}` — up to 5 local times.
- `{"mode": "if_not_yet", "time": "20:00"}` — one local time, skipped on a local day for which
  a check-in was reported (`checked_in`).
Any mode may add `"quiet_days": ["sat", "sun"]` (no reminder on those local weekdays) and
`"paused_until": "YYYY-MM-DD"` (none on local days before that date; they resume on it).

Local times are turned into instants with zoneinfo: a time that does not exist (the hour
skipped in spring) happens at the same distance after the change (02:30 → 03:30 in Berlin);
a time that happens twice (the hour repeated in autumn) happens the first time only.
All instants returned are aware datetimes in UTC.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODES = ("random", "fixed", "if_not_yet")
MAX_PER_DAY = 5
MIN_GAP = timedelta(hours=1)
MAX_WINDOW_MINUTES = 22 * 60  # so the last of a day and the first of the next are ≥ 1 h apart
SEARCH_DAYS = 400  # a pause is at most a year; quiet days leave at least one weekday


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def minutes(text: str) -> int:
    t = parse_hhmm(text)
    return t.hour * 60 + t.minute


def instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time (fold=0: before a gap's change, the first of two)."""
    local = datetime.combine(day, at, tzinfo=zone)
    # A non-existent wall time: zoneinfo keeps the offset from before the change, which puts it
    # after the change in real time; normalising shows the wall time that instant really has.
    return local.astimezone(UTC)


def seed(reminder_id: str, day: date) -> int:
    digest = hashlib.sha256(f"thaw/reminder/{reminder_id}/{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def random_moments(
    reminder_id: str, day: date, zone: ZoneInfo, count: int, start: str, end: str
) -> list[datetime]:
    """`count` instants inside the day's window, each at least MIN_GAP after the one before.

    The gap is measured in real time (UTC), so a daylight-saving change inside the window can
    never bring two moments closer than an hour; a window a change made too short for `count`
    moments gets as many as fit. Uniform over all such placements, to the second.
    """
    first = instant(day, parse_hhmm(start), zone)
    last = instant(day, parse_hhmm(end), zone)
    span = int((last - first).total_seconds())
    gap = int(MIN_GAP.total_seconds())
    if span < 0:
        return []
    count = max(1, min(count, span // gap + 1))
    slack = span - (count - 1) * gap
    rng = random.Random(seed(reminder_id, day))
    offsets = sorted(rng.randint(0, slack) for _ in range(count))
    return [first + timedelta(seconds=offset + i * gap) for i, offset in enumerate(offsets)]


def moments_on(
    schedule: Mapping[str, Any],
    zone: ZoneInfo,
    reminder_id: str,
    day: date,
    checked_in: date | None = None,
) -> list[datetime]:
    """The instants a reminder is due on one local date, in order (none on a quiet or paused
    day, or in if_not_yet mode once that day's check-in was reported)."""
    if WEEKDAYS[day.weekday()] in schedule.get("quiet_days", ()):
        return []
    paused = schedule.get("paused_until")
    if paused and day < date.fromisoformat(paused):
        return []
    mode = schedule["mode"]
    if mode == "random":
        window = schedule["window"]
        found = random_moments(
            reminder_id, day, zone, schedule.get("count", 1), window["start"], window["end"]
        )
    elif mode == "fixed":
        found = sorted({instant(day, parse_hhmm(t), zone) for t in schedule["times"]})
    elif mode == "if_not_yet":
        if checked_in == day:
            return []
        found = [instant(day, parse_hhmm(schedule["time"]), zone)]
    else:
        raise ValueError(f"unknown mode {mode!r}")
    # An instant belongs to the local day its wall time says (a skipped 23:30 could spill over).
    return [moment for moment in found if moment.astimezone(zone).date() == day]


def next_time(
    schedule: Mapping[str, Any],
    time_zone: str,
    reminder_id: str,
    after: datetime,
    checked_in: date | None = None,
) -> datetime | None:
    """The first instant strictly after `after` (aware) when the reminder is due, in UTC;
    None if there is none within SEARCH_DAYS (a schedule the API would have refused)."""
    zone = ZoneInfo(time_zone)
    after = after.astimezone(UTC)
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(SEARCH_DAYS):
        for moment in moments_on(schedule, zone, reminder_id, day, checked_in):
            if moment > after:
                return moment
        day += timedelta(days=1)
    return None


def local_date(moment: datetime, time_zone: str) -> date:
    """The person's local date at an instant."""
    return moment.astimezone(ZoneInfo(time_zone)).date()
