import contextlib
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_string():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.slow  # xgettext over every source file and template
def test_english_catalogue_holds_every_string_the_sources_mark(tmp_path, settings):
    """A string marked for translation after the catalogue was last refreshed would be
    shown in Chinese to English readers without any test failing above. Extract the
    strings afresh from a copy of the sources (makemessages writes beside what it reads)
    and compare."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "portal"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "test-artifacts", "staticfiles", "*.mo", "*.pyc"
        ),
    )
    settings.LOCALE_PATHS = [str(copy / "locale")]
    with contextlib.chdir(copy):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    kept = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE))}
    missing = sorted(entry.msgid for entry in fresh if (entry.msgctxt, entry.msgid) not in kept)
    assert missing == [], "run `make makemessages` and translate: " + "; ".join(missing)
