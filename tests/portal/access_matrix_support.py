"""The world the access-control matrix runs in, and the helpers that read its answers.

Two departments (A and B); every object a URL can name belongs to department A, so that
department B's staff changing an id in a URL meets A's objects. Personal contact data
(opinion contacts, registrants' and participants' phones and e-mails) uses strings that
occur nowhere else, so a test can assert they are absent from a response body.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import services as account_services
from accounts.models import Department, User
from annual_plans import services as plan_services
from annual_plans.models import AnnualPlan, FilingDeadline
from matters import services as matter_services
from matters.models import Document, LedgerEntry, Matter
from participation import tokens
from participation.models import (
    Activity,
    CommentPeriod,
    Draw,
    Invitation,
    Opinion,
    Registration,
)
from participation.services import comments as comment_services
from participation.services import registrations as registration_services
from participation.services.feedback import feedback_publish
from reminders.models import Reminder
from tests.factories import (
    MINIMAL_PDF,
    AdministratorFactory,
    AuditorFactory,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    SecurityAdministratorFactory,
    StaffFactory,
    UserFactory,
    make_activity,
    make_matter,
    make_participant,
    make_period,
    make_plan,
    make_published_draft,
)

# The roles of the matrix, in the column order of the expectation table. After the seven
# working roles come the accounts that lost their access (issue 19): ``revoked``, a clerk
# of A whose roles were withdrawn through the service while signed in; ``orphan``, a clerk
# of A whose roles were removed directly in the database (the session lives on);
# ``closed``, a clerk of A while department A is closed (directly in the database, for
# that request only); ``inactive``, a clerk of A whose account was deactivated.
ROLES = (
    "anonymous",
    "invitee",
    "staff_a",
    "staff_b",
    "leader_a",
    "reviewer",
    "administrator",
    "leader_b",
    "revoked",
    "orphan",
    "closed",
    "inactive",
    "security",
    "auditor",
    "superuser",
)
# The last three columns (issue 28 item 1): the security and the audit administrator, who
# with the system administrator (``administrator``) are the three administrators, each
# held alone (三员分立), and the break-glass superuser.
ADMINISTRATOR_COLUMNS = ("security", "auditor", "superuser")


# Contact data that must never reach the public or another department.
OPINION_CONTACT_PHONE = "13911112222"
OPINION_CONTACT_EMAIL = "xiaoming.private@example.cn"
PENDING_AUTHOR = "待审核署名人甲"  # an opinion not (yet) shown: its signature is not public
PENDING_CONTACT = "18822223333"
REGISTRANT_PHONE = "13744445555"
REGISTRANT_EMAIL = "registrant.private@example.cn"
PARTICIPANT_PHONE = "13655556666"
PARTICIPANT_EMAIL = "invitee.private@example.cn"
OTHER_PARTICIPANT_NAME = "另一位受邀专家"

CONTACT_STRINGS = (
    OPINION_CONTACT_PHONE,
    OPINION_CONTACT_EMAIL,
    PENDING_AUTHOR,
    PENDING_CONTACT,
    REGISTRANT_PHONE,
    REGISTRANT_EMAIL,
    PARTICIPANT_PHONE,
    PARTICIPANT_EMAIL,
)

UNPUBLISHED_MATTER_TITLE = "甲局内部未公开的停车收费调整事项"
UNPUBLISHED_DRAFT_TEXT = "第一条 甲局内部草案条文（未公开）"
INVITEE_TOKEN = "invitee-token-for-the-access-matrix-0123456789abcdef"
OTHER_TOKEN = "another-invitees-token-for-the-access-matrix-987654321"


@dataclass
class World:
    department_a: Department
    department_b: Department
    users: dict  # role -> User (None for the roles without an account)
    matter_draft: Matter  # department A, unpublished, with an unpublished draft
    matter_pub: Matter  # department A, published
    matter_withdrawn: Matter  # department A, published with all its parts, then withdrawn
    withdrawn_parts: dict  # the draft, document, periods and hearing of the withdrawn matter
    draft_internal: object
    draft_public: object
    document_internal: Document
    document_public: Document
    plan_draft: AnnualPlan  # department A, 2027, draft
    plan_pub: AnnualPlan  # department A, 2026, published
    plan_submitted: AnnualPlan  # department B, 2026, filed: the office's review page
    amendment: object
    hearing: Activity  # public, notice out, takes registrations
    activity_internal: Activity  # on the unpublished matter: staff only
    period_open: CommentPeriod
    period_closed: CommentPeriod  # closed, feedback report published
    opinion_shown: Opinion
    opinion_pending: Opinion
    participant: object
    invitation: Invitation  # the invitee's
    other_invitation: Invitation
    registration: Registration
    period_b: CommentPeriod  # department B's own open period, on B's published matter
    hearing_b: Activity  # department B's own public hearing
    token_a: str  # API token of staff_a
    token_b: str  # API token of staff_b
    tokens: dict  # role -> API token key made before the role lost its access
    sessions: dict  # role -> session key signed in before the role lost its access
    proposals: object = None  # ProposalsWorld
    # What the public pages and the API of suggestions and proposals name (department A's):
    # "public" (replied), "hidden" (may not be made public), "unassigned", "reply".
    proposals_public: dict = field(default_factory=dict)
    # Department A's surveys the staff's survey pages name: "draft" (every question type,
    # not published), "open" (public and panel, one response).
    surveys_staff: dict = field(default_factory=dict)
    # Department A's surveys for the results pages: "published" (results public while
    # open, one response), "pending" (results after closing, still open), "draft".
    survey_results: dict = field(default_factory=dict)
    # Department A's open expert argumentation on the unpublished matter: "argumentation",
    # "expert" (seated, no declaration yet).
    argumentations: dict = field(default_factory=dict)
    # Department A's letters of solicitation on the published matter: "draft" (not sent,
    # one addressee), "sent" (to department B as a body and to a registry person whose
    # personal link is LETTER_TOKEN), "body" and "person" (its two addressees).
    letters: dict = field(default_factory=dict)
    # The office's 督办 order to department A about its published matter, with a draft
    # report of what was done waiting for the leader's signature.
    orders: dict = field(default_factory=dict)
    # Department A's published, open public call with one proposal from the public.
    calls: dict = field(default_factory=dict)
    # A year's supervision report, built.
    report: object = None


def build_world() -> World:
    now = timezone.now()
    department_a = DepartmentFactory(code="acl-a", name="青岛市甲局", short_name="甲局")
    department_b = DepartmentFactory(code="acl-b", name="青岛市乙局", short_name="乙局")
    staff_a = StaffFactory(department=department_a, username="staff_a")
    staff_b = StaffFactory(department=department_b, username="staff_b")
    leader_a = LeaderFactory(department=department_a, username="leader_a")
    reviewer = ReviewerFactory(username="reviewer")
    administrator = AdministratorFactory(username="administrator")
    users = {
        "anonymous": None,
        "invitee": None,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "leader_a": leader_a,
        "reviewer": reviewer,
        "administrator": administrator,
        "leader_b": LeaderFactory(department=department_b, username="leader_b"),
    }
    api_tokens, sessions = _accounts_that_lost_access(users, department_a, by=administrator)
    users["security"] = SecurityAdministratorFactory(username="security")
    users["auditor"] = AuditorFactory(username="auditor")
    users["superuser"] = UserFactory(username="superuser", is_superuser=True, is_staff=True)

    matter_draft = make_matter(by=staff_a, title=UNPUBLISHED_MATTER_TITLE)
    draft_internal = matter_services.draft_add(
        matter=matter_draft,
        by=staff_a,
        title="甲局内部草案",
        text=UNPUBLISHED_DRAFT_TEXT,
        change_note="初稿",
    )
    document_internal = matter_services.document_attach(
        matter=matter_draft,
        by=staff_a,
        upload=SimpleUploadedFile("内部材料.pdf", MINIMAL_PDF),
        title="甲局内部起草说明",
        category=Document.Category.EXPLANATION,
        is_public=False,
    )

    matter_pub = make_matter(by=staff_a, title="关于公共停车场收费价格调整的协商事项")
    matter_pub = matter_services.matter_publish(matter=matter_pub, by=staff_a)
    draft_public = make_published_draft(
        matter=matter_pub,
        by=staff_a,
        title="公共停车场收费价格调整方案（征求意见稿）",
        text="第一条 为规范公共停车场收费……",
        change_note="征求意见稿",
    )
    document_public = matter_services.document_attach(
        matter=matter_pub,
        by=staff_a,
        upload=SimpleUploadedFile("征求意见稿.pdf", MINIMAL_PDF),
        title="征求意见稿",
        category=Document.Category.DRAFT,
        is_public=True,
    )

    plan_pub = make_plan(department=department_a, by=staff_a, leader=leader_a, status="published")
    plan_draft = make_plan(department=department_a, by=staff_a, year=2027, items=2)
    plan_submitted = make_plan(department=department_b, by=staff_b, status="submitted")
    amendment = plan_services.amendment_start(
        plan=plan_pub, by=staff_a, reason="新增一项年中协商事项。"
    )
    # A filed amendment too: the admin lists only those (a draft is the department's).
    plan_2025 = make_plan(
        department=department_a, by=staff_a, leader=leader_a, year=2025, status="accepted"
    )
    pending = plan_services.amendment_start(plan=plan_2025, by=staff_a, reason="调整计划。")
    pending = plan_services.amendment_save(
        amendment=pending,
        by=staff_a,
        reason="调整计划。",
        items=[
            *(plan_services.ItemData.from_item(item) for item in plan_2025.items.all()),
            plan_services.ItemData(
                title="新增的年中协商事项",
                kind="decision",
                forms=["public_participation"],
                planned_start=datetime.date(2025, 7, 1),
                planned_end=datetime.date(2025, 12, 31),
                responsible_office="法制科",
            ),
        ],
    )
    plan_services.amendment_submit(amendment=pending, by=staff_a)

    hearing = make_activity(
        matter=matter_pub,
        by=staff_a,
        kind="hearing",
        title="公共停车场收费价格听证会",
        status="notice_published",
        capacity=2,
        accepts_registrations=True,
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    activity_internal = make_activity(
        matter=matter_draft, by=staff_a, title="甲局内部座谈会（未公开）"
    )

    period_open = make_period(matter=matter_pub, by=staff_a)
    opinion_shown = comment_services.opinion_submit(
        period=period_open,
        content="建议夜间停车收费减半。",
        author_name="公开署名人",
        contact=f"{OPINION_CONTACT_PHONE} {OPINION_CONTACT_EMAIL}",
    )
    comment_services.opinions_moderate(
        period=period_open, by=staff_a, opinion_ids=[opinion_shown.pk], moderation="shown"
    )
    opinion_shown.refresh_from_db()
    opinion_pending = comment_services.opinion_submit(
        period=period_open,
        content="建议增加充电车位。",
        author_name=PENDING_AUTHOR,
        contact=PENDING_CONTACT,
    )

    period_closed = make_period(
        matter=matter_pub,
        by=staff_a,
        title="停车收费方案第一轮征求意见",
        starts_at=now - datetime.timedelta(days=80),
        days=30,
    )
    closed_opinion = Opinion.objects.create(
        period=period_closed,
        matter=matter_pub,
        channel=Opinion.Channel.LETTER,
        content="建议公开收费测算依据。",
        author_name=PENDING_AUTHOR,
        contact=PENDING_CONTACT,
        received_on=timezone.localdate(now) - datetime.timedelta(days=70),
    )
    comment_services.opinions_dispose(
        period=period_closed,
        by=staff_a,
        opinion_ids=[closed_opinion.pk],
        disposition="adopted",
        response="已采纳，将公开测算依据。",
    )
    period_closed = feedback_publish(period=period_closed, by=staff_a, summary="共收到意见1条。")

    participant = make_participant(
        by=staff_a, name="受邀专家王某", phone=PARTICIPANT_PHONE, email=PARTICIPANT_EMAIL
    )
    other_participant = make_participant(by=staff_a, name=OTHER_PARTICIPANT_NAME)
    deadline = hearing.starts_at - datetime.timedelta(days=2)
    invitation = Invitation.objects.create(
        activity=hearing,
        participant=participant,
        token_hash=tokens.token_hash(INVITEE_TOKEN),
        reply_deadline=deadline,
        sent_at=now,
        created_by=staff_a,
    )
    other_invitation = Invitation.objects.create(
        activity=hearing,
        participant=other_participant,
        token_hash=tokens.token_hash(OTHER_TOKEN),
        reply_deadline=deadline,
        sent_at=now,
        created_by=staff_a,
    )
    registration = registration_services.registration_create(
        activity=hearing,
        name="报名市民李某",
        phone=REGISTRANT_PHONE,
        email=REGISTRANT_EMAIL,
        position="support",
        statement="支持调整。",
    )

    matter_withdrawn, withdrawn_parts = _withdrawn_matter(staff_a, now)

    matter_b = make_matter(by=staff_b, title="乙局公开的协商事项")
    matter_b = matter_services.matter_publish(matter=matter_b, by=staff_b)
    period_b = make_period(matter=matter_b, by=staff_b, title="乙局的征求意见")
    comment_services.opinion_submit(period=period_b, content="对乙局事项的意见。")
    hearing_b = make_activity(
        matter=matter_b,
        by=staff_b,
        kind="hearing",
        title="乙局的听证会",
        status="notice_published",
        capacity=1,
        accepts_registrations=True,
        registration_closes_at=now + datetime.timedelta(days=5),
    )

    # One row of every model the admin lists, so each change/delete/history page is real.
    FilingDeadline.objects.create(
        year=2030,
        deadline=datetime.datetime(2030, 4, 30, 23, 59, tzinfo=datetime.UTC),
        reason="因假期顺延。",
        set_by=reviewer,
    )
    Draw.objects.create(
        activity=activity_internal,
        seed="seed",
        places=1,
        candidates=[],
        selected=[],
        drawn_by=staff_a,
    )
    Reminder.objects.create(
        kind=Reminder.Kind.choices[0][0],
        object_type="matter",
        object_id=matter_draft.pk,
        recipient=staff_a.email,
        user=staff_a,
        occasion="acl-matrix",
        subject="提醒",
        body_text="提醒正文",
        due_at=now,
        next_attempt_at=now,
        scan_id="00000000-0000-0000-0000-000000000001",
        created_at=now,
    )
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"username": "someone", "ip_address": "127.0.0.1", "user_agent": "test"}
        if model is AccessAttempt:
            fields["failures_since_start"] = 1
        model.objects.create(**fields)

    build_surveys_api_world(matter_pub)
    return World(
        department_a=department_a,
        department_b=department_b,
        users=users,
        matter_draft=matter_draft,
        matter_pub=matter_pub,
        matter_withdrawn=matter_withdrawn,
        withdrawn_parts=withdrawn_parts,
        draft_internal=draft_internal,
        draft_public=draft_public,
        document_internal=document_internal,
        document_public=document_public,
        plan_draft=plan_draft,
        plan_pub=plan_pub,
        plan_submitted=plan_submitted,
        amendment=amendment,
        hearing=hearing,
        activity_internal=activity_internal,
        period_open=period_open,
        period_closed=period_closed,
        opinion_shown=opinion_shown,
        opinion_pending=opinion_pending,
        participant=participant,
        invitation=invitation,
        other_invitation=other_invitation,
        registration=registration,
        period_b=period_b,
        hearing_b=hearing_b,
        token_a=Token.objects.create(user=staff_a).key,
        token_b=Token.objects.create(user=staff_b).key,
        tokens=api_tokens,
        sessions=sessions,
        proposals=build_proposals_world(users, department_a, department_b),
        proposals_public=build_proposals_public_world(
            department_a, office=reviewer, staff=staff_a, leader=leader_a
        ),
        surveys_staff=build_surveys_staff_world(department_a, staff=staff_a),
        survey_results=build_survey_results_world(department_a, staff_a),
        argumentations=build_argumentation_world(matter_draft, staff=staff_a),
        letters=build_letters_world(
            matter_pub, period_open, staff=staff_a, department_b=department_b
        ),
        orders=build_orders_world(matter_pub, office=reviewer, staff=staff_a),
        calls=build_calls_world(department_a, staff=staff_a),
        report=build_report_world(reviewer),
    )


def build_report_world(office):
    from supervision.models import SupervisionReport
    from supervision.report import report_build

    report = SupervisionReport.objects.create(
        year=timezone.localdate().year, as_of=timezone.now(), requested_by=office
    )
    return report_build(report)


CALL_LINK_TOKEN = "call-link-token-for-the-access-matrix-0123456789abcdef"


def build_calls_world(department, *, staff) -> dict:
    """Department A's open call, a proposal with a file, and an invited participant whose
    personal link is CALL_LINK_TOKEN."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from calls import services
    from calls.models import CallInvitee
    from participation import tokens
    from tests.factories import MINIMAL_PDF, make_participant

    now = timezone.now()
    call = services.call_create(
        by=staff,
        department=department,
        kind="topics",
        title="甲局年度协商议题征集",
        year=now.year + 1,
        scope="甲局职责范围内的事项。",
        guidance="请写明议题和理由。",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=10),
    )
    services.call_publish(call=call, by=staff, now=now - datetime.timedelta(days=2))
    submission = services.submission_submit(
        call=call,
        title="关于甲局工作的议题",
        reasons="理由。",
        contact="13900000001",
        files=[SimpleUploadedFile("附件.pdf", MINIMAL_PDF)],
    )
    invitee = services.call_invite(
        call=call, by=staff, participants=[make_participant(by=staff, email="")]
    ).created[0]
    CallInvitee.objects.filter(pk=invitee.pk).update(token_hash=tokens.token_hash(CALL_LINK_TOKEN))
    return {"call": call, "submission": submission, "file": submission.files.get()}


