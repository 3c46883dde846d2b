"""Public items for the tests of what the public and API clients see (pages, API, search,
open data, sitemap), built through the services, with contact data that occurs nowhere
else, so a test can assert it never reaches a public answer."""

import datetime
from zoneinfo import ZoneInfo

from proposals import services
from proposals.models import Rating
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_participant,
    make_proposal,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Personal data that must never reach the public: the authors' phones, e-mails and
# affiliations, the reply's contact phone, a rating's comment.
AUTHOR_PHONE = "13987650001"
AUTHOR_EMAIL = "lead.deputy.private@example.cn"
CO_SIGNER_PHONE = "13987650002"
CO_SIGNER_EMAIL = "co.signer.private@example.cn"
AUTHOR_AFFILIATION = "甲区幸福街道七号私宅"
REPLY_PHONE = "0532-86660001"
RATING_COMMENT = "测评人私下补充的不满意理由甲乙丙"
PRIVATE_STRINGS = (
    AUTHOR_PHONE,
    AUTHOR_EMAIL,
    CO_SIGNER_PHONE,
    CO_SIGNER_EMAIL,
    AUTHOR_AFFILIATION,
    REPLY_PHONE,
    RATING_COMMENT,
)
LEAD_AUTHOR_NAME = "王建国"
CO_SIGNER_NAME = "李秀英"
REPLY_CONTACT = "张联络"


def at(month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


class Desk:
    """The general office and one department (staff and leader) that handles items."""

    def __init__(self, department=None, *, office=None, staff=None, leader=None):
        self.office = office or ReviewerFactory()
        self.department = department or DepartmentFactory(
            name="青岛市民政局", code="mzj", short_name="市民政局"
        )
        self.staff = staff or StaffFactory(department=self.department)
        self.leader = leader or LeaderFactory(department=self.department)

    def registered(self, *, kind="suggestion", private_authors=False, **fields):
        authors = None
        if private_authors:
            category = "npc_deputy" if kind == "suggestion" else "cppcc_member"
            authors = [
                make_participant(
                    name=LEAD_AUTHOR_NAME,
                    category=category,
                    affiliation=AUTHOR_AFFILIATION,
                    phone=AUTHOR_PHONE,
                    email=AUTHOR_EMAIL,
                ),
                make_participant(
                    name=CO_SIGNER_NAME,
                    category=category,
                    affiliation=AUTHOR_AFFILIATION,
                    phone=CO_SIGNER_PHONE,
                    email=CO_SIGNER_EMAIL,
                ),
            ]
        return make_proposal(by=self.office, kind=kind, authors=authors, **fields)

    def assigned(self, *, co=(), **fields):
        proposal = self.registered(**fields)
        services.proposal_assign(
            proposal, by=self.office, department=self.department, co_departments=co, now=at(3, 2)
        )
        proposal.refresh_from_db()
        return proposal

    def handling(self, **fields):
        proposal = self.assigned(**fields)
        services.proposal_sign_for(proposal, by=self.staff, now=at(3, 3))
        proposal.refresh_from_db()
        return proposal

    def reply(self, proposal, *, reply_class="A", round_=1, now=None, **overrides):
        now = now or at(5, 6)
        services.contact_record(
            proposal,
            by=self.staff,
            contacted_on=(now - datetime.timedelta(days=10)).date(),
            method="phone",
            note="电话沟通，听取代表意见",
            now=now - datetime.timedelta(days=10),
        )
        values = {
            "document_number": f"青民建字〔2026〕{proposal.pk * 10 + round_}号",
            "body": "您提出的建议收悉。经研究，已将增设社区养老服务站点列入年度计划。",
            "reply_class": reply_class,
            "contact_person": REPLY_CONTACT,
            "contact_phone": REPLY_PHONE,
            "copy_to": "市人大常委会代表工作委员会",
            "now": now - datetime.timedelta(days=2),
        }
        values.update(overrides)
        reply = services.reply_save(proposal, by=self.staff, **values)
        services.reply_sign_off(reply, by=self.leader, now=now - datetime.timedelta(days=1))
        for co in proposal.co_departments.select_related("department"):
            services.reply_countersign(
                reply,
                by=LeaderFactory(department=co.department),
                department=co.department,
                now=now - datetime.timedelta(days=1),
            )
        services.reply_send(reply, by=self.staff, now=now)
        proposal.refresh_from_db()
        reply.refresh_from_db()
        return reply

    def replied(self, *, reply_class="A", now=None, reply_fields=None, **fields):
        proposal = self.handling(**fields)
        self.reply(proposal, reply_class=reply_class, now=now, **(reply_fields or {}))
        proposal.refresh_from_db()
        return proposal

    def second_round_replied(self, **fields):
        """Replied (C), rated 不满意 with a comment on paper, replied again (B)."""
        proposal = self.replied(reply_class="C", **fields)
        lead_rating = Rating.objects.get(reply__proposal=proposal, author__role="lead")
        services.rating_record_paper(
            lead_rating,
            by=self.office,
            result="dissatisfied",
            comment=RATING_COMMENT,
            now=at(5, 20),
        )
        proposal.refresh_from_db()
        self.reply(proposal, reply_class="B", round_=2, now=at(6, 15))
        proposal.refresh_from_db()
        return proposal
