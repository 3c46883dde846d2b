import factory
from factory.django import DjangoModelFactory

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles

TEST_PASSWORD = "Test-password-2026"
# The smallest file that is a PDF by its content, for upload tests.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R /Size 4>>\n"
    b"%%EOF\n"
)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"青岛市测试局{n}")
    short_name = factory.Sequence(lambda n: f"市测试局{n}")
    kind = Department.Kind.MUNICIPAL_DEPARTMENT


class GeneralOfficeFactory(DepartmentFactory):
    code = "bgt"
    name = "青岛市人民政府办公厅"
    short_name = "市政府办公厅"
    kind = Department.Kind.GENERAL_OFFICE


def roles_hook(default: list[Role]):
    """Post-generation step giving the user ``roles=[...]`` or the factory's default roles."""

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.save()
        chosen = default if extracted is None else extracted
        if create and chosen:
            user_set_roles(user=user, roles=chosen)

    return roles


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.cn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    department = None

    roles = roles_hook([])


class StaffFactory(UserFactory):
    department = factory.SubFactory(DepartmentFactory)
    roles = roles_hook([Role.DEPARTMENT_STAFF])


class LeaderFactory(UserFactory):
    department = factory.SubFactory(DepartmentFactory)
    roles = roles_hook([Role.DEPARTMENT_LEADER])


class ReviewerFactory(UserFactory):
    department = factory.SubFactory(GeneralOfficeFactory)
    roles = roles_hook([Role.GENERAL_OFFICE_REVIEWER])


class AdministratorFactory(UserFactory):
    roles = roles_hook([Role.SYSTEM_ADMINISTRATOR])


class AuditorFactory(UserFactory):
    roles = roles_hook([Role.AUDIT_ADMINISTRATOR])


class SecurityAdministratorFactory(UserFactory):
    roles = roles_hook([Role.SECURITY_ADMINISTRATOR])


def make_matter(*, department=None, by=None, kind="decision", **overrides):
    """A matter created by ``matters.services.matter_create``, as in production.

    Going through the service gives the matter its reference number and ledger row.
    Without ``by`` a staff member of ``department`` (or of a new department) creates it;
    without ``department`` it belongs to ``by``'s department.
    """
    import datetime

    from matters.services import matter_create

    if by is None:
        by = StaffFactory(department=department) if department else StaffFactory()
    if department is None:
        department = by.department
    fields = {
        "title": "关于完善城市更新政策的协商事项",
        "year": 2026,
        "summary": "就城市更新中老旧小区改造的资金分担和居民参与方式开展协商。",
        "legal_basis": "《青岛市人民政府关于加强政府协商的实施意见》（青政字〔2019〕4号）",
        "planned_start": datetime.date(2026, 3, 1),
        "planned_end": datetime.date(2026, 12, 31),
        **overrides,
    }
    return matter_create(by=by, department=department, kind=kind, **fields)


def make_published_matter(title: str, **overrides):
    """A matter made by :func:`make_matter` and published, as the public sees it."""
    from matters.services import matter_publish

    matter = make_matter(title=title, **overrides)
    return matter_publish(matter=matter, by=matter.created_by)


def make_published_draft(*, matter, by, title, text, change_note="征求意见稿"):
    """A draft version added and published through ``matters.services``, as staff do."""
    from matters.services import draft_add, draft_publish

    draft = draft_add(matter=matter, by=by, title=title, text=text, change_note=change_note)
    return draft_publish(draft=draft, by=by)


PLAN_ITEM_TITLES = [
    "《青岛市城市更新条例（草案）》立法协商",
    "老旧小区改造资金分担办法",
    "中小学课后服务收费标准调整",
    "公共停车场收费价格调整方案",
    "社区养老服务设施布局规划",
    "生活垃圾分类管理实施办法",
]


