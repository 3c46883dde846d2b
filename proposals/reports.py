"""The reply letter (答复函) as a PDF, in the style of the portal's other official
documents (static/pdf/official.css, rendered by ``core.pdf.render_pdf``).

The letter names the lead author as the addressee (主送) and never carries any author's
phone number or e-mail address: it goes to the public with public items."""

import datetime

from django.utils.translation import gettext as _

from core.pdf import chinese_date, render_pdf

from .models import Author, Proposal, Reply


def addressee(author: Author | None) -> str:
    """王某某代表 / 李某某委员 / 民盟青岛市委 (a body that raised a proposal)."""
    if author is None:
        return ""
    participant = author.participant
    category = participant.category
    if category == "npc_deputy":
        return _("%(name)s代表") % {"name": participant.name}
    if category == "cppcc_member":
        return _("%(name)s委员") % {"name": participant.name}
    return participant.name


def letter_title(proposal: Proposal) -> str:
    """关于市十七届人大五次会议第0123号建议的答复."""
    kind = _("建议") if proposal.kind == Proposal.Kind.SUGGESTION else _("提案")
    if proposal.session:
        return _("关于%(session)s第%(number)s号%(kind)s的答复") % {
            "session": proposal.session,
            "number": proposal.number,
            "kind": kind,
        }
    return _("关于%(reference)s的答复") % {"reference": proposal.reference}


def reply_context(reply: Reply, *, now: datetime.datetime | None = None) -> dict:
    proposal = reply.proposal
    authors = list(proposal.authors.select_related("participant"))
    lead = next((author for author in authors if author.role == Author.Role.LEAD), None)
    dated = reply.sent_at or reply.signed_off_at or now or reply.drafted_at
    return {
        "title": letter_title(proposal),
        "reply": reply,
        "proposal": proposal,
        "addressee": addressee(lead),
        "co_signers": [author.participant.name for author in authors if author is not lead],
        "paragraphs": [line.strip() for line in reply.body.splitlines() if line.strip()],
        "class_code": reply.reply_class,
        "class_label": reply.reply_class_label,
        "signed_off_by": reply.signed_off_by.display_name if reply.signed_off_by else "",
        "department": proposal.lead_department.name if proposal.lead_department else "",
        "dated": chinese_date(dated),
        "is_draft": reply.status != Reply.Status.SENT,
        "status": reply.get_status_display(),
    }


def reply_pdf(reply: Reply, *, now: datetime.datetime | None = None) -> bytes:
    """The letter of one round; a letter not yet sent is marked as a draft."""
    reply = Reply.objects.select_related("proposal__lead_department", "signed_off_by").get(
        pk=reply.pk
    )
    return render_pdf("proposals/pdf/reply.html", reply_context(reply, now=now))


def reply_filename(reply: Reply) -> str:
    return _("%(reference)s答复函.pdf") % {"reference": reply.proposal.reference}
