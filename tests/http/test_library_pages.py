"""The library's pages through the test client: the list with its filters and search (page
and htmx partial), a document in both languages (the missing language marked with `lang`,
the translation that fell behind), its print view, history and old revisions, the phone's
search index, and writing: new, edit, publish, archive, files. Bad input answers 400 with a
message and changes nothing; outcomes are read from the database and status codes."""
import io
import re

import pytest

from peerm.core.db import db
from peerm.library.models import Attachment, Document, Revision
from peerm.library.services import MAX_ATTACHMENT_BYTES

HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 30
TEXTS = {"kind": "howto", "title_nl": "Buurtkast maken", "summary_nl": "Zo maak je een buurtkast.",
         "body_nl": "## Stap 1\n\nZoek een plek.\n\n<script>alert(1)</script>"}


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def doc(app, key):
    return in_db(app, lambda: Document.get(Document.seed_key == key))


def text(response):
    return response.get_data(as_text=True)


def titles(response):
    return re.findall(r'class="card__title"><a href="/library/(\d+)"', text(response))


def count(app, model):
    return in_db(app, lambda: model.select().count())


@pytest.fixture
def fatima(log_in):
    return log_in("fatima@peerm.example")


@pytest.fixture
def files(app, tmp_path):
    app.config["LIBRARY_FOLDER"] = str(tmp_path / "library")
    return tmp_path / "library"


def post(client, form_token, path, data, **kwargs):
    return client.post(path, data={"csrf_token": form_token(client), **data}, **kwargs)


# --- reading --------------------------------------------------------------------------------

def test_list_shows_published_by_kind_and_tag_with_and_without_htmx(app, client):
    everything = client.get("/library")
    assert everything.status_code == 200 and "HX-Request" in everything.headers["Vary"]
    assert len(titles(everything)) == 5
    template = doc(app, "sjabloon-afsprakenlijst-vrijwilliger")
    assert titles(client.get("/library?kind=template")) == [str(template.id)]
    tagged = client.get("/library?tag=volunteers", headers=HTMX)
    assert "<html" not in text(tagged) and len(titles(tagged)) == 3
    assert "data-keep-collection" in text(tagged)                 # a collection to keep
    assert "data-keep-collection" not in text(everything)
    found = client.get("/library?q=wijkraad")
    assert titles(found) == [str(doc(app, "wijkraad-starten").id)]


def test_list_tells_unknown_filter_and_shows_all(client):
    response = client.get("/library?kind=roman&tag=%00x")
    assert response.status_code == 200
    assert 'class="note" role="alert"' in text(response) and len(titles(response)) == 5


def test_list_hides_drafts_from_others_and_shows_them_to_coordinators(app, client, fatima,
                                                                      form_token):
    created = post(fatima, form_token, "/library/new", {**TEXTS, "initiative": "lucas-community"})
    assert created.status_code == 303
    draft_id = created.headers["Location"].rsplit("/", 1)[1]
    assert draft_id not in titles(client.get("/library"))
    assert client.get(f"/library/{draft_id}").status_code == 404
    assert f'/library/{draft_id}"' in text(fatima.get("/library"))     # her drafts list
    assert fatima.get(f"/library/{draft_id}").status_code == 200


def test_document_shown_in_page_language(app, client):
    statute = doc(app, "stappenplan-bijzondere-status")
    dutch = text(client.get(f"/library/{statute.id}"))
    assert "Stappenplan voor een bijzondere status" in dutch and '<article class="doc">' in dutch
    client.set_cookie("lang", "en")
    english = text(client.get(f"/library/{statute.id}"))
    assert "Roadmap for developing a special statute" in english
    assert "<h1>" in english and "<h2>Step 1: Write down what you want</h2>" in english
    assert 'data-revision="1"' in english


