from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("协商参与")

    def ready(self) -> None:
        from matters.content_cache import watch
        from matters.models import register_ledger_actions
        from reminders.services import on_sent

        from . import signals
        from .events import Action
        from .models import Opinion

        register_ledger_actions(Action.choices)
        # Opinions are watched in .signals: one waiting for moderation changes no page.
        watch(*(model for model in self.get_models() if model is not Opinion))
        signals.watch_opinions()
        # The outbox tells when an invitation or a selection result has actually gone out.
        from .services.invitations import mark_invitations_sent
        from .services.registrations import mark_registrations_notified

        on_sent("invitation", mark_invitations_sent)
        on_sent("registration", mark_registrations_notified)
