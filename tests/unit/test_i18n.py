"""The Dutch catalogue: every message of the code translated, placeholders kept; language choice."""
import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from peerm.i18n import (
    TRANSLATIONS,
    catalogue_folders,
    compile_catalogues,
    select_language,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
# The keywords `make messages` extracts, besides Babel's own (_, gettext, ngettext, …).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


@pytest.fixture(scope="module")
def catalogue():
    """The app's Dutch catalogue with every part's own merged in."""
    with CATALOGUE.open("rb") as po_file:
        merged = read_po(po_file, locale="nl")
    for folder in catalogue_folders()[1:]:
        path = folder / "nl" / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as po_file:
                for message in read_po(po_file, locale="nl"):
                    if message.id:
                        merged[message.id] = message
    return merged


@pytest.fixture(scope="module")
def extracted():
    """Every translatable message in the code and templates, as `pybabel extract` finds them."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    return [(filename, line, message) for filename, line, message, _, _ in
            extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)]


def _msgid(message):
    return message if isinstance(message, str) else message[0]


def _translations(message):
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_extraction_finds_messages_of_code_and_templates(extracted):
    files = {filename for filename, _, _ in extracted}
    assert any(name.startswith("peerm/") for name in files)
    assert any(name.startswith("templates/") for name in files)
    assert "Co-operative" in {_msgid(m) for _, _, m in extracted}   # an `_l` message


def test_catalogue_has_no_empty_or_fuzzy_translation(catalogue):
    empty = [m.id for m in catalogue if m.id and not all(_translations(m))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert empty == []
    assert fuzzy == []


def test_catalogue_translates_every_message_when_code_uses_it(catalogue, extracted):
    missing = []
    for filename, line, message in extracted:
        entry = catalogue.get(message if isinstance(message, str) else message[0])
        if entry is None or not all(_translations(entry)):
            missing.append(f"{filename}:{line} {_msgid(message)!r}")
        elif not isinstance(message, str) and not isinstance(entry.id, tuple):
            missing.append(f"{filename}:{line} {_msgid(message)!r} needs its plural")
    assert missing == [], "run `make messages` and translate these:\n" + "\n".join(missing)


def test_catalogue_keeps_placeholders_when_translating(catalogue):
    broken = []
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for translation in _translations(message):
            if set(PLACEHOLDER.findall(translation)) != wanted:
                broken.append((_msgid(message.id), translation))
    assert broken == []


def test_catalogue_formats_every_message_when_given_its_values(catalogue):
    failing = []
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        values = {name: 1 for i in ids for name in PLACEHOLDER.findall(i)}
        for translation in _translations(message) if message.id and values else []:
            try:
                translation % values
            except (KeyError, ValueError, TypeError) as error:
                failing.append((translation, repr(error)))
    assert failing == []


def test_compile_catalogues_writes_mo_when_missing_or_stale(tmp_path):
    folder = tmp_path / "translations"
    po_path = folder / "nl" / "LC_MESSAGES" / "messages.po"
    po_path.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, po_path)
    mo_path = po_path.with_suffix(".mo")

    compile_catalogues(folder)
    with mo_path.open("rb") as mo_file:
        assert gettext.GNUTranslations(mo_file).gettext("Co-operatives") == "Coöperaties"

    written = mo_path.stat().st_mtime_ns
    compile_catalogues(folder)
    assert mo_path.stat().st_mtime_ns == written, "a fresh .mo is left alone"

    stale = mo_path.stat().st_mtime - 10
    os.utime(mo_path, (stale, stale))
    compile_catalogues(folder)
    assert mo_path.stat().st_mtime > stale


# (the `lang` cookie, Accept-Language, the language chosen)
CHOICES = [
    (None, None, "nl"),
    (None, "en", "en"),
    (None, "en-US,en;q=0.8", "en"),
    (None, "fr", "nl"),
    ("en", "nl", "en"),
    ("nl", "en", "nl"),
    ("de", "en", "en"),
    ("", None, "nl"),
]


def test_select_language_prefers_cookie_then_browser_then_dutch(app):
    for cookie, accept, expected in CHOICES:
        headers = {}
        if cookie is not None:
            headers["Cookie"] = f"lang={cookie}"
        if accept:
            headers["Accept-Language"] = accept
        with app.test_request_context(headers=headers):
            assert str(select_language()) == expected, (cookie, accept)