def test_missing_english_marked_with_lang(app, client, fatima, form_token):
    created = post(fatima, form_token, "/library/new", {**TEXTS, "initiative": "lucas-community"})
    path = created.headers["Location"]
    fatima.set_cookie("lang", "en")
    page = text(fatima.get(path))
    assert '<article class="doc" lang="nl">' in page
    assert "This document is not translated yet" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_translation_behind_shown_when_dutch_moved_on(app, client):
    council = doc(app, "wijkraad-starten")
    client.set_cookie("lang", "en")
    english = text(client.get(f"/library/{council.id}"))
    assert 'data-outcome="translation_behind"' in english
    assert "The Dutch text has changed since this translation" in english
    client.set_cookie("lang", "nl")
    dutch = text(client.get(f"/library/{council.id}"))
    assert 'data-outcome="translation_behind"' not in dutch
    statute = doc(app, "stappenplan-bijzondere-status")
    client.set_cookie("lang", "en")
    assert 'data-outcome="translation_behind"' not in text(client.get(f"/library/{statute.id}"))


def test_changed_since_translation_said_in_dutch_words(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        said = gettext("The Dutch text has changed since this translation (translated from "
                       "Dutch version %(from)d; the Dutch text is now version %(now)d).",
                       **{"from": 1, "now": 2})
    assert said.startswith("De Nederlandse tekst is veranderd sinds deze vertaling")


def test_social_talks_of_theme_linked(app, client):
    statute = doc(app, "stappenplan-bijzondere-status")
    page = text(client.get(f"/library/{statute.id}"))
    assert "Social Talks over dit thema" in page
    assert re.search(r'href="/events/\d+"[^>]*>[^<]+</a>\s*<span class="meta">— [^<]*2017', page)
    council = doc(app, "wijkraad-starten")
    assert "Social Talks over dit thema" not in text(client.get(f"/library/{council.id}"))


def test_print_view_history_and_old_revision(app, client):
    council = doc(app, "wijkraad-starten")
    printed = text(client.get(f"/library/{council.id}/print"))
    assert "print-view" in printed and "versie 2" in printed
    assert f"http://localhost/library/{council.id}" in printed
    history = text(client.get(f"/library/{council.id}/history"))
    assert f'/library/{council.id}/revisions/1"' in history
    assert f'/library/{council.id}/revisions/2"' in history
    first = text(client.get(f"/library/{council.id}/revisions/1"))
    assert "Stap 5: Kies een vorm" not in first and "Je leest versie 1" in first
    assert "Stap 5: Kies een vorm" in text(client.get(f"/library/{council.id}"))
    assert client.get(f"/library/{council.id}/revisions/9").status_code == 404
    assert client.get("/library/999999").status_code == 404


def test_search_index_per_language_holds_published_only(app, client, fatima, form_token):
    post(fatima, form_token, "/library/new", {**TEXTS, "initiative": "lucas-community"})
    dutch = client.get("/library/index.nl.json")
    english = client.get("/library/index.en.json").get_json()
    assert dutch.mimetype == "application/json" and dutch.headers["Cache-Control"] == "no-cache"
    entries = dutch.get_json()["documents"]
    assert len(entries) == 5 and "Buurtkast maken" not in [e["title"] for e in entries]
    council = next(e for e in english["documents"] if e["url"].endswith(
        f"/{doc(app, 'wijkraad-starten').id}"))
    assert council["title"] == "How to start a district council" and council["revision"] == 2
    assert council["lang"] == "en" and "residents" in council["words"]
    assert council["urls"] == [council["url"]]
    assert "Neighbourhood" in council["tagLabels"]
    assert client.get("/library/index.fr.json").status_code == 404
    etag = dutch.headers["ETag"]
    assert client.get("/library/index.nl.json",
                      headers={"If-None-Match": etag}).status_code == 304


# --- writing --------------------------------------------------------------------------------

def test_new_document_saved_as_draft_revision_one(app, fatima, form_token):
    response = post(fatima, form_token, "/library/new",
                    {**TEXTS, "initiative": "lucas-community", "tags": ["neighbourhood"],
                     "other_tags": "Buurt kast", "note": "begin"})
    assert response.status_code == 303
    document = in_db(app, lambda: Document.get(Document.id == int(
        response.headers["Location"].rsplit("/", 1)[1])))
    assert (document.status, document.revision, document.kind) == ("draft", 1, "howto")
    assert document.tag_list == ["neighbourhood", "buurt-kast"]
    assert document.initiative.slug == "lucas-community"


@pytest.mark.parametrize("changes, message", [
    ({"title_nl": ""}, "Geef het document een Nederlandse titel."),
    ({"kind": "roman"}, "Kies wat voor soort document dit is."),
    ({"body_en": "Only text"}, "De Engelse vertaling heeft een titel en een tekst nodig"),
    ({"other_tags": "a;b"}, "Een onderwerp is één of een paar woorden"),
    ({"theme": "Verzonnen thema"}, "Kies een thema uit de lijst."),
])
def test_new_document_refused_with_message_when_input_bad(app, fatima, form_token, changes,
                                                          message):
    before = count(app, Document)
    response = post(fatima, form_token, "/library/new",
                    {**TEXTS, "initiative": "lucas-community", **changes})
    assert response.status_code == 400
    assert message in text(response) and 'role="alert"' in text(response)
    assert 'value="Buurtkast maken"' in text(response) or changes.get("title_nl") == ""
    assert count(app, Document) == before


def test_new_document_refused_for_another_cooperative(app, fatima, form_token):
    before = count(app, Document)
    response = post(fatima, form_token, "/library/new", {**TEXTS, "initiative": "amargi"})
    assert response.status_code == 403 and count(app, Document) == before


def test_edit_saves_new_revision_and_keeps_old(app, fatima, form_token):
    council = doc(app, "wijkraad-starten")
    page = fatima.get(f"/library/{council.id}/edit")
    assert page.status_code == 200 and 'name="base" value="2"' in text(page)
    old = in_db(app, lambda: council.latest().body_nl)
    response = post(fatima, form_token, f"/library/{council.id}/edit",
                    {**TEXTS, "kind": "howto", "base": "2", "note": "korter",
                     "title_en": "Street cupboard", "summary_en": "How.", "body_en": "Text."})
    assert response.status_code == 303
    revisions = in_db(app, lambda: list(Revision.select().where(Revision.document == council.id)
                                        .order_by(Revision.number)))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[1].body_nl == old and revisions[2].body_nl.startswith("## Stap 1")
    assert revisions[2].en_from == 3 and revisions[2].author.email == "fatima@peerm.example"


def test_edit_refused_when_stale_or_unchanged_and_nothing_changes(app, fatima, form_token):
    council = doc(app, "wijkraad-starten")
    current = in_db(app, lambda: council.latest())
    stale = post(fatima, form_token, f"/library/{council.id}/edit",
                 {**TEXTS, "base": "1"})
    assert stale.status_code == 400 and "nieuwere versie (2)" in text(stale)
    same = {name: getattr(current, name) for name in
            ("title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en")}
    unchanged = post(fatima, form_token, f"/library/{council.id}/edit",
                     {**same, "kind": "howto", "base": "2",
                      "tags": ["neighbourhood", "deciding", "starting"]})
    assert unchanged.status_code == 400 and "Er is niets veranderd" in text(unchanged)
    assert in_db(app, lambda: Document.get_by_id(council.id).revision) == 2


def test_writing_refused_for_member_and_other_coordinator(app, log_in, form_token):
    council = doc(app, "wijkraad-starten")
    for email in ("mohammed@peerm.example", "jan@peerm.example"):
        client = log_in(email)
        assert client.get(f"/library/{council.id}/edit").status_code == 403
        assert post(client, form_token, f"/library/{council.id}/edit",
                    {**TEXTS, "base": "2"}).status_code == 403
    assert log_in("mohammed@peerm.example").get("/library/new").status_code == 403
    assert in_db(app, lambda: Document.get_by_id(council.id).revision) == 2


def test_publish_and_archive_ask_first(app, client, fatima, form_token):
    created = post(fatima, form_token, "/library/new", {**TEXTS, "initiative": "lucas-community"})
    path = created.headers["Location"]
    ask = fatima.get(path + "/publish")
    assert ask.status_code == 200 and f'action="{path}/publish"' in text(ask)
    assert client.get(path).status_code == 404
    assert post(fatima, form_token, path + "/publish", {}).status_code == 303
    assert client.get(path).status_code == 200
    again = post(fatima, form_token, path + "/publish", {})
    assert again.status_code == 400 and "al gepubliceerd" in text(again)
    assert 'action="' + path + '/archive"' in text(fatima.get(path + "/archive"))
    assert post(fatima, form_token, path + "/archive", {}).status_code == 303
    archived = client.get(path)
    assert archived.status_code == 200 and "Gearchiveerd op" in text(archived)
    assert path.rsplit("/", 1)[1] not in titles(client.get("/library"))
    refused = post(fatima, form_token, path + "/edit", {**TEXTS, "body_nl": "x", "base": "1"})
    assert refused.status_code == 400 and "gearchiveerd" in text(refused)


# --- files ----------------------------------------------------------------------------------

def upload(client, form_token, path, data, name):
    return client.post(path, data={"csrf_token": form_token(client),
                                   "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_file_added_served_and_removed(app, client, fatima, form_token, files):
    council = doc(app, "wijkraad-starten")
    added = upload(fatima, form_token, f"/library/{council.id}/files", PNG, "poster.png")
    assert added.status_code == 303
    attachment = in_db(app, lambda: Attachment.get())
    served = client.get(f"/library/{council.id}/files/{attachment.id}/poster.png")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == PNG
    assert client.get(f"/library/{council.id}/files/{attachment.id}/other.png").status_code == 404
    page = text(client.get(f"/library/{council.id}"))
    assert f"/library/{council.id}/files/{attachment.id}/poster.png" in page
    assert "poster.png" in text(fatima.get(f"/library/{council.id}/files/{attachment.id}/remove"))
    assert post(fatima, form_token, f"/library/{council.id}/files/{attachment.id}/remove",
                {}).status_code == 303
    assert count(app, Attachment) == 0 and list(files.iterdir()) == []


@pytest.mark.parametrize("data, name, message", [
    (b"MZ\x90\x00program", "handleiding.pdf", "alleen PDF-bestanden en foto"),
    (b"<svg onload=alert(1)>", "plaatje.png", "alleen PDF-bestanden en foto"),
    (b"", "leeg.pdf", "Het bestand is leeg."),
    (b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES, "groot.pdf", "Het bestand is te groot"),
])
def test_file_refused_by_type_and_size_and_nothing_kept(app, fatima, form_token, files, data,
                                                       name, message):
    council = doc(app, "wijkraad-starten")
    response = upload(fatima, form_token, f"/library/{council.id}/files", data, name)
    assert response.status_code == 400 and message in text(response)
    assert count(app, Attachment) == 0
    assert not files.exists() or list(files.iterdir()) == []


def test_file_refused_without_file(app, fatima, form_token, files):
    council = doc(app, "wijkraad-starten")
    response = post(fatima, form_token, f"/library/{council.id}/files", {})
    assert response.status_code == 400 and "Kies eerst een bestand." in text(response)


def test_pdf_served_as_download(app, client, fatima, form_token, files):
    council = doc(app, "wijkraad-starten")
    upload(fatima, form_token, f"/library/{council.id}/files", PDF, "flyer.pdf")
    attachment = in_db(app, lambda: Attachment.get())
    served = client.get(f"/library/{council.id}/files/{attachment.id}/flyer.pdf")
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
