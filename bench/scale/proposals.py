"""The generator's suggestions and proposals (建议提案): one city year of items with their
authors, assignments (some returned and reassigned), contacts, replies, ratings and
evaluations, in the proportions of a year late in its course.

The year is the current one from July on, the previous one before (so the year's spring
assignments and summer replies have happened). Scale items are numbered ``S-00001``...
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from participation.models import Participant
from proposals.models import (
    Assignment,
    Author,
    Contact,
    Evaluation,
    Proposal,
    Rating,
    Reply,
)

from .rows import insert, insert_chunks
from .text import PLACES, PROPOSAL_NUMBER_PREFIX, TOPICS

Status = Proposal.Status
PROPOSAL_TABLES = [Proposal, Author, Assignment, Contact, Reply, Rating, Evaluation]
# How far the year's items have come (weights), once the office has registered them.
STATUS_WEIGHTS = {
    Status.REGISTERED: 1,
    Status.ASSIGNED: 2,
    Status.RETURNED: 1,
    Status.HANDLING: 9,
    Status.REPLIED: 10,
    Status.SECOND_ROUND: 2,
    Status.CLOSED: 75,
}
CLASS_WEIGHTS = {"A": 45, "B": 45, "C": 10}
SATISFACTION_WEIGHTS = {"satisfied": 70, "basically_satisfied": 26, "dissatisfied": 4}
RETURNED_SHARE = 0.06  # items first assigned to a department that returned them
LATE_SIGN_SHARE = 0.04
LATE_REPLY_SHARE = 0.07
EVALUATED_SHARE = 0.3  # of items replied
KEY_SHARE = 0.03
PUBLIC_SHARE = 0.9
SUGGESTION_FORMS = ("关于加强{place}{topic}的建议", "关于进一步做好{place}{topic}工作的建议")
PROPOSAL_FORMS = ("关于推进{place}{topic}高质量发展的提案", "关于完善{place}{topic}机制的提案")


@dataclass
class ItemInfo:
    id: int
    kind: str
    status: str
    department_id: int
    user_id: int
    assigned: dt.datetime | None
    due: dt.date | None
    round: int
    reply_class: str
    signed: dt.datetime | None = None
    satisfaction: str = ""
    verdict: str = ""
    authors: list[int] = field(default_factory=list)  # Author ids, the lead first


class ProposalRows:
    """Mixed into ``Generator``: each method writes one table and returns its row count."""

    def proposal_year(self) -> int:
        today = self.today()
        return today.year if today >= dt.date(today.year, 7, 1) else today.year - 1

    def proposals(self) -> int:
        rng = self.rng
        year = self.proposal_year()
        self.proposal_year_value = year
        statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        classes, class_weights = zip(*CLASS_WEIGHTS.items(), strict=True)
        satisfactions, satisfaction_weights = zip(*SATISFACTION_WEIGHTS.items(), strict=True)
        today = self.today()
        authors = defaultdict(list)
        for pk, category in Participant.objects.filter(
            category__in=(Participant.Category.NPC_DEPUTY, Participant.Category.CPPCC_MEMBER)
        ).values_list("pk", "category"):
            authors[category].append(pk)
        fallback = list(getattr(self, "participant_ids", [])) or list(
            Participant.objects.values_list("pk", flat=True)[:100]
        )
        self.author_pools = {
            Proposal.Kind.SUGGESTION: authors[Participant.Category.NPC_DEPUTY] or fallback,
            Proposal.Kind.PROPOSAL: authors[Participant.Category.CPPCC_MEMBER] or fallback,
        }
        self.proposal_infos: list[ItemInfo] = []
        self.returned_first: dict[int, int] = {}  # item -> the department that returned it
        office_user = self.user_of[self.department_ids[0]]
        rows = []
        for n in range(self.sizes["proposals"]):
            kind = Proposal.Kind.SUGGESTION if rng.random() < 0.4 else Proposal.Kind.PROPOSAL
            status = rng.choices(statuses, status_weights)[0]
            department_id = rng.choices(self.department_ids, cum_weights=self.department_weights)[0]
            topic, area = TOPICS[rng.randrange(len(TOPICS))]
            place = rng.choice(PLACES)
            forms = SUGGESTION_FORMS if kind == Proposal.Kind.SUGGESTION else PROPOSAL_FORMS
            title = rng.choice(forms).format(place=place, topic=topic)
            registered = self.moment(dt.date(year, 2, 1) + dt.timedelta(days=rng.randint(0, 20)))
            # Items in an early state were raised during the recess, later in the year.
            late_in_year = status in (Status.REGISTERED, Status.ASSIGNED, Status.RETURNED)
            if late_in_year:
                assigned_day = min(today, dt.date(year, 12, 31)) - dt.timedelta(rng.randint(1, 6))
                registered = self.moment(assigned_day - dt.timedelta(days=3))
            elif status == Status.HANDLING:
                assigned_day = dt.date(year, 3, 2) + dt.timedelta(days=rng.randint(0, 180))
            else:
                assigned_day = dt.date(year, 3, 2) + dt.timedelta(days=rng.randint(0, 40))
            has_lead = status not in (Status.REGISTERED, Status.RETURNED)
            assigned = self.moment(assigned_day) if status != Status.REGISTERED else None
            due = assigned_day + dt.timedelta(days=91) if has_lead else None
            signed = None
            if status not in (Status.REGISTERED, Status.ASSIGNED, Status.RETURNED):
                late = rng.random() < LATE_SIGN_SHARE
                days = rng.randint(10, 14) if late else rng.randint(1, 8)
                signed = self.moment(assigned_day + dt.timedelta(days=days))
            replied_statuses = (Status.REPLIED, Status.SECOND_ROUND, Status.CLOSED)
            reply_class = (
                rng.choices(classes, class_weights)[0] if status in replied_statuses else ""
            )
            satisfaction = ""
            round_ = 1
            if status == Status.SECOND_ROUND:
                round_, satisfaction = 2, "dissatisfied"
            elif status == Status.CLOSED:
                satisfaction = rng.choices(satisfactions, satisfaction_weights)[0]
                if satisfaction == "dissatisfied":
                    # Handled a second time, then rated again (basically satisfied).
                    round_, satisfaction = 2, "basically_satisfied"
            if status == Status.SECOND_ROUND:
                due = assigned_day + dt.timedelta(days=91 + 50)
            item_id = self.ids.take(Proposal)
            user_id = self.user_of[department_id]
            info = ItemInfo(
                item_id, kind, status, department_id, user_id, assigned, due, round_, reply_class,
                signed=signed, satisfaction=satisfaction,
            )  # fmt: skip
            self.proposal_infos.append(info)
            if status == Status.RETURNED or (assigned and rng.random() < RETURNED_SHARE):
                other = rng.choice(self.department_ids)
                if other != department_id or status == Status.RETURNED:
                    self.returned_first[item_id] = other
            is_key = rng.random() < KEY_SHARE
            verdict = ""
            if status in replied_statuses and rng.random() < EVALUATED_SHARE:
                verdict = rng.choices(
                    [v for v, _l in Proposal.Verdict.choices], (15, 25, 10, 45, 5)
                )[0]
            rows.append(
                {
                    "id": item_id,
                    "kind": kind,
                    "year": year,
                    "number": f"{PROPOSAL_NUMBER_PREFIX}{n + 1:05d}",
                    "session": "",
                    "source": Proposal.Source.SESSION,
                    "title": title,
                    "body": f"建议{place}进一步加强{topic}工作，加大投入，完善制度，回应群众关切。",
                    "policy_area_id": self.area_ids.get(area),
                    "is_public": rng.random() < PUBLIC_SHARE,
                    "is_key": is_key,
                    "leading_leader": "副市长" if is_key else "",
                    "status": status,
                    "lead_department_id": department_id if has_lead else None,
                    "assigned_at": assigned,
                    "sign_for_deadline": assigned_day + dt.timedelta(days=9) if has_lead else None,
                    "signed_at": signed,
                    "due_date": due,
                    "round": round_,
                    "further_rounds_allowed": 0,
                    "reply_class": reply_class,
                    "replied_at": None,  # set with the replies below
                    "satisfaction": satisfaction
                    if status != Status.SECOND_ROUND
                    else "dissatisfied",
                    "verdict": verdict,
                    "created_by_id": office_user,
                    "created_at": registered,
                    "updated_at": signed or assigned or registered,
                }
            )
            info.verdict = verdict
        self.proposal_rows = {row["id"]: row for row in rows}
        # Replies are decided here so the items can carry their reply time when written.
        self._plan_replies()
        return insert_chunks(Proposal, rows)

    def _plan_replies(self) -> None:
        rng = self.rng
        today = self.today()
        self.reply_plan: list[tuple[ItemInfo, int, dt.datetime, dt.date, bool]] = []
        for info in self.proposal_infos:
            if info.status not in (Status.REPLIED, Status.SECOND_ROUND, Status.CLOSED):
                continue
            first_due = info.assigned.date() + dt.timedelta(days=91)
            late = rng.random() < LATE_REPLY_SHARE
            sent_day = first_due + dt.timedelta(rng.randint(3, 20) if late else -rng.randint(1, 40))
            sent_day = min(sent_day, today - dt.timedelta(days=60))
            first_sent = self.moment(max(sent_day, info.assigned.date() + dt.timedelta(days=20)))
            self.reply_plan.append((info, 1, first_sent, first_due, first_sent.date() <= first_due))
            last = first_sent
            if info.round == 2 and info.status == Status.CLOSED:
                second_due = first_sent.date() + dt.timedelta(days=40)
                second_sent = self.moment(first_sent.date() + dt.timedelta(rng.randint(20, 35)))
                self.reply_plan.append((info, 2, second_sent, second_due, True))
                last = second_sent
            row = self.proposal_rows[info.id]
            row["replied_at"] = last
            row["updated_at"] = last

    def proposal_authors(self) -> int:
        rng = self.rng
        rows = []
        for info in self.proposal_infos:
            pool = self.author_pools[info.kind]
            if not pool:
                continue
            chosen = rng.sample(pool, min(len(pool), 1 + rng.choice((0, 0, 1, 1, 2, 3))))
            for position, participant_id in enumerate(chosen):
                author_id = self.ids.take(Author)
                info.authors.append(author_id)
                rows.append(
                    {
                        "id": author_id,
                        "proposal_id": info.id,
                        "participant_id": participant_id,
                        "role": Author.Role.LEAD if position == 0 else Author.Role.CO_SIGNER,
                        "position": position,
                    }
                )
        return insert_chunks(Author, rows)

    def proposal_assignments(self) -> int:
        rng = self.rng
        rows = []
        for info in self.proposal_infos:
            if info.assigned is None:
                continue
            assigned_day = info.assigned.date()
            returned_by = self.returned_first.get(info.id)
            if returned_by is not None:
                first = self.moment(assigned_day - dt.timedelta(days=6))
                rows.append(
                    {
                        "id": self.ids.take(Assignment),
                        "proposal_id": info.id,
                        "department_id": returned_by,
                        "co_departments": [],
                        "assigned_at": first,
                        "sign_for_deadline": first.date() + dt.timedelta(days=9),
                        "due_date": first.date() + dt.timedelta(days=91),
                        "assigned_by_id": self.proposal_rows[info.id]["created_by_id"],
                        "outcome": Assignment.Outcome.RETURNED,
                        "answered_at": first + dt.timedelta(days=rng.randint(1, 4)),
                        "answered_by_id": self.user_of[returned_by],
                        "return_reason": "该事项不属于本单位职责，建议调整交办。",
                        "on_time": True,
                    }
                )
            if info.status == Status.RETURNED:
                continue
            signed = info.signed
            deadline = assigned_day + dt.timedelta(days=9)
            rows.append(
                {
                    "id": self.ids.take(Assignment),
                    "proposal_id": info.id,
                    "department_id": info.department_id,
                    "co_departments": [],
                    "assigned_at": info.assigned,
                    "sign_for_deadline": deadline,
                    "due_date": assigned_day + dt.timedelta(days=91),
                    "assigned_by_id": self.proposal_rows[info.id]["created_by_id"],
                    "outcome": Assignment.Outcome.SIGNED if signed else Assignment.Outcome.PENDING,
                    "answered_at": signed,
                    "answered_by_id": info.user_id if signed else None,
                    "return_reason": "",
                    "on_time": (signed.date() <= deadline) if signed else None,
                }
            )
        return insert_chunks(Assignment, rows)

    def proposal_contacts(self) -> int:
        rng = self.rng
        handled = [info for info in self.proposal_infos if info.signed]
        if not handled:
            return 0
        methods = [value for value, _label in Contact.Method.choices]
        today = self.today()
        rows = []
        for n in range(self.sizes["proposal_contacts"]):
            # Every handled item has one; the rest fall on items at random.
            info = handled[n] if n < len(handled) else rng.choice(handled)
            start = info.signed.date()
            day = min(today, start + dt.timedelta(days=rng.randint(1, 60)))
            rows.append(
                {
                    "id": self.ids.take(Contact),
                    "proposal_id": info.id,
                    "round": 1 if info.round == 1 or rng.random() < 0.6 else 2,
                    "contacted_on": day,
                    "method": rng.choice(methods),
                    "note": "与提出人沟通办理思路，听取意见。",
                    "recorded_by_id": info.user_id,
                    "created_at": self.moment(day),
                }
            )
        return insert_chunks(Contact, rows)

    def proposal_replies(self) -> int:
        rng = self.rng
        rows = []
        self.sent_replies = []
        for info, round_, sent, due, on_time in self.reply_plan:
            reply_id = self.ids.take(Reply)
            self.sent_replies.append((info, reply_id, round_, sent))
            reply_class = info.reply_class if round_ == info.round else rng.choice("BC")
            rows.append(
                {
                    "id": reply_id,
                    "proposal_id": info.id,
                    "round": round_,
                    "document_number": f"青办复字〔{self.proposal_year_value}〕{reply_id}号",
                    "body": "经认真研究，现将办理情况答复如下。",
                    "reply_class": reply_class,
                    "contact_person": self.person(),
                    "contact_phone": f"0532-8{rng.randrange(10_000_000):07d}",
                    "copy_to": "市政府办公厅",
                    "status": Reply.Status.SENT,
                    "drafted_by_id": info.user_id,
                    "drafted_at": sent - dt.timedelta(days=3),
                    "signed_off_by_id": info.user_id,
                    "signed_off_at": sent - dt.timedelta(days=1),
                    "countersignatures": {},
                    "sent_at": sent,
                    "sent_by_id": info.user_id,
                    "due_date": due,
                    "on_time": on_time,
                    "delivered_to_authors_at": sent,
                    "delivered_to_body_at": sent + dt.timedelta(days=2),
                    "delivered_to_office_at": sent,
                }
            )
        return insert_chunks(Reply, rows)

    def proposal_ratings(self) -> int:
        rng = self.rng
        rows = []
        for info, reply_id, round_, sent in self.sent_replies:
            final = round_ == info.round
            if info.status == Status.REPLIED:
                result = ""
            elif final:
                result = info.satisfaction
            else:
                result = "dissatisfied"
            if info.status == Status.SECOND_ROUND:
                result = "dissatisfied"
            for position, author_id in enumerate(info.authors):
                mine = result if position == 0 or not result else rng.choice(
                    ("satisfied", "basically_satisfied", result)
                )  # fmt: skip
                rated = sent + dt.timedelta(days=rng.randint(3, 20)) if mine else None
                rows.append(
                    {
                        "id": self.ids.take(Rating),
                        "reply_id": reply_id,
                        "author_id": author_id,
                        "token_hash": None,
                        "expires_at": sent + dt.timedelta(days=30),
                        "result": mine,
                        "comment": "",
                        "wants_second_round": False,
                        "channel": rng.choice(("link", "link", "paper")) if mine else "",
                        "rated_at": rated,
                        "recorded_by_id": None,
                        "sent_at": sent,
                    }
                )
        return insert_chunks(Rating, rows)

    def proposal_evaluations(self) -> int:
        rows = []
        for info in self.proposal_infos:
            verdict = info.verdict
            if not verdict:
                continue
            day = dt.date(self.proposal_year_value, 11, 15)
            rows.append(
                {
                    "id": self.ids.take(Evaluation),
                    "proposal_id": info.id,
                    "verdict": verdict,
                    "panel": "第三方评估机构",
                    "evaluated_on": min(day, self.today()),
                    "note": "",
                    "recorded_by_id": self.proposal_rows[info.id]["created_by_id"],
                    "recorded_at": self.now,
                }
            )
        return insert(Evaluation, rows)
