"""The library's services: revisions that never change, translations that know their source,
Markdown rendered safely, attachments checked by their bytes, the cleaning up, the demo
documents, and `documents_for` for the needs board. Refusals are asserted by their codes."""
import datetime as dt
import os
import time
from html.parser import HTMLParser

import pytest
from playhouse.shortcuts import model_to_dict

from peerm.accounts.models import Person
from peerm.core import clock
from peerm.core.db import write_transaction
from peerm.initiatives.models import Initiative
from peerm.library import demo, documents_for, services
from peerm.library.markdown import render, sanitise
from peerm.library.models import Attachment, Document, Revision, RevisionImmutable
from peerm.library.services import LibraryError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
TEXTS = {"title_nl": "Buurtkast", "summary_nl": "Zo maak je een buurtkast.",
         "body_nl": "## Stap 1\n\nZoek een plek.", "title_en": "Street cupboard",
         "summary_en": "How to make a street cupboard.", "body_en": "## Step 1\n\nFind a place."}


@pytest.fixture
def world(app, db_connection):
    """Fatima, coordinator of the Lucas Community, and a draft of hers."""
    with app.app_context():
        fatima = Person.by_email("fatima@peerm.example")
        lucas = Initiative.get(Initiative.slug == "lucas-community")
        with write_transaction():
            document = services.create_document(fatima, lucas, "guide", ["neighbourhood"],
                                                TEXTS, note="eerste")
        yield {"fatima": fatima, "lucas": lucas, "document": document}


@pytest.fixture
def files(app, tmp_path):
    app.config["LIBRARY_FOLDER"] = str(tmp_path / "library")
    return tmp_path / "library"


def save(world, base=None, **changes):
    document = Document.get_by_id(world["document"].id)
    with write_transaction():
        return services.save_revision(world["fatima"], document, {**TEXTS, **changes},
                                      base=base if base is not None else document.revision,
                                      **{k: v for k, v in changes.items()
                                         if k in ("english_current", "note", "tags")})


def test_create_makes_draft_with_revision_one(world):
    document = Document.get_by_id(world["document"].id)
    assert (document.status, document.revision) == ("draft", 1)
    first = document.latest()
    assert (first.number, first.nl_revision, first.en_from) == (1, 1, 1)
    assert first.author_id == world["fatima"].id
    assert not first.translation_behind


def test_save_adds_revision_and_leaves_old_one_as_it_was(world):
    before = model_to_dict(Document.get_by_id(world["document"].id).latest(), recurse=False)
    second = save(world, body_nl="## Stap 1\n\nZoek een droge plek.", note="droog")
    assert second.number == 2
    old = Revision.get((Revision.document == world["document"].id) & (Revision.number == 1))
    assert model_to_dict(old, recurse=False) == before
    assert Revision.select().where(Revision.document == world["document"].id).count() == 2


def test_old_revision_refuses_change_when_saved_or_updated(world):
    first = Document.get_by_id(world["document"].id).latest()
    first.body_nl = "overschreven"
    with pytest.raises(RevisionImmutable):
        first.save()
    with pytest.raises(RevisionImmutable):
        Revision.update(body_nl="overschreven")
    assert Revision.get_by_id(first.id).body_nl == TEXTS["body_nl"]


def test_service_never_changes_old_revision_when_saving_many(world):
    snapshots = {}
    for step in range(3):
        revision = save(world, body_nl=f"Versie {step}")
        snapshots[revision.number] = model_to_dict(revision, recurse=False)
    for number, snapshot in snapshots.items():
        stored = Revision.get((Revision.document == world["document"].id)
                              & (Revision.number == number))
        assert model_to_dict(stored, recurse=False) == snapshot


def test_translation_falls_behind_when_dutch_changes(world):
    second = save(world, body_nl="Nieuwe Nederlandse tekst.")
    assert (second.nl_revision, second.en_from) == (2, 1)
    assert second.translation_behind
    third = save(world, body_nl="Nieuwe Nederlandse tekst.", summary_en="Now shorter.")
    assert (third.nl_revision, third.en_from) == (2, 2)          # English redone now
    assert not third.translation_behind


def test_translation_catches_up_when_writer_says_so(world):
    save(world, body_nl="Nieuwe Nederlandse tekst.")
    caught_up = save(world, body_nl="Nieuwe Nederlandse tekst.", english_current=True)
    assert caught_up.en_from == caught_up.nl_revision == 2
    assert not caught_up.translation_behind


def test_english_only_change_keeps_dutch_revision(world):
    second = save(world, body_en="## Step 1\n\nFind a dry place.")
    assert (second.nl_revision, second.en_from) == (1, 1)


