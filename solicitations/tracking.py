"""Who has answered a letter of solicitation, by category of addressee: for the letter's
page, the matter's pages (public counts only) and the API. Counts are of main addressees
(主送); copies (抄送) may answer but are not waited for."""

from dataclasses import dataclass, field

from .models import Addressee, Solicitation

S = Addressee.Status
CATEGORY_LABELS = dict(Addressee.CATEGORY_CHOICES)
CATEGORY_ORDER = {value: n for n, (value, _label) in enumerate(Addressee.CATEGORY_CHOICES)}


@dataclass
class Row:
    category: str
    label: str
    sent: int = 0
    answered: int = 0
    with_opinions: int = 0
    no_opinion: int = 0
    deemed: int = 0
    no_reply: int = 0
    outstanding: int = 0
    late: int = 0

    def add(self, other: "Row") -> None:
        for name in (
            "sent",
            "answered",
            "with_opinions",
            "no_opinion",
            "deemed",
            "no_reply",
            "outstanding",
            "late",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "label": self.label,
            "sent": self.sent,
            "answered": self.answered,
            "with_opinions": self.with_opinions,
            "no_opinion": self.no_opinion,
            "deemed": self.deemed,
            "no_reply": self.no_reply,
            "outstanding": self.outstanding,
            "late": self.late,
        }


@dataclass
class Tracking:
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("", ""))


def _row_of(addressee: Addressee, row: Row) -> None:
    row.sent += 1
    if addressee.status == S.ANSWERED:
        row.answered += 1
        if addressee.answer == Addressee.Answer.OPINIONS:
            row.with_opinions += 1
        else:
            row.no_opinion += 1
        row.late += int(addressee.is_late)
    elif addressee.status == S.DEEMED:
        row.deemed += 1
    elif addressee.status == S.NO_REPLY:
        row.no_reply += 1
    else:
        row.outstanding += 1


def _sorted(rows: dict[str, Row]) -> Tracking:
    tracking = Tracking(rows=sorted(rows.values(), key=lambda r: CATEGORY_ORDER[r.category]))
    for row in tracking.rows:
        tracking.total.add(row)
    return tracking


def tracking_of(addressees) -> Tracking:
    """Main addressees of one letter (already loaded), by category."""
    rows: dict[str, Row] = {}
    for addressee in addressees:
        if addressee.role != Addressee.Role.MAIN:
            continue
        row = rows.setdefault(
            addressee.category, Row(addressee.category, str(CATEGORY_LABELS[addressee.category]))
        )
        _row_of(addressee, row)
    return _sorted(rows)


def public_summary(matter) -> dict | None:
    """What the public may know of how a matter's drafts were consulted in writing: the
    sent letters, and by category how many were asked, answered (with or without
    opinions), deemed to have no opinion or did not answer. No names of people: bodies'
    names only (departments, district governments and the registry's organisations —
    parties, people's organisations — are public bodies). One query (a
    matter's letters go to tens of addressees, counted here). ``None`` when no letter was
    sent."""
    addressees = (
        Addressee.objects.filter(solicitation__matter=matter, role=Addressee.Role.MAIN)
        .exclude(solicitation__status=Solicitation.Status.DRAFT)
        .select_related("participant")
        .only(
            "solicitation_id",
            "department_id",
            "name",
            "category",
            "status",
            "answer",
            "is_late",
            "participant__is_organisation",
        )
        .order_by("pk")
    )
    rows: dict[str, Row] = {}
    letters, bodies = set(), set()
    for addressee in addressees:
        letters.add(addressee.solicitation_id)
        if addressee.department_id is not None or (
            addressee.participant is not None and addressee.participant.is_organisation
        ):
            bodies.add(addressee.name)
        row = rows.setdefault(
            addressee.category, Row(addressee.category, str(CATEGORY_LABELS[addressee.category]))
        )
        _row_of(addressee, row)
    if not rows:
        return None
    tracking = _sorted(rows)
    return {
        "letters": len(letters),
        "rows": tracking.rows,
        "total": tracking.total,
        "bodies": sorted(bodies),
    }


def api_counts(matter) -> dict:
    """``public_summary`` as the API gives it: the totals and the rows by category, all
    zero (and no rows) when no letter was sent."""
    summary = public_summary(matter)
    total = summary["total"] if summary else Row("", "")
    counts = total.as_dict()
    del counts["category"], counts["label"]
    return {
        "letters": summary["letters"] if summary else 0,
        **counts,
        "by_category": [row.as_dict() for row in summary["rows"]] if summary else [],
    }
