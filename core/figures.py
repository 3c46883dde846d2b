"""Figures per department, as the supervision dashboard's blocks and export sheets show
them: a line per department (and one for the total) holding its figures by key, the
table's columns, and a block of lines for a year. Each block declares its own columns;
the dashboard's templates and the export read ``cells`` and ``columns`` alike."""

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass
class FigureLine:
    """One department's figures (or the total's), with the link to what they count."""

    label: str
    name: str
    department_id: int | None
    figures: dict[str, int] = field(default_factory=dict)
    url: str = ""
    # (key, label) of the table's columns, in order: each kind of line sets its own.
    columns: ClassVar[tuple] = ()

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.figures.get(key, 0)) for key, _label in self.columns]

    def add(self, figures: dict[str, int]) -> None:
        """Count another line's figures in (the total)."""
        for key, value in figures.items():
            self.figures[key] = self.figures.get(key, 0) + value


@dataclass
class FigureBlock:
    """A year's lines, department by department, and their total."""

    year: int
    lines: list
    total: FigureLine

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(key, str(label)) for key, label in self.total.columns]

    @property
    def is_empty(self) -> bool:
        return not self.lines
