"""The staff's expert argumentation pages: every page for the matter's department, the
general office reading without changing, another department kept out, a whole run from
the matter's page to the 专家论证 step, and a refused form keeping what was typed."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from matters.models import ProcedureStep
from matters.procedures import StepType
from participation.models import Participant
from solicitations import services
from solicitations.models import Argumentation, Conclusion, Expert
from tests.factories import (
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_participant,
)

pytestmark = pytest.mark.django_db

HEADINGS = {
    "necessity": "老旧小区加装电梯需求迫切。",
    "legality": "与上位法不抵触。",
    "feasibility": "财政补助比例可行。",
    "benefits": "惠及约12万户居民。",
    "conditions": "需明确部门职责分工。",
}


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def matter(staff):
    return make_matter(
        by=staff, department=staff.department, title="青岛市既有住宅加装电梯管理办法"
    )


@pytest.fixture
def argumentation(matter, staff):
    return services.argumentation_create(
        matter=matter,
        by=staff,
        title="《青岛市既有住宅加装电梯管理办法》专家论证",
        form=Argumentation.Form.MEETING,
        held_on=timezone.localdate(),
    )


def _expert(staff, name, **fields):
    return make_participant(by=staff, name=name, category=Participant.Category.EXPERT, **fields)


@pytest.fixture
def expert(argumentation, staff):
    return services.expert_choose(
        argumentation=argumentation, by=staff, participant=_expert(staff, "张立新")
    )


def _opinion_data(**changes):
    return {
        **HEADINGS,
        "conclusion": Conclusion.AGREE,
        "signed_on": timezone.localdate().isoformat(),
        **changes,
    }


def _pages(argumentation, expert):
    pk = argumentation.pk
    return [
        reverse("solicitations:argumentation_create") + f"?matter={argumentation.matter_id}",
        reverse("solicitations:argumentation_detail", args=[pk]),
        reverse("solicitations:expert_add", args=[pk]),
        reverse("solicitations:expert_declare", args=[pk, expert.pk]),
        reverse("solicitations:opinion_enter", args=[pk, expert.pk]),
    ]


class TestWhoSeesWhat:
    def test_every_page_opens_for_the_departments_staff(self, client, staff, argumentation, expert):
        client.force_login(staff)
        for url in _pages(argumentation, expert):
            assert client.get(url).status_code == 200, url

    def test_the_departments_leader_may_run_it_too(self, client, staff, argumentation, expert):
        client.force_login(LeaderFactory(department=staff.department))
        for url in _pages(argumentation, expert):
            assert client.get(url).status_code == 200, url

    def test_the_general_office_reads_but_changes_nothing(
        self, client, staff, argumentation, expert
    ):
        client.force_login(ReviewerFactory())
        detail = client.get(reverse("solicitations:argumentation_detail", args=[argumentation.pk]))
        assert detail.status_code == 200
        body = detail.content.decode()
        assert "张立新" in body
        assert reverse("solicitations:expert_add", args=[argumentation.pk]) not in body
        create, _detail, add, declare, opinion = _pages(argumentation, expert)
        for url in (create, add, declare, opinion):
            assert client.get(url).status_code == 403, url
        response = client.post(declare, {"conflict": "no"})
        assert response.status_code == 403
        expert.refresh_from_db()
        assert expert.declaration == Expert.Declaration.PENDING

    def test_another_department_finds_nothing(self, client, argumentation, expert):
        client.force_login(StaffFactory(department=DepartmentFactory()))
        for url in _pages(argumentation, expert):
            assert client.get(url).status_code == 404, url
        complete = reverse("solicitations:argumentation_complete", args=[argumentation.pk])
        assert client.post(complete, {"summary": "x", "conclusion": "agree"}).status_code == 404

    def test_an_expert_of_another_argumentation_is_not_found(
        self, client, staff, matter, argumentation, expert
    ):
        other = services.argumentation_create(
            matter=matter,
            by=staff,
            title="第二次论证",
            form="written",
            held_on=timezone.localdate(),
        )
        client.force_login(staff)
        url = reverse("solicitations:expert_declare", args=[other.pk, expert.pk])
        assert client.get(url).status_code == 404

    def test_signed_out_visitors_are_sent_to_sign_in(self, client, argumentation):
        response = client.get(
            reverse("solicitations:argumentation_detail", args=[argumentation.pk])
        )
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class TestMatterPage:
    def test_the_matter_page_lists_its_argumentations_and_offers_a_new_one(
        self, client, staff, argumentation, expert
    ):
        client.force_login(staff)
        body = client.get(reverse("matters:staff_detail", args=[argumentation.matter_id]))
        text = body.content.decode()
        assert "《青岛市既有住宅加装电梯管理办法》专家论证" in text
        assert "张立新" in text
        assert reverse("solicitations:argumentation_create") + "?matter=" in text

    def test_the_general_office_sees_them_without_the_button(self, client, argumentation):
        client.force_login(ReviewerFactory())
        text = client.get(reverse("matters:staff_detail", args=[argumentation.matter_id]))
        text = text.content.decode()
        assert "《青岛市既有住宅加装电梯管理办法》专家论证" in text
        assert reverse("solicitations:argumentation_create") not in text


class TestWholeRun:
    def test_create_seat_declare_hear_and_complete(self, client, staff, matter):
        client.force_login(staff)
        create = reverse("solicitations:argumentation_create") + f"?matter={matter.pk}"
        page = client.get(create).content.decode()
        assert "《青岛市既有住宅加装电梯管理办法》专家论证" in page  # the title prefilled
        response = client.post(
            create,
            {
                "title": "《青岛市既有住宅加装电梯管理办法》专家论证",
                "form": "meeting",
                "held_on": timezone.localdate().isoformat(),
                "draft": "",
            },
            follow=True,
        )
        argumentation = Argumentation.objects.get(matter=matter)
        assert "专家论证已建立" in response.content.decode()
        pk = argumentation.pk

        names = ["张立新", "赵敏", "王海", "孙利"]
        for name in names:
            participant = _expert(staff, name, expertise="城市规划")
            response = client.post(
                reverse("solicitations:expert_add", args=[pk]), {"participant": participant.pk}
            )
            assert response.status_code == 302
        experts = {e.name: e for e in argumentation.experts.all()}
        assert set(experts) == set(names)
        # Every seated expert is gone from the choices; the empty state leads to the registry.
        page = client.get(reverse("solicitations:expert_add", args=[pk])).content.decode()
        assert reverse("participation:participant_list") in page

        for name, expert in experts.items():
            data = (
                {"conflict": "yes", "note": "曾参与起草"} if name == "孙利" else {"conflict": "no"}
            )
            url = reverse("solicitations:expert_declare", args=[pk, expert.pk])
            assert client.post(url, data).status_code == 302
        page = client.get(reverse("solicitations:argumentation_detail", args=[pk])).content.decode()
        assert "尚未录入论证意见：张立新、赵敏、王海" in page
        assert "曾参与起草" in page

        for name in ("张立新", "赵敏", "王海"):
            url = reverse("solicitations:opinion_enter", args=[pk, experts[name].pk])
            assert name in client.get(url).content.decode()
            assert client.post(url, _opinion_data()).status_code == 302

        detail = reverse("solicitations:argumentation_detail", args=[pk])
        page = client.get(detail).content.decode()
        assert "老旧小区加装电梯需求迫切。" in page and "经济社会效益" in page
        assert "完成专家论证" in page and "completion-problems" not in page

        response = client.post(
            reverse("solicitations:argumentation_complete", args=[pk]),
            {
                "summary": "专家组同意该办法，建议完善职责分工。",
                "conclusion": "agree_after_changes",
            },
            follow=True,
        )
        page = response.content.decode()
        assert "专家论证已完成" in page
        assert "专家组同意该办法，建议完善职责分工。" in page
        argumentation.refresh_from_db()
        assert argumentation.status == Argumentation.Status.COMPLETED
        step = ProcedureStep.objects.get(matter=matter, step_type=StepType.EXPERT_ARGUMENTATION)
        assert argumentation.step == step
        assert reverse("solicitations:expert_add", args=[pk]) not in page
        # Its change pages lead back to it now.
        response = client.get(reverse("solicitations:expert_add", args=[pk]), follow=True)
        assert "专家论证已经完成，不能再修改。" in response.content.decode()


class TestRefusals:
    def test_a_refused_opinion_keeps_what_was_typed_and_says_why(
        self, client, staff, argumentation, expert
    ):
        services.expert_declare(expert=expert, by=staff, conflict=False)
        client.force_login(staff)
        url = reverse("solicitations:opinion_enter", args=[argumentation.pk, expert.pk])
        response = client.post(url, _opinion_data(legality="", feasibility="  "))
        assert response.status_code == 200
        page = response.content.decode()
        assert "论证意见缺少：合法性、可行性。" in page
        assert "老旧小区加装电梯需求迫切。" in page
        assert 'role="alert"' in page
        expert.refresh_from_db()
        assert not expert.has_opinion

    def test_a_declared_conflict_needs_a_note(self, client, staff, argumentation, expert):
        client.force_login(staff)
        url = reverse("solicitations:expert_declare", args=[argumentation.pk, expert.pk])
        response = client.post(url, {"conflict": "yes", "note": ""})
        assert response.status_code == 200
        assert "请说明存在的利害关系。" in response.content.decode()

    def test_an_opinion_before_the_declaration_is_refused(
        self, client, staff, argumentation, expert
    ):
        client.force_login(staff)
        url = reverse("solicitations:opinion_enter", args=[argumentation.pk, expert.pk])
        response = client.post(url, _opinion_data())
        assert "请先录入张立新的回避声明。" in response.content.decode()

    def test_completing_too_early_is_refused_with_the_summary_kept(
        self, client, staff, argumentation, expert
    ):
        client.force_login(staff)
        page = client.get(
            reverse("solicitations:argumentation_detail", args=[argumentation.pk])
        ).content.decode()
        assert "尚未录入回避声明：张立新。" in page
        response = client.post(
            reverse("solicitations:argumentation_complete", args=[argumentation.pk]),
            {"summary": "专家组意见草稿", "conclusion": "agree"},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "出具论证意见的专家不少于3位" in page
        assert "专家组意见草稿" in page
        argumentation.refresh_from_db()
        assert argumentation.is_open

    def test_the_create_page_wants_a_matter_of_the_users_department(self, client, staff):
        client.force_login(staff)
        assert client.get(reverse("solicitations:argumentation_create")).status_code == 404


class TestQueries:
    @pytest.mark.parametrize("count", [3, 9])
    def test_the_detail_page_costs_the_same_queries_whatever_the_panel(
        self, client, staff, argumentation, count, django_assert_max_num_queries
    ):
        for number in range(count):
            chosen = services.expert_choose(
                argumentation=argumentation, by=staff, participant=_expert(staff, f"专家{number}")
            )
            services.expert_declare(expert=chosen, by=staff, conflict=False)
            services.opinion_enter(
                expert=chosen,
                by=staff,
                opinion=services.Opinion(
                    **HEADINGS, conclusion=Conclusion.AGREE, signed_on=timezone.localdate()
                ),
            )
        client.force_login(staff)
        url = reverse("solicitations:argumentation_detail", args=[argumentation.pk])
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


class TestCompleted:
    def test_a_completed_argumentation_shows_its_result_and_its_pdf_to_the_office(
        self, client, staff, argumentation
    ):
        for name in ("张立新", "赵敏", "王海"):
            chosen = services.expert_choose(
                argumentation=argumentation, by=staff, participant=_expert(staff, name)
            )
            services.expert_declare(expert=chosen, by=staff, conflict=False)
            services.opinion_enter(
                expert=chosen,
                by=staff,
                opinion=services.Opinion(
                    **HEADINGS, conclusion=Conclusion.AGREE, signed_on=timezone.localdate()
                ),
            )
        services.argumentation_complete(
            argumentation=argumentation, by=staff, summary="专家组一致同意。", conclusion="agree"
        )
        client.force_login(ReviewerFactory())
        page = client.get(
            reverse("solicitations:argumentation_detail", args=[argumentation.pk])
        ).content.decode()
        assert "专家组一致同意。" in page
        assert "已记入本事项的“专家论证”步骤" in page
        try:
            pdf = reverse("solicitations:argumentation_pdf", args=[argumentation.pk])
        except NoReverseMatch:
            pytest.skip("the PDF view is not there yet")
        assert pdf in page
