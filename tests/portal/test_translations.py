from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_string():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