def build_orders_world(matter, *, office, staff) -> dict:
    from oversight import services

    order = services.order_issue(
        target=services.target_of("matter", matter.pk),
        requirement="请于办理时限前启动公开征求意见。",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        by=office,
    )
    services.answer_save(order=order, body="已起草征求意见稿。", by=staff)
    return {"order": order}


SURVEY_PANEL_TOKEN = "survey-panel-token-for-the-access-matrix-0123456789ab"
SURVEY_RESUME_TOKEN = "survey-resume-token-for-the-access-matrix-0123456789a"


def build_surveys_answer_world(world: World) -> dict:
    """Department A's open stand-alone survey for the public and its panel (the invitee
    holds the personal link), a draft survey, and a saved "continue later" draft."""
    from surveys.models import PanelMember, ResumeDraft
    from tests.factories import make_survey

    staff = world.users["staff_a"]
    survey = make_survey(
        by=staff, department=world.department_a, audience="both", allow_resume=True
    )
    draft = make_survey(by=staff, department=world.department_a, publish=False)
    participant = world.participant
    PanelMember.objects.create(
        survey=survey,
        participant=participant,
        category=participant.category,
        token_hash=tokens.token_hash(SURVEY_PANEL_TOKEN),
        created_by=staff,
    )
    ResumeDraft.objects.create(survey=survey, token_hash=tokens.token_hash(SURVEY_RESUME_TOKEN))
    return {"open": survey, "draft": draft}


