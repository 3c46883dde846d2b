"""Cached public content and opinions: an opinion changes a public page only once it is
shown (moderation) or answered (disposition), both of which announce the change themselves.
A new opinion waiting for moderation, the common write during a busy consultation, leaves
the page cache alone; any other save or delete of an opinion (the admin, say) drops it."""

from django.db.models.signals import post_delete, post_save

from core.content_cache import content_changed

from .models import Opinion


def _opinion_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or (created and instance.moderation == Opinion.Moderation.PENDING):
        return
    content_changed()


def _opinion_deleted(sender, **kwargs) -> None:
    content_changed()


def watch_opinions() -> None:
    post_save.connect(_opinion_saved, sender=Opinion, dispatch_uid="content-cache-opinion-save")
    post_delete.connect(
        _opinion_deleted, sender=Opinion, dispatch_uid="content-cache-opinion-delete"
    )