def make_plan(
    *,
    department=None,
    by=None,
    year=2026,
    items=1,
    status="draft",
    leader=None,
    submitted_at=None,
):
    """An annual plan catalog built by ``annual_plans.services``, walked to ``status``.

    ``status`` is one of draft, submitted, returned, accepted, published. With ``items=0``
    the catalog is an explicit empty one with its reason. Without ``by`` a staff member of
    ``department`` (or of a new department) drafts it; beyond a draft a leader of the same
    department (or ``leader``) signs it off, ``submitted_at`` is the filing time (now when
    not given) and a general office reviewer returns or accepts it.
    """
    import datetime

    from annual_plans import services as plan_services

    steps = ["draft", "submitted", "returned", "accepted", "published"]
    if status not in steps:
        raise ValueError(f"unknown plan status {status!r}")
    if by is None:
        by = StaffFactory(department=department) if department else StaffFactory()
    if department is None:
        department = by.department
    plan = plan_services.plan_start(department=department, year=year, by=by)
    rows = []
    for n in range(items):
        title = PLAN_ITEM_TITLES[n % len(PLAN_ITEM_TITLES)]
        if n >= len(PLAN_ITEM_TITLES):
            title = f"{title}（第{n + 1}项）"
        rows.append(
            plan_services.ItemData(
                title=title,
                kind="decision",
                forms=["public_participation", "expert_argumentation"],
                planned_start=datetime.date(year, 4, 1),
                planned_end=datetime.date(year, 9, 30),
                responsible_office="法制科",
            )
        )
    plan = plan_services.plan_save(
        plan=plan,
        by=by,
        items=rows,
        contact_person="王丽",
        contact_phone="0532-85911234",
        is_empty=items == 0,
        empty_reason="本年度无需要开展政府协商的事项。" if items == 0 else "",
    )
    if status == "draft":
        return plan
    leader = leader or LeaderFactory(department=department)
    plan = plan_services.plan_sign_off(plan=plan, by=leader)
    plan = plan_services.plan_submit(plan=plan, by=by, now=submitted_at)
    if status == "submitted":
        return plan
    reviewer = ReviewerFactory()
    if status == "returned":
        return plan_services.plan_return(
            plan=plan, by=reviewer, comment="请补充各事项拟采取的协商形式。"
        )
    plan = plan_services.plan_accept(plan=plan, by=reviewer)
    if status == "accepted":
        return plan
    return plan_services.plan_publish(plan=plan, by=reviewer)


def make_participant(*, by=None, name=None, category="expert", affiliation="青岛大学", **fields):
    """A participant registered through ``participation.services.participants``."""
    from participation.services.participants import participant_create

    global _participant_counter
    _participant_counter += 1
    by = by or StaffFactory()
    return participant_create(
        by=by,
        name=name or f"参与主体{_participant_counter}",
        category=category,
        affiliation=affiliation,
        **fields,
    )


_participant_counter = 0


def make_activity(
    *,
    matter=None,
    by=None,
    kind="symposium",
    starts_in=None,
    status="planned",
    now=None,
    **fields,
):
    """An activity scheduled by ``participation.services.activities``, walked to ``status``
    (planned, notice_published, held, minutes_published).

    ``starts_in`` is a timedelta from ``now`` (default: 20 days ahead). Scheduling happens
    at a ``now`` before the start, so activities in the past can be built too. A hearing
    gets notice and materials times that meet the 10/5-day rules.
    """
    import datetime

    from django.utils import timezone

    from participation.services import activities as activity_services

    now = now or timezone.now()
    starts_in = datetime.timedelta(days=20) if starts_in is None else starts_in
    starts_at = fields.pop("starts_at", now + starts_in)
    if by is None:
        by = StaffFactory(department=matter.department) if matter else StaffFactory()
    if matter is None:
        matter = make_matter(by=by)
    # Schedule and publish the notice well before the start, as a department would.
    scheduled_at = min(now, starts_at - datetime.timedelta(days=15))
    if kind == "hearing":
        fields.setdefault("notice_published_at", starts_at - datetime.timedelta(days=12))
        fields.setdefault("materials_published_at", starts_at - datetime.timedelta(days=6))
    activity = activity_services.activity_schedule(
        matter=matter,
        by=by,
        kind=kind,
        title=fields.pop("title", "城市更新政策座谈会"),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + datetime.timedelta(hours=2)),
        place=fields.pop("place", "青岛市市南区香港中路11号市政府会议室"),
        agenda=fields.pop("agenda", "一、介绍政策草案\n二、听取意见"),
        now=scheduled_at,
        **fields,
    )
    steps = ["planned", "notice_published", "held", "minutes_published"]
    target = steps.index(status)
    if target >= 1:
        activity = activity_services.activity_publish_notice(
            activity=activity, by=by, now=starts_at - datetime.timedelta(days=12)
        )
    if target >= 2:
        activity = activity_services.activity_mark_held(
            activity=activity, by=by, now=max(now, starts_at)
        )
    if target >= 3:
        activity = activity_services.activity_publish_minutes(
            activity=activity, by=by, minutes="与会代表对草案提出了修改意见。"
        )
    return activity


