"""When reminders are due (pwa/reminders/schedule.py): a fake clock, real time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pwa.reminders.schedule import moments_on, next_time

RID = "0b3c1f9e-5d2a-4c7e-9f10-2a3b4c5d6e7f"
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def local(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def run(schedule, zone, start, days, checked_in=None, rid=RID):
    """Every due instant from `start` for `days` days, as the scheduler would find them."""
    found, now, end = [], start, start + timedelta(days=days)
    while True:
        nxt = next_time(schedule, zone, rid, now, checked_in)
        if nxt is None or nxt >= end:
            return found
        assert nxt > now
        found.append(nxt)
        now = nxt


RANDOM = {"mode": "random", "count": 5, "window": {"start": "10:00", "end": "21:00"}}


@pytest.mark.parametrize("rid", [RID, "another", "a third one"])
def test_random_moments_stay_inside_the_window_an_hour_apart(rid):
    start = local("2026-03-02T00:00", BERLIN)
    moments = run(RANDOM, BERLIN, start, 60, rid=rid)
    assert len(moments) == 5 * 60
    zone = ZoneInfo(BERLIN)
    for a, b in zip(moments, moments[1:], strict=False):
        assert b - a >= timedelta(hours=1)
    for moment in moments:
        wall = moment.astimezone(zone)
        assert (10, 0, 0) <= (wall.hour, wall.minute, wall.second) <= (21, 0, 0)  # noqa: SIM300
    per_day = {}
    for moment in moments:
        per_day.setdefault(moment.astimezone(zone).date(), []).append(moment)
    assert all(len(v) == 5 for v in per_day.values())
    # not the same times every day
    assert len({tuple(m.astimezone(zone).time() for m in v) for v in per_day.values()}) > 50


def test_random_moments_are_the_same_after_a_restart_and_differ_per_reminder():
    day = date(2026, 5, 4)
    zone = ZoneInfo(BERLIN)
    a = moments_on(RANDOM, zone, RID, day)
    assert a == moments_on(RANDOM, zone, RID, day)  # a restarted process agrees
    assert a != moments_on(RANDOM, zone, "other", day)
    # asked from any instant of the day, the next one is the next of the same list
    assert next_time(RANDOM, BERLIN, RID, a[1]) == a[2]
    assert next_time(RANDOM, BERLIN, RID, a[1] - timedelta(seconds=1)) == a[1]


def test_a_full_window_spreads_moments_exactly_an_hour_apart():
    schedule = {"mode": "random", "count": 3, "window": {"start": "10:00", "end": "12:00"}}
    moments = moments_on(schedule, ZoneInfo(BERLIN), RID, date(2026, 5, 4))
    assert [m.astimezone(ZoneInfo(BERLIN)).strftime("%H:%M") for m in moments] == [
        "10:00",
        "11:00",
        "12:00",
    ]


def test_fixed_times():
    schedule = {"mode": "fixed", "times": ["20:00", "08:30", "13:15"]}
    start = local("2026-06-01T09:00", BERLIN)
    moments = run(schedule, BERLIN, start, 2)
    assert [m.astimezone(ZoneInfo(BERLIN)).isoformat() for m in moments] == [
        "2026-06-01T13:15:00+02:00",
        "2026-06-01T20:00:00+02:00",
        "2026-06-02T08:30:00+02:00",
        "2026-06-02T13:15:00+02:00",
        "2026-06-02T20:00:00+02:00",
        "2026-06-03T08:30:00+02:00",
    ]


def test_quiet_days_are_skipped():
    schedule = {"mode": "fixed", "times": ["09:00"], "quiet_days": ["sat", "sun"]}
    start = local("2026-06-01T00:00", NEW_YORK)  # a Monday
    moments = run(schedule, NEW_YORK, start, 14)
    days = [m.astimezone(ZoneInfo(NEW_YORK)).strftime("%a") for m in moments]
    assert days == ["Mon", "Tue", "Wed", "Thu", "Fri"] * 2


def test_pause_until_a_date():
    schedule = {"mode": "fixed", "times": ["09:00"], "paused_until": "2026-06-08"}
    now = local("2026-06-01T10:00", BERLIN)
    assert next_time(schedule, BERLIN, RID, now) == local("2026-06-08T09:00", BERLIN)
    random_paused = dict(RANDOM, paused_until="2026-06-08")
    nxt = next_time(random_paused, BERLIN, RID, now)
    assert nxt.astimezone(ZoneInfo(BERLIN)).date() == date(2026, 6, 8)


def test_if_not_yet_is_skipped_after_a_check_in():
    schedule = {"mode": "if_not_yet", "time": "20:00"}
    now = local("2026-06-01T12:00", BERLIN)
    assert next_time(schedule, BERLIN, RID, now) == local("2026-06-01T20:00", BERLIN)
    checked = next_time(schedule, BERLIN, RID, now, checked_in=date(2026, 6, 1))
    assert checked == local("2026-06-02T20:00", BERLIN)
    # an older check-in changes nothing
    older = next_time(schedule, BERLIN, RID, now, checked_in=date(2026, 5, 31))
    assert older == local("2026-06-01T20:00", BERLIN)


@pytest.mark.parametrize(
    ("zone", "day_before", "utc_before", "utc_after"),
    [
        # spring forward: 02:00 → 03:00
        (BERLIN, "2026-03-28", "07:00", "06:00"),
        (NEW_YORK, "2026-03-07", "13:00", "12:00"),
        # fall back: 03:00 → 02:00 (Berlin), 02:00 → 01:00 (New York)
        (BERLIN, "2026-10-24", "06:00", "07:00"),
        (NEW_YORK, "2026-10-31", "12:00", "13:00"),
    ],
)
def test_fixed_times_follow_the_wall_clock_across_dst(zone, day_before, utc_before, utc_after):
    schedule = {"mode": "fixed", "times": ["08:00"]}
    start = local(f"{day_before}T00:00", zone)
    first, second = run(schedule, zone, start, 2)
    assert first.strftime("%H:%M") == utc_before and second.strftime("%H:%M") == utc_after
    assert {m.astimezone(ZoneInfo(zone)).strftime("%H:%M") for m in (first, second)} == {"08:00"}
    assert second - first == timedelta(hours=23 if utc_after < utc_before else 25)


def test_a_skipped_time_happens_once_after_the_change():
    # 02:30 does not exist in Berlin on 29 March 2026; it happens at 03:30 CEST, once.
    schedule = {"mode": "fixed", "times": ["02:30", "03:30"]}
    moments = moments_on(schedule, ZoneInfo(BERLIN), RID, date(2026, 3, 29))
    assert [m.isoformat() for m in moments] == ["2026-03-29T01:30:00+00:00"]


def test_a_repeated_time_happens_once():
    # 01:30 happens twice in New York on 1 November 2026: the reminder comes the first time.
    schedule = {"mode": "fixed", "times": ["01:30"]}
    moments = run(schedule, NEW_YORK, local("2026-10-31T12:00", NEW_YORK), 2)
    assert [m.isoformat() for m in moments] == [
        "2026-11-01T05:30:00+00:00",
        "2026-11-02T06:30:00+00:00",
    ]


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK])
@pytest.mark.parametrize("days", [("2026-03-27", 4), ("2026-10-23", 4), ("2026-10-30", 4)])
def test_random_moments_across_dst_stay_an_hour_apart(zone, days):
    # a window spanning the change: the night hours
    schedule = {"mode": "random", "count": 5, "window": {"start": "00:00", "end": "05:00"}}
    start = local(f"{days[0]}T00:00", zone)
    moments = run(schedule, zone, start, days[1])
    assert len(moments) >= 4 * days[1] - 1  # a 4-hour real window on spring day holds 5 too
    for a, b in zip(moments, moments[1:], strict=False):
        assert b - a >= timedelta(hours=1)
    for moment in moments:
        wall = moment.astimezone(ZoneInfo(zone))
        assert wall.hour < 5 or (wall.hour, wall.minute, wall.second) == (5, 0, 0)


def test_next_time_is_utc_and_strictly_after():
    schedule = {"mode": "fixed", "times": ["09:00"]}
    at = local("2026-06-01T09:00", BERLIN)
    nxt = next_time(schedule, BERLIN, RID, at)
    assert nxt.tzinfo is UTC and nxt == at + timedelta(days=1)
