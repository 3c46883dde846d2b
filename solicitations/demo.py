"""Demo expert argumentations (专家论证) and letters of solicitation (书面征求意见), for the
demo matters whose procedure needs them.

``matters.demo`` builds each matter in its own time and, when it comes to the 专家论证
step, calls ``argue`` (``seed_demo`` passes it): a panel of four experts from the
registry's 专家 category, one of whom declares a conflict of interest and withdraws; the
other three give signed opinions under the five headings; the argumentation is completed
with the panel's summary and conclusion, which puts the step on the matter's record on the
argumentation's day. Everything goes through ``solicitations.services`` and
``participation.services``; the demo experts are added to the registry when missing.

When it comes to 书面征求意见 (or 征求党外人士意见), it calls ``solicit`` (or
``solicit_non_party``): the department opens the comment round on its published comment
draft and sends a letter in it, due on the step's day, to departments and district
governments and to people and organisations of the registry — democratic parties and the
federation of industry and commerce where the matter is in the catalog of matters on which
non-party opinions are sought. The bodies' staff draft their answers and their leaders sign
them, a person answers by their link, an organisation on paper; one district does not
answer and is deemed to have no opinion when the letter closes the night after its deadline
day, which puts the steps on the matter's record. Where the round is long over, its
opinions are disposed of and its feedback report published. The matter whose comment round
``participation.demo`` opens itself gets its letters in that round, from
``seed_solicitations``: one closed, one still running.

The matters are built once, so running the demo again changes nothing here either.
"""

import datetime
import zlib

from django.db import transaction
from django.utils import timezone

from accounts.demo import USERS
from accounts.models import Department, User
from accounts.roles import Role
from core.dates import SHANGHAI, day_end, shown_date
from matters.models import Matter, ProcedureStep
from participation.demo import ELDERLY_CARE, ORGANISATIONS, PARTICIPANTS
from participation.models import CommentPeriod, Opinion, Participant
from participation.services import comments, feedback, participants

from . import services
from .models import Addressee, Argumentation, Conclusion, Expert, Solicitation
from .services import letters

P = Participant.Category
D = Opinion.Disposition

# name, affiliation, expertise — the first two are also in ``participation.demo``'s registry.
EXPERTS = (
    ("张立新", "中国海洋大学法学院", "行政法"),
    ("赵敏", "青岛市老年医学研究所", "老年医学"),
    ("刘思远", "青岛大学经济学院", "区域经济与公共财政"),
    ("陈静", "青岛理工大学建筑与城乡规划学院", "城市规划"),
    ("孙海涛", "山东社会科学院青岛分院", "社会治理与风险评估"),
)
# The panel: seats in EXPERTS, the last of them declaring a conflict of interest.
PANEL = (0, 2, 3, 4)
RECUSED = 4
CONFLICT_NOTE = "本人所在单位承担了该事项前期研究课题，与论证事项存在利害关系，申请回避。"

OPINIONS = {
    0: (
        "{title}涉及群众切身利益，现行规定已不适应实际需要，出台是必要的。",
        "与上位法不抵触；建议在草案中写明听证和公开征求意见的法定依据，"
        "对涉及减损权利的条款逐条说明理由。",
        "主要制度设计可以落地，审批和备案环节仍可进一步简化。",
        "有利于规范管理、稳定社会预期，预计社会效益明显。",
        "需明确牵头部门与配合部门的职责分工，设置不少于三十日的过渡期。",
        Conclusion.AGREE_AFTER_CHANGES,
    ),
    2: (
        "{title}回应了各方长期反映的问题，有必要尽快推进。",
        "程序合法，依据充分。",
        "财政承受能力经测算可以支撑，建议分年度安排资金并与中期财政规划衔接。",
        "直接惠及面较广，对带动相关产业和就业有积极作用，成本收益比较合理。",
        "建议建立实施情况年度评估制度，评估结果向社会公开。",
        Conclusion.AGREE,
    ),
    3: (
        "{title}与城市总体规划和专项规划方向一致，是必要的。",
        "未发现与现行法律法规相冲突的内容。",
        "空间布局和建设时序基本可行，部分片区用地条件需进一步核实。",
        "有利于改善人居环境，需关注对周边居民出行的短期影响。",
        "建议与规划、住建、交通等部门建立联席会商机制，确保按期实施。",
        Conclusion.AGREE_AFTER_CHANGES,
    ),
}

SUMMARY = (
    "专家组听取了起草部门的情况说明，审阅了相关材料。经论证，专家组认为：{title}"
    "制定必要，与上位法不抵触，主要制度设计总体可行，社会效益明显。"
    "建议起草部门进一步写明听证和征求意见的法定依据，明确部门职责分工和过渡期安排，"
    "并建立实施情况评估制度。专家组同意修改完善后按程序报审。"
)


