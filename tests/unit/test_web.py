"""The page helpers of `peerm.web`: two-language values, dates and times, partial or whole."""
import datetime as dt
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from peerm.core.text import localized
from peerm.web import format_clock, format_day, wants_partial


@pytest.fixture
def in_language(app):
    """Enter a request in a language: `with in_language("en"): …`."""
    def enter(language, **headers):
        return app.test_request_context(headers={"Accept-Language": language, **headers})
    return enter


def test_localized_falls_back_to_dutch_when_english_is_empty(in_language):
    thing = SimpleNamespace(summary_nl="Samen koken", summary_en="Cooking together")
    with in_language("en"):
        assert localized(thing, "summary") == "Cooking together"
    with in_language("nl"):
        assert localized(thing, "summary") == "Samen koken"
    for english in ("", None):
        thing = SimpleNamespace(summary_nl="Samen koken", summary_en=english)
        with in_language("en"):
            assert localized(thing, "summary") == "Samen koken"


def test_localized_falls_back_to_dutch_when_model_is_english_empty(app, db_connection):
    from peerm.initiatives.models import Initiative

    initiative = Initiative.listed().first()
    initiative.summary_en = ""
    initiative.save()
    initiative = Initiative.get_by_id(initiative.id)
    with app.app_context(), force_locale("en"):
        assert initiative.summary == initiative.summary_nl != ""


def test_dates_and_times_are_written_in_page_language(in_language):
    from peerm.core import clock

    day = dt.date(2026, 12, 19)
    with in_language("nl"), clock.frozen(dt.datetime(2026, 11, 29, 12, 0)):
        assert format_day(day) == "zaterdag 19 december 2026"
        assert format_day(day, "short") == "za 19 dec"
        # A day of another year says which (a list running into the next year).
        assert format_day(dt.date(2027, 1, 9), "short") == "za 9 jan 2027"
        assert format_clock(dt.time(19, 5)) == "19:05"
    with in_language("en"):
        assert format_day(day) == "Saturday 19 December 2026"
        assert format_clock(dt.time(7, 30)) == "07:30"


# (request headers, whether the view should answer with the partial alone)
SWAPS = [
    ({}, False),
    ({"HX-Request": "true"}, True),
    ({"HX-Request": "true", "HX-Boosted": "true"}, False),
    ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
    ({"HX-Request": "false"}, False),
]


def test_wants_partial_only_when_htmx_swaps_a_part(app):
    for headers, partial in SWAPS:
        with app.test_request_context(headers=headers):
            assert wants_partial() is partial, headers