def test_save_refused_when_someone_saved_since(world):
    save(world, body_nl="Mijn wijziging.")
    with pytest.raises(LibraryError) as refused:
        save(world, base=1, body_nl="Jouw wijziging.")
    assert refused.value.code == "stale_edit"
    assert Document.get_by_id(world["document"].id).revision == 2


def test_save_refused_when_nothing_changed(world):
    with pytest.raises(LibraryError) as refused:
        save(world)
    assert refused.value.code == "nothing_changed"


@pytest.mark.parametrize("changes, code", [
    ({"title_nl": "  "}, "title_missing"),
    ({"summary_nl": ""}, "summary_missing"),
    ({"body_nl": "\r\n"}, "body_missing"),
    ({"title_en": "", "summary_en": "", "body_en": "Only a text"}, "english_incomplete"),
    ({"title_nl": "x" * 200}, "too_long"),
    ({"body_nl": "x" * (services.BODY_MAX + 1)}, "too_long"),
])
def test_bad_texts_refused_with_code(world, changes, code):
    with pytest.raises(LibraryError) as refused:
        save(world, **changes)
    assert refused.value.code == code
    assert Document.get_by_id(world["document"].id).revision == 1


def test_tags_cleaned_and_refused(world):
    assert services.clean_tags(["Geld", "geld, Buurt werk", ""]) == ["geld", "buurt-werk"]
    for bad in (["<script>"], ["a;b"], ["x" * 40]):
        with pytest.raises(LibraryError) as refused:
            services.clean_tags(bad)
        assert refused.value.code == "tag_invalid"
    with pytest.raises(LibraryError) as refused:
        services.clean_tags([f"t{n}" for n in range(services.TAGS_MAX + 1)])
    assert refused.value.code == "too_many_tags"


def test_publish_then_archive_then_publish_again(world):
    with write_transaction():
        published = services.publish(world["fatima"], world["document"])
    assert published.status == "published" and published.published_at is not None
    with pytest.raises(LibraryError) as twice:
        with write_transaction():
            services.publish(world["fatima"], published)
    assert twice.value.code == "already_published"
    with write_transaction():
        archived = services.archive(world["fatima"], published)
    assert archived.status == "archived"
    with pytest.raises(LibraryError) as editing:
        save(world, body_nl="Nog iets.")
    assert editing.value.code == "archived"
    with pytest.raises(LibraryError) as again:
        with write_transaction():
            services.archive(world["fatima"], archived)
    assert again.value.code == "not_published"


# --- Markdown -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "Hallo <img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    '<a href="#" onclick="steal()">x</a>',
    "<iframe src=/></iframe>",
    "![plaatje](https://tracker.example/pixel.png)",
])
def test_markdown_leaves_no_script_when_rendered(text):
    tags = _tags(str(render(text)))
    assert not [tag for tag, _attrs in tags if tag in ("script", "iframe", "style")]
    attributes = [(name, value or "") for _tag, attrs in tags for name, value in attrs]
    assert not [name for name, _value in attributes if name.startswith("on")]
    assert not [value for name, value in attributes
                if name == "href" and value.strip().lower().startswith("javascript")]
    assert not [value for name, value in attributes if name == "src" and not value.startswith("/")]


def _tags(html):
    """Every tag of the HTML with its attributes (what a browser would make of it)."""
    found = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))
    Reader().feed(html)
    return found


