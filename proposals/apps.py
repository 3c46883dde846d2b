from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("建议提案办理")

    def ready(self) -> None:
        from core.content_cache import watch
        from matters.ledger_display import register_ledger_display
        from matters.models import register_ledger_actions, register_ledger_object_year
        from reminders.services import on_sent

        from .events import Action
        from .models import Assignment, Author, CoDepartment, Extension, Proposal, Rating, Reply
        from .services import mark_ratings_sent

        register_ledger_actions(Action.choices)
        # The ledger's year filter finds an item's rows by the item's year (an item of the
        # 2026 session is handled into 2027).
        register_ledger_object_year(
            "proposal", lambda year: Proposal.objects.filter(year=year).values("pk")
        )
        for model in self.get_models():
            if model is not Proposal and "proposal" in {f.name for f in model._meta.fields}:
                register_ledger_object_year(
                    model._meta.model_name,
                    lambda year, model=model: model.objects.filter(proposal__year=year).values(
                        "pk"
                    ),
                )
        register_ledger_object_year(
            "rating", lambda year: Rating.objects.filter(reply__proposal__year=year).values("pk")
        )
        # Only what the public pages, search, the API and open data read: an item, its
        # authors, co-departments and replies. A contact, an extension, an assignment, a
        # rating or an evaluation shows publicly only through the item's own row, which the
        # service saves too, so recording one leaves every cached page in place.
        watch(Proposal, Author, CoDepartment, Reply)
        on_sent("rating", mark_ratings_sent)
        register_ledger_display(
            labels={
                "authors": _("提出人"),
                "department": _("主办单位"),
                "to": _("送达对象"),
                "rounds_allowed": _("可办理轮次"),
                "returned_at": _("退回时间"),
                "signed_at": _("签收时间"),
                "on_time": _("按期"),
            },
            models=(Proposal, Assignment, Extension, Reply, Rating),
        )
