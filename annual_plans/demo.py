"""Demo annual plan catalogs for 2026 (filed, late, returned, missing, amended) and a 2027 draft.

Everything goes through the services, acting as the department's demo staff and leader and
the general office's reviewer. A department that already has a plan for the year is left
alone, so running it again changes nothing.
"""

import datetime

from django.db import transaction

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles
from core.dates import SHANGHAI
from matters.models import Matter
from matters.procedures import Kind, StepType

from . import services
from .models import AnnualPlan
from .services import ItemData

S = StepType
YEAR = 2026

# How each department's 2026 filing went. Departments not named file on time and are published.
LATE = {"shibei": (4, 3), "jtj": (4, 8), "swglj": (4, 15)}  # filed in April (month, day)
RETURNED = {"licang": "目录未列明协商形式，请逐项补充；第1项计划时间与市级年度工作安排不一致。",
            "tyj": "请补充全民健身场地建设中的利益相关方协商安排。"}  # fmt: skip
AWAITING_REVIEW = ("tjj", "ybj")
NOT_FILED = ("tyjrj", "sjj", "gzjjzx")
DRAFT_ONLY = ("kjj",)
EMPTY = {"jgswj": "本单位主要承担机关事务保障职能，本年度无须列入政府协商目录的事项。"}
LAST_SECOND = "czj"  # filed at 23:59:59 on 31 March: on time
AMENDED = "mzj"
AMENDMENT_PENDING = "jtj"

GENERIC_ITEMS = {
    Department.Kind.DISTRICT: [
        ("老旧小区改造居民协商", Kind.KEY_MATTER, [S.RESIDENTS_FORUM, S.DEMOCRATIC_TALK]),
        ("区级民生实事项目票决", Kind.BUDGET, [S.CONSULTATIVE_TALK, S.OPINION_POLL]),
    ],
    Department.Kind.FUNCTIONAL_AREA: [
        ("重点片区开发建设方案", Kind.DECISION, [S.PUBLIC_PARTICIPATION, S.EXPERT_ARGUMENTATION]),
    ],
    Department.Kind.MUNICIPAL_DEPARTMENT: [
        ("行业发展规划编制", Kind.DECISION, [S.PUBLIC_PARTICIPATION, S.EXPERT_ARGUMENTATION]),
        ("规范性文件制定", Kind.LEGISLATIVE, [S.WRITTEN_SOLICITATION, S.SYMPOSIUM]),
    ],
    Department.Kind.AFFILIATED_UNIT: [
        ("服务事项办理流程优化", Kind.KEY_MATTER, [S.QUESTIONNAIRE, S.SYMPOSIUM]),
    ],
}

KIND_FORMS = {
    Kind.LEGISLATIVE: [S.WRITTEN_SOLICITATION, S.DRAFT_PUBLICATION, S.SYMPOSIUM],
    Kind.DECISION: [S.PUBLIC_PARTICIPATION, S.EXPERT_ARGUMENTATION, S.RISK_ASSESSMENT],
    Kind.KEY_MATTER: [S.STAKEHOLDER_CONSULTATION, S.DEMOCRATIC_TALK],
    Kind.BUDGET: [S.CONSULTATIVE_TALK, S.QUESTIONNAIRE],
}


def _at(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0):
    return datetime.datetime(YEAR, month, day, hour, minute, second, tzinfo=SHANGHAI)


def _background_user(department: Department, role: Role, suffix: str, name: str) -> User:
    """A department's leader or staff for the demo story; no password, so nobody logs in."""
    username = f"{department.code}_{suffix}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, password=None, full_name=name, department=department
        )
        user_set_roles(user=user, roles=[role])
    return user


def _person(department: Department, role: Role, suffix: str, name: str) -> User:
    existing = (
        User.objects.filter(department=department, groups__name=role.value, is_active=True)
        .order_by("pk")
        .first()
    )
    return existing or _background_user(department, role, suffix, name)


def _items(department: Department, year: int) -> list[ItemData]:
    matters = Matter.objects.filter(department=department, year=year).order_by("pk")[:4]
    items = [
        ItemData(
            title=matter.title,
            kind=matter.kind,
            forms=[str(step) for step in KIND_FORMS[Kind(matter.kind)]],
            planned_start=matter.planned_start.replace(year=year),
            planned_end=max(matter.planned_end, matter.planned_start).replace(year=year)
            if matter.planned_end.year == year
            else datetime.date(year, 12, 31),
            responsible_office="综合处",
            is_major_decision=matter.is_major_decision,
            seeks_non_party_opinions=matter.seeks_non_party_opinions,
        )
        for matter in matters
    ]
    if not items:
        for title, kind, forms in GENERIC_ITEMS[department.kind]:
            items.append(
                ItemData(
                    title=f"{department.short_name}{title}",
                    kind=kind,
                    forms=[str(step) for step in forms],
                    planned_start=datetime.date(year, 4, 1),
                    planned_end=datetime.date(year, 11, 30),
                    responsible_office="办公室",
                    is_major_decision=kind == Kind.DECISION,
                )
            )
    return items