@pytest.mark.parametrize("html, gone", [
    ('<p onclick="x()">a</p>', "onclick"),
    ("<p>a<script>alert(1)</script></p>", "<script"),
    ('<a href="javascript:alert(1)">l</a>', "javascript:"),
    ('<a href=" jAvAsCrIpT:alert(1)">l</a>', "javascript:"),
    ('<img src="/x" onerror="alert(1)">', "onerror"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="position:fixed">a</p>', "style="),
    ('<img src="https://tracker.example/p.png">', "tracker.example"),
])
def test_sanitiser_removes_dangerous_html(html, gone):
    assert gone not in str(sanitise(html)).lower()


def test_markdown_keeps_structure_and_shifts_headings():
    html = str(render("# Titel\n\n## Stap\n\n1. een\n2. twee\n\n**vet** [site](https://a.nl)"
                      "\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h2>Titel</h2>" in html and "<h3>Stap</h3>" in html and "<h1" not in html
    assert "<ol>" in html and "<strong>vet</strong>" in html and "<table>" in html
    assert 'href="https://a.nl" rel="noopener noreferrer nofollow"' in html


# --- attachments ----------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_file_kind_read_from_bytes(data, kind):
    assert services.file_kind(data) == kind


@pytest.mark.parametrize("data, code", [
    (b"", "file_empty"),
    (b"MZ\x90\x00 a program", "file_type"),
    (b"<html><script>alert(1)</script>", "file_type"),
    (b"GIF89a" + b"\x00" * 10, "file_type"),
    (b"%PDF-" + b"x" * services.MAX_ATTACHMENT_BYTES, "file_too_large"),
])
def test_file_refused_by_type_and_size(data, code):
    with pytest.raises(LibraryError) as refused:
        services.file_kind(data)
    assert refused.value.code == code


def test_attachment_stored_under_random_name_and_removed(world, files):
    with write_transaction():
        attachment = services.add_attachment(world["fatima"], world["document"],
                                             "../../etc/Flyer wijkraad.exe", PDF)
    assert attachment.kind == "pdf" and attachment.name == "Flyer wijkraad.pdf"
    path = files / attachment.stored
    assert path.read_bytes() == PDF and attachment.stored != attachment.name
    with write_transaction():
        gone = services.remove_attachment(world["fatima"], attachment)
    gone.unlink()
    assert not path.exists() and Attachment.select().count() == 0


def test_refused_attachment_leaves_no_file_and_no_row(world, files):
    with pytest.raises(LibraryError):
        with write_transaction():
            services.add_attachment(world["fatima"], world["document"], "virus.pdf",
                                    b"MZ\x90\x00")
    assert Attachment.select().count() == 0
    assert not files.exists() or list(files.iterdir()) == []


def test_orphan_files_removed_when_old(world, files):
    with write_transaction():
        kept = services.add_attachment(world["fatima"], world["document"], "a.png", PNG)
    old_orphan = files / "0123.pdf"
    young_orphan = files / "4567.pdf"
    old_orphan.write_bytes(PDF)
    young_orphan.write_bytes(PDF)
    an_hour_and_more = time.time() - 2 * 3600
    os.utime(old_orphan, (an_hour_and_more, an_hour_and_more))
    os.utime(files / kept.stored, (an_hour_and_more, an_hour_and_more))
    assert services.remove_orphan_files(clock.now()) == 1
    assert sorted(p.name for p in files.iterdir()) == sorted([kept.stored, "4567.pdf"])


def test_erasure_forgets_who_made_document(world, files):
    with write_transaction():
        services.add_attachment(world["fatima"], world["document"], "a.png", PNG)
        assert services.erase_person(world["fatima"], ["Fatima"]) == []
    assert Document.get_by_id(world["document"].id).created_by_id is None
    assert Attachment.get().uploaded_by_id is None
    # The revisions stay as they were: they belong to the co-operative.
    assert Document.get_by_id(world["document"].id).latest().author_id == world["fatima"].id


# --- the demo documents and documents_for ----------------------------------------------------

def test_demo_documents_published_once(app, db_connection):
    with app.app_context():
        assert demo.load() == {"documents": 0}        # the world has them already
        owners = {d.seed_key: d.initiative.slug for d in Document.select()}
    assert owners["methodiek-administraties"] == "amargi"
    assert owners["stappenplan-bijzondere-status"] == "vrije-expeditie"
    assert owners["wijkraad-starten"] == "lucas-community"
    assert owners["sociale-onderneming-vrijwilligers"] == "free-exit"
    council = Document.get(Document.seed_key == "wijkraad-starten")
    assert council.status == "published" and council.latest().translation_behind


def test_documents_for_finds_guides_by_words_and_tags(app, db_connection):
    with app.app_context():
        by_words = documents_for("Wie helpt ons een wijkraad te beginnen in de buurt?")
        by_tags = documents_for(["volunteers"])
        by_english = documents_for("volunteer allowance limits")
        nothing = documents_for("xyzzy qwerty")
    assert by_words[0].seed_key == "wijkraad-starten"
    assert {d.seed_key for d in by_tags} <= {"methodiek-administraties",
                                             "sociale-onderneming-vrijwilligers",
                                             "sjabloon-afsprakenlijst-vrijwilliger"}
    assert len(by_tags) == 3
    assert by_english[0].seed_key == "sociale-onderneming-vrijwilligers"
    assert by_words[0].current.number == 2
    assert nothing == [] and documents_for("") == [] and documents_for([]) == []


def test_documents_for_leaves_out_drafts(world, app):
    with app.app_context():
        found = documents_for("buurtkast")
    assert found == []
    with write_transaction():
        services.publish(world["fatima"], world["document"])
    with app.app_context():
        assert [d.id for d in documents_for("buurtkast")] == [world["document"].id]


def test_dates_are_stored_in_utc(world):
    moment = dt.datetime(2026, 3, 1, 12, 0)
    with clock.frozen(moment):
        revision = save(world, body_nl="Bij bevroren klok.")
    assert revision.created_at == moment
