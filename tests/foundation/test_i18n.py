"""The zh-Hans catalogue is complete: every string the UI marks for translation has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src/onconav/locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_translations_keep_their_placeholders():
    import re

    po = polib.pofile(str(PO))
    for e in po.translated_entries():
        translated = e.msgstr_plural[0] if e.msgid_plural else e.msgstr
        assert sorted(re.findall(r"%\(\w+\)s", e.msgid)) == sorted(re.findall(r"%\(\w+\)s", translated)), (
            e.msgid
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogue_contains_every_marked_string_in_the_code(tmp_path):
    # Given a fresh extraction of the marked strings into a scratch copy of the source tree
    src = tmp_path / "onconav"
    shutil.copytree(ROOT / "src/onconav", src, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "locale"))
    (src / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "-i",
            "kbdata/*",
            "-i",
            "engine/*",
        ],
        cwd=src,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "onconav.config.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT / "src"),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(src / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    missing = sorted(fresh - committed)
    assert not missing, f"run `make messages-update`: not in the catalogue: {missing[:10]}"
