"""Due dates and late policies: `grader grade --due ... --late-policy ...`.

The due date is ISO 8601, to the minute: `2026-12-15T23:59`, in the
grading machine's time zone unless it carries its own offset
(`2026-12-15T23:59+08:00`, `2026-12-15T15:59Z`).

A late policy is a deduction per started period past the due date, then
options, separated by commas:

    10%/day                   10 % of the score per started day late
    2%/hour,cap=50%           2 % per started hour, never more than 50 % in all
    10%/day,grace=15m         the first 15 minutes after the due date are not late
    100%/day                  nothing counts once late (a zero)

`RATE%/day` or `RATE%/hour`; `cap=PERCENT` (default 100%); `grace=N` with
`m`, `h` or `d` (minutes, hours, days; default none). The deduction is a
share of the student's points after any instructor override:
`final = raw × (1 − min(rate × started periods, cap))`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

PERIODS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}
DURATION_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_RATE = re.compile(r"^(?P<rate>\d+(?:\.\d+)?)%/(?P<period>day|hour)$")
_PERCENT = re.compile(r"^(?P<value>\d+(?:\.\d+)?)%$")
_DURATION = re.compile(r"^(?P<value>\d+(?:\.\d+)?)(?P<unit>[mhd])$")


class LateError(ValueError):
    """A due date or late policy that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class LatePolicy:
    rate: float  # share of the score per period, 0.1 for 10 %
    period: str  # "day" or "hour"
    cap: float = 1.0
    grace: timedelta = timedelta(0)

    def text(self) -> str:
        """The policy in the syntax it was given in (as stored in the gradebook)."""
        parts = [f"{_number(self.rate * 100)}%/{self.period}"]
        if self.cap < 1.0:
            parts.append(f"cap={_number(self.cap * 100)}%")
        if self.grace:
            minutes = self.grace.total_seconds() / 60
            parts.append(f"grace={_number(minutes)}m")
        return ",".join(parts)

    def penalty(self, late: timedelta) -> float:
        """The share of the score taken for being `late` past the due date."""
        late -= self.grace
        if late <= timedelta(0):
            return 0.0
        periods = math.ceil(late / PERIODS[self.period])
        return min(self.rate * periods, self.cap)


def _number(value: float) -> str:
    return f"{value:g}"


def parse_policy(text: str) -> LatePolicy:
    parts = [part.strip() for part in text.replace(" ", "").split(",") if part.strip()]
    if not parts:
        raise LateError("a late policy such as 10%/day or 10%/day,cap=50%")
    rate = _RATE.match(parts[0])
    if rate is None:
        raise LateError(f"{parts[0]!r} is not a rate: write RATE%/day or RATE%/hour, e.g. 10%/day")
    cap, grace = 1.0, timedelta(0)
    for part in parts[1:]:
        name, _, value = part.partition("=")
        if name == "cap" and (match := _PERCENT.match(value)):
            cap = float(match["value"]) / 100
        elif name == "grace" and (match := _DURATION.match(value)):
            grace = float(match["value"]) * DURATION_UNITS[match["unit"]]
        else:
            raise LateError(f"{part!r} is not an option: use cap=PERCENT (cap=50%) or grace=DURATION (grace=15m, 2h, 1d)")
    if not 0 < cap <= 1:
        raise LateError("the cap is a percentage above 0 and at most 100%")
    return LatePolicy(float(rate["rate"]) / 100, rate["period"], cap, grace)


def parse_due(text: str) -> datetime:
    """An aware datetime: the text's own offset, or this machine's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise LateError(f"{text!r} is not a date and time: write 2026-12-15T23:59 (or with an offset, 2026-12-15T23:59+08:00)") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the local zone, daylight saving included
    return moment


def days_late(submitted: datetime, due: datetime) -> float:
    """Days past the due date, rounded up to a hundredth (0 when on time)."""
    seconds = (submitted - due).total_seconds()
    return 0.0 if seconds <= 0 else math.ceil(seconds / 864) / 100


@dataclass(frozen=True)
class Lateness:
    days_late: float  # as counted (after an instructor's `late` override)
    penalty: float  # share of the score taken
    excused: bool = False  # an override set the days late


def lateness(submitted_at: str, due: str | None, policy: str | None, counted_days: float | None = None) -> Lateness:
    """How late a submission handed in at `submitted_at` (ISO) is, and what it costs.

    `counted_days` is the instructor's override of the days late, if any.
    """
    if counted_days is not None:
        late = timedelta(days=counted_days)
        penalty = parse_policy(policy).penalty(late + parse_policy(policy).grace) if policy and counted_days > 0 else 0.0
        return Lateness(round(counted_days, 2), penalty, excused=True)
    if not due or not submitted_at:
        return Lateness(0.0, 0.0)
    submitted, deadline = datetime.fromisoformat(submitted_at), datetime.fromisoformat(due)
    days = days_late(submitted, deadline)
    penalty = parse_policy(policy).penalty(submitted - deadline) if policy else 0.0
    return Lateness(days, penalty)
