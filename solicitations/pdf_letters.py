"""A letter of solicitation (征求意见函) as a document in the portal's official style
(``core.pdf.render_pdf``): the sending department, the reference number, the main and
copy addressees, the body, the deadline (and whether silence counts as no opinion), the
contact and the draft consulted on. A sent letter also lists who answered how."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import chinese_date, deferred_full_collections, render_pdf

from .models import Addressee, Solicitation


def letter_context(solicitation: Solicitation, *, now: datetime.datetime | None = None) -> dict:
    addressees = list(solicitation.addressees.all())
    return {
        "title": _("征求意见函"),
        "solicitation": solicitation,
        "matter": solicitation.matter,
        "main": [a for a in addressees if a.role == Addressee.Role.MAIN],
        "copies": [a for a in addressees if a.role == Addressee.Role.COPY],
        "is_sent": solicitation.status != Solicitation.Status.DRAFT,
        "deadline": chinese_date(solicitation.deadline),
        "dated": chinese_date(solicitation.sent_at or now or timezone.now()),
        "generated_on": chinese_date(now or timezone.now()),
    }


def letter_pdf(solicitation: Solicitation, *, now: datetime.datetime | None = None) -> bytes:
    with deferred_full_collections():
        solicitation = (
            Solicitation.objects.select_related("matter__department", "draft")
            .prefetch_related(
                Prefetch("addressees", queryset=Addressee.objects.order_by("-role", "pk"))
            )
            .get(pk=solicitation.pk)
        )
        return render_pdf("solicitations/pdf/letter.html", letter_context(solicitation, now=now))


def letter_filename(solicitation: Solicitation) -> str:
    return _("征求意见函-%(pk)d.pdf") % {"pk": solicitation.pk}
