"""Steps recorded from evidence held by higher apps (``procedures.EVIDENCED_STEPS``).

An app that holds the evidence of a step (``surveys``: a survey closed with responses)
registers a function that records the steps its evidence now supports. The function runs
on a schedule and, so that the rule is exact at the moment it matters, again just before a
matter is moved on. This keeps the arrow pointing down: ``matters`` calls what was
registered and never imports the app.
"""

import datetime
from collections.abc import Callable

_SOURCES: list[Callable[..., object]] = []


def register_step_source(source: Callable[..., object]) -> None:
    """``source(matter, now=...)`` records, for one matter, every step its evidence supports
    and that is not yet on record; it must be safe to call twice."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def bring_up_to_date(matter, *, now: datetime.datetime) -> None:
    for source in _SOURCES:
        source(matter, now=now)
