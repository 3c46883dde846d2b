import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from bench import scale as city
from matters.models import LedgerEntry, Matter, StageChange
from matters.procedures import procedure_for
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant

pytestmark = pytest.mark.django_db

SCALE = 0.001


def _seed(*extra):
    call_command("seed_scale", "--scale", str(SCALE), "--allow-sqlite", "--yes", *extra)


def _counts():
    return {
        "matters": Matter.objects.count(),
        "plans": AnnualPlan.objects.count(),
        "plan_items": PlanItem.objects.count(),
        "opinions": Opinion.objects.count(),
        "invitations": Invitation.objects.count(),
    }


def test_seed_scale_writes_proportional_consistent_data(capsys):
    ledger_before = LedgerEntry.objects.count()
    _seed()

    sizes = city.sizes(SCALE)
    assert _counts() == {name: sizes[name] for name in _counts()}
    assert sizes["matters"] == 100 and sizes["opinions"] == 500
    assert Participant.objects.count() == sizes["participants"]
    assert Activity.objects.count() * city.INVITATIONS_PER_ACTIVITY == sizes["invitations"]
    assert Department.objects.filter(code__startswith=city.DEPARTMENT_PREFIX).exists()

    for kind, stage in Matter.objects.values_list("kind", "stage"):
        assert stage in {s.code for s in procedure_for(kind).stages}
    assert not Matter.objects.filter(planned_end__lt=F("planned_start")).exists()
    assert Matter.objects.exclude(reference__startswith=city.REFERENCE_PREFIX).count() == 0
    assert not Opinion.objects.exclude(matter=F("period__matter")).exists()
    assert not CommentPeriod.objects.filter(ends_at__lte=F("starts_at")).exists()
    assert not Activity.objects.filter(ends_at__lt=F("starts_at")).exists()
    assert (
        AnnualPlan.objects.values("department", "year").annotate(n=Count("id")).filter(n__gt=1)
    ).count() == 0
    assert all(len(h) == 64 for h in Invitation.objects.values_list("token_hash", flat=True))
    # Every matter's timeline ends at its current stage.
    last = {}
    for matter_id, to_stage in StageChange.objects.order_by("changed_at", "pk").values_list(
        "matter_id", "to_stage"
    ):
        last[matter_id] = to_stage
    assert last == dict(Matter.objects.values_list("id", "stage"))
    # Opinions are concentrated: the most contested matter holds its share of them.
    per_matter = list(
        Opinion.objects.values("matter").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert round(city.TOP_SHARE * sizes["opinions"]) in per_matter
    published = Matter.objects.filter(is_published=True).count()
    assert 0.5 < published / sizes["matters"] < 0.9

    assert LedgerEntry.objects.count() == ledger_before
    assert "Most contested matter" in capsys.readouterr().out


def test_seed_scale_refuses_a_second_run_and_replaces_on_request(capsys):
    _seed()
    first = _counts()
    references = set(Matter.objects.values_list("reference", flat=True))
    with pytest.raises(CommandError, match="--replace"):
        _seed()
    assert _counts() == first

    _seed("--replace")
    assert _counts() == first
    # Same seed, same data.
    assert set(Matter.objects.values_list("reference", flat=True)) == references
    # The old departments and users went with the old data: one scale user per department.
    assert User.objects.filter(username__startswith=city.USERNAME_PREFIX).count() == (
        Department.objects.filter(is_active=True)
        .exclude(kind=Department.Kind.GENERAL_OFFICE)
        .count()
    )
    assert LedgerEntry.objects.count() == 0


def test_seed_scale_refuses_sqlite_without_the_flag():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(
            "not a missing service: pins the refusal on SQLite, so a PostgreSQL run (CI) "
            "cannot exercise it"
        )
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", "--scale", str(SCALE), "--yes")
    assert Matter.objects.count() == 0


def test_seed_scale_writes_a_year_of_suggestions_and_proposals(capsys):
    from proposals.models import Assignment, Author, Contact, Proposal, Rating, Reply
    from proposals.selectors import figures

    _seed()
    sizes = city.sizes(SCALE)
    items = Proposal.objects.all()
    assert items.count() == sizes["proposals"]
    assert Contact.objects.count() == sizes["proposal_contacts"]
    assert not items.exclude(number__startswith="S-").exists()
    # Every item has its lead author; assigned items their assignment; replied ones a reply.
    assert Author.objects.filter(role="lead").count() == items.count()
    assert not items.exclude(status__in=("registered",)).filter(assignments=None).exists()
    replied = items.filter(status__in=("replied", "second_round", "closed"))
    assert not replied.filter(replies=None).exists()
    assert (
        not items.filter(status__in=("registered", "returned"))
        .exclude(lead_department=None)
        .exists()
    )
    assert not Rating.objects.exclude(result="").filter(rated_at=None).exists()
    assert not Contact.objects.filter(round__gt=1, proposal__round=1).exists()
    assert (
        Reply.objects.filter(status="sent").count()
        == Rating.objects.values("reply").distinct().count()
    )
    assert Assignment.objects.filter(outcome="returned").exists()
    # The year's figures add up for the city.
    _rows, total = figures(items.first().year)
    assert total["assigned"] == items.exclude(status="registered").count()
    assert total["replied"] == replied.count()

    _seed("--replace")
    assert Proposal.objects.count() == sizes["proposals"]
