"""Fill the portal with realistic demo data. Safe to run again: it converges, never duplicates."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts import demo as accounts_demo
from annual_plans import demo as plans_demo
from calls import demo as calls_demo
from matters import demo as matters_demo
from matters.procedures import StepType
from oversight import demo as oversight_demo
from participation import demo as participation_demo
from proposals import demo as proposals_demo
from solicitations import demo as solicitations_demo
from surveys import demo as surveys_demo


class Command(BaseCommand):
    help = _("写入演示数据（青岛市真实的区市政府和市政府部门、各角色演示账户）。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help=_("不打印演示账户。"))

    def handle(self, *args, quiet_logins=False, **options):
        departments = accounts_demo.seed_departments()
        users = accounts_demo.seed_users(departments)
        by_name = {user.username: user for user in users}
        # The demo matters' 专家论证 are argumentations held in the portal, their 书面征求意见
        # and 征求党外人士意见 letters sent from it, made as each matter reaches that step.
        matters = matters_demo.seed_matters(
            departments,
            by_name,
            evidence={
                StepType.EXPERT_ARGUMENTATION: solicitations_demo.argue,
                StepType.WRITTEN_SOLICITATION: solicitations_demo.solicit,
                StepType.NON_PARTY_CONSULTATION: solicitations_demo.solicit_non_party,
            },
        )
        plans = plans_demo.seed_plans(departments, by_name)
        participation = participation_demo.seed_participation(by_name)
        # The letters in the comment round participation opens itself.
        solicitations_demo.seed_solicitations(by_name)
        proposals = proposals_demo.seed_proposals(departments, by_name)
        surveys = surveys_demo.seed_surveys(by_name)
        argumentations = solicitations_demo.seed_argumentations()
        calls = calls_demo.seed_calls(by_name)
        orders = oversight_demo.seed_orders(by_name)
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据就绪：%(departments)d 个部门，%(users)d 个演示账户。")
                % {"departments": len(departments), "users": len(users)}
            )
        )
        self.stdout.write(
            self.style.SUCCESS(_("演示协商事项：%(count)d 个。") % {"count": len(matters)})
        )
        self.stdout.write(
            self.style.SUCCESS(_("演示年度计划目录：%(count)d 份。") % {"count": len(plans)})
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示协商参与：%(participants)d 个参与主体，%(periods)d 次征求意见"
                    "（%(opinions)d 条意见），%(activities)d 场协商活动。"
                )
                % participation
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("演示建议提案：%(proposals)d 件（%(year)d年度）。")
                % {**proposals, "year": proposals_demo.YEAR}
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示问卷调查：%(surveys)d 个（%(responses)d 份有效答卷），"
                    "线下调查记录 %(offline)d 个。"
                )
                % surveys
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("演示专家论证：%(argumentations)d 次（%(experts)d 位论证专家）。")
                % argumentations
            )
        )
        self.stdout.write(self.style.SUCCESS(_("演示公开征集：%(calls)d 次。") % calls))
        self.stdout.write(self.style.SUCCESS(_("演示督办通知：%(orders)d 份。") % orders))
        if quiet_logins:
            return
        self.stdout.write(
            _("演示账户（密码均为 %(password)s）：") % {"password": accounts_demo.DEMO_PASSWORD}
        )
        for user in users:
            roles = "、".join(str(role.label) for role in user.roles) or "—"
            department = user.department.short_name if user.department else "—"
            self.stdout.write(
                f"  {user.username:<18} {user.display_name:<6} {department:<12} {roles}"
            )