def _link_matters(plan: AnnualPlan) -> None:
    for item in plan.items.all():
        matter = Matter.objects.filter(department=plan.department, title=item.title).first()
        if matter is not None:
            item.matter = matter
            item.save(update_fields=["matter"])


@transaction.atomic
def _file(department: Department, reviewer: User, order: int) -> AnnualPlan | None:
    code = department.code
    if code in NOT_FILED:
        return None
    staff = _person(department, Role.DEPARTMENT_STAFF, "demo", f"{department.short_name}经办人")
    leader = _person(department, Role.DEPARTMENT_LEADER, "leader", f"{department.short_name}负责人")
    plan = services.plan_start(department=department, year=YEAR, by=staff)
    empty_reason = EMPTY.get(code, "")
    services.plan_save(
        plan=plan,
        by=staff,
        items=[] if empty_reason else _items(department, YEAR),
        contact_person=staff.display_name,
        contact_phone=f"0532-8591{1000 + order:04d}",
        is_empty=bool(empty_reason),
        empty_reason=empty_reason,
    )
    _link_matters(plan)
    if code in DRAFT_ONLY:
        return plan
    if code == LAST_SECOND:
        filed_at = _at(3, 31, 23, 59, 59)
    elif code in LATE:
        filed_at = _at(*LATE[code])
    else:
        filed_at = _at(3, 2 + order % 27, 9 + order % 8)
    # The leader signs it off the afternoon before it is filed.
    signed_at = (filed_at - datetime.timedelta(days=1)).replace(hour=15, minute=30, second=0)
    services.plan_sign_off(plan=plan, by=leader, now=signed_at)
    services.plan_submit(plan=plan, by=staff, now=filed_at)
    if code in AWAITING_REVIEW:
        return plan
    if code in RETURNED:
        services.plan_return(plan=plan, by=reviewer, comment=RETURNED[code])
        return plan
    services.plan_accept(plan=plan, by=reviewer)
    services.plan_publish(plan=plan, by=reviewer)
    if code in (AMENDED, AMENDMENT_PENDING):
        _amend(plan, staff=staff, reviewer=reviewer, decide=code == AMENDED)
    return plan


def _amend(plan: AnnualPlan, *, staff: User, reviewer: User, decide: bool) -> None:
    amendment = services.amendment_start(
        plan=plan, by=staff, reason="根据市委市政府年中工作部署，新增一项协商事项。"
    )
    items = [ItemData.from_item(item) for item in plan.items.all()]
    items.append(
        ItemData(
            title=f"{plan.department.short_name}年中新增：便民服务设施布局调整",
            kind=Kind.KEY_MATTER,
            forms=[S.RESIDENTS_FORUM, S.QUESTIONNAIRE],
            planned_start=datetime.date(YEAR, 8, 1),
            planned_end=datetime.date(YEAR, 12, 15),
            responsible_office="规划处",
        )
    )
    services.amendment_save(amendment=amendment, by=staff, reason=amendment.reason, items=items)
    services.amendment_submit(amendment=amendment, by=staff)
    if decide:
        services.amendment_decide(amendment=amendment, by=reviewer, accept=True)


def seed_plans(departments: dict[str, Department], users: dict[str, User]) -> list[AnnualPlan]:
    reviewer = users["bgt_wangli"]
    existing = set(AnnualPlan.objects.filter(year=YEAR).values_list("department__code", flat=True))
    plans = []
    filing = [d for d in departments.values() if d.files_catalog]
    for order, department in enumerate(sorted(filing, key=lambda d: d.sort_order)):
        # 市司法局 and 市南区 are left for the demo users to file themselves.
        if department.code in existing or department.code in ("sfj", "shinan"):
            continue
        plan = _file(department, reviewer, order)
        if plan is not None:
            plans.append(plan)
    mzj = departments["mzj"]
    if not AnnualPlan.objects.filter(department=mzj, year=YEAR + 1).exists():
        plans.append(
            services.plan_start(
                department=mzj, year=YEAR + 1, by=users["mzj_liuyang"], copy_previous=True
            )
        )
    return list(AnnualPlan.objects.all())
