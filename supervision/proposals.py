"""Suggestions and proposals (建议提案办理) on the supervision pages: the year's figures per
department and city-wide, exactly as ``proposals.selectors.figures`` counts them (no figure
is defined here), each linked to the office's list of the items it counts."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from proposals.selectors import FIGURES, Row, figures

# The columns of the three tables (and the export sheet), each a figure key, with the share
# shown beside it where the figure has one (the Row property giving it).
HANDLING = (
    ("assigned", None),
    ("signed_on_time", "signed_on_time_share"),
    ("signed_late", None),
    ("returned", None),
    ("replied", None),
    ("replied_on_time", "on_time_share"),
    ("replied_late", None),
    ("overdue", None),
)
OUTCOME = (
    ("class_a", "class_a_share"),
    ("class_b", "class_b_share"),
    ("class_c", "class_c_share"),
    ("rated", None),
    ("satisfied", "satisfied_share"),
    ("dissatisfied", None),
    ("second_round", None),
)
VERDICTS = tuple((key, None) for key in FIGURES if key.startswith("verdict_"))
# The three tables (and sections of the figures page).
SECTIONS = {
    "handling": (_("交办、签收和答复"), HANDLING),
    "outcome": (_("答复分类、满意度和二次办理"), OUTCOME),
    "verdicts": (_("第三方评估结论"), VERDICTS),
}
# The figures that ask for attention when not zero.
ALERTS = frozenset({"overdue", "signed_late", "replied_late", "dissatisfied"})


def office_list_path() -> str:
    """The office's list of suggestions and proposals."""
    return reverse("proposals:office_list")


def office_list_url(
    year: int, key: str, *, department_id: int | None = None, path: str | None = None
) -> str:
    """The office's list of the items a figure counts: ``?year=&figure=&department=``."""
    path = path or office_list_path()
    # Built by hand: the page has thousands of these, and every part is a number or a key.
    url = f"{path}?year={int(year)}&figure={key}"
    if department_id is not None:
        url += f"&department={int(department_id)}"
    return url


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    count: int
    share: float | None
    url: str
    alert: bool

    @property
    def share_display(self) -> str:
        return "—" if self.share is None else f"{self.share:.1f}%"

    @property
    def td(self) -> str:
        """The table cell: the count linked to its list (a muted 0 without a link), the
        share beside it. Made here, not by a template include per cell: a city-scale year
        has some 2,000 cells a table. Every part is a number or a figure's key, so nothing
        needs escaping but the ampersands of the link."""
        if self.count:
            count = f'<a href="{self.url.replace("&", "&amp;")}">{int(self.count)}</a>'
        else:
            count = '<span class="muted">0</span>'
        share = "" if self.share is None else f' <span class="muted">{self.share_display}</span>'
        css = "num overdue" if self.alert else "num"
        return f'<td class="{css}">{count}{share}</td>'


@dataclass(frozen=True)
class Line:
    """One department's (or the city's) cells of a table."""

    label: str
    department_id: int | None
    cells: list[Cell]

    @property
    def tds(self) -> SafeString:
        return mark_safe("".join(cell.td for cell in self.cells))  # noqa: S308 - numbers only


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: list[tuple[str, str, bool]]  # (figure key, label, with a share)
    lines: list[Line]
    total: Line


@dataclass
class ProposalBlock:
    year: int
    today: datetime.date
    rows: list[Row]
    city: Row
    list_path: str = field(default_factory=office_list_path)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {key: str(figure.label) for key, figure in FIGURES.items()}

    def cell(self, row: Row, key: str, share: str | None) -> Cell:
        department_id = row.department.pk if row.department else None
        count = row[key]
        return Cell(
            key=key,
            label=self.labels[key],
            count=count,
            share=getattr(row, share) if share else None,
            url=office_list_url(self.year, key, department_id=department_id, path=self.list_path),
            alert=key in ALERTS and bool(count),
        )

    def _table(self, key: str, caption: str, columns) -> Table:
        def line(row: Row, label: str) -> Line:
            return Line(
                label=label,
                department_id=row.department.pk if row.department else None,
                cells=[self.cell(row, figure, share) for figure, share in columns],
            )

        return Table(
            key=key,
            caption=caption,
            columns=[
                (figure, str(FIGURES[figure].label), bool(share)) for figure, share in columns
            ],
            lines=[
                line(row, row.department.short_name or row.department.name) for row in self.rows
            ],
            total=line(self.city, str(_("全市合计"))),
        )

    @cached_property
    def tables(self) -> list[Table]:
        return [self._table(key, caption, columns) for key, (caption, columns) in SECTIONS.items()]

    def table(self, key: str) -> Table:
        return self._table(key, *SECTIONS[key])

    @property
    def headline(self) -> list[Cell]:
        """The city's main figures, for the dashboard's summary."""
        return [
            self.cell(self.city, key, share)
            for key, share in (
                ("assigned", None),
                ("signed_on_time", "signed_on_time_share"),
                ("returned", None),
                ("replied_on_time", "on_time_share"),
                ("replied_late", None),
                ("overdue", None),
                ("satisfied", "satisfied_share"),
                ("second_round", None),
            )
        ]

    @property
    def is_empty(self) -> bool:
        return not self.rows


def proposal_block(*, year: int, today: datetime.date) -> ProposalBlock:
    rows, city = figures(year, today=today)
    return ProposalBlock(year=year, today=today, rows=rows, city=city)