def make_period(
    *,
    matter=None,
    by=None,
    starts_at=None,
    ends_at=None,
    days=30,
    title="《青岛市城市更新条例（草案）》公开征求意见",
    draft=None,
    shortened_reason="",
    **matter_overrides,
):
    """A comment period opened by ``participation.services.comments.comment_period_open``.

    Without ``matter`` a published matter is made (by ``by`` when given). Without times
    the period opened a day ago and runs ``days`` days from then.
    """
    import datetime

    from django.utils import timezone

    from matters.services import matter_publish
    from participation.services.comments import comment_period_open

    if matter is None:
        matter = make_matter(by=by, **matter_overrides)
        matter = matter_publish(matter=matter, by=by or matter.created_by)
    by = by or matter.created_by
    if starts_at is None:
        starts_at = timezone.now() - datetime.timedelta(days=1)
    if ends_at is None:
        ends_at = starts_at + datetime.timedelta(days=days)
    return comment_period_open(
        matter=matter,
        by=by,
        title=title,
        description="欢迎社会各界提出意见建议。",
        draft=draft,
        starts_at=starts_at,
        ends_at=ends_at,
        shortened_reason=shortened_reason,
    )


_proposal_counter = 0


def make_proposal(
    *,
    by=None,
    kind="suggestion",
    year=2026,
    authors=None,
    co_signers=0,
    **fields,
):
    """A suggestion or proposal registered by ``proposals.services.proposal_register``
    (by a general-office reviewer unless ``by`` is given), with a lead author from the
    registry (a deputy or a CPPCC member, with an e-mail address) and ``co_signers`` more."""
    from proposals.services import proposal_register

    global _proposal_counter
    _proposal_counter += 1
    by = by or ReviewerFactory()
    category = "npc_deputy" if kind == "suggestion" else "cppcc_member"
    if authors is None:
        authors = [
            make_participant(
                name=f"代表委员{_proposal_counter}-{i}",
                category=category,
                affiliation="青岛市",
                email=f"author{_proposal_counter}-{i}@example.cn",
                phone=f"1390000{_proposal_counter:04d}",
            )
            for i in range(1 + co_signers)
        ]
    values = {
        "number": f"{_proposal_counter:04d}",
        "title": f"关于改进社区养老服务的建议{_proposal_counter}",
        "body": "建议增加社区养老服务站点，延长服务时间。",
        "session": "市十七届人大五次会议",
    }
    values.update(fields)
    return proposal_register(
        by=by,
        kind=kind,
        year=year,
        lead_author=authors[0],
        co_signers=authors[1:],
        **values,
    )


