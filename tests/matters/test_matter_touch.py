"""A matter's ``updated_at`` moves whenever anything published with it changes.

The API gives it to clients as ``modified`` and filters on it (``modified_since``): a
service that changes a document, a draft or a step of a matter but leaves ``updated_at``
behind would hide that change from every client that syncs incrementally.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from matters import services
from matters.models import Document, Matter
from matters.procedures import StepType
from tests.factories import MINIMAL_PDF, StaffFactory, make_matter

pytestmark = pytest.mark.django_db



@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def matter(staff):
    return make_matter(by=staff)


def updated_at(matter) -> datetime.datetime:
    return Matter.objects.values_list("updated_at", flat=True).get(pk=matter.pk)


def set_back(matter) -> datetime.datetime:
    """Put the matter's ``updated_at`` a month into the past; return the moment to beat."""
    Matter.objects.filter(pk=matter.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    return timezone.now()


def assert_touched(matter, since: datetime.datetime) -> None:
    assert updated_at(matter) >= since


def attach(matter, by):
    return services.document_attach(
        matter=matter,
        by=by,
        upload=SimpleUploadedFile("草案.pdf", MINIMAL_PDF),
        title="征求意见稿",
        category=Document.Category.DRAFT,
    )


def add_draft(matter, by):
    return services.draft_add(
        matter=matter,
        by=by,
        title="青岛市城市更新条例（草案）",
        text="第一条 为了推进城市更新……",
        change_note="初稿",
    )


def test_matter_touch_moves_only_the_given_matter(matter, staff):
    other = make_matter(by=staff)
    since = set_back(matter)
    set_back(other)
    untouched = updated_at(other)

    services.matter_touch(matter_id=matter.pk)

    assert_touched(matter, since)
    assert updated_at(other) == untouched


def test_step_record_touches_the_matter(matter, staff):
    since = set_back(matter)
    services.step_record(
        matter=matter,
        by=staff,
        step_type=StepType.PUBLIC_PARTICIPATION,
        occurred_on=timezone.localdate(),
        responsible_person="王强",
        summary="已按规定完成并形成书面材料。",
    )
    assert_touched(matter, since)


def test_document_attach_touches_the_matter(matter, staff):
    since = set_back(matter)
    attach(matter, staff)
    assert_touched(matter, since)


def test_document_remove_touches_the_matter(matter, staff):
    document = attach(matter, staff)
    since = set_back(matter)
    services.document_remove(document=document, by=staff, reason="上传了错误版本")
    assert_touched(matter, since)


def test_draft_add_touches_the_matter(matter, staff):
    since = set_back(matter)
    add_draft(matter, staff)
    assert_touched(matter, since)


def test_draft_publish_touches_the_matter(matter, staff):
    draft = add_draft(matter, staff)
    since = set_back(matter)
    services.draft_publish(draft=draft, by=staff)
    assert_touched(matter, since)


# The services below save the matter row itself; auto_now moves updated_at.


def test_matter_update_moves_updated_at(matter, staff):
    since = set_back(matter)
    services.matter_update(matter=matter, by=staff, title="关于完善城市更新政策的协商事项（修改）")
    assert_touched(matter, since)


def test_matter_advance_stage_moves_updated_at(matter, staff):
    since = set_back(matter)
    services.matter_advance_stage(matter=matter, by=staff)
    assert_touched(matter, since)


def test_matter_return_stage_moves_updated_at(matter, staff):
    first_stage = matter.stage
    matter = services.matter_advance_stage(matter=matter, by=staff)
    since = set_back(matter)
    services.matter_return_stage(matter=matter, by=staff, to_stage=first_stage, reason="需补充调研")
    assert_touched(matter, since)


def test_matter_publish_moves_updated_at(matter, staff):
    since = set_back(matter)
    services.matter_publish(matter=matter, by=staff)
    assert_touched(matter, since)


def test_matter_withdraw_moves_updated_at(matter, staff):
    matter = services.matter_publish(matter=matter, by=staff)
    since = set_back(matter)
    services.matter_withdraw(matter=matter, by=staff, reason="内容有误，需修改后重新公开")
    assert_touched(matter, since)
