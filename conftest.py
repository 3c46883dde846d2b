import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    """The role groups, as the data migration created them."""
    from django.contrib.auth.models import Group

    return {group.name: group for group in Group.objects.all()}