def build_proposals_public_world(department_a, *, office, staff, leader) -> dict:
    """Department A's suggestions: one public and replied (with its reply), one that may
    not be made public, one registered but not yet assigned."""
    from tests.proposals.public_support import Desk

    desk = Desk(department_a, office=office, staff=staff, leader=leader)
    public = desk.replied(title="甲局公开答复的建议")
    return {
        "public": public,
        "reply": public.replies.get(),
        "hidden": desk.handling(title="甲局不公开的建议", is_public=False),
        "unassigned": desk.registered(title="尚未交办的建议"),
    }


# The surveys the API rows name (department A's, found by title in the URL kwargs).
SURVEY_API_PUBLIC = "矩阵接口公开的问卷"
SURVEY_API_DRAFT = "矩阵接口未发布的问卷"


def build_surveys_api_world(matter) -> None:
    """A published survey on department A's published matter, and a draft one."""
    from tests.factories import make_survey

    make_survey(matter=matter, title=SURVEY_API_PUBLIC)
    make_survey(matter=matter, title=SURVEY_API_DRAFT, publish=False)


def _accounts_that_lost_access(users: dict, department_a, *, by) -> tuple[dict, dict]:
    """Clerks of department A, each signed in with an API token, then cut off in one of the
    ways an account loses access. Returns their tokens and session keys by role."""
    tokens, sessions = {}, {}
    for role in ("revoked", "orphan", "closed", "inactive"):
        user = StaffFactory(department=department_a, username=f"{role}_a")
        users[role] = user
        tokens[role] = Token.objects.create(user=user).key
        client = Client()
        client.force_login(user)
        sessions[role] = client.session.session_key
    account_services.user_set_roles(user=users["revoked"], roles=[], by=by)
    users["orphan"].groups.clear()  # straight in the database: no service, no ledger row
    User.objects.filter(pk=users["inactive"].pk).update(is_active=False)
    users["inactive"].refresh_from_db()
    # "closed" keeps its role: department A is closed for its requests only (CLOSED_ROLE).
    return tokens, sessions


