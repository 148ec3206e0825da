"""Languages: Dutch by default, English on request.

The choice is remembered in the `lang` cookie; without it the browser's `Accept-Language`
decides. Message catalogues live in `peerm/translations/`, and a part may keep its own in
`peerm/<part>/translations/` (merged over the app's, so parts written side by side never
touch one file); a catalogue whose compiled `.mo` file is missing or older than its `.po`
file is compiled at start-up, so a fresh checkout needs no build step.
"""
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_request_context, request
from flask_babel import Babel, get_locale

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"
LANGUAGE_COOKIE = "lang"
# How long the language choice is remembered: a year, in seconds.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

TRANSLATIONS = Path(__file__).parent / "translations"
# Parsed once: Flask-Babel takes a Locale as it is, and parsing one costs a fraction of a
# millisecond on every request.
LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def select_language():
    """The language of this request: the remembered choice, then the browser's wish, then Dutch."""
    if not has_request_context():
        return LOCALES[DEFAULT_LANGUAGE]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE
    return LOCALES[chosen]


def current_language():
    """The two-letter code of the language the page is shown in."""
    return get_locale().language


def catalogue_folders() -> list:
    """The folders that hold catalogues: the app's, then each part's own."""
    return [TRANSLATIONS, *sorted(TRANSLATIONS.parent.glob("*/translations"))]


def compile_catalogues(folder: Path = TRANSLATIONS):
    """Compile every `.po` catalogue of a folder whose `.mo` is missing or stale."""
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)


def init_app(app):
    """Set up Flask-Babel with Dutch as the default."""
    folders = catalogue_folders()
    for folder in folders:
        compile_catalogues(folder)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(f) for f in folders)
    Babel(app, locale_selector=select_language)
