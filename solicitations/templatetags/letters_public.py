"""``{% matter_written_consultation matter %}``: on the public matter page, how the
matter's drafts were consulted in writing — the bodies asked, and by category how many
were asked and answered. ``{% period_written_opinions period %}``: in a comment round's
feedback report, its written opinions by category of addressee and disposition. Never a
person's name or an individual answer."""

from django import template
from django.db.models import Count

from ..models import Addressee, AnswerItem
from ..tracking import public_summary

register = template.Library()


@register.inclusion_tag("solicitations/public/matter_letters.html")
def matter_written_consultation(matter):
    summary = public_summary(matter) if matter.is_published else None
    return {"matter": matter, "summary": summary}


def written_opinions_by_category(period) -> list[dict]:
    """The opinions a comment round received in answer to letters of solicitation, by
    category of addressee and disposition (counts only: one query)."""
    labels = dict(Addressee.CATEGORY_CHOICES)
    order = {value: n for n, (value, _label) in enumerate(Addressee.CATEGORY_CHOICES)}
    rows: dict[str, dict] = {}
    for item in (
        AnswerItem.objects.filter(opinion__period=period)
        .values("addressee__category", "opinion__disposition")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        category = item["addressee__category"]
        row = rows.setdefault(
            category,
            {"label": str(labels[category]), "total": 0, **dict.fromkeys(DISPOSITIONS, 0)},
        )
        row["total"] += item["n"]
        disposition = item["opinion__disposition"] or "undisposed"
        row[disposition] = row.get(disposition, 0) + item["n"]
    return [rows[key] for key in sorted(rows, key=order.__getitem__)]


DISPOSITIONS = ("adopted", "partly_adopted", "not_adopted", "out_of_scope", "undisposed")


@register.inclusion_tag("solicitations/public/period_written.html")
def period_written_opinions(period):
    return {"rows": written_opinions_by_category(period)}


@register.inclusion_tag("solicitations/pdf/period_written.html")
def period_written_opinions_pdf(period):
    return {"rows": written_opinions_by_category(period)}
