"""Which year's plan catalog (年度计划目录) is being prepared now: one rule, used by the
workbench, the catalog list's "新建年度计划目录" form and the new-matter form.

The catalog for year N is due by 31 March of year N (``annual_plans.deadlines``). Until
that day is over, the catalog being prepared is this year's; from 1 April on, this year's
is filed (or late, which the workbench and reminders say separately) and the work is on
next year's. So in December 2026 it is the 2027 catalog, in February 2027 still the 2027
one, in April 2027 the 2028 one. The rule is in ``docs/PROCEDURE.md``.
"""

import datetime

from django.utils import timezone

FILING_DUE = (3, 31)  # month, day of the catalog's own year


def catalog_year_in_preparation(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    due = datetime.date(today.year, *FILING_DUE)
    return today.year if today <= due else today.year + 1
