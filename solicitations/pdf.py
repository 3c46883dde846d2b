"""A completed argumentation as the 专家论证意见 document, in the portal's official style
(``core.pdf.render_pdf``): the matter and the draft argued, the form and the date, the
panel (each expert's affiliation, expertise and recusal declaration), each heard expert's
signed opinion under the five headings with the conclusion and the date of signature,
then the panel's summary and conclusion.

A recused expert is listed with the declaration and its reason, and gives no opinion. An
open argumentation is not a document yet: its opinions may still change.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import TransitionError
from core.pdf import chinese_date, chinese_numeral, deferred_full_collections, render_pdf

from .models import Argumentation, Expert


def argumentation_context(
    argumentation: Argumentation, *, now: datetime.datetime | None = None
) -> dict:
    experts = list(argumentation.experts.all())
    heard = [expert for expert in experts if expert.has_opinion]
    return {
        "title": _("专家论证意见"),
        "argumentation": argumentation,
        "matter": argumentation.matter,
        "generated_on": chinese_date(now or timezone.now()),
        "held_on": chinese_date(argumentation.held_on),
        "experts": experts,
        "heard": heard,
        "recused": [expert for expert in experts if expert.is_recused],
        "opinions": [
            {
                "number": chinese_numeral(position),
                "expert": expert,
                "headings": expert.headings(),
                "signed_on": chinese_date(expert.signed_on),
            }
            for position, expert in enumerate(heard, start=1)
        ],
    }


def argumentation_pdf(
    argumentation: Argumentation, *, now: datetime.datetime | None = None
) -> bytes:
    """The 专家论证意见 of a completed argumentation (two queries: it, its experts)."""
    with deferred_full_collections():
        argumentation = (
            Argumentation.objects.select_related("matter__department", "draft")
            .prefetch_related(Prefetch("experts", queryset=Expert.objects.order_by("pk")))
            .get(pk=argumentation.pk)
        )
        if argumentation.is_open:
            raise TransitionError(_("专家论证尚未完成，不能生成论证意见。"))
        return render_pdf(
            "solicitations/pdf/argumentation.html",
            argumentation_context(argumentation, now=now),
        )


def argumentation_filename(argumentation: Argumentation) -> str:
    return _("专家论证意见-%(pk)d.pdf") % {"pk": argumentation.pk}
