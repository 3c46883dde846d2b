"""Working days (工作日) as the State Council's holiday schedule makes them.

A working day is a Monday to Friday that is not a public holiday, or a weekend day that the
year's official adjustments (调休) make a working day. The schedule comes from the
maintained package ``chinese-calendar``, which carries each year's announcement; a year
it does not know yet can be given in the setting ``PORTAL_WORKDAY_CALENDAR`` (as
announced: ``{2027: {"holidays": [...], "workdays": [...]}}``). A day in a year neither
knows is an error (``UnknownCalendarYear``), never a guess: a deadline counted on a guess
could fall on a holiday and cost a department its right to return a proposal.
"""

import datetime
from functools import cache

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import TransitionError


class UnknownCalendarYear(TransitionError):
    """The holiday schedule of the year is not known to the portal."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "尚未载入%(year)d年的法定节假日安排，无法计算工作日。"
                "请系统管理员升级 chinese-calendar 或在 PORTAL_WORKDAY_CALENDAR 中配置当年安排。"
            )
            % {"year": year}
        )


@cache
def _configured(year: int) -> tuple[frozenset, frozenset] | None:
    calendar = getattr(settings, "PORTAL_WORKDAY_CALENDAR", {}) or {}
    entry = calendar.get(year, calendar.get(str(year)))
    if entry is None:
        return None
    return (
        frozenset(datetime.date.fromisoformat(str(day)) for day in entry.get("holidays", ())),
        frozenset(datetime.date.fromisoformat(str(day)) for day in entry.get("workdays", ())),
    )


def clear_cache() -> None:
    """Forget the configured years (tests that override the setting call this)."""
    _configured.cache_clear()


def is_workday(day: datetime.date) -> bool:
    configured = _configured(day.year)
    if configured is not None:
        holidays, workdays = configured
        if day in workdays:
            return True
        if day in holidays:
            return False
        return day.weekday() < 5
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise UnknownCalendarYear(day.year) from None


def is_known_year(year: int) -> bool:
    """Whether the portal knows the year's holiday schedule (the package or the setting)."""
    if _configured(year) is not None:
        return True
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


# From this month on, next year's schedule is needed: the State Council announces it in
# autumn, and a window of working days that starts in late December ends in January.
LOOK_AHEAD_MONTH = 11


def years_to_load(today: datetime.date) -> list[int]:
    """The years whose holiday schedule the portal should know by ``today`` and does not:
    this year, and from November next year too (said on the workbench until loaded)."""
    years = [today.year]
    if today.month >= LOOK_AHEAD_MONTH:
        years.append(today.year + 1)
    return [year for year in years if not is_known_year(year)]


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    Assigned on a Friday, 7 working days end on the Tuesday nine days later, or later
    when a holiday falls in between; an adjusted working Saturday counts."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    found = 0
    while found < count:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            found += 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, the month's last day where it is shorter (31 May + 3
    months = 31 August; 30 November + 3 months = 28 February or 29 in a leap year)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
