from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "matters"
    verbose_name = _("协商事项")

    def ready(self) -> None:
        from accounts import events as account_events
        from accounts.models import Department
        from core.content_cache import watch

        from .events import record
        from .models import LedgerEntry, register_ledger_actions

        # The ledger is read by staff only; every state change of every app writes a row,
        # so watching it would retire every cached public page at each staff action.
        watch(*(model for model in self.get_models() if model is not LedgerEntry), Department)
        # Accounts cannot import the ledger (it is the lowest app): it is handed the writer.
        account_events.set_ledger_writer(record)
        register_ledger_actions(account_events.ACTION_CHOICES)
