"""Text kept in two languages: a field `<name>_nl` and `<name>_en` on a model.

`localized(obj, name)` gives the text in the page's language, or the Dutch text when there
is no English one (and the other way round), as a `Localized` string that knows which
language it is in, so that a page can mark text in the other language with `lang`
(`{{ text|lang_attr }}`) and a screen reader pronounces it right.
"""
from flask_babel import get_locale

LANGUAGES = ("nl", "en")


class Localized(str):
    """A text and the language it is written in."""
    lang = "nl"

    def __new__(cls, value, lang):
        text = super().__new__(cls, value or "")
        text.lang = lang
        return text


def localized(obj, name, language=None):
    """The text of a two-language field in the wanted language, else in the other one."""
    wanted = language or _page_language()
    for lang in (wanted, *[other for other in LANGUAGES if other != wanted]):
        value = getattr(obj, f"{name}_{lang}", None)
        if value:
            return Localized(value, lang)
    return Localized("", wanted)


def _page_language():
    locale = get_locale()
    return locale.language if locale is not None else LANGUAGES[0]