# The role whose requests are made while its department (A) is closed.
CLOSED_ROLE = "closed"


def _withdrawn_matter(staff, now) -> tuple[Matter, dict]:
    """A matter that was public with a draft, a document, a comment period (with its
    feedback report) and a hearing, and then withdrawn: none of it is public any more."""
    matter = make_matter(by=staff, title="已撤回公开的协商事项")
    matter = matter_services.matter_publish(matter=matter, by=staff)
    draft = make_published_draft(
        matter=matter,
        by=staff,
        title="已撤回事项的草案",
        text="第一条 撤回前公开的条文",
        change_note="初稿",
    )
    document = matter_services.document_attach(
        matter=matter,
        by=staff,
        upload=SimpleUploadedFile("撤回前公开.pdf", MINIMAL_PDF),
        title="撤回前公开的材料",
        category=Document.Category.DRAFT,
        is_public=True,
    )
    closed = make_period(
        matter=matter,
        by=staff,
        title="已撤回事项的征求意见",
        starts_at=now - datetime.timedelta(days=80),
        days=30,
    )
    closed = feedback_publish(period=closed, by=staff, summary="未收到意见。")
    period = make_period(matter=matter, by=staff, title="已撤回事项的第二轮征求意见")
    comment_services.opinion_submit(
        period=period, content="撤回前提交的意见。", contact=OPINION_CONTACT_EMAIL
    )
    hearing = make_activity(
        matter=matter,
        by=staff,
        kind="hearing",
        title="已撤回事项的听证会",
        status="notice_published",
        accepts_registrations=True,
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    matter = matter_services.matter_withdraw(matter=matter, by=staff, reason="需要重新论证。")
    parts = {
        "draft": draft,
        "document": document,
        "closed_period": closed,
        "period": period,
        "hearing": hearing,
    }
    return matter, parts


def world_state(world: World) -> tuple:
    """What a refused request must leave as it was: the ledger (every service writes a
    row) and the workflow fields of the objects the URLs name."""
    return (
        LedgerEntry.objects.count(),
        Matter.objects.filter(pk=world.matter_draft.pk).values_list(
            "stage", "is_published", "updated_at"
        )[0],
        tuple(Matter.objects.filter(department=world.department_a).values_list("pk")),
        world.draft_internal.__class__.objects.filter(pk=world.draft_internal.pk).values_list(
            "is_published"
        )[0],
        AnnualPlan.objects.filter(pk=world.plan_draft.pk).values_list(
            "status", "signed_off_by_id", "submitted_at"
        )[0],
        Activity.objects.filter(pk=world.hearing.pk).values_list("status", "updated_at")[0],
        tuple(Invitation.objects.order_by("pk").values_list("token_hash", "status", "attended")),
        tuple(Registration.objects.order_by("pk").values_list("status")),
        tuple(Opinion.objects.order_by("pk").values_list("moderation", "disposition")),
        CommentPeriod.objects.count(),
    )


# ----------------------------------------------------------------------------- resolver


def url_names(resolver=None, namespace: tuple = ()) -> set[str]:
    """Every named URL pattern, with its namespaces (``matters:edit``, ``api:v1:matter-list``)."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(":".join((*namespace, pattern.name)))
    return names


def outcome(response) -> str:
    """A response as the table writes it: the status code, or ``login`` / ``admin_login``
    for a redirect to a login page, ``302`` for any other redirect."""
    if response.status_code in (301, 302, 303, 307):
        path = urlsplit(response["Location"]).path
        if path == reverse("accounts:login"):
            return "login"
        if path == reverse("admin:login"):
            return "admin_login"
        return "302"
    return str(response.status_code)


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")


def content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


# ---------------------------------------------------------------------------------- proposals

PROPOSAL_AUTHOR_PHONE = "13677778888"
PROPOSAL_AUTHOR_EMAIL = "deputy.private@example.cn"
# The lead author's personal rating link of the replied item (only the invitee holds it).
RATING_TOKEN = "rating-token-for-the-access-matrix-0123456789abcdef"


@dataclass
class ProposalsWorld:
    registered: object  # not yet assigned: the office's assignment page
    assigned: object  # assigned to A, awaiting sign-for; with an attachment
    attachment: object
    handling: object  # A handles it: a contact, a draft reply, a pending extension
    draft_reply: object
    extension: object
    co: object  # led by B, A is its co-department (会办): a draft reply to countersign
    co_reply: object
    replied: object  # A replied (public): the letter sent, ratings open
    sent_reply: object


def build_proposals_world(users: dict, department_a, department_b) -> ProposalsWorld:
    """建议提案: one item in each state the staff pages act on (issue 23). Every date is
    fixed in 2026, which the working-day calendar knows."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from proposals import services as proposal_services
    from proposals.models import Rating
    from tests.factories import make_proposal

    shanghai = ZoneInfo("Asia/Shanghai")

    def at(month, day):
        return dt.datetime(2026, month, day, 10, tzinfo=shanghai)

    office, staff_a, leader_a = users["reviewer"], users["staff_a"], users["leader_a"]
    staff_b, leader_b = users["staff_b"], users["leader_b"]
    deputy = make_participant(
        by=office,
        name="矩阵测试代表",
        category="npc_deputy",
        phone=PROPOSAL_AUTHOR_PHONE,
        email=PROPOSAL_AUTHOR_EMAIL,
    )

    def reply(proposal, by, now):
        return proposal_services.reply_save(
            proposal,
            by=by,
            document_number="青甲建字〔2026〕1号",
            body="关于该建议的答复正文。",
            reply_class="A",
            contact_person="经办人甲",
            contact_phone="0532-80000000",
            copy_to="市人大常委会代表工作委员会",
            now=now,
        )

    registered = make_proposal(by=office, authors=[deputy], title="矩阵待交办的建议")
    assigned = make_proposal(by=office, authors=[deputy], title="矩阵待签收的建议")
    proposal_services.proposal_assign(assigned, by=office, department=department_a, now=at(3, 2))
    attachment = proposal_services.attachment_add(
        assigned, by=office, upload=SimpleUploadedFile("附件.pdf", MINIMAL_PDF), title="附件"
    )

    handling = make_proposal(by=office, authors=[deputy], title="矩阵办理中的建议")
    proposal_services.proposal_assign(handling, by=office, department=department_a, now=at(3, 2))
    proposal_services.proposal_sign_for(handling, by=staff_a, now=at(3, 3))
    proposal_services.contact_record(
        handling,
        by=staff_a,
        contacted_on=dt.date(2026, 3, 5),
        method="phone",
        note="电话沟通。",
        now=at(3, 5),
    )
    draft_reply = reply(handling, staff_a, at(3, 20))
    extension = proposal_services.extension_request(
        handling,
        by=staff_a,
        requested_due_date=dt.date(2026, 7, 31),
        reason="需要协调多个部门。",
        now=at(3, 21),
    )

    co = make_proposal(by=office, authors=[deputy], title="矩阵会办的建议")
    proposal_services.proposal_assign(
        co,
        by=office,
        department=department_b,
        co_departments=[(department_a, "joint")],
        now=at(3, 2),
    )
    proposal_services.proposal_sign_for(co, by=staff_b, now=at(3, 3))
    co_reply = reply(co, staff_b, at(3, 20))
    proposal_services.reply_sign_off(co_reply, by=leader_b, now=at(3, 21))

    replied = make_proposal(by=office, authors=[deputy], title="矩阵已答复的建议")
    proposal_services.proposal_assign(replied, by=office, department=department_a, now=at(3, 2))
    proposal_services.proposal_sign_for(replied, by=staff_a, now=at(3, 3))
    proposal_services.contact_record(
        replied,
        by=staff_a,
        contacted_on=dt.date(2026, 3, 5),
        method="in_person",
        note="当面沟通。",
        now=at(3, 5),
    )
    sent_reply = reply(replied, staff_a, at(3, 20))
    proposal_services.reply_sign_off(sent_reply, by=leader_a, now=at(3, 21))
    sent_reply = proposal_services.reply_send(sent_reply, by=staff_a, now=timezone.now())
    Rating.objects.filter(reply=sent_reply).update(token_hash=tokens.token_hash(RATING_TOKEN))
    return ProposalsWorld(
        registered=registered,
        assigned=assigned,
        attachment=attachment,
        handling=handling,
        draft_reply=draft_reply,
        extension=extension,
        co=co,
        co_reply=co_reply,
        replied=replied,
        sent_reply=sent_reply,
    )


# ------------------------------------------------------------------------- surveys (staff)


def build_surveys_staff_world(department_a, *, staff) -> dict:
    """Department A's surveys: a draft with every question type, and an open one taking
    the public and a panel, with one response."""
    from surveys import services as survey_services
    from tests.factories import make_survey, survey_answers

    draft = make_survey(by=staff, department=department_a, publish=False, title="甲局问卷草稿")
    open_survey = make_survey(by=staff, department=department_a, audience="both", title="甲局问卷")
    response = survey_services.response_submit(
        survey=open_survey, data=survey_answers(open_survey), browser=""
    )
    return {"draft": draft, "open": open_survey, "response": response}


# ---------------------------------------------------------------------------- survey results


def build_survey_results_world(department_a, staff_a) -> dict:
    from surveys import services as survey_services
    from surveys.models import Survey
    from tests.factories import make_survey, survey_answers

    published = make_survey(
        by=staff_a,
        department=department_a,
        title="矩阵结果公开的问卷",
        results_shown=Survey.ResultsShown.WHILE_OPEN,
    )
    survey_services.response_submit(survey=published, data=survey_answers(published), browser="")
    pending = make_survey(by=staff_a, department=department_a, title="矩阵结果待公开的问卷")
    draft = make_survey(
        by=staff_a,
        department=department_a,
        title="矩阵未发布的问卷",
        publish=False,
        results_shown=Survey.ResultsShown.WHILE_OPEN,
    )
    text_question = published.questions.filter(kind="text").order_by("-pk").first()
    return {"published": published, "pending": pending, "draft": draft, "text": text_question}


# ---------------------------------------------------------------------- expert argumentation


def build_argumentation_world(matter, *, staff) -> dict:
    """An open argumentation on department A's matter with one expert seated, and a
    completed one (its PDF)."""
    from solicitations import services as argumentation_services

    argumentation = argumentation_services.argumentation_create(
        matter=matter,
        by=staff,
        title="矩阵甲局专家论证",
        form="meeting",
        held_on=timezone.localdate(),
    )
    expert = argumentation_services.expert_choose(
        argumentation=argumentation,
        by=staff,
        participant=make_participant(by=staff, name="矩阵论证专家", category="expert"),
    )
    from tests.solicitations.support import completed_argumentation

    completed = completed_argumentation(matter, staff, title="矩阵甲局已完成的专家论证")
    return {"argumentation": argumentation, "expert": expert, "completed": completed}


# ---------------------------------------------------------------------- written solicitation

LETTER_TOKEN = "letter-token-for-the-access-matrix-0123456789abcdef"


def build_letters_world(matter, period, *, staff, department_b) -> dict:
    """A draft letter and a sent one on department A's published matter."""
    from solicitations.models import Addressee
    from solicitations.services import letters

    def letter(title):
        return letters.solicitation_create(
            matter=matter,
            period=period,
            by=staff,
            letter=letters.Letter(
                title=title,
                reference_number="甲局函〔2026〕1号",
                body="请研究提出意见。",
                deadline=timezone.localdate() + datetime.timedelta(days=10),
                contact_name="矩阵联系人",
                contact_phone="0532-80000000",
                deemed_no_opinion=True,
            ),
        )

    person = make_participant(
        by=staff, name="矩阵代表", category="npc_deputy", email="matrix.deputy@example.cn"
    )
    draft = letter("矩阵甲局拟稿的征求意见函")
    letters.addressees_add(solicitation=draft, by=staff, departments=[department_b])
    sent = letter("矩阵甲局已发出的征求意见函")
    letters.addressees_add(
        solicitation=sent, by=staff, departments=[department_b], participants=[person]
    )
    letters.solicitation_send(solicitation=sent, by=staff)
    body = sent.addressees.get(department=department_b)
    person_place = sent.addressees.get(participant=person)
    Addressee.objects.filter(pk=person_place.pk).update(token_hash=tokens.token_hash(LETTER_TOKEN))
    return {
        "draft": draft,
        "draft_addressee": draft.addressees.get(),
        "sent": sent,
        "body": body,
        "person": person_place,
    }