def _on(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def demo_experts(by: User) -> list[Participant]:
    """The demo's registry experts, added through the registry's service when missing; one
    also in ``participation.demo``'s registry gets the contact details it has there."""
    contacts = {
        (name, affiliation): {"email": email, "phone": "0532-8888" + f"{position:04d}"}
        for position, (name, _category, affiliation, _expertise, email) in enumerate(PARTICIPANTS)
    }
    people = []
    for name, affiliation, expertise in EXPERTS:
        existing = Participant.objects.filter(name=name, affiliation=affiliation).first()
        people.append(
            existing
            or participants.participant_create(
                by=by,
                name=name,
                category=P.EXPERT,
                affiliation=affiliation,
                expertise=expertise,
                **contacts.get((name, affiliation), {}),
            )
        )
    return people


def argue(
    *, matter: Matter, by: User, occurred_on: datetime.date, now: datetime.datetime
) -> ProcedureStep:
    """A completed argumentation held on ``occurred_on``; returns the step it recorded."""
    organised = min(_on(occurred_on, 9), now)
    experts = demo_experts(by)
    named = matter.title if matter.title.startswith("《") else f"《{matter.title}》"
    title = f"{named}专家论证"
    argumentation = services.argumentation_create(
        matter=matter,
        by=by,
        title=title,
        form=Argumentation.Form.MEETING,
        held_on=occurred_on,
        draft=matter.drafts.order_by("-number").first(),
        now=organised,
    )
    for seat in PANEL:
        expert = services.expert_choose(
            argumentation=argumentation, by=by, participant=experts[seat]
        )
        recused = seat == RECUSED
        services.expert_declare(
            expert=expert,
            by=by,
            conflict=recused,
            note=CONFLICT_NOTE if recused else "",
            now=organised,
        )
        if recused:
            continue
        *headings, conclusion = OPINIONS[seat]
        necessity, legality, feasibility, benefits, conditions = (
            text.format(title=named) for text in headings
        )
        services.opinion_enter(
            expert=expert,
            by=by,
            opinion=services.Opinion(
                necessity=necessity,
                legality=legality,
                feasibility=feasibility,
                benefits=benefits,
                conditions=conditions,
                conclusion=conclusion,
                signed_on=occurred_on,
            ),
            now=now,
        )
    argumentation = services.argumentation_complete(
        argumentation=argumentation,
        by=by,
        summary=SUMMARY.format(title=named),
        conclusion=Conclusion.AGREE_AFTER_CHANGES,
        now=now,
    )
    return argumentation.step


def seed_argumentations() -> dict[str, int]:
    """What the demo holds (the argumentations are made with the matters, by ``argue``)."""
    completed = Argumentation.objects.filter(status=Argumentation.Status.COMPLETED)
    return {
        "argumentations": completed.count(),
        "experts": Expert.objects.filter(argumentation__in=completed).count(),
    }


# --- letters of solicitation (书面征求意见) ---------------------------------------------

# Comment rounds ``participation.demo`` opens itself, with public opinions, after the
# matters are built (it leaves a matter that has a round alone): their letters are sent in
# that round by ``seed_solicitations``.
ROUNDS_OF_THEIR_OWN = frozenset({ELDERLY_CARE})

WEEKS_2 = datetime.timedelta(days=14)

# Districts without demo accounts: one of them is addressed and does not answer.
SILENT_DISTRICTS = ("laoshan", "licang", "chengyang", "huangdao")

# What the answering bodies write back, in turn: opinions (article, content), or none.
BODY_ANSWERS = (
    (
        ("第五条", "建议明确区（市）人民政府、街道办事处和有关部门的职责分工，避免多头管理。"),
        ("第十八条", "建议对施行前已经存在的情形设置过渡期，给予相关主体不少于六个月的准备时间。"),
    ),
    (("", "建议同步制定配套的实施细则和办事指南，施行前组织开展政策解读。"),),
    (),
)

# Registry entries addressed, by name: (name, how they answer, what they write back).
PEOPLE = (
    (
        "孙浩",
        Addressee.Via.LINK,
        (("第二十六条", "法律责任条款的罚款幅度应与上位法一致，建议逐条核对。"),),
    ),
    ("青岛市妇女联合会", Addressee.Via.PAPER, ()),
)
NON_PARTY_PEOPLE = (
    (
        "民建青岛市委",
        Addressee.Via.LINK,
        (
            (
                "",
                "建议增加听取民营企业、行业协会和基层群众意见的制度安排，并明确意见采纳情况的反馈方式。",
            ),
        ),
    ),
    (
        "青岛市工商业联合会",
        Addressee.Via.PAPER,
        (("", "建议对小微企业和个体工商户设置合理的过渡期和帮扶措施。"),),
    ),
)

LETTER_BODY = (
    "各有关单位：\n\n"
    "为做好{named}的起草工作，坚持开门立法、民主决策，广泛听取各方面意见，现将{draft}"
    "送上，请结合工作实际研究提出意见，并于{deadline}前通过政府协商工作平台反馈，"
    "也可书面回函。逾期未反馈的，视为无意见。\n\n"
    "{department}"
)
REPORT = (
    "本次征求意见期间，书面征求了市有关部门、区（市）政府和有关方面的意见，收到书面意见{n}条，"
    "经逐条研究，采纳{adopted}条，部分采纳{partly}条，部分采纳的已说明理由。"
)
PARTLY = "已在修改稿中作出原则性规定，具体内容将在配套实施细则中予以明确。"


def _answering_bodies() -> list[tuple[str, str, str]]:
    """(department code, its demo staff, its demo leader) of the bodies with both."""
    staff: dict[str, str] = {}
    leaders: dict[str, str] = {}
    for username, _full_name, code, roles, _superuser in USERS:
        if code and Role.DEPARTMENT_STAFF in roles:
            staff.setdefault(code, username)
        if code and Role.DEPARTMENT_LEADER in roles:
            leaders.setdefault(code, username)
    return [(code, staff[code], leaders[code]) for code in staff if code in leaders]


def _registry(by: User, names: list[str]) -> dict[str, Participant]:
    """The named entries of ``participation.demo``'s registry, added as it adds them when
    they are missing (it runs after the matters are built)."""
    found = {}
    for position, (name, category, affiliation, expertise, email) in enumerate(PARTICIPANTS):
        if name not in names:
            continue
        found[name] = Participant.objects.filter(
            name=name, affiliation=affiliation
        ).first() or participants.participant_create(
            by=by,
            name=name,
            category=category,
            affiliation=affiliation,
            expertise=expertise,
            email=email,
            phone="0532-8888" + f"{position:04d}",
            is_organisation=category in ORGANISATIONS,
        )
    return found


def _named(matter: Matter) -> str:
    return matter.title if matter.title.startswith("《") else f"《{matter.title}》"


def _since(matter: Matter) -> datetime.datetime:
    """When the matter's last recorded work was done: the letter goes out after it."""
    times = [matter.created_at, matter.stage_entered_at, matter.published_at]
    times += matter.steps.values_list("created_at", flat=True)
    times += matter.drafts.exclude(published_at=None).values_list("published_at", flat=True)
    return max(t for t in times if t is not None)


def _period(matter: Matter, by: User, *, opens: datetime.datetime) -> CommentPeriod:
    """The round the letter belongs to: the matter's latest, or one opened on its comment
    draft for the statutory period."""
    period = CommentPeriod.objects.filter(matter=matter).order_by("-starts_at").first()
    if period is not None and not period.report_published_at:
        return period
    draft = matter.drafts.filter(is_published=True).order_by("-number").first()
    return comments.comment_period_open(
        matter=matter,
        by=by,
        title=f"{draft.title if draft else _named(matter)}公开征求意见",
        description="欢迎社会各界对草案提出意见建议；同时书面征求市有关部门和有关方面意见。",
        draft=draft,
        starts_at=opens,
        ends_at=opens + comments.minimum_period(),
        now=opens,
    )


def _spread(start: datetime.datetime, end: datetime.datetime, count: int) -> list:
    """``count`` moments evenly after ``start`` and before ``end``, in office hours where the
    days between allow it."""
    moments = []
    for i in range(count):
        at = start + (end - start) * (i + 1) / (count + 1)
        office = _on(timezone.localdate(at), 9 + (2 * i) % 8)
        moments.append(office if start < office < end else at)
    return moments


def _letter(
    matter: Matter,
    by: User,
    *,
    period: CommentPeriod,
    sent: datetime.datetime,
    deadline: datetime.date,
    bodies: int,
    people: tuple,
    silent: bool,
    answered_until: datetime.datetime | None = None,
    turn: int = 0,
) -> Solicitation:
    """A letter sent at ``sent``, due on ``deadline``, to ``bodies`` answering bodies (one
    more that stays silent when ``silent``) and to ``people``; each answers in turn, until
    ``answered_until`` when given (a letter still running), else before the deadline."""
    bodies_all = [b for b in _answering_bodies() if b[0] != matter.department.code]
    turn = (zlib.crc32(matter.title.encode()) + turn) % len(bodies_all)
    chosen = (bodies_all[turn:] + bodies_all[:turn])[:bodies]
    users = {
        u.username: u for u in User.objects.filter(username__in=[n for b in chosen for n in b[1:]])
    }
    departments = {d.code: d for d in Department.objects.filter(code__in=[b[0] for b in chosen])}
    quiet = None
    if silent:
        districts = list(
            Department.objects.filter(code__in=SILENT_DISTRICTS, is_active=True)
            .exclude(pk=matter.department_id)
            .order_by("sort_order")
        )
        quiet = districts[(zlib.crc32(matter.title.encode()) + turn) % len(districts)]
    registry = _registry(by, [name for name, _via, _items in people])
    draft = period.draft
    solicitation = letters.solicitation_create(
        matter=matter,
        period=period,
        by=by,
        letter=letters.Letter(
            title=f"关于征求{_named(matter)}意见的函",
            reference_number=f"{matter.department.short_name}函〔{sent.year}〕"
            f"{10 + zlib.crc32(matter.title.encode()) % 80}号",
            body=LETTER_BODY.format(
                named=_named(matter),
                draft=f"《{draft.title.strip('《》')}》" if draft else "有关材料",
                deadline=shown_date(deadline),
                department=matter.department.name,
            ),
            deadline=deadline,
            contact_name=by.display_name,
            contact_phone="0532-8591" + f"{zlib.crc32(by.username.encode()) % 10000:04d}",
            deemed_no_opinion=True,
        ),
        now=sent,
    )
    letters.addressees_add(
        solicitation=solicitation,
        by=by,
        departments=[departments[code] for code, _staff, _leader in chosen]
        + ([quiet] if quiet else []),
        participants=list(registry.values()),
    )
    solicitation = letters.solicitation_send(
        solicitation=solicitation, by=by, now=sent + datetime.timedelta(minutes=20)
    )
    addressees = {a.department_id or -a.participant_id: a for a in solicitation.addressees.all()}
    end = answered_until or day_end(deadline) - datetime.timedelta(hours=6)
    answers = [("body", chosen_body, n) for n, chosen_body in enumerate(chosen)] + [
        ("person", person, n) for n, person in enumerate(people)
    ]
    if answered_until is not None:  # a letter still running: some have not answered yet
        answers = answers[::2]
    for (kind, what, n), at in zip(
        answers, _spread(sent + datetime.timedelta(hours=1), end, len(answers)), strict=True
    ):
        if kind == "body":
            code, staff, leader = what
            addressee = addressees[departments[code].pk]
            items = BODY_ANSWERS[n % len(BODY_ANSWERS)]
            letters.body_answer_prepare(
                addressee=addressee,
                by=users[staff],
                answer=_answer(items),
                now=at,
            )
            letters.body_answer_sign(
                addressee=addressee, by=users[leader], now=at + datetime.timedelta(hours=2)
            )
            continue
        name, via, items = what
        addressee = addressees[-registry[name].pk]
        if via == Addressee.Via.LINK:
            letters.link_answer(
                addressee=addressee, answer=_answer(items), signer_name=name, now=at
            )
        else:
            letters.paper_answer_enter(
                addressee=addressee,
                by=by,
                answer=_answer(items),
                received_on=timezone.localdate(at),
                signer_name=name,
                now=at,
            )
    return Solicitation.objects.get(pk=solicitation.pk)


def _answer(items) -> letters.Answer:
    if items:
        return letters.Answer(answer=Addressee.Answer.OPINIONS, items=list(items))
    return letters.Answer(answer=Addressee.Answer.NONE, items=[])


def _closed(solicitation: Solicitation, by: User, *, limit: datetime.datetime) -> Solicitation:
    """Closed the night after its deadline day (the periodic task); where the round is
    over by then, its opinions disposed of and its report published a few days later."""
    closes = day_end(solicitation.deadline) + datetime.timedelta(hours=1)
    if closes > limit:
        raise ValueError(f"{solicitation}: the deadline {solicitation.deadline} is not over yet")
    letters.solicitation_close_due(solicitation=solicitation, now=closes)
    period = solicitation.period
    published = period.ends_at + datetime.timedelta(days=5)
    if published <= limit and not period.report_published_at:
        opinions = list(Opinion.objects.filter(period=period).order_by("pk"))
        for n, opinion in enumerate(opinions):
            comments.opinions_dispose(
                period=period,
                by=by,
                opinion_ids=[opinion.pk],
                disposition=Opinion.Disposition.ADOPTED if n % 2 == 0 else D.PARTLY_ADOPTED,
                response="" if n % 2 == 0 else PARTLY,
                now=period.ends_at + datetime.timedelta(days=2),
            )
        feedback.feedback_publish(
            period=period,
            by=by,
            summary=REPORT.format(
                n=len(opinions),
                adopted=(len(opinions) + 1) // 2,
                partly=len(opinions) // 2,
            ),
            now=published,
        )
    return Solicitation.objects.get(pk=solicitation.pk)


def _limit() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@transaction.atomic
def solicit(
    *, matter: Matter, by: User, occurred_on: datetime.date, now: datetime.datetime
) -> ProcedureStep | None:
    """A letter due on ``occurred_on``, closed after it; returns the 书面征求意见 step it
    recorded (None for a matter whose round ``participation.demo`` opens)."""
    if matter.title in ROUNDS_OF_THEIR_OWN:
        return None
    if not matter.is_published:
        raise ValueError(f"{matter}: a letter belongs to a comment round, publish the matter first")
    # Sent two weeks before the step's day, after the comment draft was published, and due
    # on that day (or the day after it was sent, at the earliest).
    sent = max(_since(matter) + datetime.timedelta(minutes=30), _on(occurred_on - WEEKS_2, 10))
    deadline = max(occurred_on, timezone.localdate(sent) + datetime.timedelta(days=1))
    solicitation = _letter(
        matter,
        by,
        period=_period(matter, by, opens=sent),
        sent=sent,
        deadline=deadline,
        bodies=3,
        people=PEOPLE + (NON_PARTY_PEOPLE if matter.seeks_non_party_opinions else ()),
        silent=True,
    )
    return _closed(solicitation, by, limit=_limit()).step


@transaction.atomic
def solicit_non_party(
    *, matter: Matter, by: User, occurred_on: datetime.date, now: datetime.datetime
) -> ProcedureStep | None:
    """The 征求党外人士意见 step: from an earlier letter of the matter answered by a
    democratic party, or a letter to them due on ``occurred_on``."""
    earlier = Solicitation.objects.filter(matter=matter, non_party_step__isnull=False).first()
    if earlier is not None:
        return earlier.non_party_step
    if not matter.is_published:
        raise ValueError(f"{matter}: a letter belongs to a comment round, publish the matter first")
    sent = max(_since(matter) + datetime.timedelta(minutes=30), _on(occurred_on - WEEKS_2, 10))
    solicitation = _letter(
        matter,
        by,
        period=_period(matter, by, opens=sent),
        sent=sent,
        deadline=max(occurred_on, timezone.localdate(sent) + datetime.timedelta(days=1)),
        bodies=0,
        people=NON_PARTY_PEOPLE,
        silent=False,
    )
    return _closed(solicitation, by, limit=_limit()).non_party_step


@transaction.atomic
def seed_solicitations(users: dict[str, User]) -> dict[str, int]:
    """The letters in the round ``participation.demo`` opens on the elderly-care draft: one
    to departments, a district, a democratic party and the federation of industry and
    commerce, closed last week; one to other bodies, still running, half of them answered.
    Then what the demo holds."""
    staff = users.get("mzj_liuyang")
    elderly = Matter.objects.filter(title=ELDERLY_CARE, is_published=True).first()
    period = (
        CommentPeriod.objects.filter(matter=elderly).order_by("starts_at").first()
        if elderly
        else None
    )
    if staff and period and not Solicitation.objects.filter(matter=elderly).exists():
        sent = period.starts_at + datetime.timedelta(hours=1)
        closed = _letter(
            elderly,
            staff,
            period=period,
            sent=sent,
            deadline=timezone.localdate(sent) + datetime.timedelta(days=6),
            bodies=3,
            people=PEOPLE + NON_PARTY_PEOPLE,
            silent=True,
        )
        _closed(closed, staff, limit=_limit())
        running = _on(timezone.localdate() - datetime.timedelta(days=3), 10)
        _letter(
            elderly,
            staff,
            period=period,
            sent=running,
            deadline=timezone.localdate(running) + datetime.timedelta(days=10),
            bodies=2,
            people=(),
            silent=True,
            answered_until=timezone.localtime() - datetime.timedelta(hours=2),
            turn=3,
        )
    closed = Solicitation.objects.filter(status=Solicitation.Status.CLOSED)
    return {
        "solicitations": Solicitation.objects.count(),
        "closed": closed.count(),
        "answered": Addressee.objects.filter(
            solicitation__in=closed, status=Addressee.Status.ANSWERED
        ).count(),
    }
