"""Demo consultation matters: Qingdao's kind of work, run through the real services.

Every matter is created, stepped, advanced and published by the services, acting as the
department's demo staff member, so the ledger, the timeline and the stage rules look as
they will in use. Safe to run again: a matter is looked up by title and department and
left alone when it exists, so steps, drafts and ledger rows are never written twice.
"""

import datetime
import zlib
from collections.abc import Callable, Mapping
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, USERS
from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_create
from core.dates import SHANGHAI
from core.pdf import render_pdf

from .. import services
from ..models import Document, Matter, PolicyArea
from ..procedures import EVIDENCED_STEPS, Kind, StepType, missing_requirements, procedure_for
from .data import (
    CONSULT_DRAFT,
    MATTERS,
    REVIEW_DRAFT,
    REVIEWER,
    STAFF_NAMES,
    STEP_SUMMARIES,
    Spec,
    Work,
)

S = StepType
StepSource = Callable[..., object]
# Steps whose evidence is a letter of solicitation: a letter belongs to one of the matter's
# comment rounds, which only a public matter has. A matter the demo publishes goes public
# before the first of them instead of at the end.
PUBLIC_BEFORE = frozenset({S.WRITTEN_SOLICITATION, S.NON_PARTY_CONSULTATION})


def _steps(*steps: StepType) -> list[Work]:
    return [("step", step) for step in steps]


def _stage_work(spec: Spec, stage: str) -> list[Work]:
    forms = _steps(*spec.forms)
    if spec.kind == Kind.LEGISLATIVE:
        work = {
            "project_approval": _steps(S.PROPOSAL_CALL),
            # The comment draft goes out in writing (a letter of solicitation) once it is
            # written, and is published in full.
            "drafting": [
                *_steps(S.LEGISLATIVE_RESEARCH, S.SYMPOSIUM),
                CONSULT_DRAFT,
                *_steps(S.WRITTEN_SOLICITATION, S.DRAFT_PUBLICATION),
                *forms,
            ],
            "review": [*_steps(S.ARGUMENTATION_MEETING), REVIEW_DRAFT],
            "decision": _steps(S.ATTENDANCE),
            "promulgation": _steps(S.RESULT_FEEDBACK),
        }
    elif spec.kind == Kind.DECISION:
        work = {
            "public_participation": [CONSULT_DRAFT, *_steps(S.PUBLIC_PARTICIPATION), *forms],
            "expert_argumentation": _steps(S.EXPERT_ARGUMENTATION),
            "risk_assessment": _steps(S.RISK_ASSESSMENT),
            "legality_review": [*_steps(S.LEGALITY_REVIEW), REVIEW_DRAFT],
            "collective_decision": _steps(S.COLLECTIVE_DECISION),
            "implementation": _steps(S.RESULT_FEEDBACK),
        }
    elif spec.kind == Kind.KEY_MATTER:
        work = {
            "topic_selection": _steps(S.DEPUTIES_OPINIONS),
            "consultation": forms or _steps(S.STAKEHOLDER_CONSULTATION),
            "results_use": _steps(S.RESULT_FEEDBACK),
        }
    else:
        work = {
            "drafting": [CONSULT_DRAFT],
            "consultation": forms or _steps(S.CONSULTATIVE_TALK),
            "decision": _steps(S.DEPUTIES_OPINIONS),
            "execution_supervision": _steps(S.PERFORMANCE_SUPERVISION),
        }
    items = work.get(stage, [])
    return [item for item in items if item[0] == "step" or spec.draft]


def plan(spec: Spec) -> list[tuple[str, str]]:
    """The services to call, in order, to bring the matter to its stage.

    Before each advance, any step the procedure still requires (a contested matter's
    dedicated argumentation, a major decision's statutory steps, ...) is recorded too.
    """
    procedure = procedure_for(spec.kind)
    flags = SimpleNamespace(
        kind=spec.kind,
        is_major_decision=spec.major,
        is_contested=spec.contested,
        affects_stability=spec.stability,
        seeks_non_party_opinions=spec.non_party,
    )
    recorded: set[str] = set()
    actions: list[tuple[str, str]] = []
    target = procedure.index(spec.stage)
    for position, stage in enumerate(procedure.stages[: target + 1]):
        work = _stage_work(spec, stage.code)
        if position == target:
            actions.extend(work[: spec.progress])
            break
        actions.extend(work)
        recorded.update(value for kind, value in work if kind == "step")
        upcoming = procedure.stages[position + 1].code
        for requirement in missing_requirements(flags, upcoming, recorded):
            actions.append(("step", requirement.steps[0]))
            recorded.add(requirement.steps[0])
        actions.append(("advance", upcoming))
    return actions


