"""The directory over HTTP: the list, its filters by city and need, and each co-operative."""
import itertools

from peerm.initiatives.seed import INITIATIVES
from peerm.needs.seed import NEEDS

HTMX = {"HX-Request": "true"}


def _slugs(city=None, need=None):
    """The demo co-operatives a filter should keep, in the network's order."""
    return [item["slug"] for item in INITIATIVES
            if (city is None or item["city"] == city)
            and (need is None or any(n["kind"] == need and n.get("visibility") != "own"
                                     for n in NEEDS.get(item["slug"], [])))]


FILTERS = [
    ("city=Amersfoort", _slugs(city="Amersfoort")),
    ("need=money", _slugs(need="money")),
    ("city=Amersfoort&need=money", _slugs(city="Amersfoort", need="money")),
    ("city=Groningen&need=material", _slugs(city="Groningen", need="material")),
]


def test_demo_filters_keep_some_but_not_all_when_chosen():
    # Guards the cases below: each filter must keep something and leave something out.
    for _, expected in FILTERS:
        assert 0 < len(expected) < len(INITIATIVES)
    assert _slugs(city="Leeuwarden", need="money") == []


def test_directory_keeps_matching_co_operatives_when_filtered(fetch, subtests):
    cases = [("", _slugs()), *FILTERS, ("city=Leeuwarden&need=money", [])]
    for query, expected in cases:
        with subtests.test(query=query):
            page = fetch(f"/initiatives?{query}")
            assert page.status == 200
            assert "<html" in page.text
            assert page.detail_slugs == expected
            assert f"{len(expected)} coöperatie" in page.text
            assert 'role="alert"' not in page.text


def test_directory_answers_only_the_list_when_htmx_filters(fetch, subtests):
    for query, expected in FILTERS:
        with subtests.test(query=query):
            page = fetch(f"/initiatives?{query}", headers=HTMX)
            assert page.status == 200
            assert page.text.lstrip().startswith('<div id="initiative-list"')
            assert page.text.rstrip().endswith("</div>")
            assert "<html" not in page.text and "<form" not in page.text
            assert page.detail_slugs == expected


def test_directory_marks_chosen_filters_when_page_is_whole(fetch):
    page = fetch("/initiatives?city=Amersfoort&need=money")
    assert page.all("option", value="Amersfoort", selected=None)
    assert page.all("option", value="money", selected=None)
    assert not page.all("option", value="Breda", selected=None)
    assert page.first("form", **{"hx-get": "/initiatives"})["action"] == "/initiatives"


def test_directory_shows_all_with_note_when_filter_unknown(fetch, subtests):
    for query, headers in itertools.product(
            ["city=Atlantis", "need=wishes", "city=amersfoort"], [{}, HTMX]):
        with subtests.test(query=query, htmx=bool(headers)):
            page = fetch(f"/initiatives?{query}", headers=headers)
            assert page.status == 200
            assert page.detail_slugs == _slugs()
            name = query.split("=")[1]
            assert f"We kennen het filter &#34;{name}&#34; niet" in page.text
    with subtests.test(query="a known and an unknown filter"):
        page = fetch("/initiatives?city=Amersfoort&need=wishes")
        assert page.detail_slugs == _slugs(city="Amersfoort")
        assert "&#34;wishes&#34;" in page.text
    with subtests.test(query="a filter repeated"):
        assert fetch("/initiatives?city=Amersfoort&city=Breda").detail_slugs == _slugs(
            city="Amersfoort")


def test_directory_escapes_unknown_filter_when_it_is_markup(fetch, subtests):
    for headers in ({}, HTMX):
        with subtests.test(htmx=bool(headers)):
            page = fetch("/initiatives?need=%3Cscript%3Ealert(1)%3C/script%3E&city=%22%3E%3Cb%3E",
                         headers=headers)
            assert page.status == 200
            assert page.detail_slugs == _slugs()
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
            assert "&#34;&gt;&lt;b&gt;" in page.text
            assert "<script>" not in page.text
            assert "<b>" not in page.text


def test_detail_shows_needs_and_partners_in_page_language(fetch):
    item = next(i for i in INITIATIVES if NEEDS.get(i["slug"]) and i["partners"])
    dutch = fetch(f"/initiatives/{item['slug']}")
    assert dutch.status == 200
    for text in [item["name"], item["summary_nl"], *(n["nl"][:30] for n in NEEDS[item["slug"]]),
                 *(p["name"] for p in item["partners"])]:
        assert _escaped(text) in dutch.text
    english = fetch(f"/initiatives/{item['slug']}", headers={"Accept-Language": "en"})
    assert _escaped(item["summary_en"]) in english.text
    assert _escaped(item["summary_nl"]) not in english.text


def _escaped(text):
    return text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")