def make_survey(
    *,
    matter=None,
    by=None,
    department=None,
    every_kind: bool = True,
    publish: bool = True,
    opens_at=None,
    closes_at=None,
    **fields,
):
    """A survey built through ``surveys.services``, as staff build it in the browser.

    With ``every_kind`` it has one question of every type on two pages: single choice with
    "其他（请注明）", multiple choice (1–2 picks), a text question shown only if the first
    answer is 教育, a rating 1–5, a matrix (2 rows × 3), a ranking of 3, a number in 万元
    (0–5000) and an optional long text. Published unless ``publish`` is false; open from
    an hour ago for a week unless told otherwise.
    """
    import datetime

    from django.utils import timezone

    from surveys import services
    from surveys.services import QuestionInput

    if by is None:
        if matter is not None:
            by = matter.created_by
        else:
            by = StaffFactory(department=department) if department else StaffFactory()
    now = timezone.now()
    survey = services.survey_create(
        by=by,
        department=matter.department if matter else (department or by.department),
        matter=matter,
        title=fields.pop("title", "2027年区级预算重点支出方向问卷"),
        opens_at=opens_at or now - datetime.timedelta(hours=1),
        closes_at=closes_at or now + datetime.timedelta(days=7),
        **fields,
    )
    if every_kind:
        add = services.question_add
        first = add(
            survey=survey,
            by=by,
            data=QuestionInput(
                "single",
                "您最关注哪个领域？",
                options=[("教育", False), ("养老", False), ("其他（请注明）", True)],
            ),
        )
        add(
            survey=survey,
            by=by,
            data=QuestionInput(
                "multiple",
                "您常用的出行方式（最多两项）",
                settings={"min_picks": 1, "max_picks": 2},
                options=[("公交", False), ("地铁", False), ("自驾", False)],
            ),
        )
        add(
            survey=survey,
            by=by,
            data=QuestionInput(
                "text",
                "孩子就读的学校",
                shown_if=first.options.get(label="教育"),
            ),
        )
        add(
            survey=survey,
            by=by,
            data=QuestionInput(
                "rating", "对现有公共服务的满意度", settings={"scale_min": 1, "scale_max": 5}
            ),
        )
        page_two = services.section_add(survey=survey, by=by, title="预算安排")
        add(
            survey=survey,
            by=by,
            section=page_two,
            data=QuestionInput(
                "matrix",
                "各项服务的重要程度",
                options=[("重要", False), ("一般", False), ("不重要", False)],
                rows=["社区养老", "学前教育"],
            ),
        )
        add(
            survey=survey,
            by=by,
            section=page_two,
            data=QuestionInput(
                "ranking",
                "请对以下支出方向排序",
                options=[("老旧小区改造", False), ("托育服务", False), ("公交线网", False)],
            ),
        )
        add(
            survey=survey,
            by=by,
            section=page_two,
            data=QuestionInput(
                "number",
                "您建议的年度投入（万元）",
                settings={"minimum": 0, "maximum": 5000, "unit": "万元"},
            ),
        )
        add(
            survey=survey,
            by=by,
            section=page_two,
            data=QuestionInput("text", "其他意见和建议", required=False, settings={"long": True}),
        )
    if publish:
        survey = services.survey_publish(survey=survey, by=by)
    return survey


def survey_answers(survey, *, field: int = 0, amount: str = "1200", **overrides) -> dict:
    """A complete, valid answer to every question of a :func:`make_survey` survey, as a
    submitted form; ``field`` picks the first question's option (0 教育, 1 养老)."""
    from surveys.tallies import specs_of

    data: dict[str, list[str]] = {}
    for spec in specs_of(survey):
        name = spec.name
        if spec.kind == "single":
            data[name] = [str(spec.choices[field].id)]
        elif spec.kind == "multiple":
            data[name] = [str(spec.choices[0].id), str(spec.choices[1].id)]
        elif spec.kind == "text":
            data[name] = ["青岛二中" if spec.shown_if else "希望多建口袋公园"]
        elif spec.kind == "rating":
            data[name] = ["4"]
        elif spec.kind == "matrix":
            for row in spec.rows:
                data[f"{name}_r{row.id}"] = [str(spec.choices[0].id)]
        elif spec.kind == "ranking":
            for place, choice in enumerate(spec.choices, start=1):
                data[f"{name}_o{choice.id}"] = [str(place)]
        elif spec.kind == "number":
            data[name] = [amount]
    data.update(overrides)
    return data


def make_call(*, by, department=None, publish=True, **overrides):
    """A public call of ``by``'s department for next year, open from yesterday for ten
    days (published unless ``publish=False``), through ``calls.services``."""
    import datetime

    from django.utils import timezone

    from calls import services

    now = timezone.now()
    fields = {
        "kind": "topics",
        "title": "年度政府协商议题公开征集",
        "year": now.year + 1,
        "scope": "涉及全市经济社会发展的重大事项。",
        "guidance": "请写明议题、理由和建议。",
        "starts_at": now - datetime.timedelta(days=1),
        "ends_at": now + datetime.timedelta(days=10),
        **overrides,
    }
    call = services.call_create(by=by, department=department or by.department, **fields)
    if publish:
        call = services.call_publish(
            call=call, by=by, now=fields["starts_at"] - datetime.timedelta(days=1)
        )
    return call