def _numbers(title: str) -> dict[str, int]:
    # Stable across runs and machines, unlike hash().
    seed = zlib.crc32(title.encode())
    n = 40 + seed % 460
    return {
        "n": n,
        "k": 8 + seed % 23,
        "q": 800 + seed % 5200,
        "a": n // 3,
        "b": n // 5,
    }


def _draft_text(spec: Spec, title: str) -> str:
    return (
        f"{title}\n\n"
        f"一、起草背景\n{spec.summary}\n\n"
        "二、主要内容\n"
        "（一）明确适用范围和各方职责。\n"
        "（二）完善管理制度、服务标准和保障措施。\n"
        "（三）健全公众参与、信息公开和监督检查机制。\n\n"
        "三、征求意见方式\n"
        "社会公众可以通过青岛政务网“政府协商”栏目或信函方式提出意见建议。"
    )


def _dates(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """``count`` dates spread evenly after ``start``, none after ``end``."""
    if end < start:
        start = end
    span = (end - start).days
    return [start + datetime.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def _pdf(spec: Spec, department: Department) -> bytes:
    """The matter's 起草说明, rendered as the portal renders its documents (CJK fonts embedded)."""
    return render_pdf(
        "matters/pdf/demo_explanation.html",
        {
            "title": f"关于{spec.title}的说明",
            "department": department.name,
            "summary": spec.summary,
            "legal_basis": spec.legal_basis,
        },
    )


class _Clock:
    """The demo matter's own time: each service call a little after the one before.

    Steps are put on record at the end of the day they were done; a stage is entered, a draft
    written, a document uploaded half an hour after what came before it, so a stage change is
    never earlier than the step it needed. Nothing passes ``limit`` (before the seeding).
    """

    def __init__(self, start: datetime.date, limit: datetime.datetime):
        self.limit = limit
        self.time = self._on(start, 9)

    @staticmethod
    def _on(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)

    def _set(self, candidate: datetime.datetime) -> datetime.datetime:
        self.time = min(max(candidate, self.time + datetime.timedelta(minutes=5)), self.limit)
        return self.time

    def now(self) -> datetime.datetime:
        return self.time

    def day_end(self, day: datetime.date) -> datetime.datetime:
        return self._set(self._on(day, 17))

    def later(self, minutes: int = 30) -> datetime.datetime:
        return self._set(self.time + datetime.timedelta(minutes=minutes))

    def catch_up(self, moment: datetime.datetime) -> None:
        """What another app did for the matter went on until ``moment``."""
        self._set(max(moment, self.time))

    def next_morning(self) -> datetime.datetime:
        return self._set(
            self._on(self.time.astimezone(SHANGHAI).date(), 10) + datetime.timedelta(days=1)
        )


def _demo_staff(department: Department, users: dict[str, User]) -> User:
    for username, _full_name, code, roles, _superuser in USERS:
        if code == department.code and Role.DEPARTMENT_STAFF in roles and username in users:
            return users[username]
    username = f"{department.code}_demo"
    user = users.get(username) or User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username,
            password=DEMO_PASSWORD,
            full_name=STAFF_NAMES.get(department.code, f"{department.short_name}经办人"),
            department=department,
            roles=[Role.DEPARTMENT_STAFF],
            email=f"{username}@demo.qingdao.gov.cn",
        )
    users[username] = user
    return user


@transaction.atomic
def _create(
    spec: Spec,
    *,
    departments: dict[str, Department],
    by: User,
    reviewer: User,
    evidence: Mapping[str, StepSource] | None = None,
) -> Matter:
    areas = PolicyArea.objects.filter(code__in=spec.areas)
    actions = plan(spec)
    last_day = min(timezone.localdate() - datetime.timedelta(days=2), spec.end)
    step_days = _dates(spec.start, last_day, sum(1 for kind, _ in actions if kind == "step"))
    dates = iter(step_days)
    clock = _Clock(
        min([spec.start, last_day, *step_days]),
        limit=timezone.now() - datetime.timedelta(hours=1),
    )
    matter = services.matter_create(
        by=by,
        department=departments[spec.department],
        title=spec.title,
        kind=spec.kind,
        year=spec.year,
        summary=spec.summary,
        legal_basis=spec.legal_basis,
        planned_start=spec.start,
        planned_end=spec.end,
        is_major_decision=spec.major,
        is_major_public_interest=spec.public_interest,
        affects_stability=spec.stability,
        is_contested=spec.contested,
        seeks_non_party_opinions=spec.non_party,
        co_departments=[departments[code] for code in spec.co if code in departments],
        policy_areas=areas,
        now=clock.now(),
    )
    numbers = _numbers(spec.title)

    def publish() -> None:
        nonlocal matter
        if matter.published_at is not None:
            return
        services.document_attach(
            matter=matter,
            by=by,
            upload=ContentFile(_pdf(spec, matter.department), name="explanation.pdf"),
            title=f"关于{spec.title}的说明",
            category=Document.Category.EXPLANATION,
            now=clock.later(),
        )
        matter = services.matter_publish(matter=matter, by=reviewer, now=clock.next_morning())

    def record_step(step_type: str) -> None:
        occurred_on = next(dates)
        source = (evidence or {}).get(step_type)
        if source is not None:
            if step_type in PUBLIC_BEFORE and (spec.published or spec.withdrawn):
                publish()
            # A higher app holds the step's evidence and records it (``solicitations.demo``),
            # returning the step (None when it is put on record elsewhere, later); its time
            # goes on from when that app is done.
            step = source(
                matter=matter, by=by, occurred_on=occurred_on, now=clock.day_end(occurred_on)
            )
            if step is not None:
                clock.catch_up(step.created_at)
            return
        services.step_record(
            matter=matter,
            by=by,
            step_type=step_type,
            occurred_on=occurred_on,
            now=clock.day_end(occurred_on),
            responsible_person=by.display_name,
            summary=STEP_SUMMARIES[StepType(step_type)].format(**numbers),
            # The demo's matters were consulted before the portal held surveys: their
            # questionnaires and polls are typed notes, as in a migrated installation,
            # and ``surveys.demo`` marks them offline surveys as the migration does. So are
            # 专家论证, 书面征求意见 and 征求党外人士意见 when no ``evidence`` source is given.
            evidenced=step_type in EVIDENCED_STEPS,
        )

    def add_draft(which: str) -> None:
        if which == "consult":
            draft = services.draft_add(
                matter=matter,
                by=by,
                title=f"{spec.draft}（征求意见稿）",
                text=_draft_text(spec, f"{spec.draft}（征求意见稿）"),
                change_note="形成征求意见稿，向社会公开征求意见。",
                now=clock.later(),
            )
            services.draft_publish(draft=draft, by=by, now=clock.later(60))
        else:
            services.draft_add(
                matter=matter,
                by=by,
                title=f"{spec.draft}（送审稿）",
                text=_draft_text(spec, f"{spec.draft}（送审稿）"),
                change_note="根据公开征求意见情况，吸收采纳意见{a}条，修改形成送审稿。".format(
                    **numbers
                ),
                now=clock.later(),
            )

    for kind, value in actions:
        if kind == "step":
            record_step(value)
        elif kind == "draft":
            add_draft(value)
        else:
            services.matter_advance_stage(matter=matter, by=by, now=clock.later())
    if spec.due:
        matter = services.matter_update(matter=matter, by=by, stage_due_on=spec.due)
    if spec.published or spec.withdrawn:
        publish()
    if spec.withdrawn:
        matter = services.matter_withdraw(matter=matter, by=reviewer, reason=spec.withdrawn)
    return matter


def seed_matters(
    departments: dict[str, Department],
    users: dict[str, User],
    *,
    evidence: Mapping[str, StepSource] | None = None,
) -> list[Matter]:
    """Create the demo matters that are missing; return all of them, existing ones included.

    ``evidence`` maps a step type of ``EVIDENCED_STEPS`` to the function of the higher app
    that records it from its own records, ``source(matter=, by=, occurred_on=, now=)``,
    which returns the step it recorded (``seed_demo`` passes ``solicitations.demo``'s for
    专家论证, 书面征求意见 and 征求党外人士意见); a step without one is a typed note, as in
    an installation migrated from before the portal held its evidence."""
    users = dict(users)
    matters = []
    for spec in MATTERS:
        department = departments[spec.department]
        existing = Matter.objects.filter(title=spec.title, department=department).first()
        if existing is not None:
            matters.append(existing)
            continue
        by = _demo_staff(department, users)
        reviewer = users.get(REVIEWER) or by
        matters.append(
            _create(spec, departments=departments, by=by, reviewer=reviewer, evidence=evidence)
        )
    return matters
